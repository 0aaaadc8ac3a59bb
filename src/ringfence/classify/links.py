"""URLs, domains and e-mail addresses in messages, including defanged forms.

Why defanged forms matter: people forward scams to a reporting service after "defanging" them
(`hxxp://bad[.]com`), and scammers write `bnp-secure . com` to slip past filters. Both are turned
back into the real link before extraction, and the message is marked as having obfuscated links.

Bare domains (`colis-suivi.info/pay`, no scheme) are recognised only when their top-level domain
is in `data/classify/tlds.txt`, so `e.g.` or `3.5` never become domains.

>>> find_links("Payez sur hxxps://colis-suivi[.]info/fr ou www.bpost.be").urls
['https://colis-suivi.info/fr', 'http://www.bpost.be']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

_DEFANG = (
    (re.compile(r"\s?[\[\(\{]\s?(?:\.|dot)\s?[\]\)\}]\s?", re.IGNORECASE), "."),
    (re.compile(r"\b(h)(?:xx|XX|\*\*|tt)(p)(s?)\s?\[?:\]?\s?//", re.IGNORECASE), r"\1tt\2\3://"),
    (re.compile(r"\[:\]//|\[://\]|:\[//\]"), "://"),
    (re.compile(r"\s?[\[\(\{]\s?(?:@|at)\s?[\]\)\}]\s?", re.IGNORECASE), "@"),
)
_OBFUSCATION_HINT = re.compile(r"[\[\(\{]\s?(?:\.|dot|@|at|:)|hxxp|h\*\*p", re.IGNORECASE)

_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"'`]+", re.IGNORECASE)
_EMAIL = re.compile(
    r"(?<![\w.+-])[a-z0-9][\w.+-]{0,63}@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})\b",
    re.IGNORECASE,
)
_BARE = re.compile(
    r"(?<![\w@./-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,24}))"
    r"(?![\w-])(/[^\s<>\"'`]*)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\"»…"
_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/\s]*@)?([^/:?#\s]+)", re.IGNORECASE)

SHORTENERS = frozenset(
    {
        "bit.ly",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "cutt.ly",
        "rb.gy",
        "shorturl.at",
        "t.ly",
        "tiny.cc",
        "s.id",
        "rebrand.ly",
        "bl.ink",
        "lnkd.in",
        "shorturl.ly",
        "qrco.de",
        "u.to",
        "v.gd",
        "clck.ru",
    }
)
"""Link shorteners: they hide where a link goes, so a claimed sender cannot be checked."""

_SECOND_LEVEL = frozenset(
    {"co", "com", "org", "net", "gov", "gob", "ac", "edu", "gouv", "nhs", "police", "ltd", "plc"}
)


@lru_cache(maxsize=1)
def known_tlds() -> frozenset[str]:
    """The top-level domains of `data/classify/tlds.txt` (comments and blanks skipped)."""
    text = resources.files("ringfence.data").joinpath("classify/tlds.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def undo_defanging(text: str) -> tuple[str, bool]:
    """The text with `hxxp`, `[.]`, `(dot)`, `[at]`... turned back; and whether any was found."""
    if not _OBFUSCATION_HINT.search(text):
        return text, False
    out = text
    for pattern, replacement in _DEFANG:
        out = pattern.sub(replacement, out)
    return out, out != text


def host_of(url: str) -> str:
    """The lower-case host of a URL or bare domain (no port, user, trailing dot or `www.`)."""
    match = _HOST.match(url)
    host = match.group(1).lower().rstrip(".") if match else ""
    return host[4:] if host.startswith("www.") else host


def registrable_domain(host: str) -> str:
    """`secure.bnp-client.co.uk` -> `bnp-client.co.uk`: the part a registrant controls.

    An approximation of the Public Suffix List (not shipped): two labels, or three when the
    second-level label is a generic one such as `co`, `com` or `gov` (`co.uk`, `com.br`).
    """
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_ip_host(host: str) -> bool:
    """True for a dotted IPv4 host: links to bare addresses are a classic phishing sign."""
    parts = host.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts)


@dataclass(slots=True)
class Links:
    """What `find_links` found; `spans` are the character ranges in the de-fanged text."""

    text: str
    urls: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    obfuscated: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)


def _clean(url: str) -> str:
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _add(items: list[str], value: str) -> None:
    if value and value not in items:
        items.append(value)


def find_links(text: str) -> Links:
    """URLs (with `http://` added to `www.` and bare forms), their hosts and e-mail addresses."""
    plain, obfuscated = undo_defanging(text)
    found = Links(plain, obfuscated=obfuscated)
    tlds = known_tlds()
    taken: list[tuple[int, int]] = []

    for match in _EMAIL.finditer(plain):
        _add(found.emails, match.group(0).lower())
        _add(found.domains, match.group(1).lower())
        taken.append(match.span())
    for match in _URL.finditer(plain):
        if any(a <= match.start() < b for a, b in taken):
            continue
        url = _clean(match.group(0))
        if url.lower().startswith("www."):
            url = "http://" + url
        host = host_of(url)
        if not host or "." not in host:
            continue
        _add(found.urls, url)
        _add(found.domains, host)
        taken.append((match.start(), match.start() + len(url)))
    for match in _BARE.finditer(plain):
        if any(a <= match.start() < b for a, b in taken):
            continue
        host = host_of(match.group(1))
        if match.group(2).lower() not in tlds or not any(c.isalpha() for c in host[:-3]):
            continue
        url = "http://" + _clean(match.group(0))
        _add(found.urls, url)
        _add(found.domains, host)
        taken.append(match.span())
    found.spans = sorted(taken)
    return found
