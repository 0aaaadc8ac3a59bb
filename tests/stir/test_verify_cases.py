"""Every failure case of the verification test list, with real tokens signed by test keys.

The list (`cases_call.py`, `cases_format.py`) follows the failure cases the French MAN test
plan is described to cover (missing header, wrong orig, wrong dest, stale iat, bad alg, bad ppt,
expired certificate...) and the checks of RFC 8224, RFC 8588 and ATIS-1000074. Each case names
the check that must fail and the SIP code a verification service answers.
"""

from __future__ import annotations

import pytest

from ringfence.stir import StirFailure, Verstat
from tests.stir.cases import Case
from tests.stir.cases_call import CALL_CASES
from tests.stir.cases_format import FORMAT_CASES
from tests.stir.conftest import Kit

CASES = CALL_CASES + FORMAT_CASES
REASON_PHRASES = {  # RFC 8224's reason phrases, written out independently of the code
    403: "Stale Date",
    428: "Use Identity Header",
    436: "Bad Identity Info",
    437: "Unsupported Credential",
    438: "Invalid Identity Header",
}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_failure_gives_its_check_and_sip_code(kit: Kit, case: Case) -> None:
    identity, options = case.build(kit)
    result = kit.verify(identity, **options)
    assert result.failure is case.failure, result.reason
    assert result.sip_code == case.code
    assert result.sip_reason == REASON_PHRASES[case.code]
    expected_verstat = (
        Verstat.NO_VALIDATION if case.failure is StirFailure.NO_IDENTITY else Verstat.FAILED
    )
    assert result.verstat is expected_verstat
    assert result.attestation is None
    assert not result.passed
    assert len(result.reason) > 20  # plain words, not a bare code


def test_every_failure_kind_is_covered_by_a_case() -> None:
    covered = {case.failure for case in CASES}
    assert covered == set(StirFailure)
