"""Indicators of a message: phone numbers, links, e-mails, IBANs, wallets and amounts.

Why separate from the classifier: indicators are facts that can be acted on (report a wallet,
look a number up in the reputation store, take a domain down) whatever the verdict, so they are
extracted the same way for every message and never depend on the model.

Every indicator is validated before it is reported: phone numbers by libphonenumber (through
`ringfence.domain.numbers`), IBANs by their ISO 13616 checksum (`schwifty`), wallets by their
chain's checksum. A number in a message is the number *shown*: it may belong to an innocent
person whose number was spoofed, so it is reported as an indicator, never as "the scammer".

`extract_indicators` never raises on any `str`: a candidate that fails validation is skipped.

>>> ind = extract_indicators("Call 0470 12.34.56 or pay BE68 5390 0754 7034, 4,99 €")
>>> ind.phones[0].e164, ind.ibans[0].iban, ind.amounts[0].value
('+32470123456', 'BE68539007547034', 4.99)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from ringfence.classify.amounts import Amount, find_amounts
from ringfence.classify.links import find_links
from ringfence.classify.wallets import Wallet, validate_wallet
from ringfence.domain.numbers import NumberError, NumberType, Validity, parse_number

_PHONE = re.compile(r"(?<![\w+/.,:-])(?:\+|00)?\(?\d[\d\u00a0 .\-/()]{5,22}\d(?![\w@])")
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]{4}){2,7}(?:[ \u00a0]?[A-Z0-9]{1,3})?\b")
_WALLET = re.compile(
    r"\b(?:(?:bc1|BC1)[ac-hj-np-zAC-HJ-NP-Z02-9]{11,71}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}"
    r"|T[1-9A-HJ-NP-Za-km-z]{33}|0[xX][0-9a-fA-F]{40})\b"
)


@dataclass(frozen=True, slots=True)
class PhoneIndicator:
    """A phone number as written and as normalised (E.164, type, country, validity)."""

    raw: str
    e164: str
    type: NumberType
    country: str | None
    validity: Validity

    def to_dict(self) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "e164": self.e164,
            "type": self.type.value,
            "country": self.country,
            "validity": self.validity.value,
        }


@dataclass(frozen=True, slots=True)
class IbanIndicator:
    """An IBAN whose checksum holds, in compact form, with its country and bank code."""

    iban: str
    country: str
    bank_code: str

    def to_dict(self) -> dict[str, str]:
        return {"iban": self.iban, "country": self.country, "bank_code": self.bank_code}


@dataclass(frozen=True, slots=True)
class Indicators:
    """Everything actionable found in a message. Lists keep the order of first appearance."""

    phones: list[PhoneIndicator] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    ibans: list[IbanIndicator] = field(default_factory=list)
    wallets: list[Wallet] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    obfuscated_links: bool = False
    """True when links were written defanged or disguised (`hxxp`, `[.]`, `(dot)`)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "phones": [p.to_dict() for p in self.phones],
            "urls": list(self.urls),
            "domains": list(self.domains),
            "emails": list(self.emails),
            "ibans": [i.to_dict() for i in self.ibans],
            "wallets": [w.to_dict() for w in self.wallets],
            "amounts": [a.to_dict() for a in self.amounts],
            "obfuscated_links": self.obfuscated_links,
        }

    @property
    def is_empty(self) -> bool:
        return not (
            self.phones or self.urls or self.emails or self.ibans or self.wallets or self.amounts
        )


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the characters of `spans` by spaces, keeping offsets, so they are not re-read."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _ibans(text: str) -> tuple[list[IbanIndicator], list[tuple[int, int]]]:
    found: list[IbanIndicator] = []
    spans: list[tuple[int, int]] = []
    for match in _IBAN.finditer(text):
        groups = re.split(r"[ \u00a0]", match.group(0))
        # A greedy match may have swallowed a following word: try shorter forms too.
        for end in range(len(groups), 0, -1):
            candidate = "".join(groups[:end])
            if len(candidate) < 15:
                break
            try:
                iban = IBAN(candidate)
            except (SchwiftyException, ValueError):
                continue
            item = IbanIndicator(iban.compact, iban.country_code, iban.bank_code or "")
            if item not in found:
                found.append(item)
            spans.append(match.span())
            break
    return found, spans


def _wallets(text: str) -> tuple[list[Wallet], list[tuple[int, int]]]:
    found: list[Wallet] = []
    spans: list[tuple[int, int]] = []
    for match in _WALLET.finditer(text):
        wallet = validate_wallet(match.group(0))
        if wallet is not None:
            if wallet not in found:
                found.append(wallet)
            spans.append(match.span())
    return found, spans


def _phone(candidate: str, regions: tuple[str, ...]) -> PhoneIndicator | None:
    raw = candidate.strip(" .-/()\u00a0")
    digits = sum(c.isdigit() for c in raw)
    international = raw.startswith(("+", "00"))
    if not 8 <= digits <= 15 or _DATE_LIKE.match(raw):
        return None
    best = None
    for region in regions:
        try:
            number = parse_number(raw, region)
        except NumberError:
            continue
        if number.validity is Validity.VALID:
            best = number
            break
        if international and best is None and number.validity is Validity.POSSIBLE:
            best = number
        if international:
            break
    if best is None or not best.is_e164:
        return None
    return PhoneIndicator(raw, best.e164, best.type, best.country, best.validity)


def extract_indicators(
    text: str, *, home_country: str = "BE", fallback_regions: Iterable[str] = ()
) -> Indicators:
    """All validated indicators of `text`. National numbers are read for `home_country` first,
    then for `fallback_regions` (the classifier passes the country of the detected language, so
    `07700 900123` in an English message reads as a UK mobile)."""
    if not isinstance(text, str) or not text.strip():
        return Indicators()
    regions = tuple(
        dict.fromkeys(r.upper() for r in (home_country, *fallback_regions) if r and len(r) == 2)
    )
    links = find_links(text)
    plain = _blank(links.text, links.spans)
    wallets, wallet_spans = _wallets(plain)
    ibans, iban_spans = _ibans(_blank(plain, wallet_spans))
    rest = _blank(plain, wallet_spans + iban_spans)
    phones: list[PhoneIndicator] = []
    for match in _PHONE.finditer(rest):
        phone = _phone(match.group(0), regions or ("BE",))
        if phone is not None and all(p.e164 != phone.e164 for p in phones):
            phones.append(phone)
    return Indicators(
        phones=phones,
        urls=links.urls,
        domains=links.domains,
        emails=links.emails,
        ibans=ibans,
        wallets=wallets,
        amounts=find_amounts(rest),
        obfuscated_links=links.obfuscated,
    )
