"""`POST /v1/screen` (scope `operator`): one call setup in, one verdict out, before it rings.

The screener is the same as `ringfence screen` and `ringfence sip` (`build_screener`), with a
reputation snapshot of this server's store that is rebuilt at most every
`SNAPSHOT_MAX_AGE_S` seconds, so a verdict never waits for a database query.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from ringfence.api.deps import ServicesDep, require
from ringfence.api.problems import ProblemError
from ringfence.api.routes.common import PROBLEM_RESPONSES, json_response
from ringfence.domain.verdicts import CallSetup
from ringfence.reputation.snapshot import ReputationSnapshot
from ringfence.screen import Screener, build_screener
from ringfence.screen.reputation_view import snapshot_lookup

router = APIRouter(tags=["screening"])

SNAPSHOT_MAX_AGE_S = 60.0


class CallSetupIn(BaseModel):
    """A call as the network sees it at set-up. Numbers in any written form."""

    model_config = ConfigDict(extra="forbid")

    caller: str = Field(min_length=1, max_length=64, description="CLI as presented.")
    callee: str = Field(min_length=1, max_length=64)
    direction: Literal["inbound", "outbound", "transit"] = "inbound"
    ingress: Literal["national", "international"] = "national"
    carrier: str | None = Field(default=None, max_length=100)
    identity: str | None = Field(
        default=None,
        max_length=8192,
        pattern=r"^[\x20-\x7e]*$",
        description="SIP Identity header (PASSporT), if any: printable ASCII, as in SIP.",
    )
    at: str | None = Field(
        default=None,
        max_length=40,
        pattern=r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$",
        description="Event time, ISO 8601 (UTC when no zone); default now.",
    )
    call_id: str | None = Field(default=None, max_length=200)


class _ScreenerHolder:
    """One screener per app; its reputation snapshot is refreshed when older than a minute."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._screener: Screener | None = None
        self._built = 0.0

    def get(self, svc: ServicesDep) -> Screener:
        now = time.monotonic()
        with self._lock:
            if self._screener is None:
                self._screener = build_screener(svc.settings)
            if now - self._built > SNAPSHOT_MAX_AGE_S:
                snapshot = ReputationSnapshot.build(
                    svc.store, clock=svc.clock, home_country=svc.settings.home_country
                )
                self._screener.reputation = snapshot_lookup(snapshot)
                self._built = now
            return self._screener


def _holder(request: Request) -> _ScreenerHolder:
    holder: _ScreenerHolder | None = getattr(request.app.state, "screener_holder", None)
    if holder is None:
        holder = request.app.state.screener_holder = _ScreenerHolder()
    return holder


@router.post(
    "/v1/screen",
    response_model=None,
    responses=PROBLEM_RESPONSES,
    summary="Screen one call before it rings: allow, label, warn, voicemail or block",
    dependencies=[require("operator")],
)
def screen(body: CallSetupIn, request: Request, svc: ServicesDep) -> Response:
    screener = _holder(request).get(svc)
    try:
        at = datetime.fromisoformat(body.at) if body.at else svc.clock.now()
    except ValueError as error:
        raise ProblemError(422, "invalid-call-setup", f"at={body.at!r}: {error}") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    setup = CallSetup(
        caller=body.caller, callee=body.callee, at=at, direction=body.direction,
        ingress=body.ingress, carrier=body.carrier, identity=body.identity,
        call_id=body.call_id,
    )  # fmt: skip
    try:
        verdict = screener.screen(setup)
    except ValueError as error:
        raise ProblemError(422, "invalid-call-setup", str(error)) from None
    return json_response(verdict.to_dict())
