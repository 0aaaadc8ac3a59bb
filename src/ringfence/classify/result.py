"""The result of classifying a message: type, calibrated confidence, indicators and reasons.

Why one frozen value with `to_dict()`: the CLI, the HTTP API and the report pages all show the same
verdict; building the JSON in one place keeps them identical.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ringfence.classify.indicators import Indicators

SCAM_TYPES: tuple[str, ...] = (
    "fake_convocation",
    "bank_impersonation",
    "police_impersonation",
    "crypto_recovery",
    "delivery_fee",
    "premium_callback",
    "tech_support",
    "investment_or_romance",
    "other_scam",
)
"""The scam types, in the order of the model's type head."""

LEGITIMATE = "legitimate"
TYPES: tuple[str, ...] = (*SCAM_TYPES, LEGITIMATE)

REASON_WORDS: dict[str, str] = {
    "urgency": "pressure to act at once (deadlines, 'immediately', 'last notice')",
    "threat": "threat of a penalty: blocked account, arrest, seizure, prosecution, deletion",
    "authority_impersonation": "claims to come from the police, a court or a tax office",
    "payment_demand": "asks for money: a fee, a fine, a transfer, a deposit or gift cards",
    "secrecy": "asks you to keep it secret or not to hang up",
    "credential_request": "asks for codes, passwords, card details or a recovery phrase",
    "spelling_errors": "many misspelt or disguised words",
    "sender_link_mismatch": "names an organisation but links to a domain that is not theirs",
    "lookalike_domain": "a link imitates an organisation's name in a domain it does not own",
    "hidden_link": "a link hides its destination (shortener, bare IP address, defanged form)",
    "premium_number": "asks you to call a premium-rate number",
    "foreign_number": "gives a phone number from another country",
    "org_mobile_number": "an organisation asks you to call a mobile number",
    "crypto_wallet": "gives a crypto wallet address",
    "foreign_iban": "gives a bank account in another country",
    "remote_access": "asks you to install remote-control software",
    "callback_request": "asks you to call a number back",
    "romance_lure": "affection or a 'wrong number' opener leading to money",
    "impersonation_of_relative": "a relative writing from a 'new number'",
    "link_lure": "urges you to click a link",
    "wording": "the wording resembles scam messages of the training corpus",
    "semantic": "semantic model (multilingual-e5-small, optional embedding stage)",
    "reassurance": "genuine safety wording ('we will never ask for your code')",
    "official_link": "links only to the official domain of the organisation it names",
}
"""Plain-language sentence for each reason code."""


@dataclass(frozen=True, slots=True)
class Reason:
    """Why: a reason code, its sentence, the words or indicators that show it, and its weight.

    `weight` is the reason's contribution to the log-odds of "scam" in the combiner: positive
    pushes towards scam, negative towards legitimate.
    """

    code: str
    words: str
    evidence: list[str] = field(default_factory=list)
    weight: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "words": self.words,
            "evidence": list(self.evidence),
            "weight": round(self.weight, 3),
        }


@dataclass(frozen=True, slots=True)
class Classification:
    """The verdict on one message.

    `confidence` is the calibrated probability of `type`: P(scam) x P(type | scam) for a scam type,
    1 - P(scam) for `legitimate`. `scam_probability` is the calibrated P(scam) itself.
    """

    type: str
    confidence: float
    is_scam: bool
    indicators: Indicators
    reasons: list[Reason]
    language: str
    cues: dict[str, int]
    scam_probability: float = 0.0
    type_probabilities: dict[str, float] = field(default_factory=dict)
    claimed_senders: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (what `ringfence classify --json` prints)."""
        return {
            "type": self.type,
            "confidence": round(self.confidence, 4),
            "is_scam": self.is_scam,
            "scam_probability": round(self.scam_probability, 4),
            "language": self.language,
            "indicators": self.indicators.to_dict(),
            "reasons": [r.to_dict() for r in self.reasons],
            "cues": dict(self.cues),
            "claimed_senders": list(self.claimed_senders),
            "type_probabilities": {k: round(v, 4) for k, v in self.type_probabilities.items()},
        }
