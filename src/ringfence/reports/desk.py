"""The report desk: a citizen's report in, counted or held for moderation, referrals out.

Why one place: the API, the CLI and the web form must apply the same checks in the same order,
inside one transaction, so that two reports sent at once by the same client cannot both pass the
one-vote rule, and a report is stored together with its evidence and the blocklist changes it
causes or not at all. Order: token, number, time; then, under the reporter's and the number's
locks: rate limits, one vote per period, flood detection; then the writes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from ringfence.domain.numbers import NumberError, NumberType
from ringfence.reports.abuse import (
    AbusePolicy,
    Flood,
    assess_flood,
    check_rates,
    check_time,
    check_vote,
)
from ringfence.reports.model import ReportError, ReportInput
from ringfence.reports.referrals import Referral, referrals_for
from ringfence.reports.reporters import Pseudonymizer
from ringfence.reports.suggest import suggest_category
from ringfence.reputation.blocklist import Blocklist
from ringfence.reputation.explain import LANGUAGES, pick_language
from ringfence.reputation.service import Reputations
from ringfence.reputation.store import (
    ModerationItem,
    ModerationKind,
    ModerationStatus,
    ReportRecord,
    ReportStatus,
)
from ringfence.reputation.view import NumberView


@dataclass(frozen=True, slots=True)
class Submission:
    """A stored report, the number's reputation after it, and where else to report it."""

    report: ReportRecord
    view: NumberView
    referrals: tuple[Referral, ...]
    held: bool
    """True when the report waits for a moderator instead of counting now."""
    moderation_id: str | None


class ReportDesk:
    """Takes citizens' reports."""

    def __init__(
        self,
        reputations: Reputations,
        *,
        abuse: AbusePolicy | None = None,
        pseudonymizer: Pseudonymizer | None = None,
    ) -> None:
        self.reputations = reputations
        self.store = reputations.store
        self.abuse = abuse or AbusePolicy()
        self.pseudonymizer = pseudonymizer or Pseudonymizer.for_store(self.store)
        self.blocklist = Blocklist(reputations)

    def submit(
        self,
        data: ReportInput,
        *,
        client_token: str | None,
        ip: str | None = None,
        country: str | None = None,
        source: str = "citizen",
        reply_language: str | None = None,
    ) -> Submission:
        """Check and store one report; raises `ReportError` (with the HTTP status to answer)."""
        reporter = self.pseudonymizer.reporter(client_token or "")
        ip_hash = self.pseudonymizer.ip(ip) if ip else None
        try:
            number = self.reputations.parse(data.number)
        except NumberError as error:
            raise ReportError(str(error), field="number", code="invalid-number") from None
        if number.type is NumberType.EMERGENCY:
            raise ReportError(
                f"{number.e164} is an emergency number: it cannot be reported and is never blocked",
                field="number",
                code="emergency-number",
            )
        now = self.reputations.clock.now()
        occurred = data.occurred_at or now
        check_time(occurred, now, self.abuse)
        home = (country or self.reputations.home_country).upper()
        language = reply_language if reply_language in LANGUAGES else _language(data.language)
        allowlisted = self.reputations.allowlist().holder(number.e164) is not None
        suggested = suggest_category(data.text, home)
        with self.store.transaction():
            self.store.lock(f"reporter:{reporter}")
            self.store.lock(f"number:{number.e164}")
            check_rates(self.store, reporter, ip_hash, now, self.abuse)
            check_vote(self.store, reporter, number.e164, now, self.abuse)
            first_seen = self.store.reporter_first_seen(reporter)
            is_new = first_seen is None or first_seen > now - self.abuse.new_reporter_age
            flood = assess_flood(
                self.store,
                number.e164,
                allowlisted=allowlisted,
                reporter_is_new=is_new,
                now=now,
                policy=self.abuse,
            )
            report = ReportRecord(
                id=f"rep-{secrets.token_urlsafe(16)}",
                number=number.e164,
                number_raw=data.number,
                occurred_at=occurred,
                received_at=now,
                channel=data.channel.value,
                category=data.category.value,
                text=data.text,
                called_back=data.called_back,
                money_lost=data.money_lost,
                language=data.language,
                country=number.country,
                source=source,
                reporter=reporter,
                ip_hash=ip_hash,
                status=ReportStatus.HELD if flood.hold else ReportStatus.COUNTED,
                suggested_category=suggested,
                details={"referral_country": home},
            )
            self.store.touch_reporter(reporter, now)
            moderation_id = self._store(report, flood, now)
        view = self.reputations.view(number)
        referrals = referrals_for(
            home,
            channel=report.channel,
            number=report.number,
            text=report.text,
            money_lost=report.money_lost,
            language=language,
        )
        return Submission(
            report=self.store.get_report(report.id) or report,
            view=view,
            referrals=tuple(referrals),
            held=flood.hold,
            moderation_id=moderation_id,
        )

    def _store(self, report: ReportRecord, flood: Flood, now: datetime) -> str | None:
        """Write the report and its consequences (inside the caller's transaction)."""
        self.store.add_report(report)
        if not flood.hold:
            rows = self.reputations.report_evidence(report)
            self.store.add_evidence(rows)
            self.blocklist.reconcile(self.reputations.subjects_of(rows))
            return None
        item = flood.item
        if item is None:
            item = ModerationItem(
                id=f"mod-{secrets.token_urlsafe(12)}",
                kind=ModerationKind.FLOOD,
                subject=report.number,
                status=ModerationStatus.OPEN,
                created_at=now,
                updated_at=now,
                details={"reason": flood.reason, "reports": [*flood.pull_back, report.id]},
            )
            self.store.add_moderation(item)
            touched = set()
            for report_id in flood.pull_back:
                touched |= set(self.store.remove_evidence(report_id))
            self.store.set_report_status(flood.pull_back, ReportStatus.HELD, item.id)
            self.blocklist.reconcile(touched)
        else:
            reports = [*item.details.get("reports", []), report.id]
            item = ModerationItem(
                item.id,
                item.kind,
                item.subject,
                item.status,
                item.created_at,
                now,
                {**item.details, "reports": reports},
                item.resolution,
                item.note,
            )
            self.store.update_moderation(item)
        self.store.set_report_status([report.id], ReportStatus.HELD, item.id)
        return item.id

    def get(self, report_id: str) -> ReportRecord | None:
        return self.store.get_report(report_id)


def _language(tag: str | None) -> str:
    return pick_language(tag)
