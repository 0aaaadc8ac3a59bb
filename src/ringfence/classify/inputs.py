"""Checks on the text given to the classifier: not empty, not huge, not binary.

Why strict: the classifier is exposed through the API and the CLI; an empty string has no verdict,
a megabyte of text is not an SMS (and would slow every worker), and a binary file piped by mistake
would produce a meaningless "legitimate". Each refusal says what was wrong and how to fix it.
"""

from __future__ import annotations

MAX_TEXT_CHARS = 20_000
"""Longest text accepted (characters): a long e-mail or a 10-minute call transcript fits."""

_MAX_NON_PRINTABLE_SHARE = 0.10


class ClassificationInputError(ValueError):
    """The text cannot be classified; the message says why and what to send instead."""


def validate_text(text: object) -> str:
    """Return `text` when it can be classified, else raise `ClassificationInputError`."""
    if not isinstance(text, str):
        raise ClassificationInputError(
            f"expected the message as text (str), got {type(text).__name__}; "
            "decode bytes as UTF-8 first"
        )
    if not text.strip():
        raise ClassificationInputError(
            "the message is empty or only white space; send the text of the SMS, e-mail or "
            "call transcript"
        )
    if len(text) > MAX_TEXT_CHARS:
        raise ClassificationInputError(
            f"the message has {len(text):,} characters, more than the {MAX_TEXT_CHARS:,} "
            "accepted; send one message at a time, or the first part of a long transcript"
        )
    if "\x00" in text:
        raise ClassificationInputError(
            "the message contains NUL bytes: it looks like a binary file, not text; send the "
            "message text (UTF-8)"
        )
    if text.isprintable():
        return text
    non_printable = sum(1 for c in text if not (c.isprintable() or c in "\n\r\t"))
    if non_printable > _MAX_NON_PRINTABLE_SHARE * len(text):
        raise ClassificationInputError(
            f"{non_printable} of {len(text)} characters are control characters: this looks "
            "like binary data, not a message; send the message text (UTF-8)"
        )
    return text
