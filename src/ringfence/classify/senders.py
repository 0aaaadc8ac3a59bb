"""Claimed senders and their links: who a message says it is from, and where its links go.

Why: the strongest lexical sign of phishing is a message that names a bank, a carrier or the
police and links to a domain that is not theirs (`bnp-securite-client.com`, a link shortener,
a bare IP address). The brands and their official domains are data
(`data/classify/brands.json`, with source and date); a domain is official for a brand when it
equals one of its domains or is a subdomain of one.

- `sender_link_mismatch`: a brand is named and at least one link or e-mail domain is not
  official for any named brand;
- `lookalike`: a domain embeds a brand's name (`ing-verificatie.com`) without being official;
- `official`: every domain is official for a named brand (a sign of a genuine notice).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ringfence.classify.links import SHORTENERS, is_ip_host, registrable_domain

FREEMAIL = frozenset(
    {
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "proton.me",
        "protonmail.com",
        "gmx.de",
        "gmx.net",
        "icloud.com",
        "aol.com",
        "mail.ru",
        "yandex.com",
    }
)
"""Free e-mail providers: an official notice never comes from one of these."""


def _prefix_key(name: str) -> str | None:
    """The first 2 or 3 letters every match of a brand name starts a word with, if known.

    A leading optional group (`(?:banco )?sabadell`) or a one-letter hyphenated prefix
    (`t-mobile`, `s-?pushtan`) is skipped: the word after it is always present in a match.
    """
    body = name.lstrip("=").lower()
    body = re.sub(r"^\(\?:[^()]*\)\?", "", body)
    body = re.sub(r"^[a-z]-\??", "", body)
    lead = re.match(r"[a-z0-9&]{2,3}", body)
    if lead is None:
        return None
    key = lead.group(0)
    if len(key) == 3 and body[3:4] in ("?", "*", "{"):
        key = key[:2]
    if len(key) == 2 and body[2:3] in ("?", "*", "{"):
        return None
    return key


_WORD_START = re.compile(r"(?<![\w@.])([a-z0-9&]{2,3})")


@dataclass(frozen=True, slots=True)
class Brand:
    """An organisation that scams impersonate, with its official domains."""

    id: str
    kind: str
    pattern: re.Pattern[str]
    slugs: tuple[str, ...]
    domains: tuple[str, ...]

    def owns(self, host: str) -> bool:
        """True when `host` is one of the brand's domains or a subdomain of one."""
        return any(host == d or host.endswith("." + d) for d in self.domains)


@dataclass(frozen=True, slots=True)
class SenderCheck:
    """What the message claims and how its domains relate to the claim."""

    claimed: list[Brand] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    lookalikes: list[str] = field(default_factory=list)
    official: list[str] = field(default_factory=list)
    shorteners: list[str] = field(default_factory=list)
    ip_hosts: list[str] = field(default_factory=list)
    freemail: list[str] = field(default_factory=list)

    @property
    def claimed_ids(self) -> list[str]:
        return [b.id for b in self.claimed]

    @property
    def claimed_kinds(self) -> list[str]:
        return list(dict.fromkeys(b.kind for b in self.claimed))


def _brand_alternatives(names: list[str]) -> str:
    """Names are case-insensitive unless written `=Name` (then exact case, e.g. `=ING`)."""
    parts = []
    for name in names:
        if name.startswith("="):
            parts.append(name[1:])
        else:
            parts.append("(?i:" + name + ")")
    return "|".join(parts)


def _brand_pattern(names: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w@.])(?:" + _brand_alternatives(names) + r")(?![\w-])")


class BrandBook:
    """All brands, compiled once."""

    def __init__(self, document: dict[str, object]) -> None:
        raw = document.get("brands")
        if not isinstance(raw, list):
            raise ValueError("brand file has no 'brands' list")
        self.brands = [
            Brand(
                b["id"],
                b["kind"],
                _brand_pattern(b["names"]),
                tuple(s.rstrip("-") for s in b.get("slugs", [])),
                tuple(b["domains"]),
            )
            for b in raw
        ]
        self._owner_of: dict[str, Brand] = {}
        for brand in self.brands:
            for domain in brand.domains:
                self._owner_of.setdefault(domain, brand)
        self._by_slug: dict[str, list[Brand]] = {}
        for brand in self.brands:
            for slug in brand.slugs:
                self._by_slug.setdefault(slug, []).append(brand)
        self.known_words = frozenset(
            word for b in self.brands for word in (*b.slugs, b.id.replace("_", ""))
        )
        # Index brands by the first two letters of their names, so that only the brands whose
        # names can start at one of the message's words are tried (a pass per brand is slow).
        self._by_prefix: dict[str, list[int]] = {}
        self._always: list[int] = []
        for index, entry in enumerate(raw):
            for name in entry["names"]:
                key = _prefix_key(name)
                if key is None:
                    self._always.append(index)
                else:
                    self._by_prefix.setdefault(key, []).append(index)

    def claimed(self, text: str) -> list[Brand]:
        """Brands named in `text`, in their order in the brand file."""
        candidates = set(self._always)
        for word in _WORD_START.findall(text.lower()):
            candidates.update(self._by_prefix.get(word, ()))
            candidates.update(self._by_prefix.get(word[:2], ()))
        return [self.brands[i] for i in sorted(candidates) if self.brands[i].pattern.search(text)]

    def owner(self, host: str) -> Brand | None:
        """The brand that owns `host` (the host or one of its parent domains is theirs)."""
        labels = host.split(".")
        for start in range(len(labels) - 1):
            brand = self._owner_of.get(".".join(labels[start:]))
            if brand is not None:
                return brand
        return None

    def lookalike_of(self, host: str) -> Brand | None:
        """The brand whose name a non-official `host` embeds, if any."""
        if self.owner(host) is not None:
            return None
        base = registrable_domain(host)
        labels = base.rsplit(".", 1)[0] if "." in base else base
        tokens = set(re.split(r"[.\-]", host)) | set(re.split(r"[.\-]", labels))
        for token in tokens:
            brands = self._by_slug.get(token)
            if brands:
                return brands[0]
        joined = labels.replace("-", "")
        for slug, brands in self._by_slug.items():
            if len(slug) >= 5 and slug in joined:
                return brands[0]
        return None

    def check(self, text: str, domains: list[str], email_domains: list[str]) -> SenderCheck:
        """Compare the brands named in `text` with the link and e-mail domains."""
        claimed = self.claimed(text)
        mismatched: list[str] = []
        lookalikes: list[str] = []
        official: list[str] = []
        shorteners = [d for d in domains if d in SHORTENERS]
        ip_hosts = [d for d in domains if is_ip_host(d)]
        freemail = [d for d in email_domains if d in FREEMAIL]
        for host in domains:
            owner = self.owner(host)
            if owner is not None:
                if not claimed or owner in claimed or owner.kind == "authority":
                    official.append(host)
                continue
            if self.lookalike_of(host) is not None:
                lookalikes.append(host)
            if claimed and host not in FREEMAIL:
                mismatched.append(host)
        if claimed:
            mismatched.extend(d for d in freemail if d not in mismatched)
        return SenderCheck(
            claimed, mismatched, lookalikes, official, shorteners, ip_hosts, freemail
        )


@lru_cache(maxsize=1)
def default_brand_book() -> BrandBook:
    """The brands shipped in `ringfence/data/classify/brands.json`."""
    text = resources.files("ringfence.data").joinpath("classify/brands.json").read_text("utf-8")
    return BrandBook(json.loads(text))
