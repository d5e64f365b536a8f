"""The culture card: local time, working week, next public holidays, official languages and how things are
written in a country, each section citing where its facts come from."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_currency, format_decimal, get_currency_name, get_territory_currencies

from bot import holidays
from bot.culture.facts import greeting, language_name, official_languages
from bot.i18n import N_, Translator
from bot.models import Member
from bot.reply import Reply, Section
from bot.text import one_line
from bot.time import country_zones, format_offset, local_date, offset_of, to_local

MISSING = "—"

_MAX_ZONES_SHOWN = 8
_HOLIDAYS_SHOWN = 5
_SAMPLE_NUMBER = 1234567.89
_SAMPLE_AMOUNT = 1234.5
_SAMPLE_TIME = time(15, 30)           # an afternoon time shows 12- versus 24-hour clocks

# Where each kind of fact comes from; the card's footer names the ones it used.
SOURCES: dict[str, str] = {
    "tz": N_("Time zones: IANA time zone database"),
    "holidays": N_("Public holidays and weekends: python-holidays"),
    "cldr": N_("Languages, formats, weekends and first day of the week: Unicode CLDR via babel"),
    "greetings": N_("Greetings: common translations of “Hello” (bot/data/greetings.toml); CLDR has none"),
}


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
                  offset=format_offset(offset_of(local)), zone=shown_zone)]
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
