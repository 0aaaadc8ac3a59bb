"""Moderation endpoints (scope `moderator`): the queue, an item with its reports, resolving."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from ringfence.api.deps import ServicesDep, require
from ringfence.api.problems import ProblemError
from ringfence.api.routes.common import PROBLEM_RESPONSES, json_response, report_out
from ringfence.api.schemas import ModerationDetailOut, ModerationOut, ResolveBody
from ringfence.reports.moderation import ModerationError
from ringfence.reputation.store import ModerationItem, ModerationStatus

router = APIRouter(tags=["moderation"])
ItemPath = Annotated[str, Path(min_length=1, max_length=100)]


def item_out(item: ModerationItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "subject": item.subject,
        "status": item.status.value,
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
        "details": dict(item.details),
        "resolution": item.resolution,
        "note": item.note,
    }


@router.get(
    "/v1/moderation",
    response_model=None,
    responses={200: {"model": list[ModerationOut]}, **PROBLEM_RESPONSES},
    dependencies=[require("moderator")],
    summary="The moderation queue",
)
def queue(
    svc: ServicesDep,
    status: ModerationStatus | None = ModerationStatus.OPEN,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    """Floods of reports and appeals, oldest first (`status` open by default)."""
    return json_response([item_out(i) for i in svc.moderation.queue(status, limit, offset)])


@router.get(
    "/v1/moderation/{item_id}",
    response_model=None,
    responses={200: {"model": ModerationDetailOut}, **PROBLEM_RESPONSES},
    dependencies=[require("moderator")],
    summary="One moderation item with its reports",
)
def item(item_id: ItemPath, svc: ServicesDep) -> Response:
    try:
        found, reports = svc.moderation.item(item_id)
    except ModerationError as error:
        raise ProblemError(error.status, error.code, str(error)) from None
    return json_response({**item_out(found), "reports": [report_out(r) for r in reports]})


@router.post(
    "/v1/moderation/{item_id}/resolve",
    response_model=None,
    responses={200: {"model": ModerationOut}, **PROBLEM_RESPONSES},
    summary="Resolve an item: confirm or reject a flood, grant or deny an appeal",
)
def resolve(
    item_id: ItemPath,
    body: ResolveBody,
    svc: ServicesDep,
    who: Annotated[Any, require("moderator")],
) -> Response:
    try:
        resolved = svc.moderation.resolve(
            item_id, body.action, note=body.note, actor=who.key.name if who.key else "moderator"
        )
    except ModerationError as error:
        raise ProblemError(error.status, error.code, str(error)) from None
    svc.cache.clear()
    return json_response(item_out(resolved))
