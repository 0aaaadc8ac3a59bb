"""From a classification to the report categories of citizens' reports (issue 4).

Why a mapping with refinements: the report form asks the citizen for a category; suggesting one
from the text saves typing and makes reports comparable. Message types map one to one where they
can; the claimed sender refines the rest (a payment scam that names a telecom operator is operator
impersonation, one that names a bank is bank impersonation).
"""

from __future__ import annotations

from ringfence.classify.result import Classification

REPORT_CATEGORIES: tuple[str, ...] = (
    "silent_call",
    "one_ring",
    "bank_impersonation",
    "police_impersonation",
    "operator_impersonation",
    "crypto_scam",
    "fake_convocation",
    "premium_callback",
    "harassment",
    "other",
)

_BY_TYPE: dict[str, str] = {
    "fake_convocation": "fake_convocation",
    "bank_impersonation": "bank_impersonation",
    "police_impersonation": "police_impersonation",
    "crypto_recovery": "crypto_scam",
    "premium_callback": "premium_callback",
    "delivery_fee": "other",
    "tech_support": "other",
    "investment_or_romance": "other",
    "other_scam": "other",
    "legitimate": "other",
}

_OPERATOR_IDS = frozenset(
    {
        "proximus",
        "orange",
        "telenet",
        "sfr",
        "bouygues",
        "free",
        "kpn",
        "vodafone",
        "odido",
        "meo",
        "nos",
        "movistar",
        "telekom",
        "uk_operators",
    }
)


def suggest_report_category(classification: Classification) -> str:
    """The report category that fits `classification` best (one of `REPORT_CATEGORIES`).

    >>> from ringfence.classify.indicators import Indicators
    >>> c = Classification("crypto_recovery", 0.9, True, Indicators(), [], "en", {})
    >>> suggest_report_category(c)
    'crypto_scam'
    """
    category = _BY_TYPE.get(classification.type, "other")
    if category != "other" or not classification.is_scam:
        return category
    claimed = classification.claimed_senders
    if any(c in _OPERATOR_IDS for c in claimed):
        return "operator_impersonation"
    if classification.type == "investment_or_romance" and classification.indicators.wallets:
        return "crypto_scam"
    if classification.type == "tech_support" and any(c in _OPERATOR_IDS for c in claimed):
        return "operator_impersonation"
    return category
