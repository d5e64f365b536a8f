"""Speaking each member's language: gettext catalogs from locales/ plus babel for dates, times and lists.

Handlers get a `Translator` for the reader and write `tr._("Your zone is {zone}.", zone=...)`.
Message ids are English; placeholders are named, so translators may reorder them.
"""
from __future__ import annotations

import gettext
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time, get_day_names, get_timezone_location
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

import locales as _locales_package

LOCALES_DIR = Path(_locales_package.__file__).parent
DOMAIN = "meridian"
DEFAULT_LOCALE = "en"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated where it is shown)."""
    return message


# Platform tags that are not BCP 47: Slack calls Latin American Spanish 'es-LA' (LA is Laos to CLDR, so
# babel would give up and the reader would get English). Discord already sends the standard 'es-419'.
PLATFORM_LOCALE_ALIASES = {"es_la": "es_419"}


def normalize_locale(value: str | None) -> str:
    """'pt-BR', 'pt_br', 'ja-JP' -> babel's 'pt_BR', 'ja_JP'; Slack's 'es-LA' -> 'es_419'; unknown or empty -> 'en'."""
    if not value:
        return DEFAULT_LOCALE
    cleaned = value.replace("-", "_").strip()
    cleaned = PLATFORM_LOCALE_ALIASES.get(cleaned.lower(), cleaned)
    try:
        return str(Locale.parse(cleaned, sep="_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return DEFAULT_LOCALE


def is_known_locale(value: str) -> bool:
    try:
        Locale.parse(value.replace("-", "_").strip(), sep="_")
        return True
    except (UnknownLocaleError, ValueError, TypeError):
        return False


def available_catalogs() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALES_DIR.glob("*/LC_MESSAGES/meridian.mo"))


@lru_cache(maxsize=64)
def _translations(locale: str) -> gettext.NullTranslations:
    """'pt_BR' -> pt_BR; 'es_MX' -> es; 'pt_PT' -> pt_BR (the same language beats English); else English."""
    parsed = Locale.parse(locale)
    candidates = [str(parsed)]
    if parsed.territory:
        candidates.append(parsed.language)
    candidates += [c for c in available_catalogs() if c.split("_")[0] == parsed.language and c not in candidates]
    return gettext.translation(DOMAIN, localedir=str(LOCALES_DIR), languages=candidates, fallback=True)


def _fill(text: str, params: dict[str, object]) -> str:
    """`text.format(**params)`, where a value ending in an abbreviation point absorbs the full stop after it.

    CLDR abbreviates months and weekdays with a point in many languages ('sam. 19 déc.', 'So., 6. Dez.'),
    and a sentence that ends with such a date must not end in '..': typography in de, fr, es and pt lets
    the abbreviation point close the sentence. Doing it here keeps every message free of special cases.
    """
    for name, value in params.items():
        if str(value).endswith(".") and "{" + name + "}." in text:
            text = text.replace("{" + name + "}.", "{" + name + "}")
    return text.format(**params)


class Translator:
    """Messages and formats for one reader's locale."""

    def __init__(self, locale: str | None = None) -> None:
        self.locale_id = normalize_locale(locale)
        self.locale = Locale.parse(self.locale_id)
        self._catalog = _translations(self.locale_id)

    @property
    def rtl(self) -> bool:
        return self.locale.character_order == "right-to-left"

    def _(self, message: str, /, **params: object) -> str:
        text = self._catalog.gettext(message)
        return _fill(text, params) if params else text

    def n_(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        text = self._catalog.ngettext(singular, plural, n)
        return _fill(text, {"n": self.number(n), **params})

    # --- formatting, always for this reader's locale -----------------------------------------
    def time(self, value: datetime | time) -> str:
        """Short time: 24-hour or 12-hour as the locale writes it."""
        return format_time(value, format="short", locale=self.locale)

    def date(self, value: date | datetime, fmt: str = "medium") -> str:
        return format_date(value, format=fmt, locale=self.locale)

    def weekday_date(self, value: date | datetime, this_year: int | None = None) -> str:
        """'Mon, Mar 23' in the reader's language; 'Mon, Jan 1, 2099' when the year is not `this_year`."""
        skeleton = "yMMMEd" if this_year is not None and value.year != this_year else "MMMEd"
        return format_date(value, format=self._skeleton(skeleton), locale=self.locale)

    def datetime(self, value: datetime, fmt: str = "medium") -> str:
        return format_datetime(value, format=fmt, tzinfo=value.tzinfo, locale=self.locale)

    def weekday(self, index: int, width: str = "wide") -> str:
        return get_day_names(width, locale=self.locale)[index]

    def weekdays(self, days: Iterable[int]) -> str:
        return self.list([self.weekday(d, "abbreviated") for d in sorted(days)])

    def list(self, items: Iterable[str], style: str = "standard") -> str:
        values = list(items)
        return format_list(values, style=style, locale=self.locale) if values else ""

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, fraction: float) -> str:
        """0.5 -> '50%', '50 %' (de, fr) or '50‎%‎' (ar): where the sign goes and its spacing differ."""
        return format_percent(fraction, locale=self.locale)

    def zone_name(self, zone_name: str) -> str:
        try:
            return get_timezone_location(zone_name, locale=self.locale)
        except (LookupError, ValueError):
            return zone_name

    def language_name(self, code: str) -> str:
        """'pt_BR' -> 'Portuguese (Brazil)' for an English reader, 'Portugiesisch (Brasilien)' for a German one."""
        try:
            return Locale.parse(normalize_locale(code)).get_display_name(self.locale) or code
        except (UnknownLocaleError, ValueError):
            return code

    def country_name(self, code: str | None) -> str:
        if not code:
            return "—"
        return self.locale.territories.get(code.upper(), code.upper())

    def _skeleton(self, skeleton: str) -> str:
        pattern = self.locale.datetime_skeletons.get(skeleton)
        return str(pattern) if pattern is not None else "medium"
