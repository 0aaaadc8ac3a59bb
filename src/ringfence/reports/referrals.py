"""Where else to report: the national channels of the reporter's country, pre-filled.

Why: ringfence's own store helps other citizens and operators, but operators block numbers on the
evidence of their own channels (7726 in the UK, 33700 in France...) and the police need a
complaint when money was lost. After a report, the answer lists those channels with what to send
(the message, or `spam vocal 0612345678`) and how, in the reporter's language. The channels and
their sources are data: `ringfence/data/referrals.json`.

>>> r = referrals_for("FR", channel="call", number="+33612345678", text=None,
...                   money_lost=False, language="fr")
>>> r[0].address, r[0].send
('33700', 'spam vocal 0612345678')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import phonenumbers

from ringfence.reputation.explain import DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class Referral:
    """One channel to report to, with what to send and how."""

    id: str
    name: str
    kind: str
    """sms, email, web or phone."""
    address: str
    send: str
    """The text to send (empty when the channel is a phone call or a form to fill)."""
    how: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "address": self.address,
            "send": self.send,
            "how": self.how,
            "source": self.source,
        }


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, list[dict[str, Any]]]:
    path = resources.files("ringfence").joinpath("data").joinpath("referrals.json")
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    countries: dict[str, list[dict[str, Any]]] = data["countries"]
    return countries


def countries() -> list[str]:
    """Countries with referral channels."""
    return sorted(_catalogue())


def dialled_form(e164: str, country: str) -> str:
    """The number as a person in `country` dials it: national digits for a number of that
    country (+33 6 12 34 56 78 -> 0612345678), the E.164 form for a foreign one."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    code = parsed.country_code or 0
    if country.upper() not in phonenumbers.region_codes_for_country_code(code):
        return e164
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(ch for ch in national if ch.isdigit()) or e164


def referrals_for(
    country: str,
    *,
    channel: str,
    number: str,
    text: str | None,
    money_lost: bool,
    language: str,
) -> list[Referral]:
    """The channels of `country` that take a report of `channel`, pre-filled for `number`."""
    found = []
    digits = dialled_form(number, country) if number.startswith("+") else number
    for entry in _catalogue().get(country.upper(), []):
        if channel not in entry["channels"]:
            continue
        if entry["when"] == "money_lost" and not money_lost:
            continue
        values = {"number": digits, "number_e164": number, "text": text or ""}
        how_text = entry["how"].get(language) or entry["how"][DEFAULT_LANGUAGE]
        found.append(
            Referral(
                id=entry["id"],
                name=entry["name"],
                kind=entry["kind"],
                address=entry["address"],
                send=entry["send"].format(**values).strip(),
                how=how_text.format(**values),
                source=entry["source"],
            )
        )
    return found
