"""Streaming windows: online results equal a batch recomputation; pool and callback rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ringfence.detect.stream.events import CallEvent, SlidingDistinct
from ringfence.detect.stream.sources import CallCentres, SpoofedOwners

EVENTS = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=50, allow_nan=False),
        st.sampled_from("abc"),
        st.integers(0, 5),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(events=EVENTS, window=st.floats(min_value=1, max_value=20))
def test_sliding_distinct_equals_a_recount_of_the_window(
    events: list[tuple[float, str, int]], window: float
) -> None:
    """In event-time order, the window's counts equal a recount of the events inside it."""
    online = SlidingDistinct(window)
    seen: list[tuple[float, str, int]] = []
    for t, key, item in sorted(events):
        online.add(t, key, item)
        seen.append((t, key, item))
        inside = [(k, i) for (s, k, i) in seen if s > t - window]
        for k in "abc":
            assert online.total(k) == sum(1 for kk, _ in inside if kk == k)
            assert online.distinct(k) == len({i for kk, i in inside if kk == k})


def call(caller: str, callee: str, t: float, **kw: object) -> CallEvent:
    base: dict[str, object] = {
        "call_id": f"{caller}-{callee}-{t}", "t": t, "caller": caller, "callee": callee,
        "direction": "inbound", "ingress": "international", "caller_country": "UA",
        "caller_type": "mobile", "callee_country": "BE", "callee_type": "mobile",
        "answered": True, "duration_s": 300.0, "released_by": "callee",
    }  # fmt: skip
    base.update(kw)
    return CallEvent(**base)  # type: ignore[arg-type]


def test_a_pool_of_numbers_is_flagged_before_any_one_number_is() -> None:
    centres = CallCentres()
    pool = [f"+38050568{n:04d}" for n in (145, 1738, 2346)]
    t = 0.0
    for round_ in range(3):  # three strangers each, within the hour
        for i, number in enumerate(pool):
            t += 60
            centres.learn_one(call(number, f"+32470{round_ * 10 + i:06d}", t))
    # each number talked to 3 strangers (< 10): the numbers alone are not flagged, the block is
    assert centres.flags.get(pool[0], t) is None
    evidence = centres.score_one(call("+380505689999", "+32470999999", t + 1))
    assert evidence is not None
    assert evidence["block"] == "+38050568xxxx"
    # a single foreign relative calling three people at length is not a pool
    relative = CallCentres()
    for i in range(3):
        relative.learn_one(call("+393471234567", f"+32470{i:06d}", 60.0 * i))
    assert relative.score_one(call("+393471234568", "+32470000009", 500)) is None


def test_callback_to_a_number_shown_from_abroad_is_warned_at_once() -> None:
    owners = SpoofedOwners(allowed_from_abroad=frozenset({"+32475000001"}))
    shown = call("+32470555555", "+32470000001", 100.0, caller_country="BE", duration_s=1.5,
                 released_by="caller")  # fmt: skip
    owners.learn_one(shown)
    back = call("+32470000001", "+32470555555", 4000.0, direction="outbound", ingress="national",
                caller_country="BE")  # fmt: skip
    assert owners.score_one(back) == {"owner": "+32470555555", "shown_from_abroad_at": 100.0}
    tomorrow = call("+32470000001", "+32470555555", 100.0 + 25 * 3600, direction="outbound",
                    ingress="national", caller_country="BE")  # fmt: skip
    assert owners.score_one(tomorrow) is None
    roaming = call("+32475000001", "+32470000002", 200.0, caller_country="BE")
    owners.learn_one(roaming)
    reply = call("+32470000002", "+32475000001", 300.0, direction="outbound", caller_country="BE")
    assert owners.score_one(reply) is None  # a roaming subscriber really called from abroad
