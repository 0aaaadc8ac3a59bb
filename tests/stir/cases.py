"""The verification test list as data: one `Case` per way a header must fail.

Split in two modules (`cases_call`: the call and its credentials; `cases_format`: the header,
token and claims) and run by `test_verify_cases.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ringfence.stir import StirFailure
from tests.stir.conftest import Kit

Build = Callable[[Kit], tuple[str | None, dict[str, Any]]]


@dataclass(frozen=True)
class Case:
    """A named failure: how to build the header (and verify options), what must fail, the code."""

    name: str
    build: Build
    failure: StirFailure
    code: int


def header_only(make: Callable[[Kit], str | None]) -> Build:
    return lambda kit: (make(kit), {})


def replace_segment(token: str, index: int, text: str) -> str:
    """The token with its `index`-th dot-separated part replaced by `text`."""
    parts = token.split(".")
    parts[index] = text
    return ".".join(parts)
