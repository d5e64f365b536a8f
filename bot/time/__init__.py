"""All of Meridian's time math, in one package, on aware datetimes with IANA zones.

Nothing outside this package imports `zoneinfo` or `pytz`, calls `astimezone()` or `utcoffset()`, or
reads the system clock (tests/test_architecture.py enforces it). Callers import from here:
`from bot.time import to_local, local_date`.

- `zones`: IANA zones, what people type for them (cities, abbreviations, countries), zone to country;
- `instants`: UTC instants and local wall-clock times, DST gaps and overlaps, working windows;
- `parse`: clock times, hours, weekdays, dates, durations and ISO instants typed by people;
- `recurrence`: "the next 09:30 local on a working day" for rituals;
- `clock`: the injectable clock (`SystemClock`, `SimulatedClock`);
- `errors`: `TimeError`, whose `code` picks the plain-language message.
"""
from bot.time.clock import Clock, SimulatedClock, SystemClock
from bot.time.errors import TimeError
from bot.time.instants import (
    UTC, GapPolicy, OverlapPolicy, at_local, at_offset, day_bounds, ensure_aware, format_offset, iso_z, local_date,
    local_dates_between, localize, minutes_outside, next_weekday_on_or_after, overlap_duration, ritual_instant,
    to_local, to_utc, utc_offset, within_hours, working_window, outside_hours_side, round_up_utc,


    to_local, to_utc, utc_offset, within_hours, working_window, weeks_between, floor_to_minutes, minutes_since_epoch,
    utc_day_mask,
)
from bot.time.instants import delay_fits_in_hours


from bot.time.instants import offset_of


from bot.time.instants import utc_iso
from bot.time.parse import (
    WEEKDAYS, format_days, parse_clock, parse_date, parse_days, parse_duration, parse_hours, parse_instant,
    parse_weekday,
)
from bot.time.recurrence import (
    DEFAULT_HORIZON_DAYS, DayFilter, LocalSlot, every_day, next_local, on_weekdays, weeks_later,
)
from bot.time.zones import (
    ZoneMatch, all_zone_names, country_of_zone, country_zones, fold_text, resolve_zone, suggest_zones, zone,
)

from bot.time.instants import FIRST_DATE, LAST_DATE, within_date_range
from bot.time.parse import MAX_DATE_WORDS, looks_like_date, take_date
from bot.time.zones import offset_zone_name, parse_offset, resolve_country, zones_at_offset

__all__ = [
    "Clock", "SimulatedClock", "SystemClock", "TimeError", "UTC", "GapPolicy", "OverlapPolicy", "at_local", "at_offset",
    "day_bounds", "ensure_aware", "format_offset", "iso_z", "local_date", "local_dates_between", "localize",
    "minutes_outside", "next_weekday_on_or_after", "overlap_duration", "ritual_instant", "to_local", "to_utc",
    "utc_offset", "within_hours", "working_window", "WEEKDAYS", "format_days", "parse_clock", "parse_date",
    "parse_days", "parse_duration", "parse_hours", "parse_instant", "parse_weekday", "FIRST_DATE", "LAST_DATE",
    "within_date_range", "DEFAULT_HORIZON_DAYS",
    "DayFilter", "LocalSlot", "every_day", "next_local", "on_weekdays", "ZoneMatch", "all_zone_names",
    "country_of_zone", "country_zones", "fold_text", "resolve_zone", "suggest_zones", "zone",
    "delay_fits_in_hours",


    "outside_hours_side", "round_up_utc", "weeks_later",


    "offset_of",


    "weeks_between", "floor_to_minutes", "minutes_since_epoch", "utc_day_mask",


    "utc_iso",


    "MAX_DATE_WORDS", "looks_like_date", "take_date", "offset_zone_name", "parse_offset", "resolve_country", "zones_at_offset",
]
