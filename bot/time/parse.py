"""Parsing what people type about time: clock times, hours, weekdays, dates, durations, ISO instants."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Iterable

from bot.time.errors import TimeError
from bot.time.instants import UTC, localize
from bot.time.zones import fold_text

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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
        return within_date_range(date.fromisoformat(raw), text)
    except ValueError as error:
        if isinstance(error, TimeError):
            raise
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
    within_date_range(parsed.date(), text)
    if parsed.tzinfo is None:
        if zone_name is None:
            raise TimeError("bad_instant", text=text)
        return localize(parsed, zone_name)
    return parsed.astimezone(UTC)


# Every date people type must lie in this range. Far enough for any history or plan a team has, and far
# from datetime's limits (years 1 and 9999), where a day's end, a zone's offset or a weekly recurrence
# would overflow.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2199, 12, 31)


def within_date_range(day: date, text: str = "") -> date:
    """`day` if it lies within FIRST_DATE..LAST_DATE, else TimeError('date_out_of_range')."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise TimeError("date_out_of_range", text=text or day.isoformat(), first=FIRST_DATE, last=LAST_DATE)
    return day
