"""Operator endpoints (scope `operator`): push findings, read blocklist deltas, decide.

`POST /v1/findings` takes the findings of an analysis, as a JSON list of `Finding.to_dict()`
objects (`Content-Type: application/json`) or as JSON lines (`application/x-ndjson`), and
applies them by role (see `ringfence.reputation.findings`). Pushing the same findings again
changes nothing.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import ValidationError
from starlette.responses import Response

from ringfence.api.deps import ServicesDep, require
from ringfence.api.problems import ProblemError
from ringfence.api.routes.common import PROBLEM_RESPONSES, json_response
from ringfence.api.schemas import (
    ApplyOut,
    BlocklistOut,
    DecisionBody,
    DecisionOut,
    FindingIn,
    FindingOut,
)
from ringfence.domain.findings import Finding, SubjectRole
from ringfence.reputation.decisions import decide

router = APIRouter(tags=["operators"])

_SUBJECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["value", "role"],
    "additionalProperties": False,
    "properties": {
        "value": {"type": "string", "minLength": 1, "maxLength": 64},
        "role": {"type": "string", "enum": [r.value for r in SubjectRole]},
        "blockable": {"type": ["boolean", "null"]},
    },
}
_FINDING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "finding_id", "detector", "kind", "title", "reason", "score", "first_seen", "last_seen",
    ],
    "additionalProperties": False,
    "properties": {
        "finding_id": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S"},
        "detector": {"type": "string", "maxLength": 200},
        "kind": {"type": "string", "maxLength": 200},
        "title": {"type": "string", "maxLength": 2000},
        "reason": {"type": "string", "maxLength": 10000},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "first_seen": {"type": "string", "format": "date-time"},
        "last_seen": {"type": "string", "format": "date-time"},
        "counts": {"type": "object", "additionalProperties": {"type": "number"}},
        "subjects": {"type": "array", "items": _SUBJECT_SCHEMA},
        "evidence": {"type": "array", "items": {"type": "string"}},
        "details": {"type": "object"},
    },
}  # fmt: skip
"""The documented form of `FindingIn` (kept beside it: the body is read raw, for JSON lines)."""


def _blocklist_change(change: Any) -> dict[str, Any]:
    data: dict[str, Any] = change.to_dict()
    return data


@router.post(
    "/v1/findings",
    response_model=None,
    responses={200: {"model": ApplyOut}, **PROBLEM_RESPONSES},
    dependencies=[require("operator")],
    summary="Push detector findings (JSON list or JSON lines)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "array", "items": _FINDING_SCHEMA}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
)
async def push_findings(request: Request, svc: ServicesDep) -> Response:
    raw = await request.body()
    findings = _parse_findings(raw, request.headers.get("content-type", ""))
    summary = svc.findings.apply(findings)
    svc.cache.clear()
    return json_response(summary.to_dict())


def _parse_findings(raw: bytes, content_type: str) -> list[Finding]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProblemError(400, "invalid-body", "the body is not UTF-8 text") from None
    items: list[tuple[str, Any]] = []
    try:
        if "ndjson" in content_type or "jsonl" in content_type:
            for number, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    items.append((f"line {number}", json.loads(line)))
        else:
            data = json.loads(text) if text.strip() else None
            if not isinstance(data, list):
                raise ProblemError(
                    422,
                    "invalid-findings",
                    "send a JSON list of findings (Finding.to_dict()), or JSON lines with "
                    "Content-Type: application/x-ndjson",
                )
            items = [(f"item {index}", item) for index, item in enumerate(data)]
    except json.JSONDecodeError as error:
        raise ProblemError(400, "invalid-json", f"the body is not valid JSON: {error}") from None
    findings = []
    for where, item in items:
        try:
            checked = FindingIn.model_validate(item)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "finding"
            raise ProblemError(
                422,
                "invalid-finding",
                f"{where} is not a finding: {field}: {first['msg']}",
                where=where,
            ) from None
        try:
            findings.append(Finding.from_dict(checked.model_dump(mode="json")))
        except ValueError as error:
            raise ProblemError(
                422, "invalid-finding", f"{where} is not a finding: {error}", where=where
            ) from None
    return findings


@router.get(
    "/v1/findings/{finding_id}",
    response_model=None,
    responses={200: {"model": FindingOut}, **PROBLEM_RESPONSES},
    dependencies=[require("operator")],
    summary="A stored finding with its private subjects (targets, subscribers at risk)",
)
def get_finding(
    finding_id: Annotated[str, Path(min_length=1, max_length=200)], svc: ServicesDep
) -> Response:
    stored = svc.store.get_finding(finding_id)
    if stored is None:
        raise ProblemError(404, "not-found", f"no finding {finding_id!r}")
    body, private = stored
    return json_response(
        {
            "finding": json.loads(body),
            "private_subjects": [{"subject": s, "role": r} for s, r in private],
        }
    )


@router.get(
    "/v1/blocklist",
    response_model=None,
    responses={200: {"model": BlocklistOut}, **PROBLEM_RESPONSES},
    dependencies=[require("operator")],
    summary="Blocklist changes after a version",
)
def blocklist(
    svc: ServicesDep,
    since: Annotated[int, Query(ge=0, le=2**62, description="The version you have (0: all).")] = 0,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
) -> Response:
    """Apply the `add` (add or update) and `remove` changes in order, then keep `version` and
    ask again with `since=version`. Entries that have expired are removed first."""
    svc.blocklist.sweep()
    delta = svc.blocklist.changes(since, limit)
    return json_response(
        {
            "since": delta.since,
            "version": delta.version,
            "more": delta.more,
            "changes": [_blocklist_change(c) for c in delta.changes],
        }
    )


@router.post(
    "/v1/decisions",
    status_code=201,
    response_model=None,
    responses={201: {"model": DecisionOut}, **PROBLEM_RESPONSES},
    summary="Record an operator's decision about a number or range",
)
def post_decision(
    body: DecisionBody, svc: ServicesDep, who: Annotated[Any, require("operator")]
) -> Response:
    expires = (
        svc.clock.now() + timedelta(days=body.expires_in_days) if body.expires_in_days else None
    )
    try:
        decision = decide(
            svc.reputations,
            body.subject,
            body.verdict,
            kind=body.kind,
            reason=body.reason,
            expires_at=expires,
            actor=who.key.name if who.key else "operator",
        )
    except ValueError as error:
        raise ProblemError(422, "invalid-subject", str(error), field="subject") from None
    svc.cache.clear()
    return json_response(
        {
            "decision_id": decision.decision_id,
            "subject": decision.subject,
            "subject_kind": decision.subject_kind.value,
            "verdict": decision.verdict.value,
            "blocklist_changes": [_blocklist_change(c) for c in decision.changes],
        },
        201,
    )
