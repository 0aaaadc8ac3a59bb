"""Text files in bounded memory: encodings, physical line numbers, unusable lines set aside.

Why by hand and not `open(path)`: a call-record file from the field may mix encodings, hold a
binary blob, end in the middle of a line, or be larger than memory. The file is read in blocks
of about 1 MiB cut at line ends; a block that decodes cleanly (the usual case) is split into
lines in C, and only a block with a problem is looked at line by line, so one undecodable line
becomes one reject with its line number instead of a traceback for the whole file. A line
longer than `MAX_LINE_BYTES` is rejected and skipped without being held in memory. An unusable
line is replaced by a bare line end and described in `TextSource.problems`, so that a parser
counting lines still counts physical lines (see `records.py`).

Encodings: a UTF-8 byte-order mark is skipped; a UTF-16 mark switches to a UTF-16 stream (a
decoding error there cannot be resynchronised, so it stops the file with a clear error);
otherwise UTF-8, or the codec the user named (`--encoding latin-1`).
"""

from __future__ import annotations

import codecs
import io
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ringfence.ingest.context import ReadContext
from ringfence.ingest.errors import IngestError

MAX_LINE_BYTES = 1 << 20
"""A longer line is not a call record (binary data, or a file without line ends)."""
HEAD_BYTES = 64 * 1024
"""Bytes read to detect the encoding and the format."""
BLOCK_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class Encoding:
    """How the bytes of a file are decoded: the codec and the bytes of mark to skip."""

    codec: str
    skip: int
    by_line: bool
    """True when a line end is the single byte 0x0A in this codec (UTF-8, Latin-1...), so that
    each line can be decoded alone; False for UTF-16/32, decoded as a stream."""


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def detect_encoding(path: Path, head: bytes, requested: str | None) -> Encoding:
    """The encoding of a file from its first bytes and the user's request (None = detect)."""
    if head.startswith(codecs.BOM_UTF8) and (requested is None or _is_utf8(requested)):
        return Encoding("utf-8", len(codecs.BOM_UTF8), True)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and (
        requested is None or requested.lower().replace("_", "-").startswith("utf-16")
    ):
        return Encoding("utf-16", 0, False)
    codec = requested or "utf-8"
    by_line = "\n".encode(codec) == b"\n" and "\r".encode(codec) == b"\r"
    if by_line and head.count(b"\x00") * 100 > len(head):
        raise IngestError(
            f"{path}: more than 1% of the first bytes are NUL, so it is not a text file in "
            f"{codec}: it is binary (compressed? a Parquet file with another extension?) or "
            "UTF-16/UTF-32 without a byte-order mark. Convert it to UTF-8 CSV, or pass "
            "--encoding utf-16."
        )
    return Encoding(codec, 0, by_line)


def _is_utf8(codec: str) -> bool:
    return codecs.lookup(codec).name in ("utf-8", "utf-8-sig")


@dataclass(slots=True)
class TextSource:
    """The decoded lines of one file, block by block, with the lines that could not be used.

    `blocks()` yields lists of lines (each ending in a line end, except perhaps the last of the
    file); an unusable line is replaced by a bare line end and described in `problems`
    (line number, reason, text). The last two blocks are kept so that the text of a record can
    be found from its line numbers.
    """

    path: Path
    ctx: ReadContext
    problems: deque[tuple[int, str, str]] = field(default_factory=deque)
    count: int = 0
    """Physical lines produced so far."""
    window: list[tuple[int, list[str]]] = field(default_factory=list)

    def blocks(self) -> Iterator[list[str]]:
        encoding = detect_encoding(self.path, read_head(self.path), self.ctx.options.encoding)
        with self.path.open("rb") as handle:
            handle.seek(encoding.skip)
            producer = self._byte_blocks if encoding.by_line else self._stream_blocks
            for lines in producer(handle, encoding.codec):
                self.window.append((self.count + 1, lines))
                self.count += len(lines)
                yield lines

    def handover(self) -> list[tuple[int, list[str]]]:
        """The blocks read so far (for the chunk just finished); only the last one is kept,
        because the next record starts in it or after it."""
        blocks = self.window
        self.window = blocks[-1:]
        return blocks

    def _problem(self, number: int, reason: str, raw: str) -> str:
        self.problems.append((number, reason, raw))
        return "\n"

    def _byte_blocks(self, handle: BinaryIO, codec: str) -> Iterator[list[str]]:
        rest = b""
        while True:
            data = handle.read(BLOCK_BYTES)
            self.ctx.advance(len(data))
            if not data:
                if rest:
                    self.ctx.unterminated_line[self.path] = self.count + 1
                    yield self._decode(rest, codec, self.count + 1)
                return
            data = rest + data
            cut = data.rfind(b"\n") + 1
            if cut:
                yield self._decode(data[:cut], codec, self.count + 1)
            rest = data[cut:]
            if len(rest) > MAX_LINE_BYTES:
                line, rest = self._overlong(handle, rest, codec)
                yield [line]

    def _overlong(self, handle: BinaryIO, start: bytes, codec: str) -> tuple[str, bytes]:
        """Skip the rest of a line that is too long: its problem, and the bytes after it."""
        size = len(start)
        leftover = b""
        while True:
            more = handle.read(BLOCK_BYTES)
            self.ctx.advance(len(more))
            if not more:
                break
            cut = more.find(b"\n")
            if cut >= 0:
                size += cut + 1
                leftover = more[cut + 1 :]
                break
            size += len(more)
        line = self._problem(
            self.count + 1,
            f"line is {size} bytes long, more than the {MAX_LINE_BYTES} bytes a call record "
            "can take: binary data, or a file without line ends",
            start[:200].decode(codec, "backslashreplace"),
        )
        return line, leftover

    def _decode(self, data: bytes, codec: str, first: int) -> list[str]:
        if b"\x00" not in data:
            try:
                return io.StringIO(data.decode(codec), newline="\n").readlines()
            except UnicodeDecodeError:
                pass
        lines: list[str] = []
        for offset, raw in enumerate(io.BytesIO(data).readlines()):
            number = first + offset
            if b"\x00" in raw:
                lines.append(
                    self._problem(
                        number,
                        "line contains NUL bytes: binary data, not a call record",
                        raw.decode(codec, "backslashreplace"),
                    )
                )
                continue
            try:
                lines.append(raw.decode(codec))
            except UnicodeDecodeError as error:
                bad = raw[error.start : error.start + 4]
                lines.append(
                    self._problem(
                        number,
                        f"line is not valid {codec}: byte(s) {bad!r} at position "
                        f"{error.start + 1}; if the file is in another encoding, pass "
                        "--encoding (e.g. latin-1 or cp1252)",
                        raw.decode(codec, "backslashreplace"),
                    )
                )
        return lines

    def _stream_blocks(self, handle: BinaryIO, codec: str) -> Iterator[list[str]]:
        stream = io.TextIOWrapper(handle, encoding=codec, errors="strict", newline="")
        rest = ""
        while True:
            try:
                data = stream.read(BLOCK_BYTES // 2)
            except UnicodeDecodeError as error:
                raise IngestError(
                    f"{self.path}: after line {self.count} the file cannot be decoded as "
                    f"{codec} ({error.reason}); the rest of it cannot be read. Convert the file "
                    "to UTF-8 or fix its encoding."
                ) from None
            self.ctx.advance(len(data) * 2)
            if not data:
                if rest:
                    self.ctx.unterminated_line[self.path] = self.count + 1
                    yield [rest]
                return
            lines = io.StringIO(rest + data, newline="\n").readlines()
            rest = "" if lines[-1].endswith("\n") else lines.pop()
            if len(rest) > MAX_LINE_BYTES:
                raise IngestError(
                    f"{self.path}: line {self.count + len(lines) + 1} is longer than "
                    f"{MAX_LINE_BYTES} characters: not a call-record file (or not in {codec})"
                )
            if lines:
                yield lines


def numbered_lines(path: Path, ctx: ReadContext) -> Iterator[tuple[int, str, str | None]]:
    """Every physical line as (number, text, problem): when `problem` is set, the line could
    not be used and `text` is what could be shown of it."""
    source = TextSource(path, ctx)
    number = 0
    for lines in source.blocks():
        source.window.clear()  # a line's text is yielded with it: no need to keep blocks
        for text in lines:
            number += 1
            if source.problems and source.problems[0][0] == number:
                _, reason, raw = source.problems.popleft()
                yield number, raw, reason
            else:
                yield number, text, None
