"""Everything the classifier reads from a message before the model: the analysis.

Why a separate step: the analysis (language, indicators, cues, claimed senders, spelling, the
combiner's input vector) is the same at training and at inference, and it is useful on its own
(the API shows indicators even when the model is unsure). The model only turns it into numbers.

The combiner input (`meta`) has one value per cue (log(1 + count)) and per signal below, in the
order of `meta_names(cue_book)`; the trained model records that order and refuses a different one.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from ringfence.classify.cues import CueBook, CueHit
from ringfence.classify.features import TokenCounts, token_counts
from ringfence.classify.indicators import Indicators, extract_indicators
from ringfence.classify.language import REGION_OF_LANGUAGE, LanguageGuesser
from ringfence.classify.senders import BrandBook, SenderCheck
from ringfence.classify.spelling import SpellingReport, check_spelling
from ringfence.classify.text import fold_with_map
from ringfence.domain.numbers import NumberType

SIGNALS: tuple[tuple[str, str | None], ...] = (
    ("premium_number", "premium_number"),
    ("foreign_number", "foreign_number"),
    ("org_mobile_number", "org_mobile_number"),
    ("phone", None),
    ("url", None),
    ("hidden_link", "hidden_link"),
    ("lookalike_domain", "lookalike_domain"),
    ("sender_link_mismatch", "sender_link_mismatch"),
    ("official_link", "official_link"),
    ("freemail", None),
    ("iban", None),
    ("foreign_iban", "foreign_iban"),
    ("wallet", "crypto_wallet"),
    ("amount", None),
    ("spelling", "spelling_errors"),
    ("claims_bank", None),
    ("claims_authority", None),
    ("claims_delivery", None),
    ("claims_operator", None),
    ("claims_other", None),
)
"""Signals derived from indicators and claimed senders, with the reason code each supports
(None: context only, never shown as a reason)."""

_MOBILE = frozenset({NumberType.MOBILE, NumberType.FIXED_LINE_OR_MOBILE})
_KIND_SIGNAL = {
    "bank": "claims_bank",
    "payment": "claims_bank",
    "authority": "claims_authority",
    "delivery": "claims_delivery",
    "operator": "claims_operator",
}


def meta_names(cue_book: CueBook) -> list[str]:
    """Names of the combiner inputs, in order: cues then signals."""
    return ["cue:" + n for n in cue_book.names] + ["sig:" + n for n, _ in SIGNALS]


@dataclass(frozen=True, slots=True)
class Analysis:
    """What was read from one message (see module docstring)."""

    text: str
    language: str
    indicators: Indicators
    cues: list[CueHit]
    senders: SenderCheck
    spelling: SpellingReport
    signals: dict[str, float]
    signal_evidence: dict[str, list[str]]
    counts: TokenCounts | None = None

    @property
    def tokens(self) -> Counter[str]:
        """Prefixed feature counts (the form the trainer stores)."""
        return self.counts.prefixed() if self.counts is not None else Counter()

    def meta(self, cue_book: CueBook) -> list[float]:
        """The combiner input vector, in the order of `meta_names(cue_book)`."""
        counts = {hit.name: hit.count for hit in self.cues}
        values = [math.log1p(counts.get(name, 0)) for name in cue_book.names]
        values.extend(self.signals.get(name, 0.0) for name, _ in SIGNALS)
        return values


class Analyser:
    """Holds the language guesser, cue book and brand book; `analyse` is pure per message."""

    def __init__(self, guesser: LanguageGuesser, cue_book: CueBook, brands: BrandBook) -> None:
        self.guesser = guesser
        self.cue_book = cue_book
        self.brands = brands

    def analyse(self, text: str, home_country: str = "BE") -> Analysis:
        language, _ = self.guesser.guess(text)
        region = REGION_OF_LANGUAGE.get(language)
        indicators = extract_indicators(
            text, home_country=home_country, fallback_regions=(region,) if region else ()
        )
        folded, positions = fold_with_map(text)
        cues = self.cue_book.find(folded, positions, text, language)
        email_domains = [e.rsplit("@", 1)[1] for e in indicators.emails]
        link_domains = [d for d in indicators.domains if d not in email_domains]
        senders = self.brands.check(text, link_domains, email_domains)
        spelling = check_spelling(text, language, self.brands.known_words)
        signals, evidence = self._signals(indicators, senders, spelling, home_country, region)
        counts = token_counts(folded, [k for k, v in signals.items() if v])
        return Analysis(
            text, language, indicators, cues, senders, spelling, signals, evidence, counts
        )

    @staticmethod
    def _signals(
        indicators: Indicators,
        senders: SenderCheck,
        spelling: SpellingReport,
        home_country: str,
        region: str | None,
    ) -> tuple[dict[str, float], dict[str, list[str]]]:
        values: dict[str, float] = {}
        evidence: dict[str, list[str]] = {}

        def put(name: str, items: list[str], value: float | None = None) -> None:
            if items:
                values[name] = 1.0 if value is None else value
                evidence[name] = items[:3]

        local = {home_country.upper(), region or home_country.upper()}
        put(
            "premium_number",
            [p.raw for p in indicators.phones if p.type is NumberType.PREMIUM_RATE],
        )
        put("foreign_number", [p.raw for p in indicators.phones if p.country not in local])
        put("phone", [p.raw for p in indicators.phones])
        if senders.claimed:
            # Organisations give service numbers (fixed, toll-free, shared cost) or "the number
            # on your card"; a mobile number in their name is a classic callback lure.
            put("org_mobile_number", [p.raw for p in indicators.phones if p.type in _MOBILE])
        put("url", indicators.urls)
        hidden = senders.shorteners + senders.ip_hosts
        if indicators.obfuscated_links:
            hidden = [*hidden, *indicators.urls[:1]]
        put("hidden_link", hidden)
        put("lookalike_domain", senders.lookalikes)
        put("sender_link_mismatch", senders.mismatched)
        if not senders.mismatched and not senders.lookalikes:
            put("official_link", senders.official)
        put("freemail", senders.freemail)
        put("iban", [i.iban for i in indicators.ibans])
        put("foreign_iban", [i.iban for i in indicators.ibans if i.country not in local])
        put("wallet", [f"{w.chain}: {w.address}" for w in indicators.wallets])
        put("amount", [a.raw for a in indicators.amounts])
        if spelling.errors and spelling.checked >= 3:
            put("spelling", spelling.errors, min(spelling.density, 0.3) / 0.3)
        for kind in senders.claimed_kinds:
            signal = _KIND_SIGNAL.get(kind, "claims_other")
            values[signal] = 1.0
            evidence.setdefault(signal, []).extend(
                b.id for b in senders.claimed if _KIND_SIGNAL.get(b.kind, "claims_other") == signal
            )
        return values, evidence
