"""Per-call screening before the phone rings: `Screener`, its policy, and replays.

`build_screener(settings, ...)` assembles a screener from the shipped (or given) policy and
country preset, the do-not-originate list, the roaming allow-list and a reputation snapshot of
the store, so the CLI, the SIP front and the HTTP API screen calls the same way.
"""

from __future__ import annotations

from pathlib import Path

from ringfence.lists import load_do_not_originate, load_number_list
from ringfence.screen.policy import Policy, PolicyError, load_policy
from ringfence.screen.screener import ReputationSignal, Screener
from ringfence.settings import Settings

__all__ = [
    "Policy",
    "PolicyError",
    "ReputationSignal",
    "Screener",
    "build_screener",
    "load_policy",
]


def build_screener(
    settings: Settings,
    *,
    store_url: str | None = None,
    policy_path: Path | None = None,
    preset_path: Path | None = None,
    allow_from_abroad: Path | None = None,
    do_not_originate: Path | None = None,
    certs: Path | None = None,
) -> Screener:
    """A screener for `settings.home_country`; raises PolicyError/ValueError/OSError with a
    message that names the file at fault."""
    policy = load_policy(settings.home_country, policy_path, preset_path)
    allowed = (
        load_number_list(allow_from_abroad, settings.home_country)
        if allow_from_abroad
        else frozenset()
    )
    dno = load_do_not_originate(do_not_originate, settings.home_country)
    reputation = None
    if store_url is not None:
        from ringfence.screen.reputation_view import reputation_lookup

        reputation = reputation_lookup(store_url, settings)
    identity_check = None
    if certs is not None:
        from ringfence.stir import CertificateStore, identity_checker

        identity_check = identity_checker(
            CertificateStore.from_directory(certs), home_country=settings.home_country
        )
    return Screener(
        policy,
        settings.home_country,
        do_not_originate=dno,
        allowed_from_abroad=allowed,
        reputation=reputation,
        identity_check=identity_check,
    )
