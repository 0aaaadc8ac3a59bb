"""Properties: the parser is total (only `SipParseError`), the handler never raises and
answers junk with 400 or nothing, and every answer it sends is itself a well-formed response."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ringfence.domain.clock import FixedClock
from ringfence.sip.errors import SipParseError
from ringfence.sip.handler import SipHandler
from ringfence.sip.message import SipRequest, SipResponse, parse_message
from tests.sip.helpers import T0, BlocklistScreen, request
from tests.sip.samples import ASTERISK_INVITE, COMPACT_INVITE, KAMAILIO_INVITE

SEEDS = [KAMAILIO_INVITE.encode(), ASTERISK_INVITE.encode(), COMPACT_INVITE.encode(), request()]
FRAGMENTS = [
    b"INVITE sip:+32@h SIP/2.0",
    b"SIP/2.0 200 OK",
    b"Via: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bKp",
    b"v: SIP/2.0/UDP [::1]:5060;rport",
    b"From: <sip:a@b>;tag=1",
    b'f: "x\\"y" <tel:+32>',
    b"To: <sip:c@d>",
    b"Call-ID: p",
    b"i: q r",
    b"CSeq: 1 INVITE",
    b"CSeq: 99999999999 ACK",
    b"Content-Length: 5",
    b"l: -3",
    b" folded",
    b"\tfolded",
    b"X: \xff\xfe",
    b'<<<;;;,,,"""',
    b"",
]


def fresh_handler() -> SipHandler:
    return SipHandler(BlocklistScreen(), clock=FixedClock(T0))


def check_answer(data: bytes, handler: SipHandler, allowed: set[int] | None) -> None:
    answer = handler.handle(data, ("127.0.0.1", 5060))
    if answer is None:
        return
    parsed = parse_message(answer)
    assert isinstance(parsed, SipResponse), answer
    if allowed is not None:
        assert parsed.status in allowed, answer


def refusal_reason(data: bytes) -> str | None:
    """None when `data` parses; the reason when it raises `SipParseError` (anything else
    propagates and fails the test)."""
    try:
        parse_message(data)
    except SipParseError as error:
        return error.reason
    return None


@given(st.binary(max_size=2048))
def test_parser_raises_only_its_own_error_on_arbitrary_bytes(data: bytes) -> None:
    reason = refusal_reason(data)
    assert reason is None or reason.strip()


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14), st.sampled_from([b"\r\n", b"\n"]))
def test_parser_is_total_on_sip_like_lines(lines: list[bytes], end: bytes) -> None:
    reason = refusal_reason(end.join(lines) + end + end)
    assert reason is None or reason.strip()


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_handler_answers_junk_with_400_or_drops_it(data: bytes) -> None:
    check_answer(data, fresh_handler(), {400, 505})


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real INVITE with a slice deleted, replaced or duplicated."""
    seed = draw(st.sampled_from(SEEDS))
    start = draw(st.integers(0, len(seed)))
    end = draw(st.integers(start, min(len(seed), start + 40)))
    middle = draw(st.one_of(st.just(b""), st.binary(max_size=12), st.just(seed[start:end] * 2)))
    return seed[:start] + middle + seed[end:]


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=300)
@given(mutated())
def test_handler_never_raises_and_always_sends_well_formed_answers(data: bytes) -> None:
    handler = fresh_handler()
    check_answer(data, handler, None)
    assert handler.stats().internal_errors == 0


TOKEN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-.", min_size=1, max_size=16)


@given(TOKEN, TOKEN, st.integers(0, 2**31 - 1), st.sampled_from(["\r\n", "\n"]))
def test_well_formed_requests_parse_back_to_their_fields(
    call_id: str, branch: str, number: int, line_end: str
) -> None:
    data = request(
        call_id=call_id,
        via=[f"SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK{branch}"],
        cseq=f"{number} INVITE",
        line_end=line_end,
    )
    parsed = parse_message(data)
    assert isinstance(parsed, SipRequest)
    assert parsed.call_id == call_id
    assert parsed.branch == f"z9hG4bK{branch}"
    assert parsed.cseq == (number, "INVITE")
