"""`GET /v1/lookup?prefix=`: the privacy-preserving lookup (k-anonymity, like the range API of
breached-password services).

How: the client computes SHA-256 of the number's E.164 form (`+32470123456`), sends the first
5 hex characters and receives every known number of that bucket as (full hash, level, score,
state...). It finds its own hash locally; the server never learns which number was meant among
the bucket's. Note: a phone number has few possible values, so a hash alone does not hide a
number from someone who has the hash; what this protects is the *question* (which number a
citizen is worried about), not the list.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from ringfence.api.deps import LimitedCallerDep, ServicesDep
from ringfence.api.routes.common import PROBLEM_RESPONSES, json_response
from ringfence.api.schemas import BucketOut
from ringfence.reputation.model import SubjectKind

router = APIRouter(tags=["numbers"])


@router.get(
    "/v1/lookup",
    response_model=None,
    responses={200: {"model": BucketOut}, **PROBLEM_RESPONSES},
    summary="k-anonymous lookup by hash prefix",
)
def lookup(
    svc: ServicesDep,
    who: LimitedCallerDep,
    prefix: Annotated[
        str,
        Query(
            description="First 5 hex characters of SHA-256(E.164 number).",
            pattern="^[0-9a-fA-F]{5}$",
        ),
    ],
) -> Response:
    bucket = svc.store.subjects_in_bucket(prefix.lower())
    evaluated = svc.reputations.evaluate_many((s, SubjectKind.NUMBER) for s, _ in bucket)
    entries = []
    for subject, digest in bucket:
        reputation, _ = evaluated[(subject, SubjectKind.NUMBER)]
        entries.append(
            {
                "hash": digest,
                "level": reputation.level.value,
                "score": reputation.score,
                "state": reputation.state.value,
                "blockable": reputation.blockable,
                "categories": dict(reputation.categories),
                "reports": reputation.counts.get("reports", 0)
                + reputation.counts.get("imported", 0),
            }
        )
    return json_response({"prefix": prefix.lower(), "entries": entries})
