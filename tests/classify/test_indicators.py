"""Indicator extraction on tricky inputs: defanged links, numbers with spaces and dots, IBANs
whose checksum is wrong, wallets with and without valid checksums, amounts in many notations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ringfence.classify import extract_indicators
from ringfence.classify.amounts import find_amounts, parse_value
from ringfence.classify.links import find_links, registrable_domain
from ringfence.domain.numbers import NumberType


@pytest.mark.parametrize(
    ("text", "urls", "domains"),
    [
        (
            "Payez ici : hxxps://colis-suivi[.]info/fr",
            ["https://colis-suivi.info/fr"],
            ["colis-suivi.info"],
        ),
        ("go to example[.]com/login now", ["http://example.com/login"], ["example.com"]),
        ("visit bnp-secure(dot)com today", ["http://bnp-secure.com"], ["bnp-secure.com"]),
        (
            "hXXp://evil{.}xyz and h**ps://a-b.top/x",
            ["http://evil.xyz", "https://a-b.top/x"],
            ["evil.xyz", "a-b.top"],
        ),
        (
            "Ga naar https://mijn.ing.nl/login?x=1).",
            ["https://mijn.ing.nl/login?x=1"],
            ["mijn.ing.nl"],
        ),
        ("www.bpost.be/track", ["http://www.bpost.be/track"], ["bpost.be"]),
        ("link: bit.ly/3xYz (click)", ["http://bit.ly/3xYz"], ["bit.ly"]),
        ("e.g. 3.5 kg, i.e. fine, U.S. mail, report.pdf", [], []),
        ("http://185.22.10.4/login", ["http://185.22.10.4/login"], ["185.22.10.4"]),
    ],
)
def test_links_including_defanged_forms(text: str, urls: list[str], domains: list[str]) -> None:
    found = extract_indicators(text)
    assert found.urls == urls
    assert found.domains == domains


def test_defanged_links_are_marked() -> None:
    assert extract_indicators("hxxp://bad[.]com").obfuscated_links
    assert not extract_indicators("https://www.bpost.be").obfuscated_links


def test_emails_including_defanged() -> None:
    found = extract_indicators("Écrivez à fraude[at]secure-bnp.com ou info@bpost.be.")
    assert found.emails == ["fraude@secure-bnp.com", "info@bpost.be"]
    assert "secure-bnp.com" in found.domains


def test_registrable_domain_handles_second_level_suffixes() -> None:
    assert registrable_domain("secure.bnp-client.co.uk") == "bnp-client.co.uk"
    assert registrable_domain("a.b.example.com") == "example.com"


@pytest.mark.parametrize(
    ("text", "home", "e164", "kind"),
    [
        ("Bel 0470 12.34.56 nu", "BE", "+32470123456", NumberType.MOBILE),
        ("call 0470/12-34-56", "BE", "+32470123456", NumberType.MOBILE),
        ("Appelez le 08 99 23 45 67", "FR", "+33899234567", NumberType.PREMIUM_RATE),
        ("rappelez le 06.12.34.56.78", "FR", "+33612345678", NumberType.MOBILE),
        ("Ligue 760 123 456", "PT", "+351760123456", NumberType.PREMIUM_RATE),
        ("Tel: +44 (0)20 7946 0018.", "BE", "+442079460018", NumberType.FIXED_LINE),
        ("call 0032 470 12 34 56", "FR", "+32470123456", NumberType.MOBILE),
    ],
)
def test_phone_numbers_with_spaces_dots_and_dashes(
    text: str, home: str, e164: str, kind: NumberType
) -> None:
    phones = extract_indicators(text, home_country=home).phones
    assert [p.e164 for p in phones] == [e164]
    assert phones[0].type is kind


def test_national_numbers_of_the_message_language_are_read() -> None:
    phones = extract_indicators("Call 09061701461 to claim", fallback_regions=["GB"]).phones
    assert phones[0].e164 == "+449061701461"
    assert phones[0].type is NumberType.PREMIUM_RATE


@pytest.mark.parametrize(
    "text", ["Date 12/05/2024, code 123456", "ref 2024.05.12", "1 250 000 visitors", "OTP 654321"]
)
def test_dates_codes_and_counts_are_not_phone_numbers(text: str) -> None:
    assert extract_indicators(text).phones == []


def test_iban_with_valid_checksum_counts() -> None:
    found = extract_indicators("Virement sur BE68 5390 0754 7034 aujourd'hui")
    assert [i.iban for i in found.ibans] == ["BE68539007547034"]
    assert found.ibans[0].country == "BE"


@pytest.mark.parametrize(
    "text",
    [
        "Virement sur BE68 5390 0754 7035 aujourd'hui",  # last digit changed
        "IBAN FR1420041010050500013M02607",
        "NL91ABNA0417164301 please",
        "PT50000201231234567890155",
    ],
)
def test_iban_with_wrong_checksum_does_not_count(text: str) -> None:
    assert extract_indicators(text).ibans == []


def test_iban_followed_by_a_word_is_still_found() -> None:
    found = extract_indicators("FR76 3000 6000 0112 3456 7890 189 MERCI")
    assert [i.iban for i in found.ibans] == ["FR7630006000011234567890189"]


@pytest.mark.parametrize(
    ("address", "chain"),
    [
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "bitcoin"),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "bitcoin"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "bitcoin"),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "bitcoin"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "ethereum"),
        ("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "ethereum"),
        ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "tron"),
    ],
)
def test_wallets_with_valid_checksums(address: str, chain: str) -> None:
    wallets = extract_indicators(f"Envoyez les frais à {address} svp").wallets
    assert [(w.chain, w.address) for w in wallets] == [(chain, address)]


@pytest.mark.parametrize(
    "address",
    [
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",  # base58check broken
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",  # bech32 checksum broken
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",  # v0 with a bech32m checksum
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",  # EIP-55 case broken
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u",  # Tron checksum broken
    ],
)
def test_wallets_with_broken_checksums_do_not_count(address: str) -> None:
    assert extract_indicators(f"send to {address}").wallets == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Frais: 1,99€", [(1.99, "EUR")]),
        ("EUR 1.250,00 et $3,000", [(1250.0, "EUR"), (3000.0, "USD")]),
        ("transfer 4.500 € now", [(4500.0, "EUR")]),
        ("send 0.050 BTC or 1500 USDT", [(0.05, "BTC"), (1500.0, "USDT")]),
        ("R$ 1.500,00 e 2 500 euros", [(1500.0, "BRL"), (2500.0, "EUR")]),
        ("a fee of £2.99.", [(2.99, "GBP")]),
        ("EUR1250", [(1250.0, "EUR")]),
        ("version 3.5 and 1,2,3", []),
    ],
)
def test_amounts_and_currencies(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(a.value, a.currency) for a in find_amounts(text)] == expected


def test_value_parsing_reads_separators_by_position() -> None:
    assert parse_value("1.234,56") == parse_value("1,234.56") == 1234.56
    assert parse_value("0,99") == 0.99
    assert parse_value("") is None


def test_to_dict_is_plain_json() -> None:
    found = extract_indicators("Call 0470 12 34 56, pay 5 € to BE68 5390 0754 7034")
    data = found.to_dict()
    assert data["phones"][0]["e164"] == "+32470123456"
    assert data["ibans"][0]["iban"] == "BE68539007547034"
    assert data["amounts"][0]["currency"] == "EUR"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_extraction_never_raises_on_any_text(text: str) -> None:
    found = extract_indicators(text)
    assert all(p.e164.startswith("+") for p in found.phones)
    find_links(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "hxxp://",
                "[.]",
                "0470",
                " 12 ",
                ".34",
                "BE68",
                "5390",
                "0754 7034",
                "bc1q",
                "0x",
                "€",
                "1,99",
                "www.",
                "@",
                "(dot)",
                "T",
                "+32",
                "00",
                "£",
                "btc",
                "\n",
                "é",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_extraction_never_raises_on_indicator_like_text(text: str) -> None:
    extract_indicators(text, home_country="FR", fallback_regions=["GB", "PT"])
