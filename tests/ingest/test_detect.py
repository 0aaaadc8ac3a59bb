"""Format detection from content and name, and the docstring examples of the ingest modules."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import ringfence.ingest.enrich
import ringfence.ingest.rejects
from ringfence.ingest import IngestError, detect_format
from tests.ingest.helpers import FIXTURES, HEADER, good_row, write


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("canonical.csv", "csv"),
        ("canonical_bad.csv", "csv"),
        ("calls.jsonl", "jsonl"),
        ("asterisk_Master.csv", "asterisk"),
        ("freeswitch_Master.csv", "freeswitch"),
    ],
)
def test_fixtures_are_detected(name: str, expected: str) -> None:
    assert detect_format(FIXTURES / name) == expected


def test_content_wins_over_the_name(tmp_path: Path) -> None:
    canonical = write(tmp_path / "Master.csv", HEADER + good_row())
    assert detect_format(canonical) == "csv"
    asterisk = write(tmp_path / "calls.txt", (FIXTURES / "asterisk_Master.csv").read_text())
    assert detect_format(asterisk) == "asterisk"
    utf16 = write(tmp_path / "u.csv", (HEADER + good_row()).encode("utf-16"))
    assert detect_format(utf16) == "csv"


def test_empty_and_blank_files(tmp_path: Path) -> None:
    assert detect_format(write(tmp_path / "a.csv", "")) == "empty"
    assert detect_format(write(tmp_path / "b.csv", "\n \r\n")) == "empty"


def test_undetectable_first_line_names_the_options(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "hello,world\n")
    with pytest.raises(IngestError) as caught:
        detect_format(path)
    message = str(caught.value)
    assert "cannot tell the format" in message
    assert "'hello,world'" in message
    assert "--format" in message


def test_parquet_name_without_parquet_bytes(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="do not start with PAR1"):
        detect_format(write(tmp_path / "a.parquet", "call_id\n"))


@pytest.mark.parametrize("module", [ringfence.ingest.enrich, ringfence.ingest.rejects])
def test_docstring_examples(module: object) -> None:
    failures, tried = doctest.testmod(module)  # type: ignore[arg-type]
    assert tried > 0
    assert failures == 0
