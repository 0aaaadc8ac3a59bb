"""Counted cues: named patterns per language, read from `data/classify/cues.json`.

Why counted, named cues next to a statistical model: a verdict must explain itself. As in
SpamAssassin's advance-fee rules or rspamd's symbols, each cue that fires is reported by name with
the words that triggered it, and its weight in the verdict is learned from the corpus (by the
combiner), not guessed. The patterns are data, so a reviewer can read and extend them without
touching code.

Patterns are matched on the folded text (lower case, no accents); a space in a pattern matches
any run of white space (an optional space ` ?`, any run or none) and every pattern is anchored on
word boundaries. The cues of the message's
language and the language-neutral ones (`any`) are tried; for an undetermined language, all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ringfence.classify.language import LANGUAGES, UNDETERMINED

_MAX_SNIPPETS = 3
_SNIPPET_CONTEXT = 0


@dataclass(frozen=True, slots=True)
class Cue:
    """One named cue: its reason code, the types it points to, and compiled patterns by language."""

    name: str
    reason: str
    types: tuple[str, ...]
    patterns: dict[str, re.Pattern[str]]
    weight: float = 0.0
    anchors: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    """Per language, literals of which one must occur for a match (None: always scan)."""
    """Prior score (log-odds per unit of log(1 + count)); the trained combiner adjusts it."""


@dataclass(frozen=True, slots=True)
class CueHit:
    """A cue that fired: how often, and the original words that made it fire."""

    name: str
    reason: str
    count: int
    snippets: list[str] = field(default_factory=list)


class CueBookError(ValueError):
    """The cue file is malformed; the message names the cue and the pattern."""


_META = set("()[]{}.?*+|\\^$")


def _anchor(alternative: str) -> str | None:
    """A literal that every match of `alternative` contains, or None when none is obvious.

    The leading run of literal words of the alternative (cut at the first metacharacter; a
    character made optional by a following quantifier is dropped), and of those words the
    longest, if it has 3 letters or more. Used only as a fast pre-check: a cue whose anchors all
    miss the text cannot match it.
    """
    run: list[str] = []
    for index, char in enumerate(alternative):
        if char in _META:
            if char in "?*{" and run:
                run.pop()
            break
        run.append(char)
        if index + 1 < len(alternative) and alternative[index + 1] in "?*{":
            run.pop()
            break
    words = "".join(run).split(" ")
    longest = max(words, key=len)
    return longest if len(longest) >= 3 else None


def _split_alternatives(pattern: str) -> list[str]:
    """Top-level alternatives of a pattern (`a|b(c|d)` -> `a`, `b(c|d)`)."""
    parts, depth, current, escaped = [], 0, [], False
    for char in pattern:
        if escaped:
            current.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _group_end(pattern: str, start: int) -> int:
    """Index of the parenthesis closing the group opened at `start` (or -1)."""
    depth, escaped = 0, False
    for index in range(start, len(pattern)):
        char = pattern[index]
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _alternative_anchors(alternative: str) -> list[str] | None:
    """Anchors of one alternative: its leading literal, or those of a leading `(?:a|b)` group
    (when the group is not optional), else None."""
    literal = _anchor(alternative)
    if literal is not None:
        return [literal]
    if alternative.startswith("(?:"):
        end = _group_end(alternative, 0)
        if end > 0 and alternative[end + 1 : end + 2] not in ("?", "*", "{"):
            found: list[str] = []
            for inner in _split_alternatives(alternative[3:end]):
                anchors = _alternative_anchors(inner)
                if anchors is None:
                    return None
                found.extend(anchors)
            return found
    return None


def _anchors(patterns: list[str]) -> tuple[str, ...] | None:
    """Anchors of all alternatives of all patterns, or None if one alternative has none."""
    found: list[str] = []
    for pattern in patterns:
        for alternative in _split_alternatives(pattern):
            anchors = _alternative_anchors(alternative)
            if anchors is None:
                return None
            found.extend(anchors)
    return tuple(dict.fromkeys(found))


def _compile(name: str, language: str, patterns: list[str]) -> re.Pattern[str]:
    parts = []
    for pattern in patterns:
        body = pattern.replace(" ?", r"\s*").replace(" ", r"\s+")
        try:
            re.compile(body)
        except re.error as error:
            raise CueBookError(
                f"cue {name} ({language}): bad pattern {pattern!r}: {error}"
            ) from None
        parts.append(body)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])")


class CueBook:
    """All cues, compiled once. Build from a parsed JSON document or with `default_cue_book()`."""

    def __init__(self, document: dict[str, object]) -> None:
        raw = document.get("cues")
        if not isinstance(raw, list):
            raise CueBookError("cue file has no 'cues' list")
        self.cues: list[Cue] = []
        for entry in raw:
            if not isinstance(entry, dict) or not {"name", "reason", "patterns"} <= entry.keys():
                raise CueBookError(f"cue entry {entry!r} needs name, reason and patterns")
            raw_patterns: dict[str, list[str]] = entry["patterns"]
            unknown = set(raw_patterns) - set(LANGUAGES) - {"any"}
            if unknown:
                raise CueBookError(f"cue {entry['name']}: unknown languages {sorted(unknown)}")
            # One pattern per language, the language-neutral ones ('any') folded into each, so
            # that a message costs one scan per cue.
            neutral = list(raw_patterns.get("any", []))
            sources = {
                language: list(raw_patterns.get(language, [])) + neutral
                for language in (*LANGUAGES, "any")
                if raw_patterns.get(language) or neutral
            }
            patterns = {
                language: _compile(entry["name"], language, items)
                for language, items in sources.items()
            }
            anchors = {language: _anchors(items) for language, items in sources.items()}
            self.cues.append(
                Cue(
                    entry["name"],
                    entry["reason"],
                    tuple(entry.get("types", ())),
                    patterns,
                    float(entry.get("weight", 0.0)),
                    anchors,
                )
            )
        signals = document.get("signals", {})
        if not isinstance(signals, dict):
            raise CueBookError("'signals' must map signal names to prior weights")
        self.signal_priors: dict[str, float] = {
            k: float(v) for k, v in signals.items() if not k.startswith("_")
        }

    @property
    def names(self) -> list[str]:
        return [cue.name for cue in self.cues]

    def find(self, folded: str, positions: list[int], original: str, language: str) -> list[CueHit]:
        """The cues that fire on `folded` (mapped back to `original` through `positions`)."""
        languages = (language,) if language != UNDETERMINED else (*LANGUAGES, "any")
        hits: list[CueHit] = []
        for cue in self.cues:
            count = 0
            snippets: list[str] = []
            for lang in languages:
                key = lang if lang in cue.patterns else "any"
                pattern = cue.patterns.get(key)
                if pattern is None:
                    continue
                anchors = cue.anchors.get(key)
                if anchors is not None and not any(a in folded for a in anchors):
                    continue
                for match in pattern.finditer(folded):
                    count += 1
                    if len(snippets) < _MAX_SNIPPETS:
                        start = positions[match.start()]
                        end = positions[match.end() - 1] + 1
                        snippet = original[start:end].strip()
                        if snippet and snippet not in snippets:
                            snippets.append(snippet)
            if count:
                hits.append(CueHit(cue.name, cue.reason, count, snippets))
        return hits


@lru_cache(maxsize=1)
def default_cue_book() -> CueBook:
    """The cues shipped in `ringfence/data/classify/cues.json`."""
    text = resources.files("ringfence.data").joinpath("classify/cues.json").read_text("utf-8")
    return CueBook(json.loads(text))
