"""INVITE -> CallSetup, and Verdict -> the redirect answer."""

from __future__ import annotations

import base64
import json

import pytest

from ringfence.domain.verdicts import Outcome, RuleHit, Verdict
from ringfence.sip.answer import answer_for, verdict_header
from ringfence.sip.config import BlockCode, SipConfig, SipConfigError
from ringfence.sip.invite import SipRequestError, call_setup_from_invite
from ringfence.sip.message import SipRequest, parse_message
from tests.sip.helpers import T0, request
from tests.sip.samples import ASTERISK_INVITE, COMPACT_INVITE, IDENTITY, KAMAILIO_INVITE


def parse(data: bytes | str) -> SipRequest:
    message = parse_message(data.encode() if isinstance(data, str) else data)
    assert isinstance(message, SipRequest)
    return message


def test_kamailio_invite_maps_pai_identity_ingress_and_carrier() -> None:
    setup = call_setup_from_invite(parse(KAMAILIO_INVITE), "192.0.2.1", SipConfig(), T0)
    assert setup.caller == "+3225551234"
    assert setup.callee == "+3225550100"
    assert setup.identity == IDENTITY, "the first Identity header, whole"
    assert setup.ingress == "international"
    assert setup.direction == "inbound"
    assert setup.carrier == "carrier-a"
    assert setup.call_id == "4c3b2a19-kam@203.0.113.20"
    assert setup.at == T0


def test_asterisk_invite_keeps_national_forms_as_presented() -> None:
    setup = call_setup_from_invite(parse(ASTERISK_INVITE), "198.51.100.7", SipConfig(), T0)
    assert (setup.caller, setup.callee) == ("0470999888", "0470123456")
    assert setup.identity is None
    assert setup.carrier is None
    assert setup.ingress == "national"


def test_anonymous_from_and_tel_request_uri() -> None:
    setup = call_setup_from_invite(parse(COMPACT_INVITE), "192.0.2.1", SipConfig(), T0)
    assert setup.caller == "anonymous"
    assert setup.callee == "+3225550100"


@pytest.mark.parametrize(
    ("extra", "caller"),
    [
        (["P-Asserted-Identity: <sip:+3225552222@gw>, <tel:+3225553333>"], "+3225553333"),
        (['P-Asserted-Identity: "X" <sip:+3225552222@gw;user=phone>'], "+3225552222"),
        (["P-Asserted-Identity: <sip:anonymous@anonymous.invalid>"], "anonymous"),
        ([], "+3225551234"),
    ],
)
def test_caller_prefers_asserted_identity(extra: list[str], caller: str) -> None:
    setup = call_setup_from_invite(parse(request(headers=extra)), "10.0.0.5", SipConfig(), T0)
    assert setup.caller == caller


def test_withheld_and_numberless_from_is_anonymous() -> None:
    for from_ in ("<sip:Anonymous@10.0.0.5>;tag=1", "<sip:10.0.0.5>;tag=1"):
        data = request(omit=["From"], headers=[f"From: {from_}"])
        assert (
            call_setup_from_invite(parse(data), "10.0.0.5", SipConfig(), T0).caller == "anonymous"
        )


def test_callee_falls_back_to_to_when_request_uri_has_no_user() -> None:
    data = request(uri="sip:10.0.0.9:5070", omit=["To"], headers=["To: <tel:+3225550199>"])
    assert call_setup_from_invite(parse(data), "10.0.0.5", SipConfig(), T0).callee == "+3225550199"


def test_no_callee_number_is_484_and_other_scheme_416() -> None:
    no_user = request(uri="sip:10.0.0.9", omit=["To"], headers=["To: <sip:10.0.0.9>"])
    with pytest.raises(SipRequestError) as caught:
        call_setup_from_invite(parse(no_user), "10.0.0.5", SipConfig(), T0)
    assert caught.value.status == 484
    with pytest.raises(SipRequestError) as caught:
        call_setup_from_invite(parse(request(uri="urn:service:sos")), "10.0.0.5", SipConfig(), T0)
    assert caught.value.status == 416


def test_ingress_from_gateway_list_unless_the_header_says_otherwise() -> None:
    config = SipConfig.build(international_gateways=["203.0.113.0/24", "2001:db8::/32"])
    plain = parse(request())
    assert call_setup_from_invite(plain, "203.0.113.20", config, T0).ingress == "international"
    assert call_setup_from_invite(plain, "2001:db8::5", config, T0).ingress == "international"
    assert call_setup_from_invite(plain, "198.51.100.1", config, T0).ingress == "national"
    told = parse(request(headers=["X-Ingress: National"]))
    assert call_setup_from_invite(told, "203.0.113.20", config, T0).ingress == "national"


def test_configurable_header_names_and_outbound_direction() -> None:
    config = SipConfig.build(
        ingress_header="P-Ingress", direction_header="P-Dir", carrier_header="P-Carrier"
    )
    data = request(headers=["P-Ingress: international", "P-Dir: outbound", "P-Carrier: c2"])
    setup = call_setup_from_invite(parse(data), "10.0.0.5", config, T0)
    assert (setup.ingress, setup.direction, setup.carrier) == ("international", "outbound", "c2")


@pytest.mark.parametrize("extra", ["X-Ingress: abroad", "X-Direction: sideways"])
def test_bad_ingress_or_direction_values_are_400(extra: str) -> None:
    with pytest.raises(SipRequestError) as caught:
        call_setup_from_invite(parse(request(headers=[extra])), "10.0.0.5", SipConfig(), T0)
    assert caught.value.status == 400
    assert extra.split(": ")[1] in caught.value.reason


def test_config_errors_are_clear() -> None:
    with pytest.raises(SipConfigError, match="not an IP address or CIDR"):
        SipConfig.build(international_gateways=["gateway-1"])
    with pytest.raises(SipConfigError, match="not one of auto, 607, 608"):
        SipConfig.build(block_code="609")
    with pytest.raises(SipConfigError, match="is not a URI"):
        SipConfig.build(voicemail_uri="voicemail box")


INVITE = parse(request())


def verdict(*hits: RuleHit, **signals: object) -> Verdict:
    return Verdict.decide(hits, "2026.03", call_id="call-1@10.0.0.5", signals=signals)


def test_allow_is_302_to_the_request_uri_with_the_verdict() -> None:
    answer = answer_for(verdict(), INVITE, SipConfig())
    assert (answer.status, answer.reason) == (302, "Moved Temporarily")
    headers = dict(answer.headers)
    assert headers["Contact"] == "<sip:+3225550100@10.0.0.9:5070>"
    assert headers["X-Ringfence-Verdict"] == 'allow;rules="";policy=2026.03'


def test_label_carries_rules_and_label_text() -> None:
    hits = (
        RuleHit("reported", Outcome.LABEL, "reported", {"label": "Likely scam"}),
        RuleHit("cli-possible", Outcome.ALLOW, "unallocated"),
    )
    assert verdict_header(verdict(*hits)) == (
        'label;rules="reported,cli-possible";policy=2026.03;label="Likely scam"'
    )
    assert verdict_header(verdict(RuleHit("r", Outcome.LABEL, "x"))).endswith(
        'label="Suspected scam"'
    )


def test_warn_carries_the_announcement() -> None:
    hit = RuleHit("wangiri-callback", Outcome.WARN, "one-ring range")
    answer = answer_for(verdict(hit), INVITE, SipConfig())
    assert answer.status == 302
    assert dict(answer.headers)["X-Ringfence-Verdict"] == (
        "warn;rules=wangiri-callback;policy=2026.03;announcement=callback-warning"
    )
    told = verdict(hit, announcement="ann-fr-12")
    assert verdict_header(told).endswith("announcement=ann-fr-12")


def test_voicemail_goes_to_the_configured_uri() -> None:
    hit = RuleHit("harassment", Outcome.VOICEMAIL, "rotating numbers")
    configured = answer_for(verdict(hit), INVITE, SipConfig(voicemail_uri="sip:vm@10.0.0.20"))
    assert dict(configured.headers)["Contact"] == "<sip:vm@10.0.0.20>"
    default = answer_for(verdict(hit), INVITE, SipConfig())
    assert dict(default.headers)["Contact"] == "<sip:+3225550100@10.0.0.9:5070>"
    assert dict(default.headers)["X-Ringfence-Verdict"].startswith("voicemail;")


def test_block_is_607_with_the_rule_in_reason_phrase_and_reason_header() -> None:
    hit = RuleHit("do-not-originate", Outcome.BLOCK, "CLI on the do-not-originate list")
    answer = answer_for(verdict(hit), INVITE, SipConfig())
    assert (answer.status, answer.reason) == (607, "Unwanted (do-not-originate)")
    headers = dict(answer.headers)
    assert headers["Reason"] == (
        'SIP;cause=607;text="do-not-originate: CLI on the do-not-originate list"'
    )
    assert headers["X-Ringfence-Verdict"] == "block;rules=do-not-originate;policy=2026.03"
    assert "Call-Info" not in headers


def test_analytics_block_is_608_with_a_redress_jcard() -> None:
    hit = RuleHit("silent-burst", Outcome.BLOCK, "burst", {"analytics": True})
    answer = answer_for(verdict(hit), INVITE, SipConfig())
    assert (answer.status, answer.reason) == (608, "Rejected (silent-burst)")
    call_info = dict(answer.headers)["Call-Info"]
    assert call_info.endswith(";purpose=jwscard")
    uri = call_info[1 : call_info.index(">")]
    assert uri.startswith("data:application/json;base64,")
    card = json.loads(base64.b64decode(uri.split(",", 1)[1]))
    assert card[0] == "vcard"
    assert any(prop[0] == "note" and "silent-burst" in prop[3] for prop in card[1])


def test_block_code_option_forces_607_or_608() -> None:
    analytics = verdict(RuleHit("burst", Outcome.BLOCK, "burst", {"analytics": True}))
    plain = verdict(RuleHit("dno", Outcome.BLOCK, "dno"))
    force_607 = SipConfig(block_code=BlockCode.UNWANTED)
    force_608 = SipConfig(block_code=BlockCode.REJECTED, redress_uri="https://op.example/r.jwt")
    assert answer_for(analytics, INVITE, force_607).status == 607
    answer = answer_for(plain, INVITE, force_608)
    assert answer.status == 608
    assert dict(answer.headers)["Call-Info"] == "<https://op.example/r.jwt>;purpose=jwscard"
    assert (
        answer_for(
            verdict(RuleHit("dno", Outcome.BLOCK, "x"), analytics=True), INVITE, SipConfig()
        ).status
        == 608
    )
