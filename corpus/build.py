"""Expand the hand-written templates of corpus/templates/ into corpus/messages.jsonl.

Why a builder: each paraphrase was written by hand once; the builder fills its {slots} (brand,
official or look-alike link, phone number of the right type, IBAN, wallet, amount, code, date,
name) with a few different values, so the model learns the wording, not one bank name or one URL.
Every value is valid where validity exists (phone numbers checked with libphonenumber, IBANs with
schwifty, wallets with their checksums), so extraction can be tested on the corpus too.

Then it de-duplicates and splits (see README.md):
1. exact duplicates after normalisation (lower case, accents folded, digits -> 0, links -> URL)
   are dropped, keeping the first;
2. near-duplicates (Jaccard >= 0.6 on word 3-shingles of the normalised text) are linked, and
   linked templates form one *cluster*;
3. per (language, type) stratum, clusters are ordered by the SHA-1 of their name and about one in
   four goes to `test`, the rest to `train`: paraphrases of one template never straddle splits.

Run: `.venv/bin/python corpus/build.py` (deterministic: fixed seed, sorted inputs).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from schwifty import IBAN

from ringfence.classify.wallets import base58check_encode, eip55, segwit_encode
from ringfence.domain.numbers import NumberType, parse_number

HERE = Path(__file__).resolve().parent
TYPES = (
    "fake_convocation",
    "bank_impersonation",
    "police_impersonation",
    "crypto_recovery",
    "delivery_fee",
    "premium_callback",
    "tech_support",
    "investment_or_romance",
    "other_scam",
    "legitimate",
)
FORMS = ("sms", "email", "call", "chat", "voicemail")
SEED = 20251123
TEST_SHARE = 0.25
NEAR_DUPLICATE = 0.6
_HEADER = re.compile(r"^@\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?(?:\s+x([1-4]))?\s*$")
_SLOT = re.compile(r"\{([a-z0-9_]+)\}")


@dataclass
class Template:
    lang: str
    group: str
    type: str
    form: str
    kind: str
    copies: int
    text: str
    line: int


def parse_templates(path: Path) -> list[Template]:
    """Read one language file; raise with file:line on a malformed header or unknown type."""
    lang = path.stem
    out: list[Template] = []
    header: tuple[str, str, str, str, int] | None = None
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            match = _HEADER.match(line)
            if match is None:
                sys.exit(f"{path}:{number}: header must be '@ group type form [kind] [xN]'")
            group, kind_type, form, kind, copies = match.groups()
            if kind_type not in TYPES or form not in FORMS:
                sys.exit(f"{path}:{number}: unknown type {kind_type!r} or form {form!r}")
            header = (group, kind_type, form, kind or kind_type, int(copies or 2))
            continue
        if header is None:
            sys.exit(f"{path}:{number}: text before the first '@' header")
        group, kind_type, form, kind, copies = header
        out.append(Template(lang, group, kind_type, form, kind, copies, line, number))
    return out


class Filler:
    """Draws slot values for one language from corpus/slots.json with a seeded generator."""

    def __init__(self, lang: str, pools: dict[str, object], rng: random.Random) -> None:
        self.lang = lang
        self.pool = pools
        self.rng = rng

    def pick(self, key: str) -> str:
        values = self.pool[key]
        assert isinstance(values, list)
        return str(self.rng.choice(values))

    # -- numbers ---------------------------------------------------------------------------
    _PHONE_SHAPES: ClassVar[dict[str, dict[str, list[str]]]] = {
        "BE": {
            "mobile": ["046#######", "047#######", "048#######", "049#######"],
            "fixed": ["02#######", "03#######", "04#######", "09#######", "010######"],
            "premium": ["0903#####", "0905#####", "0906#####", "0909#####"],
            "tollfree": ["0800#####"],
        },
        "FR": {
            "mobile": ["06########", "07########"],
            "fixed": ["01########", "04########", "05########", "09########"],
            "premium": ["0899######", "0897######", "0892######"],
            "tollfree": ["0800######", "0805######"],
        },
        "NL": {
            "mobile": ["06########"],
            "fixed": ["020#######", "010#######", "030#######", "070#######"],
            "premium": ["0906#######", "0909#######", "0900#######"],
            "tollfree": ["0800#######"],
        },
        "PT": {
            "mobile": ["91#######", "92#######", "93#######", "96#######"],
            "fixed": ["21#######", "22#######", "239######"],
            "premium": ["760######", "761######", "762######"],
            "tollfree": ["800######"],
        },
        "GB": {
            "mobile": ["07#########"],
            "fixed": ["020########", "0161#######", "0113#######", "0117#######"],
            "premium": ["09#########"],
            "tollfree": ["0800#######", "0808#######"],
        },
        "US": {
            "mobile": ["+1212#######", "+1415#######", "+1305#######"],
            "fixed": ["+1202#######", "+1312#######"],
            "premium": ["+1900#######"],
            "tollfree": ["+1800#######", "+1888#######"],
        },
        "IE": {
            "mobile": ["083#######", "085#######", "087#######"],
            "fixed": ["01#######"],
            "premium": ["1580######"],
            "tollfree": ["1800######"],
        },
        "ES": {
            "mobile": ["6########", "7########"],
            "fixed": ["91#######", "93#######"],
            "premium": ["806######", "807######", "803######"],
            "tollfree": ["900######"],
        },
        "DE": {
            "mobile": ["0151########", "0160#######", "0170#######", "0176########"],
            "fixed": ["030########", "089########", "040########"],
            "premium": ["0900#######"],
            "tollfree": ["0800#######"],
        },
    }
    _EXPECTED: ClassVar[dict[str, set[NumberType]]] = {
        "mobile": {NumberType.MOBILE, NumberType.FIXED_LINE_OR_MOBILE},
        "fixed": {NumberType.FIXED_LINE, NumberType.FIXED_LINE_OR_MOBILE},
        "premium": {NumberType.PREMIUM_RATE},
        "tollfree": {NumberType.TOLL_FREE},
    }
    _FOREIGN: ClassVar[list[tuple[str, int]]] = [
        ("+44 7", 9),
        ("+33 6", 8),
        ("+351 91", 7),
        ("+225 07", 8),
        ("+234 80", 8),
        ("+216 2", 7),
        ("+372 5", 7),
        ("+370 6", 7),
        ("+34 6", 8),
        ("+31 6", 8),
    ]

    def _digits(self, shape: str) -> str:
        return "".join(str(self.rng.randrange(10)) if c == "#" else c for c in shape)

    def phone(self, kind: str, country: str) -> str:
        shapes = self._PHONE_SHAPES[country][kind]
        for _ in range(200):
            raw = self._digits(self.rng.choice(shapes))
            number = parse_number(raw, country)
            if number.type in self._EXPECTED[kind]:
                return self._write_phone(raw, number.e164)
        raise RuntimeError(f"cannot draw a valid {kind} number for {country}")

    def _write_phone(self, national: str, e164: str) -> str:
        style = self.rng.random()
        if national.startswith("+"):
            d = national[2:]
            return f"+1 {d[:3]}-{d[3:6]}-{d[6:]}" if style < 0.5 else f"1-{d[:3]}-{d[3:6]}-{d[6:]}"
        if style < 0.2:
            return national
        if style < 0.35:
            return e164
        if style < 0.5:
            return self._group(
                e164[3:] if e164[1:3] in ("32", "33", "31", "44", "34", "49") else e164[4:], e164
            )
        sep = self.rng.choice([" ", " ", ".", "-", " "])
        return self._group(national, None, sep)

    def _group(self, digits: str, e164: str | None, sep: str = " ") -> str:
        parts = [digits[i : i + 2] for i in range(0, len(digits), 2)]
        if len(digits) % 2:
            parts = [digits[:3]] + [digits[i : i + 2] for i in range(3, len(digits), 2)]
        text = sep.join(parts)
        if e164 is not None:
            return e164[: len(e164) - len(digits)] + " " + text
        return text

    def foreign_phone(self) -> str:
        prefix, length = self.rng.choice(self._FOREIGN)
        for _ in range(500):
            raw = prefix + self._digits("#" * length)
            if parse_number(raw, "BE").validity.value == "valid":
                return raw
        raise RuntimeError(f"cannot draw a valid number after {prefix}")

    # -- money -----------------------------------------------------------------------------
    def money(self, low: float, high: float, cents: bool) -> str:
        value = self.rng.uniform(low, high)
        value = round(value, 2) if cents else float(round(value / 10) * 10 or 10)
        decimal, thousands = str(self.pool["decimal"]), str(self.pool["thousands"])
        whole = f"{int(value):,}".replace(",", thousands)
        text = whole + (decimal + f"{value:.2f}".split(".")[1] if cents else "")
        currency = str(self.pool["currency"])
        if currency == "GBP":
            return self.rng.choice(["£" + text, "£" + text, text + " GBP", "$" + text])
        form = self.rng.choice(["{} €", "{}€", "{} EUR", "€{}", "{} euros"])
        return form.format(text)

    def crypto_amount(self) -> str:
        choice = self.rng.random()
        if choice < 0.4:
            return f"{self.rng.uniform(0.05, 2.5):.3f} BTC".replace(
                ".", str(self.pool["decimal"]), 1
            )
        if choice < 0.7:
            return f"{self.rng.randrange(5, 120) * 50} USDT"
        return f"{self.rng.uniform(0.5, 9):.2f} ETH"

    # -- identifiers -----------------------------------------------------------------------
    def iban(self, foreign: bool) -> str:
        countries = ["LT", "EE", "IE", "ES", "DE", "FR", "PT", "BE", "NL", "IT"]
        country = self.rng.choice(countries) if foreign else str(self.pool["country"])
        country = "BE" if country == "GB" and not foreign else country
        if country == "GB":
            country = "GB"
        iban = IBAN.random(country_code=country, random=self.rng)
        return iban.formatted if self.rng.random() < 0.7 else iban.compact

    def wallet(self, chain: str) -> str:
        body = bytes(self.rng.randrange(256) for _ in range(20))
        if chain == "btc":
            style = self.rng.random()
            if style < 0.5:
                return segwit_encode(0, body)
            return base58check_encode(bytes([0x00 if style < 0.8 else 0x05]) + body)
        if chain == "eth":
            return "0x" + eip55(body.hex())
        return base58check_encode(b"\x41" + body)

    def code(self, n: int) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(n))

    def track(self) -> str:
        letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
        style = self.rng.random()
        if style < 0.3:
            return "3S" + "".join(self.rng.choice(letters) for _ in range(4)) + self.code(9)
        if style < 0.6:
            return "".join(self.rng.choice(letters) for _ in range(2)) + self.code(9) + "BE"
        if style < 0.8:
            return "JJD" + self.code(14)
        return "1Z" + self.code(16)

    def date(self) -> str:
        day, month = self.rng.randrange(1, 29), self.rng.randrange(1, 13)
        if self.lang == "en" and self.rng.random() < 0.5:
            return f"{day} {self.pick('months')}"
        if self.rng.random() < 0.5:
            return f"{day:02d}/{month:02d}"
        return f"{day} {self.pick('months')}"


class Message:
    """Fills one template: brand records are drawn once so a message is consistent."""

    BRAND_KINDS = ("bank", "carrier", "operator", "shop", "exchange", "authority")

    def __init__(self, filler: Filler, template: Template) -> None:
        self.f = filler
        self.t = template
        self.brands: dict[str, list[str]] = {}
        self.country = filler.rng.choice(list(filler.pool["countries"]))  # type: ignore[arg-type]
        self.main: str | None = None
        for slot in _SLOT.findall(template.text):
            base = slot.removesuffix("_site")
            if base in self.BRAND_KINDS and self.main is None:
                self.main = base
        self.cache: dict[str, str] = {}

    def brand(self, kind: str) -> list[str]:
        if kind not in self.brands:
            self.brands[kind] = list(self.f.rng.choice(self.f.pool[kind + "s"]))  # type: ignore[arg-type]
        return self.brands[kind]

    def scam_domain(self) -> str:
        rng = self.f.rng
        words = self.f.pool["domain_words"]
        tld = rng.choice(
            [
                "com",
                "com",
                "net",
                "info",
                "online",
                "top",
                "xyz",
                "site",
                "live",
                "app",
                "help",
                "support",
                "cc",
                "me",
                "icu",
                "shop",
                "eu",
                "co",
            ]
        )
        a, b = rng.sample(words, 2)  # type: ignore[arg-type]
        style = rng.random()
        if self.main is not None and style < 0.55:
            slug = self.brand(self.main)[2]
            return rng.choice(
                [
                    f"{slug}-{a}.{tld}",
                    f"{a}-{slug}.{tld}",
                    f"{slug}{a}.{tld}",
                    f"{slug}.{a}-{b}.{tld}",
                    f"my{slug}-{a}.{tld}",
                    f"{slug}-{a}-{b}.{tld}",
                ]
            )
        return rng.choice(
            [
                f"{a}-{b}.{tld}",
                f"{a}{b}.{tld}",
                f"{a}-{b}{rng.randrange(10, 99)}.{tld}",
                f"{a}.{b}-{rng.choice(['fr', 'eu', 'id', 'web'])}.{tld}",
            ]
        )

    def scam_url(self) -> str:
        rng = self.f.rng
        style = rng.random()
        path = rng.choice(
            [
                "",
                "/",
                "/login",
                "/verify",
                "/pay",
                "/fr",
                "/id=" + self.f.code(5),
                "/?ref=" + self.f.code(6),
                "/secure/",
                "/track",
                "/c/" + self.f.code(4),
            ]
        )
        if style < 0.12:
            return self.short_url()
        if style < 0.17:
            octets = (
                rng.randrange(23, 223),
                rng.randrange(256),
                rng.randrange(256),
                rng.randrange(1, 255),
            )
            return "http://" + ".".join(map(str, octets)) + path
        scheme = rng.choice(["https://", "https://", "http://", "", "", "www."])
        return scheme + self.scam_domain() + path

    def short_url(self) -> str:
        rng = self.f.rng
        alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        token = "".join(rng.choice(alphabet) for _ in range(rng.randrange(5, 8)))
        host = rng.choice(
            ["bit.ly", "tinyurl.com", "cutt.ly", "t.ly", "is.gd", "rb.gy", "shorturl.at"]
        )
        return rng.choice(["https://", ""]) + host + "/" + token

    def legit_url(self) -> str:
        rng = self.f.rng
        kind = self.main or "bank"
        site = self.brand(kind)[1]
        path = rng.choice(
            [
                "",
                "",
                "/app",
                "/track",
                "/help",
                "/login",
                "/contact",
                "/faq",
                "/"
                + {"fr": "suivi", "nl": "mijn", "pt": "ajuda", "es": "ayuda", "de": "hilfe"}.get(
                    self.f.lang, "account"
                ),
            ]
        )
        host = site if site.count(".") >= 2 or rng.random() < 0.5 else "www." + site
        return rng.choice(["https://", "", "https://"]) + host + path

    def value(self, slot: str) -> str:
        if slot in self.cache:
            return self.cache[slot]
        f, rng = self.f, self.f.rng
        if slot in self.BRAND_KINDS:
            out = self.brand(slot)[0]
        elif slot.endswith("_site") and slot[:-5] in self.BRAND_KINDS:
            out = self.brand(slot[:-5])[1]
        elif slot == "scam_url":
            out = self.scam_url()
        elif slot == "scam_domain":
            out = self.scam_domain()
        elif slot == "short_url":
            out = self.short_url()
        elif slot == "legit_url":
            out = self.legit_url()
        elif slot == "email_scam":
            user = rng.choice(["service", "contact", "support", "info", "dossier", "noreply"])
            domain = rng.choice([self.scam_domain(), "gmail.com", "outlook.com", "proton.me"])
            out = (
                f"{user}.{rng.randrange(10, 999)}@{domain}"
                if "gmail" in domain
                else f"{user}@{domain}"
            )
        elif slot == "email_legit":
            out = "noreply@" + (self.brand(self.main)[1] if self.main else "example.org")
        elif slot in ("phone", "phone_fixed", "phone_premium", "phone_tollfree"):
            kind = {
                "phone": "mobile",
                "phone_fixed": "fixed",
                "phone_premium": "premium",
                "phone_tollfree": "tollfree",
            }[slot]
            out = f.phone(kind, self.country)
        elif slot == "phone_intl":
            out = f.foreign_phone()
        elif slot == "amount":
            out = f.money(40, 2500, rng.random() < 0.4)
        elif slot == "amount_small":
            out = f.money(0.5, 4.99, True)
        elif slot == "amount_big":
            out = f.money(2000, 48000, False)
        elif slot == "amount_crypto":
            out = f.crypto_amount()
        elif slot == "code":
            out = f.code(6)
        elif slot == "code4" or slot == "last4":
            out = f.code(4)
        elif slot == "ref":
            out = rng.choice(["", "", "REF-", "#"]) + f.code(rng.randrange(5, 9))
        elif slot == "case":
            out = f"{rng.randrange(2023, 2026)}/{f.code(5)}"
        elif slot == "track":
            out = f.track()
        elif slot == "date":
            out = f.date()
        elif slot == "time":
            out = f"{rng.randrange(8, 20)}:{rng.choice(['00', '15', '30', '45'])}"
            out = out.replace(":", "h") if self.f.lang == "fr" and rng.random() < 0.6 else out
        elif slot in ("day", "month", "city", "merchant"):
            out = f.pick(
                {"day": "weekdays", "month": "months", "city": "cities", "merchant": "merchants"}[
                    slot
                ]
            )
        elif slot == "name":
            out = f.pick("first_names")
        elif slot == "surname":
            out = f.pick("last_names")
        elif slot == "fullname":
            out = f.pick("first_names") + " " + f.pick("last_names")
        elif slot == "officer":
            out = f.pick("ranks") + " " + f.pick("last_names")
        elif slot == "iban":
            out = f.iban(False)
        elif slot == "iban_foreign":
            out = f.iban(True)
        elif slot in ("btc", "eth", "trx"):
            out = f.wallet(slot)
        elif slot == "wallet":
            out = f.wallet(rng.choice(["btc", "btc", "eth", "trx"]))
        elif slot == "percent":
            out = str(rng.choice([3, 5, 8, 12, 15, 20, 30, 40]))
        elif slot == "number":
            out = str(rng.randrange(2, 9))
        else:
            raise KeyError(slot)
        self.cache[slot] = out
        return out

    def render(self) -> str:
        try:
            return _SLOT.sub(lambda m: self.value(m.group(1)), self.t.text)
        except KeyError as error:
            sys.exit(f"templates/{self.t.lang}.txt:{self.t.line}: unknown slot {error}")


def normalise(text: str) -> str:
    """The form used for duplicate detection (and documented in README.md)."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(
        r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|net|info|be|fr|nl|pt|es|de|uk|top|xyz)\S*",
        " url ",
        text,
    )
    text = re.sub(r"\d", "0", text)
    return " ".join(re.findall(r"\w+", text))


def shingles(text: str) -> set[str]:
    words = text.split()
    if len(words) < 3:
        return {text}
    return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}


class Clusters:
    """Union-find over template groups."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def build() -> dict[str, int]:
    pools = json.loads((HERE / "slots.json").read_text("utf-8"))
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    stats: dict[str, int] = defaultdict(int)
    for path in sorted((HERE / "templates").glob("*.txt")):
        lang = path.stem
        rng = random.Random(f"{SEED}-{lang}")
        filler = Filler(lang, pools[lang], rng)
        counter: dict[str, int] = defaultdict(int)
        for template in parse_templates(path):
            counter[template.group] += 1
            slots = bool(_SLOT.search(template.text))
            for copy in range(template.copies if slots else 1):
                text = Message(filler, template).render()
                stats["generated"] += 1
                key = normalise(text)
                if key in seen:
                    stats["exact_duplicates_dropped"] += 1
                    continue
                seen.add(key)
                rows.append(
                    {
                        "id": f"{template.group}-{counter[template.group]}{'abcd'[copy]}",
                        "lang": lang,
                        "type": template.type,
                        "kind": template.kind,
                        "form": template.form,
                        "group": template.group,
                        "text": text,
                    }
                )
    clusters = _near_duplicate_clusters(rows, stats)
    _split(rows, clusters)
    with (HERE / "messages.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    stats["messages"] = len(rows)
    stats["test"] = sum(r["split"] == "test" for r in rows)
    return dict(stats)


def _near_duplicate_clusters(rows: list[dict[str, str]], stats: dict[str, int]) -> Clusters:
    clusters = Clusters()
    sets = [shingles(normalise(r["text"])) for r in rows]
    index: dict[str, list[int]] = defaultdict(list)
    for i, items in enumerate(sets):
        for item in items:
            index[item].append(i)
    for i, items in enumerate(sets):
        clusters.find(rows[i]["group"])
        overlap: dict[int, int] = defaultdict(int)
        for item in items:
            postings = index[item]
            if len(postings) > 300:
                continue
            for j in postings:
                if j > i and rows[j]["group"] != rows[i]["group"]:
                    overlap[j] += 1
        for j, shared in overlap.items():
            union = len(items) + len(sets[j]) - shared
            if union and shared / union >= NEAR_DUPLICATE:
                stats["near_duplicate_pairs_across_templates"] += 1
                clusters.union(rows[i]["group"], rows[j]["group"])
    return clusters


def _split(rows: list[dict[str, str]], clusters: Clusters) -> None:
    strata: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        row["cluster"] = clusters.find(row["group"])
        strata[(row["lang"], row["type"])].add(row["cluster"])
    test: set[str] = set()
    for members in strata.values():
        ordered = sorted(members, key=lambda c: hashlib.sha1(c.encode()).hexdigest())
        count = round(len(ordered) * TEST_SHARE) if len(ordered) > 1 else 0
        test.update(ordered[: max(count, 1 if len(ordered) >= 3 else 0)])
    for row in rows:
        row["split"] = "test" if row["cluster"] in test else "train"


if __name__ == "__main__":
    for key, value in sorted(build().items()):
        print(f"{key}: {value}")
