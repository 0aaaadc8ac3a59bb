"""Request and response bodies of the HTTP API, as pydantic models (they make the OpenAPI
document at /docs and validate requests; unknown fields are rejected with 422)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ringfence.domain.findings import SubjectRole
from ringfence.reports.model import MAX_TEXT_CHARS, Channel
from ringfence.reports.moderation import MAX_CONTACT_CHARS, MAX_STATEMENT_CHARS
from ringfence.reputation.model import Category, Level, State, SubjectKind, Verdict


class Strict(BaseModel):
    """Request bodies: unknown fields rejected, no type coercion (`"1"` is not a number, `0` is
    not `false`); enumerations take their documented values."""

    model_config = ConfigDict(extra="forbid", strict=True)


DATE_TIME: dict[str, Any] = {"format": "date-time"}
"""Date-times are read by ringfence itself (ISO 8601), so that `0` is never taken for 1970."""


# -- requests ----------------------------------------------------------------------------------


class ReportBody(Strict):
    """A citizen's report. Send a random client token in the `X-Client-Token` header."""

    number: str = Field(
        min_length=1,
        max_length=64,
        description="The number, in any written form.",
        examples=["0470 12 34 56", "+39 351 123 4567"],
    )
    occurred_at: str | None = Field(
        default=None,
        description="When the call or message came, ISO 8601 (default: now).",
        json_schema_extra=DATE_TIME,
    )
    channel: Channel = Field(default=Channel.CALL, strict=False)
    category: Category = Field(strict=False)
    text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS, description="The message.")
    called_back: bool = False
    money_lost: bool = False
    language: str | None = Field(default=None, min_length=2, max_length=35, examples=["fr"])


class AppealBody(Strict):
    """The holder of a number contests its level."""

    statement: str = Field(min_length=1, max_length=MAX_STATEMENT_CHARS)
    contact: str | None = Field(default=None, max_length=MAX_CONTACT_CHARS)


class ResolveBody(Strict):
    action: str = Field(
        description="flood items: confirm | reject; appeals: grant | deny",
        pattern="^(confirm|reject|grant|deny)$",
    )
    note: str = Field(min_length=1, max_length=MAX_STATEMENT_CHARS)


class DecisionBody(Strict):
    subject: str = Field(min_length=1, max_length=64, examples=["+39351", "+32470123456"])
    kind: SubjectKind = Field(default=SubjectKind.NUMBER, strict=False)
    verdict: Verdict = Field(strict=False)
    reason: str = Field(min_length=1, max_length=500)
    expires_in_days: float | None = Field(default=None, ge=1 / 1440, le=3650)


class SubjectIn(Strict):
    value: str = Field(min_length=1, max_length=64)
    role: SubjectRole = Field(strict=False)
    blockable: bool | None = None


class FindingIn(Strict):
    """One finding as `Finding.to_dict()` writes it (checked before it is applied)."""

    finding_id: str = Field(min_length=1, max_length=200, pattern=r"\S")
    detector: str = Field(max_length=200)
    kind: str = Field(max_length=200)
    title: str = Field(max_length=2000)
    reason: str = Field(max_length=10_000)
    score: float = Field(ge=0, le=1)
    first_seen: str = Field(json_schema_extra=DATE_TIME)
    last_seen: str = Field(json_schema_extra=DATE_TIME)
    counts: dict[str, float] = Field(default_factory=dict)
    subjects: list[SubjectIn] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)


class ClassifyBody(Strict):
    text: str = Field(description="The message (the classifier accepts up to 20,000 characters).")
    home_country: str | None = Field(default=None, pattern="^[A-Za-z]{2}$")


# -- responses ---------------------------------------------------------------------------------


class ReasonOut(BaseModel):
    code: str
    text: str
    params: dict[str, Any]


class AdviceOut(BaseModel):
    code: str
    text: str


class RangeOut(BaseModel):
    range: str
    level: Level
    score: float
    blockable: bool
    counts: dict[str, int]
    categories: dict[str, int]


class NumberOut(BaseModel):
    number: str
    country: str | None
    number_type: str
    validity: str
    level: Level
    level_label: str
    score: float = Field(ge=0, le=100)
    state: State
    shown_by_scammers: bool
    blockable: bool
    never_block: bool
    allowlisted: str | None
    decision: Verdict | None
    categories: dict[str, int]
    counts: dict[str, int]
    first_seen: datetime | None
    last_seen: datetime | None
    language: str
    reasons: list[ReasonOut]
    advice: list[AdviceOut]
    ranges: list[RangeOut]
    as_of: datetime


class BucketEntryOut(BaseModel):
    hash: str
    level: Level
    score: float
    state: State
    blockable: bool
    categories: dict[str, int]
    reports: int


class BucketOut(BaseModel):
    prefix: str
    entries: list[BucketEntryOut]


class ReferralOut(BaseModel):
    id: str
    name: str
    kind: str
    address: str
    send: str
    how: str
    source: str


class ReportOut(BaseModel):
    id: str
    number: str
    occurred_at: datetime
    received_at: datetime
    channel: str
    category: str
    suggested_category: str | None
    text: str | None
    called_back: bool
    money_lost: bool
    language: str | None
    source: str
    status: str


class SubmissionOut(BaseModel):
    report: ReportOut
    held_for_moderation: bool
    reputation: NumberOut
    referrals: list[ReferralOut]


class ModerationOut(BaseModel):
    id: str
    kind: str
    subject: str
    status: str
    created_at: datetime
    updated_at: datetime
    details: dict[str, Any]
    resolution: str | None
    note: str | None


class ModerationDetailOut(ModerationOut):
    reports: list[ReportOut]


class BlockChangeOut(BaseModel):
    version: int
    action: str
    subject: str
    subject_kind: str
    category: str
    reason: str
    sources: list[str]
    score: float
    expires_at: datetime | None
    at: datetime


class BlocklistOut(BaseModel):
    since: int
    version: int
    more: bool
    changes: list[BlockChangeOut]


class DecisionOut(BaseModel):
    decision_id: str
    subject: str
    subject_kind: SubjectKind
    verdict: Verdict
    blocklist_changes: list[BlockChangeOut]


class ApplyOut(BaseModel):
    read: int
    applied: int
    unchanged: int
    evidence_rows: int
    roles: dict[str, int]
    private_subjects: int
    rejected: list[dict[str, str]]
    blocklist_changes: int


class FindingOut(BaseModel):
    finding: dict[str, Any]
    private_subjects: list[dict[str, str]]


class HealthOut(BaseModel):
    status: str
    store: str
    schema_version: int
    blocklist_version: int
