"""The screener's rules, one by one, and the policy that decides outcomes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ringfence.detect.stream.events import CallEvent
from ringfence.domain.verdicts import CallSetup, Outcome
from ringfence.lists import DoNotOriginateEntry
from ringfence.screen.policy import PolicyError, load_policy
from ringfence.screen.screener import ReputationSignal, Screener

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BANK = "+3225123456"


def screener(country: str = "BE", **kw: object) -> Screener:
    dno = {BANK: DoNotOriginateEntry(BANK, "Example Bank", "bank", "test")}
    return Screener(load_policy(country), country, do_not_originate=dno, **kw)  # type: ignore[arg-type]


def setup(caller: str, callee: str = "0470 12 34 56", **kw: object) -> CallSetup:
    return CallSetup(caller=caller, callee=callee, at=T0, **kw)  # type: ignore[arg-type]


def test_an_ordinary_call_is_allowed_and_records_the_policy_version() -> None:
    verdict = screener().screen(setup("0475 11 22 33"))
    assert verdict.outcome is Outcome.ALLOW
    assert verdict.hits == ()
    assert verdict.policy_version == load_policy("BE").version


def test_emergency_numbers_are_never_screened() -> None:
    s = screener()
    out = s.screen(setup("0475 11 22 33", "112", direction="outbound"))
    assert out.outcome is Outcome.ALLOW
    assert out.rules == ["emergency_number"]


def test_national_cli_from_abroad_follows_the_country_preset_and_roaming() -> None:
    call = setup("0475 11 22 33", ingress="international")
    assert screener("BE").screen(call).outcome is Outcome.BLOCK
    portugal = setup("912 345 678", "912 000 111", ingress="international")
    assert screener("PT").screen(portugal).outcome is Outcome.LABEL
    roaming = screener("BE", allowed_from_abroad=frozenset({"+32475112233"}))
    assert roaming.screen(call).outcome is Outcome.ALLOW


def test_do_not_originate_and_invalid_cli_are_blocked_with_reasons() -> None:
    s = screener()
    bank = s.screen(setup("02 513 34 56", ingress="national"))
    assert bank.outcome is Outcome.ALLOW  # another Brussels number
    impersonation = s.screen(setup(BANK))
    assert impersonation.outcome is Outcome.BLOCK
    assert "Example Bank" in impersonation.reasons[0]
    invalid = s.screen(setup("+32 2 123 45 67"))
    assert invalid.rules == ["invalid_cli"]
    garbage = s.screen(setup("call-me-maybe"))
    assert garbage.outcome is Outcome.BLOCK
    assert "not a number" in garbage.reasons[0]


def one_ring(i: int, t: float) -> CallEvent:
    return CallEvent(
        f"w{i}",
        t,
        f"+39351{i:07d}",
        f"+32470{i:06d}",
        "inbound",
        "international",
        "intl-w",
        "IT",
        "mobile",
        True,
        "BE",
        "mobile",
        "none",
        False,
        2.0,
        0.0,
        "caller",
    )


def test_wangiri_range_is_blocked_after_the_threshold_and_callbacks_are_protected() -> None:
    s = screener()
    t = T0.timestamp()
    outcomes = []
    for i in range(40):
        ev = one_ring(i, t + 60 * i)
        outcomes.append(s.screen_event(ev).outcome)
        s.learn(ev)
    first_block = outcomes.index(Outcome.BLOCK)
    assert first_block == 20  # the policy flags a range at 20 one-ring calls to 15+ subscribers
    assert set(outcomes[:20]) == {Outcome.ALLOW}
    callback = replace(
        one_ring(3, t + 3600),
        direction="outbound",
        caller="+32470000003",
        callee="+393510000003",
        caller_country="BE",
        callee_country="IT",
    )
    verdict = s.screen_event(callback)
    assert verdict.outcome is Outcome.WARN
    assert verdict.rules == ["callback_to_wangiri"]
    premium = replace(callback, callee_type="premium_rate")
    assert s.screen_event(premium).outcome is Outcome.BLOCK


def test_spoofed_owner_gets_warnings_not_blocks() -> None:
    s = screener()
    t = T0.timestamp()
    owner = "+32470555555"
    for i in range(6):
        shown = CallEvent(
            f"s{i}",
            t + i,
            owner,
            f"+32470{i:06d}",
            "inbound",
            "international",
            "intl-x",
            "BE",
            "mobile",
            True,
            "BE",
            "mobile",
            "none",
            True,
            3,
            1.5,
            "caller",
        )
        s.learn(shown)
        back = CallEvent(
            f"b{i}",
            t + 3600 + i,
            f"+32470{i:06d}",
            owner,
            "outbound",
            "national",
            "",
            "BE",
            "mobile",
            True,
            "BE",
            "mobile",
            "A",
            True,
            5,
            30,
            "callee",
        )
        s.learn(back)
    callback = CallEvent(
        "b9",
        t + 7200,
        "+32470000009",
        owner,
        "outbound",
        "national",
        "",
        "BE",
        "mobile",
        True,
        "BE",
        "mobile",
    )
    verdict = s.screen_event(callback)
    assert verdict.outcome is Outcome.WARN
    assert verdict.rules == ["callback_to_spoofed_owner"]


def test_reputation_signals_combine_with_rules() -> None:
    levels = {"+32475999999": ReputationSignal("scam", "reported 40 times for bank fraud", 92)}
    s = screener(reputation=levels.get)
    verdict = s.screen(setup("0475 99 99 99"))
    assert verdict.outcome is Outcome.BLOCK
    assert verdict.signals["reputation"] == "scam"
    spoofed = screener(reputation=lambda n: ReputationSignal("spoofed", "shown by scammers"))
    assert spoofed.screen(setup("0475 11 22 33")).outcome is Outcome.LABEL


def test_windows_use_event_time_not_the_wall_clock() -> None:
    s = screener()
    long_ago = (T0 - timedelta(days=400)).timestamp()
    for i in range(40):
        s.learn(one_ring(i, long_ago + i))
    assert s.screen_event(one_ring(99, long_ago + 100)).outcome is Outcome.BLOCK
    assert s.screen_event(one_ring(99, long_ago + 30 * 86400)).outcome is Outcome.ALLOW


def test_a_bad_policy_file_names_the_file_and_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "policy.toml"
    bad.write_text('version = "x"\n[outcomes]\ninvalid_cli = "explode"\n')
    with pytest.raises(PolicyError, match=r"outcomes\.invalid_cli.*'explode'"):
        load_policy("BE", bad)
    bad.write_text("[outcomes]\n")
    with pytest.raises(PolicyError, match="needs a `version`"):
        load_policy("BE", bad)
    with pytest.raises(PolicyError, match="no screening preset for ZZ"):
        load_policy("ZZ")
