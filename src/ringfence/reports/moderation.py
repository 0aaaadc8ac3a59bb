"""Moderation: floods of reports wait for a moderator; holders of numbers appeal their level.

Why a queue: the score must not be steerable by whoever creates the most tokens, and a number's
holder (a shop whose number scammers showed, a doctor's practice) must be able to contest a bad
level. A flood item holds its reports out of the score until a moderator `confirm`s them (they
count) or `reject`s them (they never count). An appeal carries the evidence as it stood when it
was filed; `grant` records a `safe` decision for the number (for `safe_days`, 180 by default),
`deny` leaves the level as it is. Every resolution keeps who and why.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import timedelta

from ringfence.domain.numbers import NumberError
from ringfence.reports.reporters import Pseudonymizer
from ringfence.reputation.blocklist import Blocklist
from ringfence.reputation.decisions import decide
from ringfence.reputation.model import SubjectKind, Verdict
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import (
    ModerationItem,
    ModerationKind,
    ModerationStatus,
    ReportRecord,
    ReportStatus,
)

MAX_STATEMENT_CHARS = 2000
MAX_CONTACT_CHARS = 200
EVIDENCE_PERIOD = timedelta(days=90)

_ACTIONS = {
    ModerationKind.FLOOD: {
        "confirm": ModerationStatus.CONFIRMED,
        "reject": ModerationStatus.REJECTED,
    },
    ModerationKind.APPEAL: {"grant": ModerationStatus.GRANTED, "deny": ModerationStatus.DENIED},
}


class ModerationError(ValueError):
    """A moderation request that cannot be done; `status` is the HTTP status to answer."""

    def __init__(self, message: str, *, status: int = 409, code: str = "moderation-conflict"):
        super().__init__(message)
        self.status = status
        self.code = code


class Moderation:
    """The moderation queue over one store."""

    def __init__(self, reputations: Reputations, *, safe_days: int = 180) -> None:
        self.reputations = reputations
        self.store = reputations.store
        self.blocklist = Blocklist(reputations)
        self.safe_days = safe_days

    def queue(
        self,
        status: ModerationStatus | None = ModerationStatus.OPEN,
        limit: int = 50,
        offset: int = 0,
    ) -> list[ModerationItem]:
        return self.store.list_moderation(status, limit, offset)

    def item(self, item_id: str) -> tuple[ModerationItem, list[ReportRecord]]:
        item = self.store.get_moderation(item_id)
        if item is None:
            raise ModerationError(f"no moderation item {item_id!r}", status=404, code="not-found")
        return item, self.store.reports_by_ids(item.details.get("reports", []))

    def resolve(self, item_id: str, action: str, *, note: str, actor: str) -> ModerationItem:
        """Apply a moderator's `action` (flood: confirm|reject; appeal: grant|deny)."""
        with self.store.transaction():
            self.store.lock(f"moderation:{item_id}")
            item, reports = self.item(item_id)
            allowed = _ACTIONS[item.kind]
            if action not in allowed:
                raise ModerationError(
                    f"a {item.kind.value} item takes the actions {', '.join(allowed)}, "
                    f"not {action!r}",
                    status=422,
                    code="bad-action",
                )
            if item.status is not ModerationStatus.OPEN:
                raise ModerationError(f"item {item_id} was already resolved ({item.status.value})")
            if item.kind is ModerationKind.FLOOD:
                self._resolve_flood(item, reports, action == "confirm")
            elif action == "grant":
                decide(
                    self.reputations,
                    item.subject,
                    Verdict.SAFE,
                    kind=SubjectKind.NUMBER,
                    reason=f"appeal {item.id} granted: {note}",
                    expires_at=self.reputations.clock.now() + timedelta(days=self.safe_days),
                    actor=actor,
                )
            resolved = replace(
                item,
                status=allowed[action],
                updated_at=self.reputations.clock.now(),
                resolution=f"{action} by {actor}",
                note=note[:MAX_STATEMENT_CHARS],
            )
            self.store.update_moderation(resolved)
        return resolved

    def _resolve_flood(
        self, item: ModerationItem, reports: list[ReportRecord], confirm: bool
    ) -> None:
        held = [r for r in reports if r.status is ReportStatus.HELD]
        ids = [r.id for r in held]
        if not confirm:
            self.store.set_report_status(ids, ReportStatus.REJECTED, item.id)
            return
        rows = [row for report in held for row in self.reputations.report_evidence(report)]
        self.store.add_evidence(rows)
        self.store.set_report_status(ids, ReportStatus.COUNTED, item.id)
        self.blocklist.reconcile(self.reputations.subjects_of(rows))

    def appeal(
        self,
        number: str,
        statement: str,
        *,
        client_token: str | None,
        contact: str | None = None,
        pseudonymizer: Pseudonymizer | None = None,
    ) -> ModerationItem:
        """File an appeal by the holder of `number`, with the evidence as it stands now."""
        appellant = (pseudonymizer or Pseudonymizer.for_store(self.store)).reporter(
            client_token or ""
        )
        try:
            parsed = self.reputations.parse(number)
        except NumberError as error:
            raise ModerationError(str(error), status=422, code="invalid-number") from None
        statement = statement.strip()
        if not statement or len(statement) > MAX_STATEMENT_CHARS:
            raise ModerationError(
                f"'statement' must say why the level is wrong, in 1 to {MAX_STATEMENT_CHARS} "
                "characters",
                status=422,
                code="invalid-appeal",
            )
        if contact is not None and len(contact) > MAX_CONTACT_CHARS:
            raise ModerationError(
                f"'contact' has at most {MAX_CONTACT_CHARS} characters",
                status=422,
                code="invalid-appeal",
            )
        now = self.reputations.clock.now()
        view = self.reputations.view(parsed)
        counted = [
            r.id
            for r in self.store.reports_on(parsed.e164, now - EVIDENCE_PERIOD)
            if r.status is ReportStatus.COUNTED
        ]
        with self.store.transaction():
            self.store.lock(f"appeal:{parsed.e164}")
            if self.store.open_moderation(ModerationKind.APPEAL.value, parsed.e164) is not None:
                raise ModerationError(
                    f"an appeal about {parsed.e164} is already open; a moderator will answer it"
                )
            item = ModerationItem(
                id=f"mod-{secrets.token_urlsafe(12)}",
                kind=ModerationKind.APPEAL,
                subject=parsed.e164,
                status=ModerationStatus.OPEN,
                created_at=now,
                updated_at=now,
                details={
                    "statement": statement,
                    "contact": contact,
                    "appellant": appellant,
                    "reports": counted,
                    "evidence": view.to_dict("en"),
                },
            )
            self.store.add_moderation(item)
        return item
