"""Silent calls and spoofed caller IDs on hand-written records, with near-misses."""

from __future__ import annotations

from datetime import timedelta

from ringfence.detect.batch.common import DetectionContext
from ringfence.detect.batch.silent_calls import SilentCalls
from ringfence.detect.batch.spoofed_cli import SpoofedCli
from ringfence.domain.findings import SubjectRole
from ringfence.lists import DoNotOriginateEntry
from tests.conftest import RunDetector
from tests.detect.builders import CallLog, be_fixed, be_mobile


def silent_campaign(log: CallLog, n: int = 40, carrier: str = "intl-x") -> list[str]:
    return [
        log.add(be_mobile(500_000 + i), be_mobile(i), timedelta(minutes=i), ingress="international",
                carrier=carrier, duration_s=1.5, released_by="caller", attestation="none")
        for i in range(n)
    ]  # fmt: skip


def test_silent_call_campaign_is_found_with_its_spoofed_share(run_detector: RunDetector) -> None:
    log = CallLog()
    planted = silent_campaign(log)
    for i in range(200):  # ordinary national traffic, a few quick hang-ups among it
        log.add(be_mobile(700_000 + i), be_mobile(i), timedelta(minutes=i % 60), duration_s=2,
                released_by="caller" if i % 20 == 0 else "callee")  # fmt: skip
    out = run_detector(SilentCalls(), log)
    assert len(out.findings) == 1
    finding = out.findings[0]
    assert set(out.flagged.column("call_id").to_pylist()) == set(planted)
    assert finding.counts["distinct_callees"] == 40
    assert finding.counts["spoofed_cli_share"] == 1.0
    assert finding.details["likely_spoofed"] is True
    assert all(not s.may_block for s in finding.subjects)  # innocent owners are never blockable
    assert "spoofed" in finding.reason
    assert "innocent" in finding.reason
    assert finding.evidence == tuple(sorted(planted)[:5])


def test_near_misses_do_not_fire(run_detector: RunDetector) -> None:
    log = CallLog()
    # 1. too few callees: one source dropping 15 calls
    for i in range(15):
        log.add(be_mobile(500_000 + i), be_mobile(i), timedelta(minutes=i), ingress="international",
                carrier="intl-a", duration_s=1, released_by="caller")  # fmt: skip
    # 2. many calls dropped after 4 s (over the 3 s limit)
    for i in range(40):
        log.add(be_mobile(510_000 + i), be_mobile(i), timedelta(minutes=i), ingress="international",
                carrier="intl-b", duration_s=4, released_by="caller")  # fmt: skip
    # 3. short calls released by the callee (people hanging up on a caller)
    for i in range(40):
        log.add(be_mobile(520_000 + i), be_mobile(i), timedelta(minutes=i), ingress="international",
                carrier="intl-c", duration_s=1, released_by="callee")  # fmt: skip
    # 4. a busy route where quick hang-ups are a minority (30 of 100)
    for i in range(100):
        log.add(be_mobile(530_000 + i), be_mobile(i), timedelta(minutes=i % 60),
                carrier="nat-d", duration_s=1 if i < 30 else 90,
                released_by="caller")  # fmt: skip
    assert run_detector(SilentCalls(), log).findings == []


def test_national_cli_from_abroad_respects_roaming_allow_list(run_detector: RunDetector) -> None:
    log = CallLog()
    roaming = be_mobile(42)
    spoofed = [
        log.add(be_mobile(600_000 + i), be_mobile(i), timedelta(minutes=i), ingress="international",
                carrier="intl-x", attestation="none")
        for i in range(5)
    ]  # fmt: skip
    log.add(roaming, be_mobile(99), timedelta(minutes=3), ingress="international", carrier="intl-x")
    log.add("+33612345678", be_mobile(98), timedelta(minutes=4), ingress="international")
    ctx = DetectionContext("BE", allowed_from_abroad=frozenset({roaming}))
    out = run_detector(SpoofedCli(), log, ctx)
    abroad = [f for f in out.findings if f.kind == "national_cli_from_abroad"]
    assert len(abroad) == 1
    assert abroad[0].counts["calls"] == 5
    assert set(out.flagged.column("call_id").to_pylist()) == set(spoofed)
    assert roaming not in abroad[0].subjects_with(SubjectRole.SOURCE_NUMBER)


def test_do_not_originate_names_the_holder_as_victim(run_detector: RunDetector) -> None:
    bank = be_fixed(123_456)
    log = CallLog()
    calls = [
        log.add(bank, be_mobile(i), timedelta(minutes=10 * i), ingress="international",
                duration_s=900, carrier="intl-y", attestation="none")
        for i in range(3)
    ]  # fmt: skip
    log.add(be_fixed(1), be_mobile(7), timedelta(minutes=5))  # an ordinary fixed line
    ctx = DetectionContext(
        "BE", do_not_originate={bank: DoNotOriginateEntry(bank, "Example Bank", "bank", "test")}
    )
    out = run_detector(SpoofedCli(), log, ctx)
    dno = [f for f in out.findings if f.kind == "do_not_originate"]
    assert len(dno) == 1
    assert dno[0].subjects_with(SubjectRole.SPOOFED_OWNER) == [bank]
    assert not any(s.may_block for s in dno[0].subjects)
    assert "Example Bank" in dno[0].reason
    linked = {
        c for c, f in zip(out.flagged.column("call_id").to_pylist(),
                          out.flagged.column("finding_id").to_pylist(), strict=True)
        if f == dno[0].finding_id
    }  # fmt: skip
    assert linked == set(calls)


def test_invalid_cli_and_attestation_c(run_detector: RunDetector) -> None:
    log = CallLog()
    invalid = log.add("+3221234567", be_mobile(1), timedelta(minutes=1))  # unallocated Brussels
    log.add(be_mobile(77), be_mobile(2), timedelta(minutes=2), attestation="C")  # one C: ordinary
    log.add(be_mobile(78), be_mobile(3), timedelta(minutes=3), attestation="A")
    log.add("anonymous", be_mobile(4), timedelta(minutes=4))  # withheld is not invalid
    weak_route = [
        log.add(be_mobile(800 + i), be_mobile(i), timedelta(minutes=i), carrier="nat-weak",
                attestation="C")
        for i in range(25)
    ]  # fmt: skip
    for i in range(10):  # the same route also carries some attested calls: C is still most
        log.add(be_mobile(900 + i), be_mobile(i), timedelta(minutes=i), carrier="nat-weak")
    out = run_detector(SpoofedCli(), log)
    kinds = {f.kind: f for f in out.findings}
    assert set(kinds) == {"invalid_cli", "attestation_c"}
    assert kinds["attestation_c"].details["carrier"] == "nat-weak"
    assert kinds["attestation_c"].counts["calls"] == 25
    flagged = set(out.flagged.column("call_id").to_pylist())
    assert flagged == {invalid, *weak_route}
