"""`GET /health`: the server and its store answer."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from ringfence.api.deps import ServicesDep
from ringfence.api.routes.common import PROBLEM_RESPONSES, json_response
from ringfence.api.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=None,
    responses={200: {"model": HealthOut}, **PROBLEM_RESPONSES},
    summary="Health of the server and its store",
)
def health(svc: ServicesDep) -> Response:
    return json_response(
        {
            "status": "ok",
            "store": svc.store.kind,
            "schema_version": svc.store.schema_version(),
            "blocklist_version": svc.store.block_version(),
        }
    )
