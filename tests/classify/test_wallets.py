"""Checksums of crypto addresses and the pure-Python Keccak-256 behind EIP-55."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from ringfence.classify.keccak import keccak256
from ringfence.classify.wallets import (
    base58check_encode,
    base58check_payload,
    eip55,
    is_valid_bitcoin,
    is_valid_ethereum,
    is_valid_segwit,
    is_valid_tron,
    segwit_encode,
    validate_wallet,
)


def test_keccak256_known_digests() -> None:
    # Ethereum's Keccak-256 (not NIST SHA3-256, whose padding differs).
    assert keccak256(b"").hex() == (
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    )
    assert keccak256(b"abc").hex() == (
        "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    )
    assert keccak256(b"abc") != hashlib.sha3_256(b"abc").digest()


def test_keccak_handles_multi_block_input() -> None:
    assert len(keccak256(b"a" * 500)) == 32
    assert keccak256(b"a" * 136) != keccak256(b"a" * 135)


def test_eip55_vectors_from_the_specification() -> None:
    for address in (
        "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ):
        assert eip55(address.lower()) == address
        assert is_valid_ethereum("0x" + address)


def test_ethereum_rejects_wrong_length_and_characters() -> None:
    assert not is_valid_ethereum("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA")
    assert not is_valid_ethereum("0xZZAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")


def test_segwit_vectors_bip173_and_bip350() -> None:
    assert is_valid_segwit("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")
    assert is_valid_segwit("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs")
    assert not is_valid_segwit("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh")
    assert not is_valid_segwit("bc1Qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")  # mixed case


@given(st.binary(min_size=20, max_size=20), st.sampled_from([0, 1]))
def test_segwit_round_trip(program: bytes, version: int) -> None:
    address = segwit_encode(version, program if version == 0 else program + program[:12])
    assert is_valid_bitcoin(address)


@given(st.binary(min_size=20, max_size=20))
def test_base58check_round_trip_and_versions(body: bytes) -> None:
    legacy = base58check_encode(b"\x00" + body)
    tron = base58check_encode(b"\x41" + body)
    assert base58check_payload(legacy) == b"\x00" + body
    assert is_valid_bitcoin(legacy)
    assert is_valid_tron(tron)
    assert validate_wallet(tron) is not None


def test_validate_wallet_rejects_random_strings() -> None:
    assert validate_wallet("TXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX") is None
    assert validate_wallet("1111111111111111111111111") is None
