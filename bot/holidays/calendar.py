"""Public holidays and working weeks per country and subdivision, from python-holidays and CLDR.

The package re-exports this module's public functions (`from bot.holidays import holiday_on`).

python-holidays is the source for holidays and for weekends (it knows, for instance, that the UAE
moved from a Friday-Saturday to a Saturday-Sunday weekend in 2022); CLDR week data through babel
covers countries the library does not know. Nothing here assumes Saturday and Sunday.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterator

import holidays as pyholidays
from babel import Locale
from babel.core import UnknownLocaleError, get_global

_DEFAULT_WEEKEND = frozenset({5, 6})  # used only when neither python-holidays nor CLDR knows the country


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    country: str
    subdivision: str | None
    estimated: bool = False


def supported_countries() -> dict[str, list[str]]:
    """ISO code -> the subdivisions python-holidays knows."""
    return pyholidays.list_supported_countries()


def is_supported(country: str) -> bool:
    return country.upper() in supported_countries()


def subdivisions(country: str) -> tuple[str, ...]:
    return tuple(supported_countries().get(country.upper(), ()))


def _holiday_language(country: str, locale: str | None) -> str | None:
    """The best language python-holidays has for this country and reader, or None for its default.

    The reader's own language first (a German reader sees Austria's 'Fronleichnam', an Arabic one Canada's
    names in Arabic); when the data has none, English, which a colleague abroad reads more easily than the
    country's own script (a Hindi reader of Japan's holidays gets 'New Year's Day', not '元日')."""
    if not locale:
        return None
    cls = _country_class(country)
    languages: tuple[str, ...] = tuple(getattr(cls, "supported_languages", ()) or ())
    wanted = locale.replace("-", "_")
    english_first = str(getattr(cls, "default_language", "") or "").startswith("en")
    fallback = () if english_first else ("en_US", "en")       # the UK's 'Boxing Day', not the US spelling
    for candidate in (wanted, wanted.split("_")[0], *fallback):
        for lang in languages:
            if lang == candidate or lang.split("_")[0] == candidate:
                return lang
    return None


@lru_cache(maxsize=None)
def _country_class(country: str) -> type:
    return type(pyholidays.country_holidays(country))


_ESTIMATE_OPTIONS = ("islamic_show_estimated", "hindu_show_estimated", "chinese_show_estimated")


@lru_cache(maxsize=512)
def _calendar(country: str, subdivision: str | None, year: int, language: str | None,
              show_estimated: bool = False) -> pyholidays.HolidayBase:
    kwargs: dict[str, object] = {"years": year}
    if subdivision:
        kwargs["subdiv"] = subdivision
    if language:
        kwargs["language"] = language
    for option in _ESTIMATE_OPTIONS:
        if _takes_option(country, option):
            kwargs[option] = show_estimated
    return pyholidays.country_holidays(country, **kwargs)  # type: ignore[arg-type]


@lru_cache(maxsize=None)
def _takes_option(country: str, option: str) -> bool:
    return option in inspect.signature(_country_class(country).__init__).parameters


def _names(calendar: pyholidays.HolidayBase, day: date) -> list[str]:
    return str(calendar.get(day, "")).split("; ") if day in calendar else []


def _estimated_flags(country: str, subdivision: str | None, year: int, language: str | None,
                     day: date, plain: list[str]) -> list[bool]:
    """Which of the day's names the library marks as estimated, whatever the language.

    The library labels estimated dates only in the name ("(estimated)", "(تقديري)", "(يوم تعويضي
    تقديري)"…), so we ask it twice, with and without the label, and compare: no word list to
    keep per language, and the names we show stay free of the label (we say "estimated" ourselves).
    """
    if not any(_takes_option(country, option) for option in _ESTIMATE_OPTIONS):
        return [False] * len(plain)
    marked = _names(_calendar(country, subdivision, year, language, True), day)
    if len(marked) == len(plain):
        return [m != p for m, p in zip(marked, plain)]
    return [p not in marked for p in plain]


def holidays_between(country: str | None, subdivision: str | None, start: date, end: date,
                     locale: str | None = None) -> list[Holiday]:
    """Public holidays on [start, end] (inclusive), named in the reader's language where the data has it."""
    if not country or not is_supported(country):
        return []
    country = country.upper()
    language = _holiday_language(country, locale)
    out: list[Holiday] = []
    for year in range(start.year, end.year + 1):
        calendar = _calendar(country, subdivision, year, language)
        for day in sorted(calendar):
            if start <= day <= end:
                names = _names(calendar, day)
                flags = _estimated_flags(country, subdivision, year, language, day, names)
                out.extend(Holiday(day, name, country, subdivision, flag) for name, flag in zip(names, flags))
    return out


@lru_cache(maxsize=65536)
def holiday_on(country: str | None, subdivision: str | None, day: date, locale: str | None = None) -> Holiday | None:
    """The public holiday on `day` for someone in this country and subdivision, if any.

    Cached: availability asks this for every member and day that planning and the fair-slot finder
    look at, and the answer for a (place, day, language) never changes within a process."""
    found = holidays_between(country, subdivision, day, day, locale)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    return Holiday(day, "; ".join(h.name for h in found), found[0].country, subdivision,
                   any(h.estimated for h in found))


@lru_cache(maxsize=4096)
def weekend_days(country: str | None, day: date) -> frozenset[int]:
    """The weekend (0=Monday … 6=Sunday) in `country` on `day`: python-holidays first, then CLDR."""
    if country and is_supported(country):
        calendar = _calendar(country.upper(), None, day.year, None)
        return frozenset(d for d in range(7) if calendar.is_weekend(day + timedelta(days=(d - day.weekday()) % 7)))
    cldr = _cldr_weekend(country)
    return cldr if cldr is not None else _DEFAULT_WEEKEND


def default_work_days(country: str | None, day: date) -> frozenset[int]:
    return frozenset(range(7)) - weekend_days(country, day)


@lru_cache(maxsize=256)
def territory_locale(country: str) -> Locale | None:
    """The CLDR locale that says how things are written in a territory (week, dates, numbers).

    CLDR's likely subtags omit territories whose likely language is the default one (US, CA, NG…),
    so after them we try the territory's languages, most spoken first.
    """
    code = country.upper()
    likely = get_global("likely_subtags").get(f"und_{code}")
    if likely:
        try:
            found = Locale.parse(likely)
            if found.territory == code:
                return found
        except (UnknownLocaleError, ValueError):
            pass
    for language in languages_by_population(code):
        try:
            return Locale.parse(f"{language}_{code}")
        except (UnknownLocaleError, ValueError):
            continue
    return None


def languages_by_population(country: str) -> list[str]:
    """The territory's languages in CLDR, most spoken first."""
    data = get_global("territory_languages").get(country.upper(), {})
    return [code for code, _ in sorted(((c, i) for c, i in data.items() if c != "und"),
                                       key=lambda item: -(item[1].get("population_percent") or 0))]


def _cldr_weekend(country: str | None) -> frozenset[int] | None:
    if not country:
        return None
    loc = territory_locale(country)
    if loc is None:
        return None
    start, end = loc.weekend_start, loc.weekend_end
    days = {start}
    current = start
    while current != end:
        current = (current + 1) % 7
        days.add(current)
    return frozenset(days)


def first_week_day(country: str) -> int | None:
    loc = territory_locale(country)
    return loc.first_week_day if loc is not None else None


def iter_days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)
