"""Identity headers as they arrive in SIP: field names, compact form, folding, whitespace."""

from __future__ import annotations

import pytest

from ringfence.stir import StirFailure, parse_identity_header
from ringfence.stir.errors import StirError
from tests.stir.conftest import URL, Kit

TOKEN = "aGVhZGVy.cGF5bG9hZA.c2ln"


@pytest.mark.parametrize(
    "raw",
    [
        f"{TOKEN};info=<{URL}>;alg=ES256;ppt=shaken",
        f"Identity: {TOKEN};info=<{URL}>;alg=ES256;ppt=shaken",
        f"identity:{TOKEN};info=<{URL}>;alg=ES256;ppt=shaken",
        f"IDENTITY  :  {TOKEN} ; info = <{URL}> ; alg = ES256 ; ppt = shaken ;",
        f"y: {TOKEN};info=<{URL}>;alg=ES256;ppt=shaken",
        f"Y:{TOKEN};INFO=<{URL}>;ALG=ES256;PPT=shaken",
        f"Identity: {TOKEN};\r\n info=<{URL}>;\r\n\talg=ES256;ppt=shaken\r\n",
        f"Identity: aGVhZGVy.\r\n cGF5bG9hZA.c2ln;info=<{URL}>;alg=ES256;ppt=shaken",
        f'{TOKEN};info="{URL}";alg="ES256";ppt="shaken"',
        f"{TOKEN};info=<  {URL}  >;alg=ES256;ppt=shaken",
    ],
)
def test_header_forms_read_the_same(raw: str) -> None:
    header = parse_identity_header(raw)
    assert header.token == TOKEN
    assert (header.info, header.alg, header.ppt) == (URL, "ES256", "shaken")


def test_info_may_contain_semicolons_inside_brackets() -> None:
    header = parse_identity_header(f"{TOKEN};info=<https://x.test/a;b=c.pem>;ppt=shaken")
    assert header.info == "https://x.test/a;b=c.pem"
    assert header.ppt == "shaken"


def test_unknown_parameters_are_kept() -> None:
    header = parse_identity_header(f"{TOKEN};info=<{URL}>;ppt=shaken;x-extra=1;flag")
    assert header.params["x-extra"] == "1"
    assert header.params["flag"] == ""


def test_header_without_parameters_has_none() -> None:
    header = parse_identity_header(TOKEN)
    assert header.params == {}
    assert header.info is None


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("Identity:", "no value"),
        (f";info=<{URL}>", "missing"),
        (f"{TOKEN};info=<{URL}", "never close"),
        (f'{TOKEN};ppt="shaken', "never close"),
        (f"{TOKEN};ppt=shaken;ppt=div", "repeats"),
        (f"{TOKEN};=x", "no valid name"),
        (f"{TOKEN};in fo=x", "no valid name"),
        ("x" * 8193, "at most"),
    ],
)
def test_unreadable_headers_say_why(raw: str, words: str) -> None:
    with pytest.raises(StirError, match=words) as caught:
        parse_identity_header(raw)
    assert caught.value.failure is StirFailure.MALFORMED_HEADER


def test_a_real_header_verifies_whatever_its_written_form(kit: Kit) -> None:
    value = kit.header()
    token, _, params = value.partition(";")
    middle = len(token) // 2
    forms = [
        f"Identity: {value}",
        f"y: {value}",
        f"Identity: {token[:middle]}\r\n {token[middle:]} ;\r\n {params.replace(';', ' ; ')}",
        f"{token} ; " + params.replace("=", " = "),
    ]
    for form in forms:
        result = kit.verify(form)
        assert result.passed, (form, result.reason)
