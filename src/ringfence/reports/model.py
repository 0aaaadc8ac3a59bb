"""A citizen's report as received: the fields of issue 4, validated, with clear errors.

Fields: `number` (any written form), `occurred_at` (default now), `channel` (call, sms, email,
messaging), `category` (see `ringfence.reputation.Category`), `text` (optional message text),
`called_back`, `money_lost` and `language`. Nothing else: an unknown field is an error that names
it (a typo such as `categroy` must not silently drop the category).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from ringfence.domain.clock import as_utc
from ringfence.reputation.model import Category

MAX_TEXT_CHARS = 5000
"""Longest message text kept (an SMS is 160 characters, a long e-mail fits)."""

_E = TypeVar("_E", bound=StrEnum)

REPORT_FIELDS = (
    "number",
    "occurred_at",
    "channel",
    "category",
    "text",
    "called_back",
    "money_lost",
    "language",
)


class Channel(StrEnum):
    CALL = "call"
    SMS = "sms"
    EMAIL = "email"
    MESSAGING = "messaging"


class ReportError(ValueError):
    """A report that cannot be accepted. `field` names the culprit; `status` is the HTTP status
    the API answers (422 invalid, 409 duplicate vote, 429 rate limit, 400 bad token)."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        status: int = 422,
        code: str = "invalid-report",
        retry_after_s: int | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.status = status
        self.code = code
        self.retry_after_s = retry_after_s


@dataclass(frozen=True, slots=True)
class ReportInput:
    """The fields of a report, typed; the number is still as the reporter wrote it."""

    number: str
    category: Category
    channel: Channel = Channel.CALL
    occurred_at: datetime | None = None
    text: str | None = None
    called_back: bool = False
    money_lost: bool = False
    language: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ReportInput:
        """Read a JSON object; raise `ReportError` naming the first bad or unknown field."""
        unknown = sorted(set(data) - set(REPORT_FIELDS))
        if unknown:
            raise ReportError(
                f"unknown field {unknown[0]!r}; a report has the fields {', '.join(REPORT_FIELDS)}",
                field=unknown[0],
            )
        if not isinstance(data.get("number"), str) or not data["number"].strip():
            raise ReportError(
                "'number' is required: the number that called or wrote", field="number"
            )
        return cls(
            number=data["number"],
            category=_enum(Category, data.get("category"), "category", required=True),
            channel=_enum(Channel, data.get("channel", "call"), "channel", required=False),
            occurred_at=_moment(data.get("occurred_at")),
            text=_text(data.get("text")),
            called_back=_flag(data.get("called_back", False), "called_back"),
            money_lost=_flag(data.get("money_lost", False), "money_lost"),
            language=_language(data.get("language")),
        )


def _enum(kind: type[_E], value: Any, name: str, *, required: bool) -> _E:
    if value is None and not required:
        value = next(iter(kind)).value
    allowed = ", ".join(member.value for member in kind)
    if not isinstance(value, str):
        raise ReportError(f"'{name}' is required; one of: {allowed}", field=name)
    try:
        return kind(value)
    except ValueError:
        raise ReportError(f"'{name}' {value!r} is not one of: {allowed}", field=name) from None


def _moment(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    if not isinstance(value, str):
        raise ReportError("'occurred_at' must be an ISO 8601 date-time", field="occurred_at")
    try:
        return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        raise ReportError(
            f"'occurred_at' {value!r} is not an ISO 8601 date-time such as 2026-03-01T14:05:00Z",
            field="occurred_at",
        ) from None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReportError("'text' must be a string (the message as received)", field="text")
    if len(value) > MAX_TEXT_CHARS:
        raise ReportError(
            f"'text' has {len(value)} characters; at most {MAX_TEXT_CHARS} are kept: "
            "paste the start of the message",
            field="text",
        )
    return value.strip() or None


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise ReportError(f"'{name}' must be true or false", field=name)
    return value


def _language(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 2 <= len(value) <= 35:
        raise ReportError(
            "'language' must be a language tag such as fr, nl-BE or pt", field="language"
        )
    return value.strip().lower()
