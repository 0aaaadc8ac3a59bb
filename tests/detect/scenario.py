"""A small mixed day with one campaign of every kind, for engine contract tests and the CLI."""

from __future__ import annotations

from datetime import timedelta

from ringfence.detect.batch.common import DetectionContext
from ringfence.lists import DoNotOriginateEntry
from tests.detect.builders import CallLog, be_fixed, be_mobile

BANK = be_fixed(123_456)


def mixed_day() -> tuple[CallLog, DetectionContext]:
    log = CallLog()
    for i in range(400):  # ordinary traffic
        log.add(be_mobile(700_000 + i), be_mobile(i % 250), timedelta(minutes=(7 * i) % 1440),
                duration_s=30 + (i * 13) % 300, released_by="caller" if i % 2 else "callee",
                answered=i % 4 != 0)  # fmt: skip
    for i in range(40):  # silent calls with spoofed national CLIs, and callbacks to one owner
        caller = be_mobile(555) if i < 8 else be_mobile(500_000 + i)
        log.add(caller, be_mobile(i), timedelta(hours=1, minutes=i), ingress="international",
                carrier="intl-x", duration_s=1.5, released_by="caller",
                attestation="none")  # fmt: skip
        if i < 8:
            log.add(be_mobile(i), caller, timedelta(hours=5, minutes=i), direction="outbound")
    for i in range(40):  # Wangiri, with two callbacks
        number = f"+39351{(i * 7919) % 1_000_000:07d}"
        log.add(number, be_mobile(i), timedelta(hours=2, minutes=i), ingress="international",
                answered=False, ring_s=2, released_by="caller", attestation="none")  # fmt: skip
        if i < 2:
            log.add(be_mobile(i), number, timedelta(hours=6, minutes=i), direction="outbound",
                    duration_s=300)  # fmt: skip
    for i in range(3):  # bank impersonation
        log.add(BANK, be_mobile(i), timedelta(hours=3, minutes=10 * i), ingress="international",
                duration_s=900, attestation="none")  # fmt: skip
    for i in range(20):  # rotation harassment
        log.add(f"+34612{i * 17:06d}", be_mobile(3), timedelta(hours=8, minutes=15 * i),
                ingress="international", answered=False, ring_s=10)  # fmt: skip
    for i in range(120):  # robocall
        log.add(
            "+3225550100", be_mobile(10_000 + i), timedelta(hours=9, seconds=30 * i), duration_s=8
        )
    for i in range(30):  # foreign call centre
        log.add(f"+4474001{i % 2:05d}", be_mobile(i), timedelta(hours=10, minutes=5 * i),
                ingress="international", duration_s=400)  # fmt: skip
    ctx = DetectionContext(
        "BE", do_not_originate={BANK: DoNotOriginateEntry(BANK, "Example Bank", "bank", "test")}
    )
    return log, ctx
