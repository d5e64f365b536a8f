"""The data behind a culture card: which codes are countries, their names, languages and greetings.

Read from CLDR through babel and from bot/data/greetings.toml (CLDR has no greetings); nothing here
formats a card.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from bot import holidays
from bot.i18n import Translator
from bot.time import fold_text

GREETINGS_FILE = Path(__file__).parents[1] / "data" / "greetings.toml"

# Region codes CLDR lists among territories that are not countries a colleague lives in.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
_OFFICIAL = ("official", "de_facto_official")
_REGIONAL = ("official_regional",)


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
