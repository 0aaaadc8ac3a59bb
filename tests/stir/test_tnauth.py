"""TNAuthList (RFC 8226): DER read and written, explicit and implicit tags, coverage of numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ringfence.stir import TNAuthList, TNAuthListError
from tests.stir.conftest import TN_LIST, Kit


def test_explicit_tags_are_written_as_rfc_8226_says() -> None:
    # SEQUENCE { [0] { IA5String "709J" } }
    assert TNAuthList(spcs=("709J",)).to_der() == bytes.fromhex("3008a00616043730394a")
    # SEQUENCE { [1] { SEQUENCE { IA5String "3312", INTEGER 1000 } } }
    assert TNAuthList(ranges=(("3312", 1000),)).to_der() == bytes.fromhex(
        "300ea10c300a160433333132020203e8"
    )
    # SEQUENCE { [2] { IA5String "331" } }
    assert TNAuthList(numbers=("331",)).to_der() == bytes.fromhex("3007a2051603333331")


def test_implicit_tags_are_read_too() -> None:
    # [0] IMPLICIT "709J", [1] IMPLICIT {start "3312", count 1000}, [2] IMPLICIT "331"
    der = bytes.fromhex("3017" + "80043730394a" + "a10a160433333132020203e8" + "8203333331")
    tal = TNAuthList.from_der(der)
    assert tal == TNAuthList(spcs=("709J",), ranges=(("3312", 1000),), numbers=("331",))
    assert tal.describe() == "SPC 709J; 3312+1000; 331"


@pytest.mark.parametrize(
    ("der_hex", "words"),
    [
        ("", "truncated"),
        ("3003", "truncated"),
        ("0400", "not one DER SEQUENCE"),
        ("3000", "at least one entry"),
        ("30030401ff", "unknown tag"),
        ("3005a003020101", "IA5String"),
        ("3007a1053003160133", "start IA5String, count INTEGER"),
        ("300ba109300716023333020100", "not usable"),
        ("3081", "bad length"),
        ("3f00", "multi-byte tag"),
    ],
)
def test_malformed_der_is_refused_with_a_reason(der_hex: str, words: str) -> None:
    with pytest.raises(TNAuthListError, match=words):
        TNAuthList.from_der(bytes.fromhex(der_hex))


def test_coverage_of_numbers_and_ranges() -> None:
    assert TN_LIST.covers("33123456000")
    assert TN_LIST.covers("33123456999")
    assert not TN_LIST.covers("33123457000")
    assert not TN_LIST.covers("3312345600")  # shorter: not in a range of 11-digit numbers
    assert TN_LIST.covers("32470123456")
    assert not TN_LIST.covers("32470123457")
    assert not TN_LIST.covers("anonymous")


def test_a_service_provider_code_covers_every_number() -> None:
    assert TNAuthList(spcs=("TEST1",)).covers("33123456789")


def test_certificate_extension_is_found(kit: Kit) -> None:
    assert TNAuthList.of_certificate(kit.leaf_tn.cert) == TN_LIST
    assert TNAuthList.of_certificate(kit.leaf.cert) == TNAuthList(spcs=("TEST1",))
    assert TNAuthList.of_certificate(kit.root.cert) is None


@given(
    spcs=st.lists(st.text(alphabet="ABCDEFGHJ0123456789", min_size=1, max_size=8), max_size=3),
    ranges=st.lists(
        st.tuples(st.from_regex(r"[1-9][0-9]{3,14}", fullmatch=True), st.integers(1, 10**9)),
        max_size=3,
    ),
    numbers=st.lists(st.from_regex(r"[1-9][0-9]{3,14}", fullmatch=True), max_size=3),
)
def test_der_round_trip(spcs: list[str], ranges: list[tuple[str, int]], numbers: list[str]) -> None:
    if not (spcs or ranges or numbers):
        return
    tal = TNAuthList(tuple(spcs), tuple(ranges), tuple(numbers))
    assert TNAuthList.from_der(tal.to_der()) == tal


@given(st.binary(max_size=64))
def test_arbitrary_bytes_never_crash_the_reader(data: bytes) -> None:
    message = ""
    tal = None
    try:
        tal = TNAuthList.from_der(data)
    except TNAuthListError as error:
        message = str(error)
    if tal is None:
        assert message.startswith(("the TNAuthList", "a TNAuthList", "range"))
    else:  # whatever was read is written back in canonical (explicit) form and reads the same
        assert TNAuthList.from_der(tal.to_der()) == tal
