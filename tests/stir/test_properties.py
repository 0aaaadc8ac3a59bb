"""Properties: the verifier answers every header with a result, and signatures bind the token."""

from __future__ import annotations

import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ringfence.stir import StirFailure, StirResult, Verstat, build_identity_header
from ringfence.stir.jws import b64url_encode
from tests.stir.conftest import DEST, NOW, ORIG, URL, Kit

FIXTURE_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

_header_alphabet = string.ascii_letters + string.digits + "-_.;=<>\"' \t\r\n:/+"


@FIXTURE_OK
@given(st.text(max_size=300))
def test_any_text_gets_a_result_never_an_exception(kit: Kit, text: str) -> None:
    result = kit.verify(text)
    assert isinstance(result, StirResult)
    assert result.verstat is not Verstat.PASSED
    assert result.sip_code in {403, 428, 436, 437, 438}


@FIXTURE_OK
@given(st.text(alphabet=_header_alphabet, max_size=400))
def test_header_like_text_gets_a_result(kit: Kit, text: str) -> None:
    result = kit.verify(text)
    assert not result.passed
    assert result.reason


@FIXTURE_OK
@given(
    header=st.dictionaries(st.text(max_size=5), st.none() | st.integers() | st.text(max_size=8)),
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
        max_leaves=12,
    ),
    signature=st.binary(max_size=80),
    params=st.sampled_from(["", f";info=<{URL}>;alg=ES256;ppt=shaken", ";ppt=shaken"]),
)
def test_any_decodable_token_gets_a_result(
    kit: Kit, header: dict[str, object], payload: object, signature: bytes, params: str
) -> None:
    token = ".".join(
        [
            b64url_encode(json.dumps(header).encode()),
            b64url_encode(json.dumps(payload).encode()),
            b64url_encode(signature),
        ]
    )
    result = kit.verify(token + params)
    assert not result.passed
    assert result.sip_code in {403, 428, 436, 437, 438}


@FIXTURE_OK
@given(position=st.integers(min_value=0), replacement=st.sampled_from("AQgw-_09zZ"))
def test_changing_any_signed_character_fails(kit: Kit, position: int, replacement: str) -> None:
    token = kit.token()
    signed_length = token.rindex(".")
    index = position % signed_length
    if token[index] in (replacement, "."):
        return
    changed = token[:index] + replacement + token[index + 1 :]
    result = kit.verify(build_identity_header(changed, info=URL, alg="ES256", ppt="shaken"))
    assert not result.passed
    assert result.failure is not None


@FIXTURE_OK
@given(
    attest=st.sampled_from("ABC"),
    orig_digits=st.from_regex(r"33[1-5][0-9]{8}", fullmatch=True),
    dest_digits=st.from_regex(r"336[0-9]{8}", fullmatch=True),
    age=st.integers(min_value=-10, max_value=60),
)
def test_signed_tokens_verify_for_their_own_call(
    kit: Kit, attest: str, orig_digits: str, dest_digits: str, age: int
) -> None:
    iat = int(NOW.timestamp()) - age
    header = kit.header(orig="+" + orig_digits, dest="+" + dest_digits, attest=attest, iat=iat)
    result = kit.verify(header, orig="+" + orig_digits, dest="+" + dest_digits)
    assert result.passed, result.reason
    assert result.attestation == attest
    other_orig = ORIG if orig_digits != ORIG[1:] else "+33199999999"
    other_dest = DEST if dest_digits != DEST[1:] else "+33699999999"
    wrong_orig = kit.verify(header, orig=other_orig, dest="+" + dest_digits)
    wrong_dest = kit.verify(header, orig="+" + orig_digits, dest=other_dest)
    assert wrong_orig.failure is StirFailure.ORIG_MISMATCH
    assert wrong_dest.failure is StirFailure.DEST_MISMATCH
