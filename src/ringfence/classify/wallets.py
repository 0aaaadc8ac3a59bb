"""Crypto wallet addresses with their checksums: Bitcoin, Ethereum and Tron.

Why checksums: a scam message that names a wallet ("send the deposit to bc1q...") gives the
strongest indicator there is (the address can be reported to exchanges), but random base58 or hex
strings are common in tracking codes and URLs. Only an address whose checksum holds is reported,
so a tracking number never becomes a "wallet".

- Bitcoin: legacy `1...`/`3...` (base58check, version 0x00/0x05) and SegWit `bc1...`
  (bech32 for witness v0, bech32m for v1+, BIP-173/BIP-350).
- Ethereum: `0x` + 40 hex digits; a mixed-case address must pass EIP-55 (Keccak-256); an all-lower
  or all-upper address has no checksum and is accepted as written.
- Tron: `T...` base58check with version byte 0x41.

>>> is_valid_bitcoin("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")
True
>>> is_valid_bitcoin("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3")
False
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ringfence.classify.keccak import keccak256

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58_ALPHABET)}
_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {c: i for i, c in enumerate(_BECH32_CHARSET)}
_BECH32_CONST = 1
_BECH32M_CONST = 0x2BC830A3


@dataclass(frozen=True, slots=True)
class Wallet:
    """A checksum-valid wallet address: `chain` is `bitcoin`, `ethereum` or `tron`."""

    chain: str
    address: str

    def to_dict(self) -> dict[str, str]:
        return {"chain": self.chain, "address": self.address}


def b58decode(text: str) -> bytes | None:
    """Decode base58 (Bitcoin alphabet); None when a character is outside the alphabet."""
    value = 0
    for char in text:
        digit = _B58_INDEX.get(char)
        if digit is None:
            return None
        value = value * 58 + digit
    body = value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""
    leading = len(text) - len(text.lstrip("1"))
    return b"\x00" * leading + body


def b58encode(data: bytes) -> str:
    """Encode bytes in base58 (used by the corpus builder and tests to make valid addresses)."""
    value = int.from_bytes(data, "big")
    out = []
    while value:
        value, rest = divmod(value, 58)
        out.append(_B58_ALPHABET[rest])
    leading = len(data) - len(data.lstrip(b"\x00"))
    return "1" * leading + "".join(reversed(out))


def _double_sha256(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def base58check_payload(text: str) -> bytes | None:
    """The payload (version byte + data) of a base58check string whose checksum holds."""
    raw = b58decode(text)
    if raw is None or len(raw) < 5:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    return payload if _double_sha256(payload)[:4] == checksum else None


def base58check_encode(payload: bytes) -> str:
    """base58check of `payload` (version byte + data)."""
    return b58encode(payload + _double_sha256(payload)[:4])


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            checksum ^= generator[i] if (top >> i) & 1 else 0
    return checksum


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(
    data: list[int], from_bits: int, to_bits: int, pad: bool = False
) -> list[int] | None:
    """Regroup bit words (BIP-173): decoding rejects non-zero padding, encoding pads."""
    acc = 0
    bits = 0
    out = []
    max_value = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & max_value)
    if pad:
        if bits:
            out.append((acc << (to_bits - bits)) & max_value)
        return out
    if bits >= from_bits or ((acc << (to_bits - bits)) & max_value):
        return None
    return out


def is_valid_segwit(address: str, hrp: str = "bc") -> bool:
    """A SegWit address (BIP-173 bech32 for v0, BIP-350 bech32m for v1 to v16)."""
    if address.lower() != address and address.upper() != address:
        return False
    text = address.lower()
    if not text.startswith(hrp + "1") or not 14 <= len(text) <= 90:
        return False
    data = [_BECH32_INDEX.get(c, -1) for c in text[len(hrp) + 1 :]]
    if len(data) < 7 or -1 in data:
        return False
    const = _bech32_polymod(_hrp_expand(hrp) + data)
    version = data[0]
    if version > 16 or const != (_BECH32_CONST if version == 0 else _BECH32M_CONST):
        return False
    program = _convert_bits(data[1:-6], 5, 8)
    if program is None or not 2 <= len(program) <= 40:
        return False
    return version != 0 or len(program) in (20, 32)


def segwit_encode(version: int, program: bytes, hrp: str = "bc") -> str:
    """Encode a SegWit address (for fixtures and the corpus builder)."""
    data = [version] + (_convert_bits(list(program), 8, 5, pad=True) or [])
    const = _BECH32_CONST if version == 0 else _BECH32M_CONST
    polymod = _bech32_polymod([*_hrp_expand(hrp), *data, 0, 0, 0, 0, 0, 0]) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32_CHARSET[d] for d in data + checksum)


def is_valid_bitcoin(address: str) -> bool:
    """Legacy (base58check, version 0x00 or 0x05, 20-byte hash) or SegWit mainnet address."""
    if address[:3].lower() == "bc1":
        return is_valid_segwit(address)
    if not 26 <= len(address) <= 35 or address[0] not in "13":
        return False
    payload = base58check_payload(address)
    return payload is not None and len(payload) == 21 and payload[0] in (0x00, 0x05)


def eip55(address_hex: str) -> str:
    """The EIP-55 mixed-case form of a 40-hex-digit address (without `0x`)."""
    lower = address_hex.lower()
    digest = keccak256(lower.encode("ascii")).hex()
    return "".join(
        c.upper() if c.isalpha() and int(digest[i], 16) >= 8 else c for i, c in enumerate(lower)
    )


def is_valid_ethereum(address: str) -> bool:
    """`0x` + 40 hex digits; mixed case must match EIP-55, single case has no checksum."""
    if len(address) != 42 or address[:2] not in ("0x", "0X"):
        return False
    body = address[2:]
    if any(c not in "0123456789abcdefABCDEF" for c in body):
        return False
    if body.lower() == body or body.upper() == body:
        return True
    return eip55(body) == body


def is_valid_tron(address: str) -> bool:
    """A Tron address: 34 characters, base58check payload of 21 bytes starting 0x41."""
    if len(address) != 34 or not address.startswith("T"):
        return False
    payload = base58check_payload(address)
    return payload is not None and len(payload) == 21 and payload[0] == 0x41


def validate_wallet(candidate: str) -> Wallet | None:
    """The wallet behind `candidate` when one of the checksums holds, else None."""
    if candidate[:2] in ("0x", "0X"):
        return Wallet("ethereum", candidate) if is_valid_ethereum(candidate) else None
    if candidate.startswith("T"):
        return Wallet("tron", candidate) if is_valid_tron(candidate) else None
    if is_valid_bitcoin(candidate):
        return Wallet("bitcoin", candidate)
    return None
