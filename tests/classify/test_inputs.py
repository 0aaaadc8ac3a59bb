"""Input errors: empty, huge and binary texts are refused with a clear message."""

from __future__ import annotations

import pytest

from ringfence.classify import MAX_TEXT_CHARS, ClassificationInputError, classify_text
from ringfence.classify.inputs import validate_text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("a" * (MAX_TEXT_CHARS + 1), "more than"),
        ("PK\x03\x04\x00\x00binary", "NUL"),
        ("\x01\x02\x03\x04\x05\x06\x07\x08 abc", "binary"),
    ],
)
def test_bad_inputs_are_refused_with_a_reason(text: str, words: str) -> None:
    with pytest.raises(ClassificationInputError, match=words):
        classify_text(text)


def test_non_text_is_refused() -> None:
    with pytest.raises(ClassificationInputError, match="decode bytes"):
        validate_text(b"bytes")


def test_the_longest_accepted_text_is_classified() -> None:
    text = ("Your parcel is waiting. " * (MAX_TEXT_CHARS // 24 + 1))[:MAX_TEXT_CHARS]
    assert len(text) == MAX_TEXT_CHARS
    assert classify_text(text).type


def test_the_error_is_a_value_error() -> None:
    assert issubclass(ClassificationInputError, ValueError)


def test_tabs_and_newlines_are_text() -> None:
    assert validate_text("line one\n\tline two\r\n") == "line one\n\tline two\r\n"
