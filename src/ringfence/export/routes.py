"""`GET /v1/blocklist/export` (operator scope) and `GET /v1/blocklist/public-key` (public).

The export answers the exact bytes of the list; when the server has a signing key, the headers
carry the detached Ed25519 signature of those bytes (`X-Ringfence-Signature`, base64) and the
key id (`X-Ringfence-Key-Id`), so a receiver verifies before parsing. The signing key is set on
the app with `configure_signing(app, key_or_path)` (`ringfence serve --sign-key` once wired).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter, FastAPI, Query, Request
from starlette.responses import Response

from ringfence.api.deps import ServicesDep, require
from ringfence.api.problems import ProblemError
from ringfence.api.routes.common import PROBLEM_RESPONSES
from ringfence.export import ExportError, ExportFormat, build_export
from ringfence.export.signing import key_id, load_private_key, public_pem

router = APIRouter(tags=["operators"])


def configure_signing(app: FastAPI, key: Ed25519PrivateKey | Path | None) -> None:
    """Sign exports of `app` with `key` (a key or the path of a PEM private key)."""
    app.state.blocklist_signing_key = load_private_key(key) if isinstance(key, Path) else key


def _signing_key(request: Request) -> Ed25519PrivateKey | None:
    key: Ed25519PrivateKey | None = getattr(request.app.state, "blocklist_signing_key", None)
    return key


@router.get(
    "/v1/blocklist/export",
    response_model=None,
    responses={
        200: {
            "description": "The list in the format asked, signed in X-Ringfence-Signature",
            "content": {
                "text/plain": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        },
        **PROBLEM_RESPONSES,
    },
    dependencies=[require("operator")],
    summary="The blocklist in a blocker's format (e164, patterns, csv, json, callblocker, ncid)",
)
def export(
    request: Request,
    svc: ServicesDep,
    format: Annotated[ExportFormat, Query(description="The file format.")] = ExportFormat.JSON,
    since: Annotated[
        int | None,
        Query(ge=0, le=2**62, description="Only the changes after this version (json, csv)."),
    ] = None,
) -> Response:
    """Spoofing victims, allow-listed, emergency and short numbers are never in it; ranges
    containing protected numbers are carved around them. Verify the signature with the key of
    `GET /v1/blocklist/public-key` before using the list."""
    svc.blocklist.sweep()
    key = _signing_key(request)
    try:
        made = build_export(svc.reputations, format, since=since, signing_key=key)
    except ExportError as error:
        raise ProblemError(422, "unsupported-delta", str(error), field="since") from None
    headers = {
        "X-Ringfence-Blocklist-Version": str(made.selection.version),
        "X-Ringfence-Excluded": json.dumps(made.selection.excluded_counts(), sort_keys=True),
        "Content-Disposition": f'attachment; filename="ringfence-blocklist{format.suffix}"',
    }
    if made.selection.more:
        headers["X-Ringfence-More"] = "true"
    if made.signature is not None and made.key_id is not None:
        headers["X-Ringfence-Signature"] = made.signature.strip()
        headers["X-Ringfence-Key-Id"] = made.key_id
    return Response(made.body, media_type=format.media_type, headers=headers)


@router.get(
    "/v1/blocklist/public-key",
    response_model=None,
    responses={
        200: {
            "description": "The Ed25519 public key (PEM) that signs the exports",
            "content": {"application/x-pem-file": {"schema": {"type": "string"}}},
        },
        **PROBLEM_RESPONSES,
    },
    summary="The public key that verifies blocklist exports",
)
def public_key(request: Request) -> Response:
    key = _signing_key(request)
    if key is None:
        raise ProblemError(
            404,
            "no-signing-key",
            "this server does not sign its exports: start it with a signing key "
            "(create one with `ringfence blocklist keygen --out DIR`)",
        )
    public = key.public_key()
    return Response(
        public_pem(public),
        media_type="application/x-pem-file",
        headers={"X-Ringfence-Key-Id": key_id(public)},
    )
