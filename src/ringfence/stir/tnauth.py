"""The TNAuthList certificate extension (RFC 8226, OID 1.3.6.1.5.5.7.1.26).

Why: a STIR certificate says *which numbers* its holder may sign for, either by a Service
Provider Code (SHAKEN's usual form: "this provider's numbers") or by telephone numbers and
ranges. A token signed for a number outside its certificate's list is a spoof with a real
certificate. `cryptography` does not know this extension, so this module reads (and, for test
certificates, writes) its DER with a small reader of our own.

    TNAuthorizationList ::= SEQUENCE SIZE (1..MAX) OF TNEntry
    TNEntry ::= CHOICE { spc [0] ServiceProviderCode,           -- IA5String
                         range [1] TelephoneNumberRange,        -- SEQUENCE {start, count}
                         one [2] TelephoneNumber }              -- IA5String of 0-9 # *

RFC 8226's module uses EXPLICIT tags; some issuers write implicit ones, which are read too.

>>> tal = TNAuthList(ranges=(("32470120000", 1000),))
>>> tal.covers("32470120999"), tal.covers("32470121000")
(True, False)
>>> TNAuthList.from_der(tal.to_der()) == tal
True
>>> TNAuthList(spcs=("709J",)).to_der().hex()  # [0] EXPLICIT IA5String "709J"
'3008a00616043730394a'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cryptography import x509

TN_AUTH_LIST_OID = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.26")

_SEQUENCE = 0x30
_IA5STRING = 0x16
_INTEGER = 0x02


class TNAuthListError(ValueError):
    """The extension's bytes are not a TNAuthList; the message says where it went wrong."""


@dataclass(frozen=True, slots=True)
class TNAuthList:
    """Service provider codes, number ranges (start digits, count) and single numbers."""

    spcs: tuple[str, ...] = ()
    ranges: tuple[tuple[str, int], ...] = ()
    numbers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (self.spcs or self.ranges or self.numbers):
            raise TNAuthListError("a TNAuthList holds at least one entry (RFC 8226)")
        for start, count in self.ranges:
            if not start.isdigit() or count < 1:
                raise TNAuthListError(
                    f"range ({start!r}, {count}) needs a digit start and a positive count"
                )

    def covers(self, tn: str) -> bool:
        """True when the list authorises the number `tn` (E.164 digits, no '+').

        A Service Provider Code authorises that provider's numbers, which cannot be listed
        offline: when the list has an SPC, every number is taken as covered and only explicit
        number lists can exclude one.
        """
        if self.spcs:
            return True
        if tn in self.numbers:
            return True
        if not tn.isdigit():
            return False
        value = int(tn)
        for start, count in self.ranges:
            if len(start) == len(tn) and int(start) <= value < int(start) + count:
                return True
        return False

    def describe(self) -> str:
        """Short words for messages: `SPC 709J; 3247012000+1000; 32470123456`."""
        words = [f"SPC {spc}" for spc in self.spcs]
        words += [f"{start}+{count}" for start, count in self.ranges]
        words += list(self.numbers)
        return "; ".join(words)

    def to_der(self) -> bytes:
        """DER with RFC 8226's explicit tags (the value of the X.509 extension)."""
        entries = [_tlv(0xA0, _tlv(_IA5STRING, spc.encode("ascii"))) for spc in self.spcs]
        for start, count in self.ranges:
            body = _tlv(_IA5STRING, start.encode("ascii")) + _tlv(_INTEGER, _der_int(count))
            entries.append(_tlv(0xA1, _tlv(_SEQUENCE, body)))
        entries += [_tlv(0xA2, _tlv(_IA5STRING, tn.encode("ascii"))) for tn in self.numbers]
        return _tlv(_SEQUENCE, b"".join(entries))

    def to_extension(self) -> x509.UnrecognizedExtension:
        return x509.UnrecognizedExtension(TN_AUTH_LIST_OID, self.to_der())

    @classmethod
    def from_der(cls, data: bytes) -> TNAuthList:
        """Read the extension value; raise `TNAuthListError` for anything else."""
        tag, start, end = _read_tlv(data, 0)
        if tag != _SEQUENCE or end != len(data):
            raise TNAuthListError("the TNAuthList is not one DER SEQUENCE")
        spcs: list[str] = []
        ranges: list[tuple[str, int]] = []
        numbers: list[str] = []
        for entry_tag, body in _children(data, start, end):
            if entry_tag in (0xA0, 0x80):
                spcs.append(_string(body, entry_tag == 0xA0, "spc"))
            elif entry_tag == 0xA1:
                ranges.append(_range(body))
            elif entry_tag in (0xA2, 0x82):
                numbers.append(_string(body, entry_tag == 0xA2, "one"))
            else:
                raise TNAuthListError(
                    f"the TNAuthList has an entry with unknown tag {entry_tag:#x}"
                )
        return cls(tuple(spcs), tuple(ranges), tuple(numbers))

    @classmethod
    def of_certificate(cls, cert: x509.Certificate) -> TNAuthList | None:
        """The certificate's TNAuthList, or None when it has none."""
        try:
            ext = cert.extensions.get_extension_for_oid(TN_AUTH_LIST_OID)
        except x509.ExtensionNotFound:
            return None
        value = ext.value
        if not isinstance(value, x509.UnrecognizedExtension):
            raise TNAuthListError("the TNAuthList extension was read as another type")
        return cls.from_der(value.value)


def _string(body: bytes, explicit: bool, name: str) -> str:
    if explicit:
        tag, start, end = _read_tlv(body, 0)
        if tag != _IA5STRING or end != len(body):
            raise TNAuthListError(f"the TNAuthList {name} entry does not hold an IA5String")
        body = body[start:end]
    try:
        return body.decode("ascii")
    except UnicodeDecodeError:
        raise TNAuthListError(f"the TNAuthList {name} entry is not ASCII") from None


def _range(body: bytes) -> tuple[str, int]:
    tag, start, end = _read_tlv(body, 0)
    if tag == _SEQUENCE:  # explicit [1] around the SEQUENCE
        if end != len(body):
            raise TNAuthListError("the TNAuthList range entry has trailing bytes")
        body = body[start:end]
    fields = list(_children(body, 0, len(body)))
    if len(fields) < 2 or fields[0][0] != _IA5STRING or fields[1][0] != _INTEGER:
        raise TNAuthListError("the TNAuthList range entry is not {start IA5String, count INTEGER}")
    first = fields[0][1].decode("ascii", errors="replace")
    count = int.from_bytes(fields[1][1], "big", signed=True)
    if not first.isdigit() or count < 1:
        raise TNAuthListError(f"the TNAuthList range ({first!r}, {count}) is not usable")
    return first, count


def _children(data: bytes, start: int, end: int) -> Iterator[tuple[int, bytes]]:
    pos = start
    while pos < end:
        tag, body_start, body_end = _read_tlv(data, pos)
        if body_end > end:
            raise TNAuthListError("a TNAuthList element runs past its parent")
        yield tag, data[body_start:body_end]
        pos = body_end


def _read_tlv(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, body start, body end) of the DER element at `pos`."""
    if pos + 2 > len(data):
        raise TNAuthListError("the TNAuthList DER is truncated")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise TNAuthListError("the TNAuthList uses a multi-byte tag, which it never needs")
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        size = length & 0x7F
        if size == 0 or size > 4 or pos + size > len(data):
            raise TNAuthListError("the TNAuthList DER has a bad length")
        length = int.from_bytes(data[pos : pos + size], "big")
        pos += size
    if pos + length > len(data):
        raise TNAuthListError("the TNAuthList DER is truncated")
    return tag, pos, pos + length


def _tlv(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + body


def _der_int(value: int) -> bytes:
    return value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True)
