"""Amounts of money and their currencies, written the ways Europeans and Americans write them.

Why: "pay 1,99 EUR", "a fee of £2.99", "transfer 4.500 € to the safe account", "0.05 BTC" are the
payment demand of a scam; the value and currency go into the result so a reviewer sees at once
how much was asked. Separators are read by position: `1.234,56` and `1,234.56` are both 1234.56;
a single separator followed by exactly three digits is a thousands separator (`4.500 €` is 4500),
except after a lone zero (`0.050 BTC`).

>>> [(a.value, a.currency) for a in find_amounts("Frais: 1,99€ puis EUR 1.250,00 et $3,000")]
[(1.99, 'EUR'), (1250.0, 'EUR'), (3000.0, 'USD')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CURRENCY_WORDS: dict[str, str] = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "dólares": "USD",
    "dolares": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "r$": "BRL",
    "brl": "BRL",
    "reais": "BRL",
    "chf": "CHF",
    "btc": "BTC",
    "bitcoin": "BTC",
    "bitcoins": "BTC",
    "eth": "ETH",
    "ether": "ETH",
    "usdt": "USDT",
    "tether": "USDT",
    "usdc": "USDC",
    "trx": "TRX",
}
_NUMBER = r"\d{1,3}(?:[.,\u00a0 ]\d{3})+(?:[.,]\d{1,8})?|\d+(?:[.,]\d{1,8})?"
_BEFORE = r"R\$|US\$|€|\$|£|\b(?:EUR|USD|GBP|BRL|CHF)(?![a-z])"
_AFTER = (
    r"€|\$|£|(?:EUR|USD|GBP|BRL|CHF|BTC|ETH|USDT|USDC|TRX|euros?|dollars?|d[óo]lares|pounds?"
    r"|reais|bitcoins?|ether|tether)\b"
)
_AMOUNT = re.compile(
    rf"(?:(?P<cur1>{_BEFORE})\s?(?P<num1>{_NUMBER})(?![\d,.]\d)"
    rf"|(?<![\w.,])(?P<num2>{_NUMBER})\s?(?P<cur2>{_AFTER}))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount as written (`raw`), its value and ISO 4217 code (or BTC, ETH, USDT...)."""

    value: float
    currency: str
    raw: str

    def to_dict(self) -> dict[str, object]:
        return {"value": self.value, "currency": self.currency, "raw": self.raw}


def parse_value(text: str) -> float | None:
    """The value of a written number (`1.234,56`, `1 234.56`, `4.500`, `0,99`), or None."""
    compact = text.replace("\u00a0", " ").replace(" ", "")
    if not compact:
        return None
    last_dot, last_comma = compact.rfind("."), compact.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal = "." if last_dot > last_comma else ","
        thousands = "," if decimal == "." else "."
        compact = compact.replace(thousands, "").replace(decimal, ".")
    elif last_dot >= 0 or last_comma >= 0:
        sep = "." if last_dot >= 0 else ","
        head, _, tail = compact.rpartition(sep)
        if compact.count(sep) > 1 or (len(tail) == 3 and head.lstrip("0") != ""):
            compact = compact.replace(sep, "")
        else:
            compact = head.replace(sep, "") + "." + tail
    try:
        return float(compact)
    except ValueError:
        return None


def find_amounts(text: str) -> list[Amount]:
    """Every amount with a currency in `text`, in order; bare numbers are not amounts."""
    found: list[Amount] = []
    for match in _AMOUNT.finditer(text):
        number = match.group("num1") or match.group("num2")
        word = (match.group("cur1") or match.group("cur2")).lower()
        currency = _CURRENCY_WORDS.get(word)
        value = parse_value(number)
        if currency is None or value is None:
            continue
        amount = Amount(value, currency, match.group(0).strip())
        if amount not in found:
            found.append(amount)
    return found
