"""Zones: IANA names, what people type for them (cities, abbreviations, countries), and zone to country.

Zones are `zoneinfo.ZoneInfo` objects; no fixed offset ever stands in for a zone.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pytz
from babel import Locale
from babel.core import get_global

from bot.time.errors import TimeError


@lru_cache(maxsize=None)
def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; raises TimeError('unknown_zone') for anything else."""
    if not name or name.lower() in {"local", "localtime"}:
        raise TimeError("unknown_zone", zone=name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError):
        raise TimeError("unknown_zone", zone=name) from None


@lru_cache(maxsize=1)
def all_zone_names() -> frozenset[str]:
    return frozenset(n for n in available_timezones() if "/" in n or n == "UTC")


def fold_text(text: str) -> str:
    """Lower-case, accents stripped, separators unified: 'São Paulo' and 'sao_paulo' meet here."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_\-.'’]+", " ", ascii_text.casefold()).strip()


# Abbreviations people type. Ambiguous ones map to several zones on purpose: we list them back.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "ist": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "cst": ("America/Chicago", "Asia/Shanghai", "America/Havana"),
    "bst": ("Europe/London", "Asia/Dhaka"),
    "ast": ("America/Halifax", "Asia/Riyadh"),
    "est": ("America/New_York",),
    "edt": ("America/New_York",),
    "cdt": ("America/Chicago",),
    "mst": ("America/Denver", "America/Phoenix"),
    "mdt": ("America/Denver",),
    "pst": ("America/Los_Angeles",),
    "pdt": ("America/Los_Angeles",),
    "cet": ("Europe/Berlin", "Europe/Paris"),
    "cest": ("Europe/Berlin", "Europe/Paris"),
    "jst": ("Asia/Tokyo",),
    "aest": ("Australia/Sydney", "Australia/Brisbane"),
    "utc": ("UTC",),
    "gmt": ("UTC", "Europe/London"),
    "z": ("UTC",),
}

# Large cities that are not the name of their zone. Zone cities ("Kathmandu") and CLDR's exemplar
# cities in several languages ("Múnich" is not needed: Munich is not a zone) are found without this.
_CITY_ALIASES: dict[str, str] = {
    "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles", "portland": "America/Los_Angeles",
    "san diego": "America/Los_Angeles", "las vegas": "America/Los_Angeles", "boston": "America/New_York",
    "washington": "America/New_York", "washington dc": "America/New_York", "miami": "America/New_York",
    "atlanta": "America/New_York", "philadelphia": "America/New_York", "nyc": "America/New_York",
    "austin": "America/Chicago", "dallas": "America/Chicago", "houston": "America/Chicago",
    "minneapolis": "America/Chicago", "salt lake city": "America/Denver", "munich": "Europe/Berlin",
    "munchen": "Europe/Berlin", "frankfurt": "Europe/Berlin", "hamburg": "Europe/Berlin", "cologne": "Europe/Berlin",
    "koln": "Europe/Berlin", "barcelona": "Europe/Madrid", "milan": "Europe/Rome", "geneva": "Europe/Zurich",
    "manchester": "Europe/London", "edinburgh": "Europe/London", "lyon": "Europe/Paris", "krakow": "Europe/Warsaw",
    "rotterdam": "Europe/Amsterdam", "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata", "bombay": "Asia/Kolkata", "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata",
    "chennai": "Asia/Kolkata", "hyderabad": "Asia/Kolkata", "pune": "Asia/Kolkata", "calcutta": "Asia/Kolkata",
    "beijing": "Asia/Shanghai", "shenzhen": "Asia/Shanghai", "guangzhou": "Asia/Shanghai", "hangzhou": "Asia/Shanghai",
    "osaka": "Asia/Tokyo", "kyoto": "Asia/Tokyo", "saigon": "Asia/Ho_Chi_Minh", "hanoi": "Asia/Bangkok",
    "abu dhabi": "Asia/Dubai", "jeddah": "Asia/Riyadh", "mecca": "Asia/Riyadh", "tel aviv": "Asia/Jerusalem",
    "rio de janeiro": "America/Sao_Paulo", "rio": "America/Sao_Paulo", "brasilia": "America/Sao_Paulo",
    "melbourne": "Australia/Melbourne", "canberra": "Australia/Sydney", "wellington": "Pacific/Auckland",
    "christchurch": "Pacific/Auckland", "lord howe": "Australia/Lord_Howe", "lord howe island": "Australia/Lord_Howe",
    "chatham": "Pacific/Chatham", "chatham islands": "Pacific/Chatham", "kiritimati": "Pacific/Kiritimati",
    "christmas island": "Pacific/Kiritimati", "samoa": "Pacific/Apia", "toronto": "America/Toronto",
    "montreal": "America/Toronto", "vancouver": "America/Vancouver", "abuja": "Africa/Lagos",
    "cape town": "Africa/Johannesburg", "kiev": "Europe/Kyiv", "kyiv": "Europe/Kyiv", "calgary": "America/Edmonton",
}


@dataclass(frozen=True)
class ZoneMatch:
    name: str
    label: str  # what the user typed resolved to, for the reply ("Kathmandu", "Nepal")
    fixed_offset: timedelta | None = None   # "UTC+3" and the like: a fixed offset that never follows DST


@lru_cache(maxsize=1)
def _cldr_synonyms() -> dict[str, frozenset[str]]:
    """CLDR zone id -> every id CLDR treats as the same zone (its aliases included)."""
    groups: dict[str, set[str]] = {}
    for alias, target in get_global("zone_aliases").items():
        groups.setdefault(target, {target}).add(alias)
    return {target: frozenset(ids) for target, ids in groups.items()}


def _iana_name(cldr_id: str) -> str:
    """IANA's own name for a zone CLDR knows by an older id ('Asia/Katmandu' -> 'Asia/Kathmandu').

    CLDR keeps the first id a zone ever had; IANA renames zones and keeps the old name as a link. A
    city must lead to one zone whatever the CLDR release, so the name from IANA's zone tables wins.
    """
    target = get_global("zone_aliases").get(cldr_id, cldr_id)
    same = _cldr_synonyms().get(target, frozenset({target}))
    for candidate in sorted(same):
        if candidate in _tab_zones():
            return candidate
    return target


@lru_cache(maxsize=1)
def _tab_zones() -> frozenset[str]:
    """The canonical zones of IANA's zone tables (zone1970.tab/zone.tab through pytz), plus UTC."""
    return frozenset(z for zones in pytz.country_timezones.values() for z in zones) | {"UTC"}


@lru_cache(maxsize=1)
def _zone_index() -> dict[str, frozenset[str]]:
    """Folded name -> zones. Built once from IANA names, CLDR exemplar cities and our aliases."""
    index: dict[str, set[str]] = {}

    def add(key: str, zone_name: str) -> None:
        if key:
            index.setdefault(fold_text(key), set()).add(zone_name)

    names = all_zone_names()
    for name in names:
        add(name, name)
        add(name.rsplit("/", 1)[-1], _iana_name(name) if _iana_name(name) in names else name)
    for lang in ("en", "de", "es", "fr", "pt", "ja", "hi", "ar", "it", "nl"):
        for zone_name, info in Locale.parse(lang).time_zones.items():
            city = info.get("city") if hasattr(info, "get") else None
            canonical = _iana_name(zone_name)
            if city and canonical in names:
                add(city, canonical)
    for city, zone_name in _CITY_ALIASES.items():
        add(city, zone_name)
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    """Folded country name (English and a few languages) or ISO code -> ISO code."""
    out: dict[str, str] = {}
    for lang in ("en", "de", "es", "fr", "pt", "ja", "hi", "ar"):
        for code, label in Locale.parse(lang).territories.items():
            if code in pytz.country_timezones:       # a real country with zones: never "ZZ", "Unknown Region"
                out.setdefault(fold_text(label), code)
    return out


def country_zones(country: str) -> tuple[str, ...]:
    """The IANA zones of a country (zone1970.tab/zone.tab through pytz's copy): the one zone<->country source."""
    return tuple(pytz.country_timezones.get(country.upper(), ()))


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """Zone -> its one country, from the same table as `country_zones` (zones shared by countries left out)."""
    seen: dict[str, set[str]] = {}
    for code, zones in pytz.country_timezones.items():
        for zone_name in zones:
            seen.setdefault(zone_name, set()).add(code)
    return {zone_name: next(iter(codes)) for zone_name, codes in seen.items() if len(codes) == 1}


def country_of_zone(zone_name: str) -> str | None:
    """The one country whose zones include `zone_name`, or None (UTC, Etc/GMT+3, a zone several countries share)."""
    return _zone_countries().get(zone_name)


def resolve_zone(text: str) -> ZoneMatch:
    """Turn what a person typed into one IANA zone.

    Accepts an IANA name, a city in any common spelling, an abbreviation, or a country with a
    single zone. Raises TimeError('ambiguous_zone', candidates=...) or TimeError('unknown_zone').
    """
    raw = text.strip()
    if not raw or len(raw) > 64:
        raise TimeError("unknown_zone", zone=raw[:64])
    if "/" in raw:
        for name in all_zone_names():
            if name.casefold() == raw.casefold().replace(" ", "_"):
                return ZoneMatch(name, name)
    offset = parse_offset(raw)
    if offset is not None:
        return _offset_match(raw, offset)
    key = fold_text(raw)
    if key in _ABBREVIATIONS:
        candidates = _ABBREVIATIONS[key]
        if len(candidates) == 1:
            return ZoneMatch(candidates[0], raw.upper())
        raise TimeError("ambiguous_zone", zone=raw, candidates=candidates)
    zones = _zone_index().get(key)
    if zones:
        if len(zones) == 1:
            (only,) = zones
            return ZoneMatch(only, raw)
        raise TimeError("ambiguous_zone", zone=raw, candidates=tuple(sorted(zones)))
    code = raw.upper() if len(raw) == 2 and raw.isalpha() else _country_index().get(key)
    if code:
        zones_of_country = country_zones(code)
        if len(zones_of_country) == 1:
            return ZoneMatch(zones_of_country[0], raw)
        if zones_of_country:
            raise TimeError("ambiguous_zone", zone=raw, candidates=zones_of_country)
    raise TimeError("unknown_zone", zone=raw)


def suggest_zones(prefix: str, limit: int = 25) -> list[str]:
    """Zones whose name or city starts with (or contains) `prefix`: for autocomplete."""
    key = fold_text(prefix)
    if not key:
        return sorted(all_zone_names())[:limit]
    starts = sorted({z for k, zs in _zone_index().items() if k.startswith(key) for z in zs})
    contains = sorted({z for k, zs in _zone_index().items() if key in k for z in zs} - set(starts))
    return (starts + contains)[:limit]


# --- fixed offsets: what people mean by "GMT+3" ---------------------------------------------------

_OFFSET_RE = re.compile(r"^(?:utc|gmt|z)?\s*(?P<sign>[+\-−])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$", re.IGNORECASE)
MAX_OFFSET = timedelta(hours=14)     # Kiritimati is UTC+14, Baker Island UTC−12: nothing lies further
MIN_OFFSET = timedelta(hours=-12)


def parse_offset(text: str) -> timedelta | None:
    """'GMT+3', 'UTC-5', 'UTC+05:30', '+0545', 'UTC−3' -> the offset *east of UTC*, as people mean it.

    POSIX and IANA's Etc/GMT+3 invert the sign (Etc/GMT+3 is UTC−3); nobody who types GMT+3 means that.
    None when the text is not an offset; TimeError('unknown_zone') for one beyond ±14:00 or with bad minutes.
    """
    match = _OFFSET_RE.match(text.strip())
    if not match:
        return None
    minutes = int(match["m"] or 0)
    size = timedelta(hours=int(match["h"]), minutes=minutes)
    offset = -size if match["sign"] in "-−" else size
    if minutes >= 60 or not MIN_OFFSET <= offset <= MAX_OFFSET:
        raise TimeError("unknown_zone", zone=text.strip())
    return offset


def offset_zone_name(offset: timedelta) -> str | None:
    """The IANA zone that is always at `offset` ('Etc/GMT-3' for UTC+3), or None when IANA has none (+05:30)."""
    if offset == timedelta(0):
        return "UTC"
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest or not -12 <= hours <= 14:
        return None
    return f"Etc/GMT{-hours:+d}"


def zones_at_offset(offset: timedelta, at: datetime) -> tuple[str, ...]:
    """The canonical zones whose clocks show `offset` at instant `at`: where a fixed offset's people may live.

    Zones of the big cities people name (`_CITY_ALIASES`) come first, then the rest by name.
    """
    majors = set(_CITY_ALIASES.values())
    out = [name for name in _tab_zones() if name != "UTC" and at.astimezone(zone(name)).utcoffset() == offset]
    return tuple(sorted(out, key=lambda name: (name not in majors, name)))


def _offset_match(raw: str, offset: timedelta) -> ZoneMatch:
    name = offset_zone_name(offset)
    if name is None:
        # No IANA zone keeps +05:30 all year round; the zones that show it are the honest answer.
        at = datetime(2026, 1, 15, tzinfo=timezone.utc)
        candidates = zones_at_offset(offset, at) or zones_at_offset(offset, at.replace(month=7))
        if not candidates:
            raise TimeError("unknown_zone", zone=raw)
        raise TimeError("offset_without_zone", zone=raw, offset=offset, candidates=candidates[:8])
    return ZoneMatch(name, raw.upper(), fixed_offset=offset)


def resolve_country(text: str) -> str:
    """'DE', 'de', 'Germany', 'Deutschland', 'Alemania', 'ドイツ' -> 'DE'; TimeError('unknown_country') otherwise.

    Codes are ISO 3166 countries that have time zones (so 'ZZ', CLDR's "Unknown Region", is refused);
    names are CLDR's in every language Meridian speaks, the same table `resolve_zone` reads countries from.
    """
    raw = text.strip()
    if len(raw) == 2 and raw.isascii() and raw.isalpha():
        if raw.upper() in pytz.country_timezones:
            return raw.upper()
        raise TimeError("unknown_country", text=raw[:40])
    code = _country_index().get(fold_text(raw)) if len(raw) <= 64 else None
    if code is None:
        raise TimeError("unknown_country", text=raw[:40])
    return code
