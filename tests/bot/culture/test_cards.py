"""Culture cards: facts with sources, in the reader's language, for a country or a member's place."""
from __future__ import annotations

import tomllib
from datetime import datetime, time, timezone

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal

from bot.core import Meridian
from bot.culture import day_span
from bot.culture.cards import SOURCES, culture_card
from bot.culture.facts import GREETINGS_FILE, find_country, greeting
from bot.i18n import Translator
from bot.reply import Reply
from tests.conftest import DEFAULT_NOW, plain, shell_as
from tests.support.sections import section

EN = Translator("en")


def card(country: str, locale: str = "en", **kwargs) -> Reply:  # type: ignore[no-untyped-def]
    return culture_card(Translator(locale), country, DEFAULT_NOW, **kwargs)


# --- the card: facts from data, with sources --------------------------------------------------------

def test_card_for_a_friday_saturday_weekend_country() -> None:
    reply = card("SA")
    assert reply.title == "Saudi Arabia (SA)"
    assert section(reply, "Local time") == ["Wed, Mar 25 3:00 PM (UTC+03:00, Asia/Riyadh)"]
    week = section(reply, "Working week")
    assert week == ["Working days: Sun–Thu", "Weekend: Fri and Sat", "Calendars start the week on Sunday."]
    holidays = section(reply, "Next public holidays")
    assert holidays[0].startswith("Tue, May 26, 2026 — ") and holidays[0].endswith("(date estimated)")
    assert section(reply, "Official languages") == ["Arabic — “مرحبا”"]
    written = section(reply, "How things are written")
    assert any(line.startswith("Money: ") and "(Saudi Riyal, SAR)" in line for line in written)
    assert section(reply, "Sources") == [EN._(SOURCES[key]) for key in ("tz", "holidays", "cldr", "greetings")]


def test_card_for_a_country_with_several_official_languages() -> None:
    reply = card("CH")
    languages = section(reply, "Official languages")
    assert languages[:4] == ["German — “Hallo”", "Swiss German — “Grüezi” (official in practice)",
                             "French — “Bonjour”", "Italian — “Ciao”"]
    assert languages[4] == "Also official in some regions: Romansh"
    assert section(reply, "Working week")[:2] == ["Working days: Mon–Fri", "Weekend: Sat and Sun"]
    # Written as CLDR writes Swiss German (de_CH), whatever the CLDR release says that is: babel 2.17 wrote
    # "1’234’567.89", babel 2.19 (CLDR 47) writes "1234567.89". The card's job is to pick de_CH and cite it.
    swiss = Locale.parse("de_CH")
    today = DEFAULT_NOW.date()
    assert section(reply, "How things are written") == [plain(line) for line in (
        f"Dates: {format_date(today, 'short', locale=swiss)} · {format_date(today, 'long', locale=swiss)}",
        f"Times: {format_time(time(15, 30), 'short', locale=swiss)}",
        f"Numbers: {format_decimal(1234567.89, locale=swiss)}",
        f"Money: {format_currency(1234.5, 'CHF', locale=swiss)} (Swiss Franc, CHF)")]


def test_card_lists_every_zone_of_a_large_country_and_formats_of_a_default_language_territory() -> None:
    reply = card("US")
    local = section(reply, "Local time")
    assert local[0] == "Wed, Mar 25 8:00 AM (UTC-04:00, America/New_York)"
    assert local[1].startswith("This country has 29 time zones: America/New_York,") and local[1].endswith("and 21 more")
    # CLDR's likely subtags have no und_US; the card still finds en_US for week and format data.
    assert section(reply, "Working week")[2] == "Calendars start the week on Sunday."
    assert section(reply, "How things are written") == [
        "Dates: 3/25/26 · March 25, 2026", "Times: 3:30 PM", "Numbers: 1,234,567.89",
        "Money: $1,234.50 (US Dollar, USD)"]


def test_card_for_a_territory_the_data_does_not_cover_says_so() -> None:
    reply = card("CP")   # Clipperton Island: no zone, no holidays, no languages, no currency in the data
    assert reply.title == "Clipperton Island (CP)"
    assert section(reply, "Local time") == ["The time zone database has no zone for this territory."]
    assert section(reply, "Working week") == ["No working-week data for this territory.",
                                              "No data on the first day of the week here."]
    assert section(reply, "Next public holidays") == ["No public-holiday data for this territory."]
    assert section(reply, "Official languages") == ["CLDR lists no official language for this territory."]
    assert section(reply, "How things are written") == [
        "CLDR has no data on how dates, numbers or money are written here."]
    assert section(reply, "Sources") == ["None of my sources has data for this territory."]


def test_card_with_partial_data_shows_only_what_has_a_source() -> None:
    reply = card("AC")   # Ascension Island: a currency in CLDR, nothing else
    assert section(reply, "How things are written") == [
        "Currency: St. Helena Pound (SHP)", "CLDR has no data on how dates and numbers are written here."]
    assert section(reply, "Sources") == [EN._(SOURCES["cldr"])]


def test_language_without_a_greeting_shows_a_dash_not_a_guess() -> None:
    assert greeting("yo") is None
    assert "Yoruba — —" in section(card("NG"), "Official languages")


def test_card_in_the_readers_language() -> None:
    reply = card("CH", "de")
    assert reply.title == "Schweiz (CH)"
    assert section(reply, "Amtssprachen")[:3] == ["Deutsch — „Hallo“", "Schweizerdeutsch — „Grüezi“ (faktisch Amtssprache)",
                                                 "Französisch — „Bonjour“"]
    assert section(reply, "Arbeitswoche")[0] == "Arbeitstage: Mo.–Fr."
    assert "Nationalfeiertag" in " ".join(section(reply, "Nächste Feiertage"))


def test_greetings_file_is_sourced_and_keyed_by_real_languages() -> None:
    text = GREETINGS_FILE.read_text(encoding="utf-8")
    assert "Source:" in text and "CLDR" in text
    table = tomllib.loads(text)["hello"]
    known = Locale.parse("en").languages
    for code, hello in table.items():
        assert hello.strip() == hello and hello, code
        assert code in known or Locale.parse(code), code


def test_country_lookup_by_code_and_by_name_in_the_readers_language() -> None:
    de = Translator("de")
    assert find_country(EN, "sa") == "SA"
    assert find_country(EN, "Saudi Arabia") == "SA"
    assert find_country(de, "Saudi-Arabien") == "SA"
    assert find_country(de, "switzerland") == "CH"      # English names work for every reader
    assert find_country(EN, "EU") is None               # a region, not a country
    assert find_country(EN, "Atlantis") is None


def test_day_span_wraps_and_lists_non_contiguous_days() -> None:
    assert day_span(EN, {6, 0, 1, 2, 3}) == "Sun–Thu"
    assert day_span(EN, {4, 6}) == "Fri and Sun"      # Brunei's weekend
    assert day_span(EN, set()) == "—"


# --- /culture through the core ------------------------------------------------------------------------

def test_culture_for_a_member_uses_their_zone_and_subdivision(shell, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 5, 26, 12, 0, tzinfo=timezone.utc))
    reply = shell.command("/culture @lena")
    assert not reply.error
    assert reply.title == "Germany (DE)"
    assert "/whois @lena" in reply.text
    assert section(reply, "Local time")[0] == "Tue, May 26 2:00 PM (UTC+02:00, Europe/Berlin)"
    # Lena lives in Bavaria (BY), which keeps Corpus Christi; the national calendar does not.
    assert section(reply, "Next public holidays")[0] == "Thu, Jun 4, 2026 — Corpus Christi"
    national = shell.command("/culture Germany")
    assert not any("Corpus Christi" in line for line in section(national, "Next public holidays"))


def test_culture_errors_are_clear(shell) -> None:  # type: ignore[no-untyped-def]
    assert "Which country?" in shell.command("/culture").text
    unknown = shell.command("/culture Atlantis")
    assert unknown.error and "“Atlantis”" in unknown.text
    assert shell.command("/culture @nobody").error
    shell_as(shell.core, "newcomer").command("/tz")       # a member with no country and no zone yet
    missing = shell.command("/culture @newcomer")
    assert missing.error and "/profile country" in missing.text


def test_culture_by_name_for_a_german_reader(demo: Meridian) -> None:
    reply = shell_as(demo, "lena").command("/culture Saudi-Arabien")
    assert reply.title == "Saudi-Arabien (SA)"
    assert section(reply, "Arbeitswoche")[:2] == ["Arbeitstage: So.–Do.", "Wochenende: Fr. und Sa."]
