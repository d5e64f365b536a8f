"""Culture cards, /whois and /profile about: facts with sources, the member's own words shown safely."""
from __future__ import annotations

import json
import tomllib
from datetime import datetime, time, timezone

import pytest
from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal
from sqlalchemy import select

from adapters.console.render import render_reply
from bot import culture
from bot.core import ActionRequest, Meridian
from bot.i18n import Translator
from bot.models import Member
from bot.reply import Reply
from tests.conftest import DEFAULT_NOW, plain, shell_as

EN = Translator("en")


def section(reply: Reply, title: str) -> list[str]:
    found = [s for s in reply.sections if s.title == title]
    assert found, f"no section {title!r} in {[s.title for s in reply.sections]}"
    return [plain(line) for line in found[0].lines]


def card(country: str, locale: str = "en", **kwargs) -> Reply:  # type: ignore[no-untyped-def]
    return culture.culture_card(Translator(locale), country, DEFAULT_NOW, **kwargs)


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
    assert section(reply, "Sources") == [EN._(culture.SOURCES[key]) for key in ("tz", "holidays", "cldr", "greetings")]


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
    assert section(reply, "Sources") == [EN._(culture.SOURCES["cldr"])]


def test_language_without_a_greeting_shows_a_dash_not_a_guess() -> None:
    assert culture.greeting("yo") is None
    assert "Yoruba — —" in section(card("NG"), "Official languages")


def test_card_in_the_readers_language() -> None:
    reply = card("CH", "de")
    assert reply.title == "Schweiz (CH)"
    assert section(reply, "Amtssprachen")[:3] == ["Deutsch — „Hallo“", "Schweizerdeutsch — „Grüezi“ (faktisch Amtssprache)",
                                                 "Französisch — „Bonjour“"]
    assert section(reply, "Arbeitswoche")[0] == "Arbeitstage: Mo.–Fr."
    assert "Nationalfeiertag" in " ".join(section(reply, "Nächste Feiertage"))


def test_greetings_file_is_sourced_and_keyed_by_real_languages() -> None:
    text = culture.GREETINGS_FILE.read_text(encoding="utf-8")
    assert "Source:" in text and "CLDR" in text
    table = tomllib.loads(text)["hello"]
    known = Locale.parse("en").languages
    for code, hello in table.items():
        assert hello.strip() == hello and hello, code
        assert code in known or Locale.parse(code), code


def test_country_lookup_by_code_and_by_name_in_the_readers_language() -> None:
    de = Translator("de")
    assert culture.find_country(EN, "sa") == "SA"
    assert culture.find_country(EN, "Saudi Arabia") == "SA"
    assert culture.find_country(de, "Saudi-Arabien") == "SA"
    assert culture.find_country(de, "switzerland") == "CH"      # English names work for every reader
    assert culture.find_country(EN, "EU") is None               # a region, not a country
    assert culture.find_country(EN, "Atlantis") is None


def test_day_span_wraps_and_lists_non_contiguous_days() -> None:
    assert culture.day_span(EN, {6, 0, 1, 2, 3}) == "Sun–Thu"
    assert culture.day_span(EN, {4, 6}) == "Fri and Sun"      # Brunei's weekend
    assert culture.day_span(EN, set()) == "—"


# --- /culture and /whois through the core ---------------------------------------------------------------

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


def test_whois_shows_profile_local_time_and_status(shell, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 3, 27, 10, 0, tzinfo=timezone.utc))   # Friday: weekend in Riyadh
    omar = shell_as(shell.core, "omar")
    for line in ('/profile about name "Omar"', '/profile about pronunciation "OH-mar"', "/profile about pronouns he/him",
                 '/profile about languages "Arabic, English"',
                 '/profile about notes "I prefer written feedback; mornings are for focus."'):
        assert not omar.command(line).error, line
    reply = shell.command("/whois @omar")
    assert reply.title == "Omar (Omar Al-Harbi)"
    now = section(reply, "Now")
    assert now[0].startswith("Omar — Fri 1:00 PM (UTC+03:00, Asia/Riyadh)") and now[0].endswith("weekend")
    assert now[1:] == ["Country: Saudi Arabia", "Works Sun–Thu, 9:00 AM–5:00 PM"]          # in the reader's clock
    assert section(reply, "About") == ["Preferred name: Omar", "Pronunciation: OH-mar", "Pronouns: he/him",
                                       "Languages I speak: Arabic, English"]
    assert section(reply, "How to work with me") == ["I prefer written feedback; mornings are for focus."]


def test_whois_for_someone_who_wrote_nothing(shell) -> None:  # type: ignore[no-untyped-def]
    reply = shell.command("/whois @ravi")
    assert "has not written anything" in reply.text
    assert section(reply, "Now")[1] == "Country: Nepal"


# --- /profile about ------------------------------------------------------------------------------------------

def about_columns(core: Meridian, user: str) -> tuple:
    with core.db.session() as session:
        m = session.scalar(select(Member).where(Member.user_id == user))
        return (m.preferred_name, m.pronunciation, m.pronouns, m.languages, m.about)


def test_profile_about_set_show_and_clear(shell) -> None:  # type: ignore[no-untyped-def]
    shown = shell.command("/profile about")
    assert shown.title == "About you" and "Preferred name: —" in shown.sections[0].lines
    shell.command("/profile about name Ama")
    shell.command("/profile about pronouns she/her")
    shell.command("/profile about notes Mornings   are for   focus")
    assert about_columns(shell.core, "amara") == ("Ama", None, "she/her", None, "Mornings are for focus")
    assert shell.command("/whois").title == "Ama (Amara Okafor)"
    shell.command("/profile about clear pronouns")
    assert about_columns(shell.core, "amara") == ("Ama", None, None, None, "Mornings are for focus")
    shell.command("/profile about clear")
    assert about_columns(shell.core, "amara") == (None,) * 5


@pytest.mark.parametrize("line, fragment", [
    ("/profile about pronouns " + "x" * 51, "at most 50 characters"),
    ("/profile about name " + "y" * 101, "at most 100 characters"),
    ("/profile about notes " + "z " * 600, "at most 1,000 characters"),
    ("/profile about notes", "Write the text after the command"),
    ("/profile about favourite-food pizza", "Unknown part"),
    ("/profile about clear everything", "Clear everything with"),
])
def test_profile_about_rejects_bad_input_and_changes_nothing(shell, line: str, fragment: str) -> None:  # type: ignore[no-untyped-def]
    shell.command("/profile about name Ama")
    before = about_columns(shell.core, "amara")
    reply = shell.command(line)
    assert reply.error and fragment in reply.text
    assert about_columns(shell.core, "amara") == before


def test_profile_about_form_saves_all_fields_or_none(shell) -> None:  # type: ignore[no-untyped-def]
    shell.command("/profile about pronouns she/her")
    form = shell.command("/profile about edit").form
    assert form is not None and [f.name for f in form.fields] == ["name", "pronunciation", "pronouns", "languages", "notes"]
    assert [f.value for f in form.fields if f.name == "pronouns"] == ["she/her"]
    submit = lambda fields: shell.core.handle_action(ActionRequest(shell.who, form.action, form.value, fields))  # noqa: E731
    bad = submit({"name": "Ama", "pronouns": "p" * 51})
    assert bad.error and about_columns(shell.core, "amara")[:3] == (None, None, "she/her")
    ok = submit({"name": "Ama\nApproved by HR", "pronouns": "", "notes": "Line one\n\n\n\nLine two"})
    assert not ok.error
    assert about_columns(shell.core, "amara") == ("Ama Approved by HR", None, None, None, "Line one\n\nLine two")


# --- the short forms other features use ----------------------------------------------------------------------

def test_short_intro_has_time_country_week_name_and_one_line_of_notes(shell, clock) -> None:  # type: ignore[no-untyped-def]
    omar = shell_as(shell.core, "omar")
    omar.command('/profile about pronunciation "OH-mar"')
    omar.command("/profile about pronouns he/him")
    shell.core.handle_action(ActionRequest(omar.who, "culture.about", "",
                                           {"notes": "Written feedback, please.\nSecond line stays out."}))
    with shell.core.db.session() as session:
        member = session.scalar(select(Member).where(Member.user_id == "omar"))
        lines = [plain(line) for line in culture.short_intro(EN, member, DEFAULT_NOW)]
    assert lines == [
        "Omar Al-Harbi (say “OH-mar”; he/him)",
        "Wed 3:00 PM (UTC+03:00) · Saudi Arabia · working · works Sun–Thu",
        "How to work with me: Written feedback, please.",
    ]


def test_card_summary_mentions_a_close_public_holiday(demo: Meridian, clock) -> None:  # type: ignore[no-untyped-def]
    with demo.db.session() as session:
        ravi = session.scalar(select(Member).where(Member.user_id == "ravi"))
        summary = plain(culture.card_summary(EN, ravi, DEFAULT_NOW))
    assert summary.startswith("Wed 5:45 PM (UTC+05:45) · Nepal · working")
    assert "next public holiday Fri, Mar 27: Ram Navami" in summary


# --- member text is shown safely -----------------------------------------------------------------------------

HOSTILE = "@everyone @here <!channel> <@U123> *bold* `code` ```fence``` \u202egnp.exe\u202c <b>x</b>"


def _assert_neutralised(text: str) -> None:
    assert "@everyone" not in text and "@here" not in text
    assert "<!channel>" not in text and "<@U123>" not in text
    assert "\u202e" not in text and "\u202c" not in text


def test_member_text_is_neutralised_in_every_view(shell) -> None:  # type: ignore[no-untyped-def]
    sam = shell_as(shell.core, "sam")
    fields = {"name": "@here Sam", "pronunciation": "<!channel>", "pronouns": "<@U123>", "languages": HOSTILE,
              "notes": HOSTILE + "\n" + HOSTILE}
    assert not shell.core.handle_action(ActionRequest(sam.who, "culture.about", "", fields)).error
    views = [shell.command("/whois @sam"), sam.command("/profile about"), shell.command("/time @sam"),
             shell.command("/culture @sam")]
    with shell.core.db.session() as session:
        member = session.scalar(select(Member).where(Member.user_id == "sam"))
        intro = "\n".join(culture.short_intro(EN, member, DEFAULT_NOW))
    for text in [v.as_text() for v in views] + [render_reply(v) for v in views] + [intro]:
        _assert_neutralised(text)
    whois = shell.command("/whois @sam")
    notes = section(whois, "How to work with me")
    assert len(notes) == 2                                   # one section line per line typed, none injected
    # Markup stays literal text in the platform-neutral reply; each adapter escapes it for its syntax.
    assert "*bold* `code` ```fence```" in notes[0] and "<b>x</b>" in notes[0]
    assert all("\n" not in line for s in whois.sections for line in s.lines)


def test_forget_me_deletes_profile_text(shell) -> None:  # type: ignore[no-untyped-def]
    sam = shell_as(shell.core, "sam")
    sam.command('/profile about notes "Call me after lunch"')
    sam.command("/profile about pronouns they/them")
    asked = sam.command("/forget-me")
    assert not asked.error and asked.buttons
    assert about_columns(shell.core, "sam")[4] == "Call me after lunch"      # nothing deleted before confirming
    button = asked.buttons[0]
    someone_else = shell.core.handle_action(ActionRequest(shell.who, button.action, button.value))
    assert someone_else.error and about_columns(shell.core, "sam")[4] == "Call me after lunch"
    done = sam.press(1)
    assert not done.error
    with shell.core.db.session() as session:
        assert session.scalar(select(Member).where(Member.user_id == "sam")) is None
    assert "Call me after lunch" not in shell.command("/whois @sam").as_text()


def _hostile_whois(shell) -> Reply:  # type: ignore[no-untyped-def]
    sam = shell_as(shell.core, "sam")
    fields = {"name": "@everyone Sam", "pronouns": "<@U123>", "notes": HOSTILE}
    assert not shell.core.handle_action(ActionRequest(sam.who, "culture.about", "", fields)).error
    return shell.command("/whois @sam")


def test_member_text_through_the_slack_renderer(shell) -> None:  # type: ignore[no-untyped-def]
    blocks = pytest.importorskip("adapters.slack.blocks")
    payload = json.dumps(blocks.message(_hostile_whois(shell)), ensure_ascii=False)
    _assert_neutralised(payload)
    assert "<!" not in payload and "<@" not in payload and "<b>" not in payload   # no broadcast, mention or tag


def test_member_text_through_the_discord_renderer(shell) -> None:  # type: ignore[no-untyped-def]
    render = pytest.importorskip("adapters.discord.render")
    rendered = render.render(_hostile_whois(shell))
    embed = rendered.embeds[0]
    shown = "\n".join([embed.title or ""] + [f"{f.name}\n{f.value}" for f in embed.fields])
    _assert_neutralised(shown)
    notes = [f.value for f in embed.fields if f.name == "How to work with me"][0]
    assert "\\*bold\\*" in notes and "\\`code\\`" in notes        # markdown shown literally, not applied
    assert rendered.send_kwargs()["allowed_mentions"].everyone is False
