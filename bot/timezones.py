"""All of Meridian's time math, in one place, on aware datetimes with IANA zones.

Rules this module keeps so nobody else has to think about them:
- instants are aware datetimes; storage and comparison happen in UTC;
- a member's "today" is their local date, computed here from their zone, never from UTC or the server;
- a local wall-clock time is turned into an instant only by `localize`, which knows about DST gaps
  (times that do not exist) and overlaps (times that happen twice);
- zones are `zoneinfo.ZoneInfo` objects; no fixed offsets stand in for a zone;
- durations are measured between UTC instants: Python subtracts two datetimes of the *same* zone
  as wall-clock times, which is wrong across a DST change. Functions returning intervals return UTC.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import Enum
from functools import lru_cache
from typing import Iterable, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pytz
from babel import Locale
from babel.core import get_global

UTC = timezone.utc

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class TimeError(ValueError):
    """Bad time input. `code` names the problem; `params` fill the user-facing message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


class GapPolicy(Enum):
    ERROR = "error"          # a user typed a time that does not exist: tell them
    FORWARD = "forward"      # a ritual: fire once, at the first valid instant after the gap


class OverlapPolicy(Enum):
    ERROR = "error"          # a user typed an ambiguous time: ask which one
    FIRST = "first"          # the earlier of the two instants (a ritual fires once, the first)
    SECOND = "second"


# ---------------------------------------------------------------------------------------------
# Zones
# ---------------------------------------------------------------------------------------------

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
        add(name.rsplit("/", 1)[-1], name)
    for lang in ("en", "de", "es", "fr", "pt", "ja", "hi", "ar", "it", "nl"):
        for zone_name, info in Locale.parse(lang).time_zones.items():
            city = info.get("city") if hasattr(info, "get") else None
            canonical = get_global("zone_aliases").get(zone_name, zone_name)
            if city and canonical in names:
                add(city, canonical)
    for city, zone_name in _CITY_ALIASES.items():
        add(city, zone_name)
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    """Folded country name (English and a few languages) or ISO code -> ISO code."""
    out: dict[str, str] = {}
    for lang in ("en", "de", "es", "fr", "pt"):
        for code, label in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                out.setdefault(fold_text(label), code)
    return out


def country_zones(country: str) -> tuple[str, ...]:
    return tuple(pytz.country_timezones.get(country.upper(), ()))


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


# ---------------------------------------------------------------------------------------------
# Instants and local times
# ---------------------------------------------------------------------------------------------

def ensure_aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("naive datetime where an instant was expected")
    return instant


def to_utc(instant: datetime) -> datetime:
    return ensure_aware(instant).astimezone(UTC)


def to_local(instant: datetime, zone_name: str) -> datetime:
    """The instant as wall-clock time in `zone_name` (aware, with the right offset)."""
    return ensure_aware(instant).astimezone(zone(zone_name))


def local_date(instant: datetime, zone_name: str) -> date:
    """The calendar date it is in `zone_name` at `instant`: a member's "today"."""
    return to_local(instant, zone_name).date()


def utc_offset(instant: datetime, zone_name: str) -> timedelta:
    offset = to_local(instant, zone_name).utcoffset()
    assert offset is not None
    return offset


def format_offset(offset: timedelta) -> str:
    """'+05:45', '-03:00', '+00:00'."""
    total = int(offset.total_seconds()) // 60
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _wall(instant_utc: datetime, tz: ZoneInfo) -> datetime:
    return instant_utc.astimezone(tz).replace(tzinfo=None)


def localize(local: datetime, zone_name: str, *, gap: GapPolicy = GapPolicy.ERROR,
             overlap: OverlapPolicy = OverlapPolicy.ERROR) -> datetime:
    """The instant (aware, in the zone) at which wall-clock `local` happens in `zone_name`.

    - inside a DST gap: GapPolicy.ERROR raises TimeError('nonexistent_time'); FORWARD returns the
      first valid instant after the gap (the transition itself);
    - inside an overlap: OverlapPolicy.ERROR raises TimeError('ambiguous_time', first=, second=);
      FIRST/SECOND pick the earlier/later instant.
    """
    if local.tzinfo is not None:
        raise ValueError("localize takes a naive wall-clock datetime")
    tz = zone(zone_name)
    earlier = local.replace(tzinfo=tz, fold=0)   # zoneinfo zones use fold, unlike pytz
    later = local.replace(tzinfo=tz, fold=1)
    u_earlier, u_later = earlier.astimezone(UTC), later.astimezone(UTC)
    valid = [u for u in sorted({u_earlier, u_later}) if _wall(u, tz) == local]
    if len(valid) == 2:
        if overlap is OverlapPolicy.FIRST:
            return valid[0].astimezone(tz)
        if overlap is OverlapPolicy.SECOND:
            return valid[1].astimezone(tz)
        raise TimeError("ambiguous_time", zone=zone_name, local=local,
                        first=valid[0].astimezone(tz), second=valid[1].astimezone(tz))
    if len(valid) == 1:
        return valid[0].astimezone(tz)
    if gap is GapPolicy.ERROR:
        raise TimeError("nonexistent_time", zone=zone_name, local=local)
    # The first instant whose wall clock is at or after `local`: binary search between the two
    # candidate instants (offsets before and after the transition), to the second.
    lo, hi = min(u_earlier, u_later), max(u_earlier, u_later)
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if _wall(mid, tz) >= local:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0).astimezone(tz)


def at_local(day: date, clock_time: time, zone_name: str, *, gap: GapPolicy = GapPolicy.ERROR,
             overlap: OverlapPolicy = OverlapPolicy.ERROR) -> datetime:
    return localize(datetime.combine(day, clock_time), zone_name, gap=gap, overlap=overlap)


def ritual_instant(day: date, clock_time: time, zone_name: str) -> datetime:
    """When a recurring local-time ritual fires on `day`: gaps move forward, overlaps take the first."""
    return at_local(day, clock_time, zone_name, gap=GapPolicy.FORWARD, overlap=OverlapPolicy.FIRST)


def day_bounds(day: date, zone_name: str) -> tuple[datetime, datetime]:
    """The UTC instants at which local `day` starts and the next day starts (23, 24 or 25 hours apart)."""
    start = ritual_instant(day, time(0, 0), zone_name)
    end = ritual_instant(day + timedelta(days=1), time(0, 0), zone_name)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_dates_between(start: datetime, end: datetime, zone_name: str) -> Iterator[date]:
    """Every local date in `zone_name` touched by [start, end)."""
    day = local_date(start, zone_name)
    last = local_date(end - timedelta(microseconds=1), zone_name)
    while day <= last:
        yield day
        day += timedelta(days=1)


def working_window(day: date, start: time, end: time, zone_name: str) -> tuple[datetime, datetime]:
    """A member's working hours on their local `day` as UTC instants; end before start means overnight."""
    begin = ritual_instant(day, start, zone_name)
    finish_day = day + timedelta(days=1) if end <= start else day
    finish = ritual_instant(finish_day, end, zone_name)
    return begin.astimezone(UTC), finish.astimezone(UTC)


def overlap_duration(a: Iterable[tuple[datetime, datetime]], b: Iterable[tuple[datetime, datetime]]) -> timedelta:
    """Total time two sets of (start, end) intervals share."""
    total = timedelta(0)
    b_list = list(b)
    for a_start, a_end in a:
        for b_start, b_end in b_list:
            shared = min(a_end, b_end) - max(a_start, b_start)
            if shared > timedelta(0):
                total += shared
    return total


def within_hours(local: datetime, start: time, end: time) -> bool:
    """Is the wall-clock time of `local` inside [start, end)? Handles overnight hours."""
    t = local.timetz().replace(tzinfo=None)
    if start < end:
        return start <= t < end
    return t >= start or t < end


def minutes_outside(local: datetime, start: time, end: time) -> int:
    """How far (in minutes) a wall-clock time lies from working hours: 0 inside them."""
    if within_hours(local, start, end):
        return 0
    t = local.hour * 60 + local.minute
    s, e = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    before = (s - t) % (24 * 60)
    after = (t - e) % (24 * 60)
    return min(before, after)


# ---------------------------------------------------------------------------------------------
# Parsing what people type
# ---------------------------------------------------------------------------------------------

_CLOCK_RE = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?$", re.IGNORECASE)


def parse_clock(text: str) -> time:
    """'9', '09:30', '9:30pm', '12pm' (noon), '12am' (midnight), '21h30', 'noon', 'midnight'."""
    raw = text.strip().casefold()
    if raw == "noon":
        return time(12, 0)
    if raw == "midnight":
        return time(0, 0)
    match = _CLOCK_RE.match(raw)
    if not match:
        raise TimeError("bad_time", text=text)
    hour, minute = int(match["h"]), int(match["m"] or 0)
    ampm = (match["ampm"] or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise TimeError("bad_time", text=text)
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise TimeError("bad_time", text=text)
    return time(hour, minute)


def parse_hours(text: str) -> tuple[time, time]:
    """'09:00-17:00', '9am-5pm', '22:00-06:00' (overnight)."""
    parts = re.split(r"\s*[-–—]\s*|\s+to\s+", text.strip(), maxsplit=1)
    if len(parts) != 2:
        raise TimeError("bad_hours", text=text)
    try:
        start, end = parse_clock(parts[0]), parse_clock(parts[1])
    except TimeError:
        raise TimeError("bad_hours", text=text) from None
    if start == end:
        raise TimeError("bad_hours", text=text)
    return start, end


def parse_weekday(text: str) -> int | None:
    """0=Monday for 'mon', 'monday', 'Mo'…; None when it is not a weekday name."""
    key = fold_text(text)
    for index, short in enumerate(WEEKDAYS):
        full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[index]
        if key and (key == short or key == full or (len(key) >= 2 and full.startswith(key))):
            return index
    return None


def parse_days(values: Iterable[str] | str) -> tuple[int, ...]:
    """'mon,tue,wed' or ['sun', 'mon'] or 'sun-thu' -> sorted weekday numbers (0=Monday)."""
    items = re.split(r"[\s,]+", values.strip()) if isinstance(values, str) else list(values)
    days: set[int] = set()
    for item in items:
        if not item:
            continue
        if "-" in item:
            first, last = (parse_weekday(p) for p in item.split("-", 1))
            if first is None or last is None:
                raise TimeError("bad_days", text=item)
            day = first
            while True:
                days.add(day)
                if day == last:
                    break
                day = (day + 1) % 7
            continue
        day_number = parse_weekday(item)
        if day_number is None:
            raise TimeError("bad_days", text=item)
        days.add(day_number)
    if not days:
        raise TimeError("bad_days", text=",".join(items))
    return tuple(sorted(days))


def format_days(days: Iterable[int]) -> str:
    return ",".join(WEEKDAYS[d] for d in sorted(days))


def parse_date(text: str, today: date) -> date:
    """'2026-03-25', 'today', 'tomorrow', 'yesterday', or a weekday ('friday': the next one, today included)."""
    raw = text.strip().casefold()
    if raw == "today":
        return today
    if raw == "tomorrow":
        return today + timedelta(days=1)
    if raw == "yesterday":
        return today - timedelta(days=1)
    weekday = parse_weekday(raw)
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise TimeError("bad_date", text=text) from None


def parse_duration(text: str) -> timedelta:
    """'30m', '1h', '1h30m', '90', '45 min' -> timedelta (minutes when no unit)."""
    raw = text.strip().casefold().replace(" ", "")
    match = re.fullmatch(r"(?:(\d{1,3})h)?(?:(\d{1,4})(?:m|min|mins|minutes)?)?", raw)
    if not raw or not match or (match[1] is None and match[2] is None):
        raise TimeError("bad_duration", text=text)
    minutes = int(match[1] or 0) * 60 + int(match[2] or 0)
    if not 0 < minutes <= 24 * 60:
        raise TimeError("bad_duration", text=text)
    return timedelta(minutes=minutes)


def parse_instant(text: str, zone_name: str | None = None) -> datetime:
    """An ISO 8601 instant ('2026-03-23T00:00Z', '...+01:00') or, with a zone, a local ISO time."""
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise TimeError("bad_instant", text=text) from None
    if parsed.tzinfo is None:
        if zone_name is None:
            raise TimeError("bad_instant", text=text)
        return localize(parsed, zone_name)
    return parsed.astimezone(UTC)


def iso_z(instant: datetime) -> str:
    """'2026-03-23T08:30:00Z': the UTC form used in logs and `meridian simulate`."""
    return to_utc(instant).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def next_weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)
