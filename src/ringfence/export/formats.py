"""The blocklist in the formats real blockers import.

- `e164`: one E.164 number per line (`+393511234567`), nothing else. Ranges are expanded to
  their numbers when they hold at most `expand_limit` (1000) numbers; larger ranges cannot be
  written this way and are counted as excluded ("use patterns, callblocker, csv or json").
- `patterns`: one line per number, and per range one `+39351#######` pattern per length of the
  country's numbering plan (`#` is one digit), for phones that match whole numbers only.
- `csv`: RFC 4180 with a header: `subject,kind,category,reason,score,expires_at,version,
  added_at,carved_from` (deltas start with an `action` column: add or remove).
- `json`: `{"format": "ringfence-blocklist", "format_version": 1, "version", "since",
  "generated_at", "home_country", "entries": [...], "removed": [...], "excluded": {reason: n},
  "more"}`; an entry has subject, kind, category, reason, score, expires_at, version, added_at,
  carved_from.
- `callblocker`: the blocklist JSON of callblocker (pamapa/callblocker,
  `/etc/callblocker/blocklists/*.json`): `{"name", "last_update", "entries": [{"name",
  "number", "date_created", "date_modified"}]}`; numbers in E.164, a range as its prefix
  (callblocker matches an entry as a prefix of the caller's number); names at most 200
  characters; dates `%Y-%m-%d %H:%M:%S +0000`. Prefixes shorter than 4 digits are refused by
  callblocker's own import scripts as too dangerous, and by us.
- `ncid`: `ncidd.blacklist` of NCID: one entry per line, `^<digits> #= <name>`, where the digits
  are the number as the home country's caller ID shows it (national digits with the trunk
  prefix for home numbers, `00` and the country code for foreign ones); `^` anchors the match at
  the start of the number, so a range matches as a prefix; `#=` gives the name NCID displays.

Only `json` and `csv` can say "remove": deltas (`since`) are refused in the other formats,
which are full lists a receiver replaces.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from ringfence.domain.clock import as_utc
from ringfence.export.plan import dialled_form, expand, patterns
from ringfence.export.selection import Exclusion, ExportEntry, Selection


class ExportFormat(StrEnum):
    E164 = "e164"
    PATTERNS = "patterns"
    CSV = "csv"
    JSON = "json"
    CALLBLOCKER = "callblocker"
    NCID = "ncid"

    @property
    def media_type(self) -> str:
        return _MEDIA[self]

    @property
    def supports_delta(self) -> bool:
        return self in (ExportFormat.CSV, ExportFormat.JSON)

    @property
    def suffix(self) -> str:
        return {"e164": ".txt", "patterns": ".txt", "ncid": ".blacklist"}.get(
            self.value, f".{self.value}" if self.value != "callblocker" else ".json"
        )


_MEDIA = {
    ExportFormat.E164: "text/plain; charset=utf-8",
    ExportFormat.PATTERNS: "text/plain; charset=utf-8",
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.JSON: "application/json",
    ExportFormat.CALLBLOCKER: "application/json",
    ExportFormat.NCID: "text/plain; charset=utf-8",
}

EXPAND_LIMIT = 1000
CALLBLOCKER_MIN_DIGITS = 4
CALLBLOCKER_NAME_MAX = 200


class ExportError(ValueError):
    """An export that cannot be made as asked (the message says what to ask instead)."""


def render(
    selection: Selection, fmt: ExportFormat, *, expand_limit: int = EXPAND_LIMIT
) -> tuple[bytes, Selection]:
    """The exact bytes of `selection` in `fmt`, and the selection with what the format itself
    had to leave out added to its exclusions."""
    if selection.is_delta and not fmt.supports_delta:
        raise ExportError(
            f"the {fmt.value} format is a full list and cannot carry removals; ask for the full "
            "list (no since), or use --format json or csv for deltas"
        )
    renderer: Callable[[Selection, int], tuple[str, list[Exclusion]]] = _RENDERERS[fmt]
    text, dropped = renderer(selection, expand_limit)
    if dropped:
        selection = Selection(
            selection.version,
            selection.since,
            selection.generated_at,
            selection.home_country,
            selection.entries,
            selection.removals,
            (*selection.excluded, *dropped),
            selection.more,
        )
    return text.encode("utf-8"), selection


def _e164(selection: Selection, limit: int) -> tuple[str, list[Exclusion]]:
    lines: set[str] = set()
    dropped: list[Exclusion] = []
    for entry in selection.entries:
        if entry.kind == "number":
            lines.add(entry.subject)
            continue
        numbers = expand(entry.subject, limit)
        if numbers is None:
            dropped.append(
                Exclusion(entry.subject, "range too large for e164: use patterns or callblocker")
            )
        else:
            lines.update(numbers)
    return "".join(f"{line}\n" for line in sorted(lines)), dropped


def _patterns(selection: Selection, limit: int) -> tuple[str, list[Exclusion]]:
    lines: list[str] = []
    dropped: list[Exclusion] = []
    for entry in selection.entries:
        if entry.kind == "number":
            lines.append(entry.subject)
            continue
        found = patterns(entry.subject)
        if not found:
            dropped.append(Exclusion(entry.subject, "no numbering plan for this range"))
        lines += found
    return "".join(f"{line}\n" for line in sorted(set(lines))), dropped


_CSV_COLUMNS = (
    "subject",
    "kind",
    "category",
    "reason",
    "score",
    "expires_at",
    "version",
    "added_at",
    "carved_from",
)


def _csv(selection: Selection, limit: int) -> tuple[str, list[Exclusion]]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    delta = selection.is_delta
    writer.writerow((("action",) if delta else ()) + _CSV_COLUMNS)
    for entry in selection.entries:
        row = [
            entry.subject,
            entry.kind,
            entry.category,
            entry.reason,
            f"{entry.score:.1f}",
            _iso(entry.expires_at),
            str(entry.version),
            _iso(entry.added_at),
            entry.carved_from or "",
        ]
        writer.writerow((["add"] if delta else []) + row)
    for removal in selection.removals:
        row = ["remove", removal.subject, removal.kind, "", removal.reason, ""]
        writer.writerow([*row, "", removal.version, "", ""])
    return out.getvalue(), []


def _json(selection: Selection, limit: int) -> tuple[str, list[Exclusion]]:
    document: dict[str, Any] = {
        "format": "ringfence-blocklist",
        "format_version": 1,
        "version": selection.version,
        "since": selection.since,
        "generated_at": _iso(selection.generated_at),
        "home_country": selection.home_country,
        "entries": [_entry_dict(e) for e in selection.entries],
        "removed": [
            {"subject": r.subject, "kind": r.kind, "version": r.version, "reason": r.reason}
            for r in selection.removals
        ],
        "excluded": selection.excluded_counts(),
        "more": selection.more,
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n", []


def _entry_dict(entry: ExportEntry) -> dict[str, Any]:
    return {
        "subject": entry.subject,
        "kind": entry.kind,
        "category": entry.category,
        "reason": entry.reason,
        "score": round(entry.score, 1),
        "expires_at": _iso(entry.expires_at) or None,
        "version": entry.version,
        "added_at": _iso(entry.added_at),
        "carved_from": entry.carved_from,
    }


def _callblocker(selection: Selection, limit: int) -> tuple[str, list[Exclusion]]:
    entries = []
    dropped: list[Exclusion] = []
    for entry in selection.entries:
        if len(entry.subject) - 1 < CALLBLOCKER_MIN_DIGITS:
            dropped.append(Exclusion(entry.subject, "prefix too short for callblocker"))
            continue
        name = f"ringfence {entry.category}: {entry.reason}".strip()
        if len(name) > CALLBLOCKER_NAME_MAX:
            name = name[: CALLBLOCKER_NAME_MAX - 3] + "..."
        entries.append(
            {
                "name": name,
                "number": entry.subject,
                "date_created": _callblocker_date(entry.added_at),
                "date_modified": _callblocker_date(entry.added_at),
            }
        )
    document = {
        "name": "ringfence",
        "last_update": _callblocker_date(selection.generated_at),
        "entries": entries,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n", dropped


def _ncid(selection: Selection, limit: int) -> tuple[str, list[Exclusion]]:
    lines = [
        "# ncidd.blacklist generated by ringfence: do not edit, it is replaced at each update.",
        f"# blocklist version {selection.version}, generated {_iso(selection.generated_at)}, "
        f"numbers as shown in {selection.home_country}.",
    ]
    for entry in selection.entries:
        digits = dialled_form(entry.subject, selection.home_country)
        name = f"ringfence {entry.category}".replace('"', "")
        lines.append(f"^{digits} #= {name}")
    return "\n".join(lines) + "\n", []


_RENDERERS: dict[ExportFormat, Callable[[Selection, int], tuple[str, list[Exclusion]]]] = {
    ExportFormat.E164: _e164,
    ExportFormat.PATTERNS: _patterns,
    ExportFormat.CSV: _csv,
    ExportFormat.JSON: _json,
    ExportFormat.CALLBLOCKER: _callblocker,
    ExportFormat.NCID: _ncid,
}


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _callblocker_date(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S +0000")
