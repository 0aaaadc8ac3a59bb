"""Public alerts: campaigns that crossed documented thresholds, in plain words.

Public API (see docs/web.md):

- `Alerts(reputations, policy=AlertPolicy())`: `.refresh()` (findings and report bursts in),
  `.add_findings(findings)`, `.current()`, `.recent(days)`, `.get(id)`;
- `AlertPolicy`: the thresholds; `Alert`, `AlertKind`, `AlertSubject`;
- `alert_to_dict(alert, language, home_country=)`, `atom_feed(...)`;
- `ringfence.alerts.routes.router`: `GET /v1/alerts`, `GET /v1/alerts/{id}`, `GET /alerts.atom`,
  `POST /v1/alerts/refresh`.
"""

from __future__ import annotations

from ringfence.alerts.model import Alert, AlertKind, AlertSubject, Source, alert_id
from ringfence.alerts.policy import AlertPolicy, FindingRule
from ringfence.alerts.publish import alert_to_dict, atom_feed
from ringfence.alerts.service import Alerts, RefreshSummary

__all__ = [
    "Alert",
    "AlertKind",
    "AlertPolicy",
    "AlertSubject",
    "Alerts",
    "FindingRule",
    "RefreshSummary",
    "Source",
    "alert_id",
    "alert_to_dict",
    "atom_feed",
]
