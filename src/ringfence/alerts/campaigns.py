"""Detector findings into alert sources: which campaign a finding belongs to, what may be named.

Why a campaign key of our own: findings have stable ids per detector, kind and key, but some
detectors key by day or carrier (spoofed caller IDs), and the Wangiri callback finding is about
the same campaign as the one-ring range it answers. The key groups them: `one_ring:+39351`
collects the range's one-ring finding and its callbacks, `impersonation:<holder>` every day of
calls impersonating one protected service.

What may be named: ranges (`source_range`), numbers the detector marked blockable
(`source_number` that is not spoofed) and callback destinations (premium-rate lures). Never the
spoofed owner, a target or a subscriber at risk, and never a source number the detector says is
probably spoofed: those are counted in `withheld`. The finding's own title and reason are not
published either (they may quote a target's number); the alert's words come from
`ringfence/data/messages/alerts.json`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ringfence.alerts.model import AlertKind, AlertSubject, Source
from ringfence.alerts.policy import AlertPolicy
from ringfence.domain.findings import Finding, SubjectRole
from ringfence.domain.numbers import NumberError, NumberRange, NumberType, parse_number
from ringfence.reputation.findings import finding_category

_NAMED_ROLES = frozenset(
    {SubjectRole.SOURCE_RANGE, SubjectRole.SOURCE_NUMBER, SubjectRole.CALLBACK_DESTINATION}
)


_IMPERSONATED = {
    "bank": "bank_impersonation",
    "police": "police_impersonation",
    "operator": "operator_impersonation",
}


@dataclass(frozen=True, slots=True)
class Skipped:
    """A finding that did not become (part of) an alert, and why."""

    finding_id: str
    reason: str


def finding_source(
    finding: Finding, policy: AlertPolicy, home_country: str
) -> tuple[Source | None, Skipped | None, bool]:
    """The alert source of `finding`, or why it has none; the flag says "extends only"."""
    rule = policy.finding_rules.get(finding.kind)
    if rule is None:
        return None, Skipped(finding.finding_id, f"kind {finding.kind} is never public"), False
    reached = int(finding.counts.get(rule.count_key, 0))
    if reached < rule.minimum:
        reason = f"{rule.count_key} {reached} < {rule.minimum}"
        return None, Skipped(finding.finding_id, reason), False
    if finding.score < policy.min_score:
        reason = f"score {finding.score:.2f} < {policy.min_score}"
        return None, Skipped(finding.finding_id, reason), False
    subjects, withheld = _public_subjects(finding, home_country)
    params = _params(finding, rule.alert, subjects)
    source = Source(
        campaign=_campaign(finding, rule.alert, subjects),
        kind=rule.alert,
        category=_category(finding, rule.alert),
        ref=f"finding:{finding.finding_id}",
        first_seen=finding.first_seen,
        last_seen=finding.last_seen,
        counts=_counts(finding),
        subjects=tuple(subjects),
        withheld=withheld,
        params=params,
    )
    return source, None, rule.extends_only


def _public_subjects(finding: Finding, home_country: str) -> tuple[list[AlertSubject], int]:
    named: list[AlertSubject] = []
    withheld = 0
    for subject in finding.subjects:
        if subject.role not in _NAMED_ROLES or not subject.may_block:
            if subject.role in (SubjectRole.SOURCE_NUMBER, SubjectRole.SPOOFED_OWNER):
                withheld += 1
            continue
        canonical = _canonical(subject.value, subject.role, home_country)
        if canonical is None:
            withheld += 1
        elif canonical not in named:
            named.append(canonical)
    return named, withheld


def _canonical(value: str, role: SubjectRole, home_country: str) -> AlertSubject | None:
    """The subject in canonical form, or None when it cannot or may not be published."""
    if role is SubjectRole.SOURCE_RANGE:
        try:
            return AlertSubject(str(NumberRange.parse(value)), "range")
        except ValueError:
            return None
    try:
        number = parse_number(value, home_country)
    except NumberError:
        if role is SubjectRole.CALLBACK_DESTINATION:
            try:
                return AlertSubject(str(NumberRange.parse(value)), "range")
            except ValueError:
                return None
        return None
    if number.never_block or number.type is NumberType.ANONYMOUS or not number.is_e164:
        return None
    return AlertSubject(number.e164, "number")


def _campaign(finding: Finding, kind: AlertKind, subjects: list[AlertSubject]) -> str:
    details = finding.details
    if kind is AlertKind.ONE_RING:
        rng = str(details.get("range") or (subjects[0].value if subjects else finding.finding_id))
        return f"one_ring:{rng}"
    if kind is AlertKind.SILENT_CALLS:
        return f"silent:{details.get('cli_range', '')}:{details.get('ingress', '')}"
    if kind is AlertKind.IMPERSONATION:
        return f"impersonation:{details.get('holder') or finding.finding_id}"
    if kind is AlertKind.SPOOFED_CLI:
        return f"spoofed_cli:{finding.kind}"
    if kind is AlertKind.CALL_CENTRE:
        return f"call_centre:{details.get('range') or finding.finding_id}"
    ranges = [s.value for s in subjects if s.kind == "range"]
    return f"{kind.value}:{ranges[0] if ranges else finding.finding_id}"


def _category(finding: Finding, kind: AlertKind) -> str:
    if kind is AlertKind.IMPERSONATION:
        holder_kind = str(finding.details.get("category") or "bank")
        return _IMPERSONATED.get(holder_kind, "bank_impersonation")
    if kind is AlertKind.CALL_CENTRE:
        return "crypto_scam"
    if kind is AlertKind.ONE_RING:
        return "one_ring"
    return finding_category(finding)


def _counts(finding: Finding) -> dict[str, int]:
    """Only counts of calls and people: nothing that identifies a subscriber."""
    wanted = {
        "calls": "calls",
        "distinct_callees": "people",
        "callbacks": "callbacks",
        "subscribers_at_risk": "called_back",
    }
    return {out: int(finding.counts[key]) for key, out in wanted.items() if key in finding.counts}


def _params(finding: Finding, kind: AlertKind, subjects: list[AlertSubject]) -> dict[str, str]:
    params: dict[str, str] = {}
    country = finding.details.get("country")
    if isinstance(country, str) and len(country) == 2:
        params["country"] = country.upper()
    if kind is AlertKind.IMPERSONATION and finding.details.get("holder"):
        params["holder"] = str(finding.details["holder"])
    if kind is AlertKind.SILENT_CALLS and finding.details.get("likely_spoofed"):
        params["spoofed"] = "yes"
    return params
