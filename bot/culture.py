"""Getting to know colleagues abroad: /culture cards, /whois and the member's own `/profile about`.

A culture card holds only facts from maintained data, each with its source: the IANA time-zone
database, python-holidays, Unicode CLDR through babel, and one small sourced table of "hello"
translations (bot/data/greetings.toml). It makes no claims about people; what a person wants
colleagues to know, they write themselves with `/profile about`.

Other features (coffee intros, meeting reminders) call `short_intro(tr, member, now)`: a few
lines that start a first conversation well.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_currency, format_decimal, get_currency_name, get_territory_currencies

from bot import availability, holidays
from bot.time import country_of_zone, country_zones, fold_text, format_offset, local_date, to_local
from bot.i18n import N_, Translator
from bot.models import Member
from bot.reply import Form, FormField, Reply, Section
from bot.router import Args, Context, UserError, action, command
from bot.teamclock import describe_status, member_line
from bot.text import clean_input, one_line, user_text

GREETINGS_FILE = Path(__file__).with_name("data") / "greetings.toml"
MISSING = "—"

# Region codes CLDR lists among territories that are not countries a colleague lives in.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
_OFFICIAL = ("official", "de_facto_official")
_REGIONAL = ("official_regional",)
_MAX_ZONES_SHOWN = 8
_HOLIDAYS_SHOWN = 5
_SAMPLE_NUMBER = 1234567.89
_SAMPLE_AMOUNT = 1234.5
_SAMPLE_TIME = time(15, 30)           # an afternoon time shows 12- versus 24-hour clocks
_INTRO_HOLIDAY_HORIZON = timedelta(days=14)

# Where each kind of fact comes from; the card's footer names the ones it used.
SOURCES: dict[str, str] = {
    "tz": N_("Time zones: IANA time zone database"),
    "holidays": N_("Public holidays and weekends: python-holidays"),
    "cldr": N_("Languages, formats, weekends and first day of the week: Unicode CLDR via babel"),
    "greetings": N_("Greetings: common translations of “Hello” (bot/data/greetings.toml); CLDR has none"),
}


# --- data ----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def greetings() -> dict[str, str]:
    """CLDR language code -> a neutral 'hello' in that language, from the sourced data file."""
    with GREETINGS_FILE.open("rb") as handle:
        return dict(tomllib.load(handle)["hello"])


def greeting(language: str) -> str | None:
    table = greetings()
    return table.get(language) or table.get(language.split("_")[0])


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    return frozenset(code for code in Locale.parse("en").territories
                     if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES)


def is_country(code: str) -> bool:
    return code.upper() in _country_codes()


@lru_cache(maxsize=32)
def _country_names(locale_id: str) -> dict[str, str]:
    """Folded country name in the reader's language and in English -> ISO code."""
    out: dict[str, str] = {}
    for lang in (locale_id, "en"):
        for code, label in Locale.parse(lang).territories.items():
            if is_country(code):
                out.setdefault(fold_text(label), code)
    return out


def find_country(tr: Translator, text: str) -> str | None:
    """An ISO code or a country name in the reader's language (or English) -> ISO code."""
    raw = text.strip()
    if len(raw) == 2 and is_country(raw):
        return raw.upper()
    if not raw or len(raw) > 80:
        return None
    return _country_names(tr.locale_id).get(fold_text(raw))


def _languages_by_population(country: str) -> list[tuple[str, dict]]:
    data = get_global("territory_languages").get(country.upper(), {})
    return [(code, data[code]) for code in holidays.languages_by_population(country)]


def official_languages(country: str) -> tuple[list[tuple[str, str]], list[str]]:
    """([(language code, status)] official nationwide or de facto, [codes official in a region]), CLDR order."""
    nationwide, regional = [], []
    for code, info in _languages_by_population(country):
        status = info.get("official_status")
        if status in _OFFICIAL:
            nationwide.append((code, status))
        elif status in _REGIONAL:
            regional.append(code)
    return nationwide, regional


def language_name(tr: Translator, code: str) -> str:
    name = tr.locale.languages.get(code)
    if name:
        return name
    try:
        return Locale.parse(code).get_display_name(tr.locale) or code
    except (UnknownLocaleError, ValueError):
        return code


def day_span(tr: Translator, days: Iterable[int]) -> str:
    """'Sun–Thu' for a run of three or more consecutive weekdays (wrapping at Sunday), else a list."""
    chosen = sorted(set(days))
    if not chosen:
        return MISSING
    if 3 <= len(chosen) < 7:
        for first in chosen:
            if {(first + i) % 7 for i in range(len(chosen))} == set(chosen):
                last = (first + len(chosen) - 1) % 7
                return tr._("{first}–{last}", first=tr.weekday(first, "abbreviated"), last=tr.weekday(last, "abbreviated"))
    return tr.weekdays(chosen)


# --- the card ------------------------------------------------------------------------------------

@dataclass
class _Card:
    tr: Translator
    sources: set[str]

    def cite(self, source: str) -> None:
        self.sources.add(source)


def culture_card(tr: Translator, country: str, now: datetime, *, zone: str | None = None,
                 subdivision: str | None = None, person: Member | None = None) -> Reply:
    """The facts card for a country; a `person` narrows it to their zone and subdivision."""
    if person is not None:
        zone, subdivision = person.tz, person.subdivision
    who = one_line(person.display_name, 80) if person is not None else None
    country = country.upper()
    card = _Card(tr, set())
    zones = country_zones(country)
    shown_zone = zone or (zones[0] if zones else None)
    local = to_local(now, shown_zone) if shown_zone else None
    today = local.date() if local else local_date(now, "UTC")
    fmt = holidays.territory_locale(country)

    sections = [
        Section(tr._("Local time"), tuple(_time_lines(card, country, zones, shown_zone, local, who))),
        Section(tr._("Working week"), tuple(_week_lines(card, country, today, fmt))),
        Section(tr._("Next public holidays"), tuple(_holiday_lines(card, country, subdivision, today))),
        Section(tr._("Official languages"), tuple(_language_lines(card, country))),
        Section(tr._("How things are written"), tuple(_format_lines(card, country, today, fmt))),
    ]
    order = [key for key in SOURCES if key in card.sources]
    sections.append(Section(tr._("Sources"), tuple(tr._(SOURCES[key]) for key in order)
                            or (tr._("None of my sources has data for this territory."),)))
    title = tr._("{country} ({code})", country=tr.country_name(country), code=country)
    text = tr._("Facts from maintained data, not generalisations about people. What {name} prefers: /whois @{user}.",
                name=who, user=one_line(person.user_id, 64)) if person is not None else tr._("Facts from maintained data, not generalisations about people.")
    return Reply(title=title, text=text, sections=sections)


def _time_lines(card: _Card, country: str, zones: tuple[str, ...], shown_zone: str | None,
                local: datetime | None, person: str | None) -> list[str]:
    tr = card.tr
    if local is None or shown_zone is None:
        return [tr._("The time zone database has no zone for this territory.")]
    card.cite("tz")
    lines = [tr._("{day} {time} (UTC{offset}, {zone})", day=tr.weekday_date(local), time=tr.time(local),
                  offset=format_offset(local.utcoffset()), zone=shown_zone)]  # type: ignore[arg-type]
    if person and shown_zone not in zones:
        lines[0] = tr._("{time_line} — where {name} is", time_line=lines[0], name=person)
    if len(zones) > 1:
        listed = list(zones[:_MAX_ZONES_SHOWN])
        more = len(zones) - len(listed)
        if more:
            listed.append(tr.n_("{n} more", "{n} more", more))
        lines.append(tr.n_("This country has {n} time zone: {zones}", "This country has {n} time zones: {zones}",
                           len(zones), zones=tr.list(listed)))
        if person:
            lines.append(tr._("Shown for {name}'s zone.", name=person))
    return lines


def _week_lines(card: _Card, country: str, today: date, fmt: Locale | None) -> list[str]:
    tr = card.tr
    lines: list[str] = []
    weekend: frozenset[int] | None = None
    if holidays.is_supported(country):
        weekend = holidays.weekend_days(country, today)
        card.cite("holidays")
    elif fmt is not None:
        weekend = frozenset((fmt.weekend_start + i) % 7 for i in range((fmt.weekend_end - fmt.weekend_start) % 7 + 1))
        card.cite("cldr")
    if weekend is None:
        lines.append(tr._("No working-week data for this territory."))
    else:
        lines.append(tr._("Working days: {days}", days=day_span(tr, set(range(7)) - weekend)))
        lines.append(tr._("Weekend: {days}", days=day_span(tr, weekend) if weekend else tr._("none")))
    if fmt is not None:
        card.cite("cldr")
        lines.append(tr._("Calendars start the week on {day}.", day=tr.weekday(fmt.first_week_day)))
    else:
        lines.append(tr._("No data on the first day of the week here."))
    return lines


def _holiday_lines(card: _Card, country: str, subdivision: str | None, today: date) -> list[str]:
    tr = card.tr
    if not holidays.is_supported(country):
        return [tr._("No public-holiday data for this territory.")]
    card.cite("holidays")
    coming = holidays.holidays_between(country, subdivision, today, today + timedelta(days=365), tr.locale_id)
    if not coming:
        return [tr._("No public holidays in the next twelve months in the data.")]
    return [_holiday_text(tr, h) for h in coming[:_HOLIDAYS_SHOWN]]


def _holiday_text(tr: Translator, holiday: holidays.Holiday) -> str:
    day = format_skeleton("yMMMEd", holiday.day, locale=tr.locale)
    if holiday.estimated:
        return tr._("{date} — {name} (date estimated)", date=day, name=holiday.name)
    return tr._("{date} — {name}", date=day, name=holiday.name)


def _language_lines(card: _Card, country: str) -> list[str]:
    tr = card.tr
    nationwide, regional = official_languages(country)
    if not nationwide and not regional:
        return [tr._("CLDR lists no official language for this territory.")]
    card.cite("cldr")
    lines = []
    for code, status in nationwide:
        hello = greeting(code)
        if hello is not None:
            card.cite("greetings")
        line = tr._("{language} — “{hello}”", language=language_name(tr, code), hello=hello) if hello else \
            tr._("{language} — {missing}", language=language_name(tr, code), missing=MISSING)
        if status == "de_facto_official":
            line = tr._("{line} (official in practice)", line=line)
        lines.append(line)
    if regional:
        lines.append(tr._("Also official in some regions: {languages}",
                          languages=tr.list(language_name(tr, code) for code in regional)))
    return lines


def _format_lines(card: _Card, country: str, today: date, fmt: Locale | None) -> list[str]:
    tr = card.tr
    currencies = get_territory_currencies(country, today)
    if fmt is None and not currencies:
        return [tr._("CLDR has no data on how dates, numbers or money are written here.")]
    card.cite("cldr")
    lines = []
    if fmt is not None:
        lines.append(tr._("Dates: {short} · {long}", short=format_date(today, "short", locale=fmt),
                          long=format_date(today, "long", locale=fmt)))
        lines.append(tr._("Times: {time}", time=format_time(_SAMPLE_TIME, "short", locale=fmt)))
        lines.append(tr._("Numbers: {number}", number=format_decimal(_SAMPLE_NUMBER, locale=fmt)))
    for code in currencies:
        name = get_currency_name(code, locale=tr.locale)
        if fmt is not None:
            lines.append(tr._("Money: {amount} ({currency}, {code})", amount=format_currency(_SAMPLE_AMOUNT, code, locale=fmt),
                              currency=name, code=code))
        else:
            lines.append(tr._("Currency: {currency} ({code})", currency=name, code=code))
    if fmt is None:
        lines.append(tr._("CLDR has no data on how dates and numbers are written here."))
    return lines


# --- short forms for intros and reminders ----------------------------------------------------------

def profile_summary(tr: Translator, member: Member) -> list[str]:
    """The member's own words, short: name with pronunciation and pronouns, languages, one line of notes."""
    details = [tr._("say “{pronunciation}”", pronunciation=one_line(member.pronunciation, 100))] if member.pronunciation else []
    if member.pronouns:
        details.append(one_line(member.pronouns, 50))
    name = one_line(member.display_name, 80)
    lines = [tr._("{name} ({details})", name=name, details="; ".join(details)) if details else name]
    if member.languages:
        lines.append(tr._("Speaks: {languages}", languages=one_line(member.languages, 200)))
    note = first_note(member.about)
    if note:
        lines.append(tr._("How to work with me: {note}", note=note))
    return lines


def card_summary(tr: Translator, member: Member, now: datetime) -> str:
    """Where and when the member is, in one line: local time, country, status, working week, a close holiday."""
    status = availability.status_at(member, now, tr.locale_id)
    local = status.local
    parts = [tr._("{day} {time} (UTC{offset})", day=tr.weekday(local.weekday(), "abbreviated"),
                  time=tr.time(local), offset=status.offset)]
    if member.country:
        parts.append(tr.country_name(member.country))
    parts.append(describe_status(tr, status))
    parts.append(tr._("works {days}", days=day_span(tr, availability.work_days_on(member, local.date()))))
    upcoming = holidays.holidays_between(member.country, member.subdivision, local.date() + timedelta(days=1),
                                         local.date() + _INTRO_HOLIDAY_HORIZON, tr.locale_id)
    if upcoming:
        parts.append(tr._("next public holiday {date}: {name}", date=tr.weekday_date(upcoming[0].day),
                          name=upcoming[0].name))
    return " · ".join(parts)


def short_intro(tr: Translator, member: Member, now: datetime) -> list[str]:
    """The short form of a person's card and profile, for coffee intros and meeting reminders.

    Pure: reads the member (and their time off) and the clock's `now`; every piece of member-typed
    text is neutralised, so callers may put these lines straight into a Reply.
    """
    about = profile_summary(tr, member)
    return [about[0], card_summary(tr, member, now), *about[1:]]


def first_note(about: str | None, limit: int = 140) -> str:
    for line in (about or "").splitlines():
        if line.strip():
            return one_line(line, limit)
    return ""


# --- /culture and /whois ---------------------------------------------------------------------------

@command("culture", N_("Facts about a country: local time, working week, holidays, languages, formats"),
         "<country | code | @member>")
def culture(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if not args:
        raise UserError(tr._("Which country? For example: /culture Japan, /culture SA or /culture @member."))
    if args.mentions:
        if len(args) != 1:
            raise UserError(tr._("Give one country or one @member, for example: /culture @member."))
        person = ctx.find_member(args[0])
        country = person.country or (country_of_zone(person.tz) if person.tz_source != "default" else None)
        if not country:
            raise UserError(tr._("{name} has not set a country yet (/profile country).",
                                 name=one_line(person.display_name, 80)))
        return culture_card(tr, country, ctx.now(), person=person)
    wanted = args.rest()
    country = find_country(tr, wanted)
    if country is None:
        raise UserError(tr._("I don't know the country “{text}”. Use a two-letter code like JP or a name like {example}.",
                             text=one_line(wanted, 40), example=tr.country_name("JP")))
    return culture_card(tr, country, ctx.now())


@command("whois", N_("A colleague's own profile, local time and status"), "[@member]")
def whois(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if len(args) > 1:
        raise UserError(tr._("Ask about one person, for example: /whois @member."))
    person = ctx.find_member(args[0]) if args else ctx.member
    status = availability.status_at(person, ctx.now(), tr.locale_id)
    about = _about_lines(tr, person, only_written=True)
    notes = note_lines(person)
    sections = [Section(tr._("Now"), (member_line(tr, status),
                                      tr._("Country: {country}", country=tr.country_name(person.country)),
                                      tr._("Works {days}, {start}–{end}", days=day_span(tr, availability.work_days_on(person, status.local.date())),
                                           start=tr.time(person.hours_start), end=tr.time(person.hours_end))))]
    if about:
        sections.append(Section(tr._("About"), tuple(about)))
    if notes:
        sections.append(Section(tr._("How to work with me"), tuple(notes)))
    text = "" if about or notes else tr._("{name} has not written anything about themselves yet (/profile about).",
                                          name=one_line(person.display_name, 80))
    title = one_line(person.display_name, 80)
    if person.preferred_name and person.name and person.name != person.preferred_name:
        title = tr._("{preferred} ({name})", preferred=title, name=one_line(person.name, 80))
    return Reply(title=title, text=text, sections=sections)


# --- /profile about ------------------------------------------------------------------------------

@dataclass(frozen=True)
class AboutField:
    key: str            # the subcommand word and the form field name
    column: str         # the Member attribute
    label: str          # N_() message id
    limit: int
    multiline: bool = False


ABOUT_FIELDS: tuple[AboutField, ...] = (
    AboutField("name", "preferred_name", N_("Preferred name"), 100),
    AboutField("pronunciation", "pronunciation", N_("Pronunciation"), 100),
    AboutField("pronouns", "pronouns", N_("Pronouns"), 50),
    AboutField("languages", "languages", N_("Languages I speak"), 200),
    AboutField("notes", "about", N_("How to work with me"), 1000, multiline=True),
)
_FIELDS_BY_KEY = {f.key: f for f in ABOUT_FIELDS}


def _about_lines(tr: Translator, member: Member, only_written: bool = False) -> list[str]:
    """'Label: value' (made safe, or '—') for each one-line field; the notes are shown by `note_lines`."""
    return [tr._("{label}: {value}", label=tr._(f.label), value=one_line(getattr(member, f.column), f.limit) or MISSING)
            for f in ABOUT_FIELDS if not f.multiline and (getattr(member, f.column) or not only_written)]


def note_lines(member: Member) -> list[str]:
    """The member's notes, one safe display line per line they wrote."""
    return [user_text(line, 300) for line in (member.about or "").splitlines() if line.strip()]


def normalised(field: AboutField, text: str) -> str:
    """What a member typed, tidied for storage: one line, or for notes trimmed lines without blank runs."""
    text = clean_input(text)
    if not field.multiline:
        return " ".join(text.split())
    lines: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


def _checked(tr: Translator, field: AboutField, text: str) -> str:
    value = normalised(field, text)
    if len(value) > field.limit:
        raise UserError(tr._("{field} can be at most {limit} characters; that was {n}. Nothing was changed.",
                             field=tr._(field.label), limit=tr.number(field.limit), n=tr.number(len(value))))
    return value


def _about_reply(tr: Translator, member: Member, text: str = "") -> Reply:
    lines = _about_lines(tr, member)
    notes = note_lines(member) or [MISSING]
    hint = tr._("Change one with /profile about name|pronunciation|pronouns|languages|notes <text>, all at once with /profile about edit, or remove them with /profile about clear [field].")
    return Reply(title=tr._("About you"), text="\n".join(filter(None, [text, hint])),
                 sections=[Section(None, tuple(lines)), Section(tr._("How to work with me"), tuple(notes))])


@command("profile about", N_("What colleagues see about you: name, pronunciation, pronouns, languages, notes"),
         "[name | pronunciation | pronouns | languages | notes | edit | clear]")
def about_show(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("Unknown part “{name}”. Use one of: {names}.", name=one_line(args[0], 40),
                                 names=", ".join([f.key for f in ABOUT_FIELDS] + ["edit", "clear"])))
    return _about_reply(ctx.tr, ctx.member)


def _setter(field: AboutField):  # type: ignore[no-untyped-def]
    def set_field(ctx: Context, args: Args) -> Reply:
        tr = ctx.tr
        value = _checked(tr, field, args.rest())
        if not value:
            raise UserError(tr._("Write the text after the command, for example /profile about {key} <text>; remove it with /profile about clear {key}.",
                                 key=field.key))
        setattr(ctx.member, field.column, value)
        return _about_reply(tr, ctx.member, tr._("Saved."))
    set_field.__name__ = f"about_{field.key}"
    return set_field


_SUMMARIES = {
    "name": N_("Set the name you like to be called"),
    "pronunciation": N_("Set how your name is pronounced"),
    "pronouns": N_("Set your pronouns"),
    "languages": N_("Set the languages you speak"),
    "notes": N_("Set your “how to work with me” notes"),
}
for _field in ABOUT_FIELDS:
    command(f"profile about {_field.key}", _SUMMARIES[_field.key], "<text>")(_setter(_field))


@command("profile about clear", N_("Remove what you wrote about yourself"), "[name | pronunciation | pronouns | languages | notes]")
def about_clear(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if len(args) > 1 or (args and args[0].casefold() not in _FIELDS_BY_KEY):
        raise UserError(tr._("Clear everything with /profile about clear, or one part: {names}.",
                             names=", ".join(f.key for f in ABOUT_FIELDS)))
    fields = [_FIELDS_BY_KEY[args[0].casefold()]] if args else list(ABOUT_FIELDS)
    for field in fields:
        setattr(ctx.member, field.column, None)
    return _about_reply(tr, ctx.member, tr._("Removed."))


@command("profile about edit", N_("Edit everything colleagues see about you in one form"))
def about_edit(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    fields = tuple(FormField(name=f.key, label=tr._(f.label), value=getattr(ctx.member, f.column) or "",
                             multiline=f.multiline, required=False, max_length=f.limit) for f in ABOUT_FIELDS)
    return Reply(text=tr._("What would you like colleagues to know?"),
                 form=Form(action="culture.about", title=tr._("About you"), fields=fields, submit_label=tr._("Save")))


@action("culture.about")
def about_submit(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    """Every field is checked before any is saved: one bad field changes nothing."""
    tr = ctx.tr
    checked = {key: _checked(tr, _FIELDS_BY_KEY[key], text) for key, text in fields.items() if key in _FIELDS_BY_KEY}
    for key, text in checked.items():
        setattr(ctx.member, _FIELDS_BY_KEY[key].column, text or None)
    return _about_reply(tr, ctx.member, tr._("Saved."))
