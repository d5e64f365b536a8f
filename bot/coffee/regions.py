"""Where someone is, for "cross-region" pairing: their country's UN M49 subregion and continent.

The planner prefers groups that span continents, then regions, then countries; this module answers
the region part from `countryinfo`'s data, falling back to the member's zone (its country through
`bot.time.country_of_zone`, else the continent prefix of the IANA name).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

from bot.i18n import Translator
from bot.time import country_of_zone


@lru_cache(maxsize=1)
def _country_regions() -> dict[str, tuple[str, str]]:
    """ISO alpha-2 -> (UN M49 subregion, continent), from countryinfo's data."""
    from countryinfo import CountryInfo

    table: dict[str, tuple[str, str]] = {}
    for info in CountryInfo.all().values():
        code = str((info.get("ISO") or {}).get("alpha2") or "").upper()
        subregion, continent = info.get("subregion") or "", info.get("region") or ""
        if len(code) == 2 and subregion:
            table.setdefault(code, (subregion, continent))
    return table


@dataclass(frozen=True)
class Region:
    name: str          # UN M49 subregion in English ("Western Europe"), or a zone's continent prefix
    continent: str     # "Europe", "Americas", … (or the zone prefix when the country is unknown)


def region_of(country: str | None, zone_name: str) -> Region:
    """Where someone is, for "cross-region": their country's UN subregion, else their zone's country's,
    else the continent part of their IANA zone ("Europe/…")."""
    for code in (country, country_of_zone(zone_name)):
        found = _country_regions().get((code or "").upper())
        if found:
            return Region(*found)
    prefix = zone_name.split("/", 1)[0] if "/" in zone_name else "World"
    return Region(prefix, prefix)


def region_label(tr: Translator, region: str) -> str:
    """A UN M49 region name in the reader's language, through CLDR's territory codes ("Western Europe" -> "Westeuropa")."""
    code = _region_codes().get(region)
    return tr.locale.territories.get(code, region) if code else region


_REGION_ALIASES = {  # countryinfo spells four M49 groups differently from CLDR's English names
    "Latin America and the Caribbean": "419", "Australia and New Zealand": "053",
    "South-eastern Asia": "035", "Micronesia": "057",
}


@lru_cache(maxsize=1)
def _region_codes() -> dict[str, str]:
    english = {name: code for code, name in Locale.parse("en").territories.items() if code.isdigit()}
    return {**english, **_REGION_ALIASES}
