"""Speaking each member's language: complete, compiled catalogs and locale-aware replies.

The catalog tests read the code the way `make extract-messages` does (same babel.cfg, same keywords),
so a new `tr._("...")` without translations in every shipped language fails here, as does a .mo file
that was not recompiled after its .po changed, or a translation that loses or invents a placeholder.
"""
from __future__ import annotations

import gettext
import string
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from bot.core import Meridian
from bot.i18n import LOCALES_DIR, Translator, available_catalogs
from tests.conftest import plain, shell_as

ROOT = Path(__file__).resolve().parents[2]
# The languages the issue promises; English is the source language and needs no catalog.
SHIPPED = ("de", "es", "fr", "pt_BR", "ja", "hi", "ar")
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2)}          # as in the Makefile: -k _ -k N_ -k n_:1,2
POT = LOCALES_DIR / "meridian.pot"


def po_path(locale: str) -> Path:
    return LOCALES_DIR / locale / "LC_MESSAGES" / "meridian.po"


@lru_cache(maxsize=1)
def extracted() -> dict[str, str | tuple[str, str]]:
    """Message id -> msgid or (singular, plural), read from the code exactly as pybabel extract does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, str | tuple[str, str]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        if isinstance(message, tuple):
            found[message[0]] = (message[0], message[1]) if len(message) > 1 and message[1] else message[0]
        else:
            found[message] = message
    return found


@lru_cache(maxsize=16)
def catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def key(message_id: str | tuple[str, ...]) -> str:
    return message_id[0] if isinstance(message_id, (tuple, list)) else message_id


def fields(text: str) -> set[str]:
    """The str.format placeholder names in `text` ('{n}', '{name}'); a malformed brace is an error."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def single_number_forms(cat: Catalog) -> set[int]:
    """Plural forms that stand for exactly one number (Arabic 'two' is only 2): they may spell it out."""
    plural = gettext.c2py(cat.plural_expr)
    numbers_per_form: dict[int, set[int]] = {}
    for n in range(1000):
        numbers_per_form.setdefault(plural(n), set()).add(n)
    return {form for form, numbers in numbers_per_form.items() if len(numbers) == 1}


def shortlist(problems: list[str], limit: int = 15) -> str:
    more = f"\n… and {len(problems) - limit} more" if len(problems) > limit else ""
    return "\n".join(problems[:limit]) + more


# --- the catalogs ------------------------------------------------------------------------------------

def test_every_promised_language_ships_a_compiled_catalog() -> None:
    assert set(SHIPPED) <= set(available_catalogs())
    for locale in SHIPPED:
        assert po_path(locale).is_file(), locale


def test_extraction_finds_method_calls_and_plurals() -> None:
    """babel matches the name before '(' so `ctx.tr._(…)` and `tr.n_(…, …, n)` are extracted like `_(…)`."""
    messages = extracted()
    assert "Only workspace admins can change this." in messages                     # ctx.tr._ in bot/router.py
    assert messages["{n} member is working now"] == ("{n} member is working now", "{n} members are working now")
    assert "Show your time zone" in messages                                        # N_ in @command(...)


def test_the_template_is_up_to_date_with_the_code() -> None:
    template = {key(m.id): m.id for m in catalog(POT) if m.id}
    code = extracted()
    missing = sorted(set(code) - set(template))
    stale = sorted(set(template) - set(code))
    changed = sorted(k for k in set(code) & set(template) if code[k] != (template[k] if isinstance(template[k], str)
                                                                          else tuple(template[k])))
    assert not (missing or stale or changed), (
        "locales/meridian.pot is out of date; run `make update-catalogs` and translate the new entries.\n"
        f"new in the code: {shortlist(missing)}\ngone from the code: {shortlist(stale)}\nplural changed: {changed}")


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_message_is_translated_in_every_shipped_catalog(locale: str) -> None:
    cat = catalog(po_path(locale))
    assert not cat.fuzzy, f"{locale}: the catalog header is marked fuzzy, so pybabel compile would skip it"
    problems = []
    for message_key, message_id in sorted(extracted().items()):
        entry = cat.get(message_id if isinstance(message_id, str) else message_id[0])
        if entry is None:
            problems.append(f"not in the catalog: {message_key!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message_key!r}")
        elif isinstance(message_id, tuple) != entry.pluralizable:
            problems.append(f"singular/plural mismatch: {message_key!r}")
        elif entry.pluralizable:
            forms = list(entry.string)
            if len(forms) != cat.num_plurals or not all(forms):
                problems.append(f"plural forms missing ({len([f for f in forms if f])} of {cat.num_plurals}): {message_key!r}")
        elif not entry.string:
            problems.append(f"untranslated: {message_key!r}")
    assert not problems, f"{locale}: {len(problems)} messages lack a translation " \
                         f"(run `make update-catalogs`, translate, `make compile-catalogs`):\n{shortlist(problems)}"


@pytest.mark.parametrize("locale", SHIPPED)
def test_translations_keep_exactly_the_placeholders_of_their_message(locale: str) -> None:
    cat = catalog(po_path(locale))
    spelled_out_ok = single_number_forms(cat)
    problems = []
    for entry in cat:
        if not entry.id or not entry.string:
            continue
        ids = entry.id if entry.pluralizable else (entry.id,)
        wanted = set().union(*(fields(i) for i in ids))
        strings = entry.string if entry.pluralizable else (entry.string,)
        for form, text in enumerate(strings):
            if not text:
                continue
            try:
                got = fields(text)
            except ValueError as error:
                problems.append(f"{key(entry.id)!r} form {form}: malformed braces ({error})")
                continue
            allowed = {frozenset(wanted)}
            if entry.pluralizable and form in spelled_out_ok:
                allowed.add(frozenset(wanted - {"n"}))      # Arabic 'يومان' (two days) names its number
            if frozenset(got) not in allowed:
                problems.append(f"{key(entry.id)!r} form {form}: {sorted(got)} instead of {sorted(wanted)}")
    assert not problems, f"{locale}:\n" + shortlist(problems)


@pytest.mark.parametrize("locale", SHIPPED)
def test_compiled_catalog_matches_its_source(locale: str) -> None:
    """Compare meaning, not bytes: the .mo header names the babel version that wrote it."""
    source = catalog(po_path(locale))
    mo = po_path(locale).with_suffix(".mo")
    assert mo.is_file(), f"{locale}: no compiled catalog; run `make compile-catalogs`"
    with mo.open("rb") as handle:
        compiled = read_mo(handle)
    expected = {entry.id if isinstance(entry.id, str) else tuple(entry.id):
                entry.string if isinstance(entry.string, str) else tuple(entry.string)
                for entry in source if entry.id and entry.string and not entry.fuzzy}
    actual = {entry.id if isinstance(entry.id, str) else tuple(entry.id):
              entry.string if isinstance(entry.string, str) else tuple(entry.string)
              for entry in compiled if entry.id}
    differ = sorted(str(k) for k in set(expected) | set(actual) if expected.get(k) != actual.get(k))
    assert not differ, f"{locale}: {mo.name} is out of date with its .po; run `make compile-catalogs`:\n{shortlist(differ)}"
    assert compiled.plural_forms == source.plural_forms


def test_plural_rules_come_from_cldr() -> None:
    forms = {locale: catalog(po_path(locale)).num_plurals for locale in SHIPPED}
    assert forms == {"de": 2, "es": 2, "fr": 2, "pt_BR": 2, "ja": 1, "hi": 2, "ar": 6}
    french = gettext.c2py(catalog(po_path("fr")).plural_expr)
    assert french(0) == french(1) == 0 and french(2) == 1                          # « 0 jour », « 1 jour »


# Each catalog's forms, in the order gettext numbers them, named by CLDR's categories. Babel writes Arabic's
# header in this order (`make init-catalog`), so a regenerated header cannot silently swap 'many' and 'other'.
PLURAL_CATEGORIES = {
    "ar": ("zero", "one", "two", "few", "many", "other"),
    "de": ("one", "other"), "es": ("one", "other"), "fr": ("one", "other"), "pt_BR": ("one", "other"),
    "hi": ("one", "other"), "ja": ("other",),
}
PLURAL_SAMPLES = (0, 1, 2, 3, 11, 100, 101, 102)


@pytest.mark.parametrize("locale", SHIPPED)
def test_each_plural_form_is_chosen_by_cldrs_rule(locale: str) -> None:
    """For 0, 1, 2, 3, 11, 100, 101, 102 the catalog's header picks the form CLDR's category names
    (Arabic: 100 → other '100 يوم', 11 → many '11 يومًا'; Hindi and French: 0 → one)."""
    from babel import Locale

    cat = catalog(po_path(locale))
    rule = Locale.parse(locale).plural_form
    header = gettext.c2py(cat.plural_expr)
    categories = PLURAL_CATEGORIES[locale]
    assert cat.num_plurals == len(categories)
    wrong = [f"{n}: form {header(n)}, CLDR says {rule(n)} (form {categories.index(rule(n))})"
             for n in PLURAL_SAMPLES if header(n) != categories.index(rule(n))]
    assert not wrong, f"{locale}: " + "; ".join(wrong)


def test_arabic_counts_take_the_noun_form_cldr_asks_for() -> None:
    tr = Translator("ar")
    days = {n: plain(tr.n_("You are away for {n} day, {start} – {end}. Standups, pairing and meetings will respect it.",
                           "You are away for {n} days, {start} – {end}. Standups, pairing and meetings will respect it.",
                           n, start="a", end="b")).split("،")[0] for n in PLURAL_SAMPLES}
    assert days[1] == "إجازتك يوم واحد" and days[2] == "إجازتك يومان"
    assert days[3] == "إجازتك 3 أيام" and days[11] == "إجازتك 11 يومًا"
    assert days[100] == "إجازتك 100 يوم" and days[101] == "إجازتك 101 يوم" and days[102] == "إجازتك 102 يوم"


def test_a_date_that_ends_in_an_abbreviation_point_also_ends_the_sentence() -> None:
    """'…au sam. 19 déc.' and not '…déc..': the abbreviation point doubles as the full stop."""
    from datetime import date

    for locale, expected_end in (("fr", "déc."), ("de", "Dez."), ("pt_BR", "dez."), ("en", "Dec 19.")):
        tr = Translator(locale)
        text = tr._("{x} until {d}.", x="", d=tr.weekday_date(date(2026, 12, 19)))
        assert text.endswith(expected_end) and not text.endswith(".."), (locale, text)


# --- the same replies in several languages ---------------------------------------------------------------

def away_reply(core: Meridian, user: str, locale: str, days: int) -> str:
    shell = shell_as(core, user, locale=locale)
    reply = shell.command(f"/away 2026-04-{6:02d} 2026-04-{5 + days:02d}")
    assert not reply.error, reply.text
    return plain(reply.text)


def test_time_off_reply_with_plurals_in_three_languages(demo: Meridian) -> None:
    assert away_reply(demo, "new-en-1", "en", 1).startswith("You are away for 1 day, Apr 6, 2026 – Apr 6, 2026.")
    assert away_reply(demo, "new-en-3", "en", 3).startswith("You are away for 3 days, Apr 6, 2026 – Apr 8, 2026.")
    assert away_reply(demo, "new-de-1", "de", 1).startswith("Du bist 1 Tag abwesend, 06.04.2026 – 06.04.2026.")
    assert away_reply(demo, "new-de-3", "de", 3).startswith("Du bist 3 Tage abwesend, 06.04.2026 – 08.04.2026.")
    # Arabic has six plural forms: one (يوم واحد), two (يومان), few 3–10 (أيام), many 11–99 (يومًا).
    assert "يوم واحد" in away_reply(demo, "new-ar-1", "ar", 1)
    assert "يومان" in away_reply(demo, "new-ar-2", "ar", 2)
    assert "3 أيام" in away_reply(demo, "new-ar-3", "ar", 3)
    assert "11 يومًا" in away_reply(demo, "new-ar-11", "ar", 11)


def test_arabic_replies_run_right_to_left_and_errors_are_translated(demo: Meridian) -> None:
    shell = shell_as(demo, "new-ar", locale="ar")
    reply = shell.command("/away 2026-04-06 2026-04-08")
    assert reply.rtl and not reply.error
    assert "06\u200f/04\u200f/2026" in reply.text                       # CLDR's Arabic date, with RLM marks
    error = shell.command("/tz set Mars/Olympus")
    assert error.error and error.rtl and "Mars/Olympus" in error.text and "time zone" not in error.text
    assert not shell_as(demo, "new-de", locale="de").command("/tz").rtl


def test_team_clock_in_the_readers_clock_and_language(demo: Meridian) -> None:
    """12:00 UTC on Wednesday 25 March 2026: Kathmandu is at 17:45."""
    english = plain(shell_as(demo, "new-en", locale="en").command("/time @ravi").text)
    german = plain(shell_as(demo, "new-de", locale="de").command("/time @ravi").text)
    arabic = shell_as(demo, "new-ar", locale="ar").command("/time @ravi")
    assert "Wed 5:45 PM" in english and "working" in english
    assert "Mi. 17:45" in german and "arbeitet" in german
    assert "5:45 م" in plain(arabic.text) and "الأربعاء" in arabic.text and arabic.rtl
    titles = {locale: shell_as(demo, f"t-{locale}", locale=locale).command("/time @ravi @lena").title
              for locale in ("en", "de", "ar")}
    assert titles["en"] == "2 members are working now"
    assert titles["de"] == "2 Mitglieder arbeiten gerade"
    assert titles["ar"] == "يعمل الآن عضوان"


def test_the_members_own_locale_wins_over_the_platform_hint(demo: Meridian) -> None:
    shell = shell_as(demo, "new-es", locale="es")
    assert "Tu zona horaria" in shell.command("/tz").text
    shell.command("/profile locale ja")
    assert "タイムゾーン" in shell.command("/tz").text
    assert "タイムゾーン" in shell_as(demo, "new-es", locale="fr").command("/tz").text


@pytest.mark.parametrize("hint, expected", [
    ("pt-BR", "Seu fuso horário"), ("es-419", "Tu zona horaria"), ("es-LA", "Tu zona horaria"), ("es-ES", "Tu zona horaria"), ("fr-CA", "Votre fuseau horaire"),
    ("hi-IN", "आपका समय क्षेत्र"), ("ar-SA", "منطقتك الزمنية"), ("ja-JP", "タイムゾーン"), ("ko", "Your time zone"),
])
def test_platform_locales_find_their_catalog(hint: str, expected: str) -> None:
    """Slack says 'pt-BR', 'ja-JP' and 'es-LA', Discord 'es-419': each finds its language; unknown ones get English."""
    tr = Translator(hint)
    assert expected in tr._("Your time zone is {zone} (UTC{offset}); it is {time} on {date} for you.",
                            zone="UTC", offset="+00:00", time="12:00", date="x")


def test_formats_follow_the_locale() -> None:
    from datetime import datetime, timezone
    moment = datetime(2026, 3, 25, 15, 0, tzinfo=timezone.utc)
    assert plain(Translator("en").time(moment)) == "3:00 PM"
    assert Translator("de").time(moment) == "15:00"
    assert Translator("en_GB").time(moment) == "15:00"
    assert Translator("en").list(["Ana", "Bo", "Chen"]) == "Ana, Bo, and Chen"
    assert Translator("de").list(["Ana", "Bo", "Chen"]) == "Ana, Bo und Chen"
    assert Translator("ja").list(["Ana", "Bo", "Chen"]) == "Ana、Bo、Chen"
    assert plain(Translator("fr").number(1234567)) == "1 234 567"
    assert Translator("hi").number(1234567) == "12,34,567"
    assert Translator("ja").zone_name("Asia/Tokyo") == "日本時間"
    assert Translator("es").weekday(2) == "miércoles"


def test_working_hours_are_shown_in_the_readers_clock(demo: Meridian) -> None:
    assert "9:00 AM–5:00 PM" in plain(shell_as(demo, "new-en", locale="en").command("/profile").text)
    german = shell_as(demo, "new-de", locale="de").command("/profile").text
    assert "Arbeitszeit: 09:00–17:00" in german and "Sprache: Deutsch" in german
    assert "9:00 ص–5:00 م" in plain(shell_as(demo, "new-ar", locale="ar").command("/profile").text)


def test_a_channel_post_speaks_the_workspaces_language(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    """The weekly digest goes to a channel, so it is written in the workspace's language, not a member's."""
    from datetime import date

    from sqlalchemy import select

    from bot.demo import seed_demo
    from bot.holidays.messages import weekly_digest
    from bot.models import Workspace

    with sqlite_db.session() as session:
        seed_demo(session)
        workspace = session.scalar(select(Workspace))
        workspace.locale = "de"
        post = weekly_digest(session, workspace, date(2026, 3, 30))
        assert post is not None
        text = post.as_text()
    assert post.title == "Feiertage und Abwesenheiten, Mo., 30. März – So., 5. Apr."
    assert "Lena Huber (Berlin): Karfreitag" in text                      # python-holidays names it in German
    assert "Freitag und Samstag sind Wochenende in Riad (Omar Al-Harbi)." in text


def test_another_variant_of_a_language_beats_english() -> None:
    assert Translator("pt_PT")._("Your time zone") == "Seu fuso horário"
    assert Translator("es_MX")._("Your time zone") == "Tu zona horaria"
    assert Translator("zh")._("Your time zone") == "Your time zone"


@pytest.mark.parametrize("locale", SHIPPED)
def test_command_summaries_fit_a_discord_description(locale: str) -> None:
    """Discord cuts command descriptions at 100 characters; a translation must not lose its end."""
    from bot import features  # noqa: F401  (registers every command)
    from bot.router import COMMANDS

    tr = Translator(locale)
    too_long = [f"/{spec.name}: {tr._(spec.summary)}" for spec in COMMANDS.values() if len(tr._(spec.summary)) > 100]
    assert not too_long, "\n".join(too_long)


def test_scheduled_messages_in_arabic_are_marked_right_to_left() -> None:
    from bot.reply import Outbound, Reply

    arabic = Outbound("standup_prompt", 1, "omar", Reply(title=Translator("ar")._("Coffee pairing"), text="Omar Al-Harbi"))
    english = Outbound("standup_prompt", 1, "amara", Reply(title="Coffee pairing", text="عمر"))
    assert arabic.reply.rtl and not english.reply.rtl
