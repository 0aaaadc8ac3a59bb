"""The shipped allow-list: every row has a source and a date, and reads as a number."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ringfence.reputation.allowlist import Allowlist, AllowlistError, read_allowlist


def test_shipped_allowlist_has_sources() -> None:
    entries = Allowlist.default().entries()
    assert len(entries) >= 10
    countries = {e.country for e in entries}
    assert {"BE", "FR", "GB", "PT"} <= countries
    for entry in entries:
        assert entry.source.startswith("https://") or "libphonenumber" in entry.source
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry.checked)
    assert Allowlist.default().holder("+3270344344") == "Card Stop (blocking of bank cards)"


def test_a_bad_row_names_the_file_and_row(tmp_path: Path) -> None:
    path = tmp_path / "allow.csv"
    path.write_text("number,country,holder,kind,source,checked\nnot-a-number,BE,X,bank,u,d\n")
    with pytest.raises(AllowlistError, match=r"allow\.csv, row 2"):
        Allowlist.from_csv(path)
    with pytest.raises(AllowlistError, match="header"):
        read_allowlist("a,b\n1,2\n", "x.csv")
