"""Which reader a file needs: from its content first, its name second; `--format` forces it.

Why content first: Asterisk and FreeSWITCH both name their file `Master.csv`, operators rename
exports freely, and a `.csv` may be canonical or a PBX dump. The rules, in order:

1. a directory, or bytes starting with `PAR1` -> `parquet`;
2. compressed or archive bytes (gzip, zip, bzip2, xz, zstd) -> a clear error (decompress first);
3. a file of only blanks -> `empty` (no rows, noted in the summary);
4. `.jsonl`, `.ndjson`, `.json`, or a first line starting with `{` -> `jsonl`;
5. a first line that names the canonical columns (e.g. `call_id`) -> `csv`;
6. 16-21 fields with a date-time in field 10 -> `asterisk`; 13-15 fields with a date-time in
   field 5 -> `freeswitch`;
7. otherwise an error that says what the first line looks like and how to force a format.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ringfence.domain.calls import INPUT_COLUMNS
from ringfence.ingest import asterisk, freeswitch
from ringfence.ingest.errors import IngestError
from ringfence.ingest.parquet import PARQUET_MAGIC
from ringfence.ingest.text import detect_encoding, read_head

FORMATS: tuple[str, ...] = ("csv", "jsonl", "parquet", "asterisk", "freeswitch")
"""Format names accepted by `--format`."""

_COMPRESSED = {
    b"\x1f\x8b": "gzip",
    b"PK\x03\x04": "zip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
}
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}")


def check_format(fmt: str) -> str:
    """`fmt` in lower case, or an error listing the formats."""
    name = fmt.strip().lower()
    if name not in FORMATS:
        raise IngestError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return name


def detect_format(path: Path, encoding: str | None = None) -> str:
    """The format of `path` (one of FORMATS, or `empty`)."""
    if path.is_dir():
        return "parquet"
    head = read_head(path)
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    for magic, kind in _COMPRESSED.items():
        if head.startswith(magic):
            raise IngestError(
                f"{path}: the file is {kind}-compressed; decompress it first "
                f"(e.g. with {'unzip' if kind == 'zip' else kind + ' -d'})"
            )
    if path.suffix.lower() in (".parquet", ".pq"):
        raise IngestError(f"{path}: named .parquet but its bytes do not start with PAR1")
    if not head.strip():
        return "empty"
    found = detect_encoding(path, head, encoding)
    first = _first_line(head[found.skip :], found.codec)
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json") or first.lstrip().startswith("{"):
        return "jsonl"
    fields = next(csv.reader([first]), [])
    names = {field.strip().lower() for field in fields}
    if "call_id" in names or len(names & set(INPUT_COLUMNS)) >= 3:
        return "csv"
    if asterisk.MIN_FIELDS <= len(fields) <= asterisk.MAX_FIELDS and _DATETIME.match(fields[9]):
        return "asterisk"
    if freeswitch.MIN_FIELDS <= len(fields) <= freeswitch.MAX_FIELDS and _DATETIME.match(fields[4]):
        return "freeswitch"
    shown = first if len(first) <= 120 else first[:120] + "..."
    raise IngestError(
        f"{path}: cannot tell the format from the first line ({len(fields)} field(s): "
        f"{shown!r}). A canonical CSV starts with a header naming {', '.join(INPUT_COLUMNS)}; "
        "Asterisk Master.csv has 16 to 21 fields with the start time in field 10; FreeSWITCH "
        f"has 13 to 15 with the start time in field 5. Force one with --format "
        f"({', '.join(FORMATS)})."
    )


def _first_line(head: bytes, codec: str) -> str:
    text = head.decode(codec, errors="replace")
    for line in text.splitlines():
        if line.strip():
            return line
    return ""
