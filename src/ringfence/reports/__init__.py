"""Citizens' reports: intake with anti-abuse rules, moderation, referrals, public-data import.

Public API (see docs/reputation.md):

- `ReportDesk(reputations).submit(ReportInput, client_token=..., ip=...) -> Submission`;
- `Moderation(reputations)`: `.queue()`, `.resolve(id, action, note=, actor=)`, `.appeal(...)`;
- `referrals_for(country, channel=, number=, text=, money_lost=, language=)`;
- `import_ftc_dnc(path, reputations) -> ImportSummary`.
"""

from __future__ import annotations

from ringfence.reports.abuse import AbusePolicy
from ringfence.reports.desk import ReportDesk, Submission
from ringfence.reports.ftc import ImportFormatError, ImportSummary, import_ftc_dnc
from ringfence.reports.model import Channel, ReportError, ReportInput
from ringfence.reports.moderation import Moderation, ModerationError
from ringfence.reports.referrals import Referral, referrals_for
from ringfence.reports.reporters import Pseudonymizer

__all__ = [
    "AbusePolicy",
    "Channel",
    "ImportFormatError",
    "ImportSummary",
    "Moderation",
    "ModerationError",
    "Pseudonymizer",
    "Referral",
    "ReportDesk",
    "ReportError",
    "ReportInput",
    "Submission",
    "import_ftc_dnc",
    "referrals_for",
]
