"""Where else to report: the national channels, pre-filled, in four languages, with sources."""

from __future__ import annotations

import json
from importlib import resources

from ringfence.reports.referrals import countries, referrals_for
from ringfence.reputation.explain import LANGUAGES


def test_every_channel_is_complete() -> None:
    path = resources.files("ringfence").joinpath("data").joinpath("referrals.json")
    data = json.loads(path.read_text("utf-8"))
    assert {"GB", "FR", "BE", "PT"} <= set(countries())
    for country, entries in data["countries"].items():
        for entry in entries:
            assert set(entry["how"]) == set(LANGUAGES), (country, entry["id"])
            assert entry["source"].startswith("https://"), entry["id"]
            assert entry["when"] in ("always", "money_lost")
            assert set(entry["channels"]) <= {"call", "sms", "email", "messaging"}


def test_uk_sms_is_forwarded_to_7726() -> None:
    [first, *_] = referrals_for(
        "GB",
        channel="sms",
        number="+447911123456",
        text="Your parcel...",
        money_lost=False,
        language="en",
    )
    assert (first.address, first.send) == ("7726", "Your parcel...")
    assert "07911123456" in first.how


def test_france_voice_spam_goes_to_33700_with_the_national_number() -> None:
    [first, *_] = referrals_for(
        "FR", channel="call", number="+33612345678", text=None, money_lost=False, language="fr"
    )
    assert (first.address, first.send) == ("33700", "spam vocal 0612345678")
    foreign = referrals_for(
        "FR", channel="call", number="+393511234567", text=None, money_lost=False, language="fr"
    )
    assert foreign[0].send == "spam vocal +393511234567"


def test_belgium_email_goes_to_safeonweb_and_money_lost_adds_card_stop() -> None:
    plain = referrals_for(
        "BE",
        channel="email",
        number="+32470123456",
        text="Dear customer",
        money_lost=False,
        language="nl",
    )
    assert plain[0].address == "suspicious@safeonweb.be"
    lost = referrals_for(
        "BE",
        channel="email",
        number="+32470123456",
        text="Dear customer",
        money_lost=True,
        language="nl",
    )
    assert [r.id for r in lost][-1] == "be-cardstop"
    assert "Card Stop" in lost[-1].how


def test_portugal_lists_the_operator_and_the_police_channels() -> None:
    found = referrals_for(
        "PT",
        channel="sms",
        number="+351912345678",
        text="CTT: encomenda",
        money_lost=True,
        language="pt",
    )
    assert [r.id for r in found] == ["pt-operator", "pt-cncs", "pt-queixa-eletronica"]
    assert found[0].send == "912345678"


def test_unknown_country_has_no_channels() -> None:
    assert (
        referrals_for("JP", channel="sms", number="+81", text="", money_lost=True, language="en")
        == []
    )
