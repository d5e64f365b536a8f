"""Reading an iCalendar feed into what scheduling needs: days off and busy intervals. Pure, no I/O.

What counts as time off, from the exports people actually have:
- Outlook / Exchange: X-MICROSOFT-CDO-BUSYSTATUS:OOF ("out of office"), timed or all-day;
- Google: out-of-office events carry no machine-readable marker in the secret iCal address, so
  their title is read, like Apple's and Fastmail's all-day "Vacation" events: an event whose title
  says vacation / holiday / out of office / off in a supported language ("Urlaub", "congés",
  "vacaciones", "férias", "休暇", "छुट्टी", "إجازة" …) is time off;
- an all-day event counts its dates; a timed one counts the member's local dates whose whole working
  hours it covers (a two-hour "out of office" at the dentist is busy time, not a day off).

Everything else that is opaque and confirmed (not TRANSP:TRANSPARENT, not STATUS:CANCELLED, not
Outlook's FREE) is busy time. All-day events that are not time off (birthdays, reminders) are ignored.
Recurrences (RRULE, RDATE, EXDATE, overridden instances) are expanded by recurring-ical-events;
Windows zone names ("W. Europe Standard Time") are resolved by icalendar with CLDR's mapping;
floating times are read in the member's zone. Titles are read here and never leave this module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import icalendar
import recurring_ical_events

from bot.time import ritual_instant, to_utc, working_window

HORIZON_DAYS = 180          # how far ahead a feed is read
PAST_DAYS = 1               # and how far back (yesterday: every zone's "today" is covered)
MAX_EVENTS = 20_000         # a malformed or hostile feed must not expand forever

# Words in titles that mean "not working", in every language Meridian speaks, casefolded.
# Latin-script words match as whole words; the others (CJK, Devanagari, Arabic) as parts of the title.
TIME_OFF_WORDS = (
    "vacation", "holiday", "holidays", "out of office", "ooo", "pto", "leave", "off", "day off", "annual leave",
    "urlaub", "ferien", "abwesend", "frei", "betriebsferien",
    "vacaciones", "fuera de la oficina", "libre", "festivo",
    "congé", "congés", "conges", "vacances", "absent", "absente", "férié",
    "férias", "ferias", "folga", "fora do escritório", "ausente",
)
TIME_OFF_FRAGMENTS = ("休暇", "休み", "有給", "不在", "छुट्टी", "अवकाश", "إجازة", "عطلة")
_WORDS = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(TIME_OFF_WORDS, key=len, reverse=True))
                    + r")(?![\w-])")


def says_time_off(title: str) -> bool:
    folded = title.casefold()
    return bool(_WORDS.search(folded)) or any(fragment in folded for fragment in TIME_OFF_FRAGMENTS)


class FeedError(Exception):
    """The feed is not iCalendar we can read; `code` is safe to store and show."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class WorkingDay:
    """The member's frame for reading their feed: zone and hours (to tell a day off from an absence)."""

    zone: str
    hours_start: time
    hours_end: time


@dataclass
class FeedReading:
    """What a feed says about a member in the window read: local dates off and busy UTC intervals."""

    days_off: set[date] = field(default_factory=set)
    busy: list[tuple[datetime, datetime]] = field(default_factory=list)


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    return str(value) if value is not None else ""


def _instant(value: datetime, zone: str) -> datetime:
    """An event time as UTC; floating (naive) times are the member's wall clock."""
    if value.tzinfo is None:
        return to_utc(ritual_instant(value.date(), value.time(), zone))
    return to_utc(value)


def _is_time_off(event: Any) -> bool:
    if _text(event, "X-MICROSOFT-CDO-BUSYSTATUS").upper() == "OOF":
        return True
    return says_time_off(_text(event, "SUMMARY"))


def _is_busy(event: Any) -> bool:
    if _text(event, "TRANSP").upper() == "TRANSPARENT":
        return False
    return _text(event, "X-MICROSOFT-CDO-BUSYSTATUS").upper() not in ("FREE", "WORKINGELSEWHERE")


def _end_of(event: Any, start: date | datetime) -> date | datetime:
    end = event.get("DTEND")
    if end is not None:
        return end.dt
    duration = event.get("DURATION")
    if duration is not None:
        return start + duration.dt
    return start + timedelta(days=1) if not isinstance(start, datetime) else start


def _covered_days(start: datetime, end: datetime, frame: WorkingDay) -> set[date]:
    """The member's local dates whose whole working hours lie inside [start, end)."""
    days = set()
    day = start.date() - timedelta(days=1)
    while day <= end.date() + timedelta(days=1):
        window_start, window_end = working_window(day, frame.hours_start, frame.hours_end, frame.zone)
        if start <= window_start and window_end <= end:
            days.add(day)
        day += timedelta(days=1)
    return days


def read_feed(body: bytes, frame: WorkingDay, today: date) -> FeedReading:
    """Days off and busy intervals between yesterday and HORIZON_DAYS ahead, in the member's frame."""
    try:
        calendar = icalendar.Calendar.from_ical(body)
    except (ValueError, IndexError, KeyError) as error:
        raise FeedError("malformed") from error
    if calendar.name != "VCALENDAR":
        raise FeedError("malformed")
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=HORIZON_DAYS)
    reading = FeedReading()
    try:
        events = recurring_ical_events.of(calendar, skip_bad_series=True).between(first, last + timedelta(days=1))
        for count, event in enumerate(events):
            if count >= MAX_EVENTS:
                raise FeedError("too_many_events")
            if event.name != "VEVENT" or _text(event, "STATUS").upper() == "CANCELLED":
                continue
            _read_event(event, frame, reading, first, last)
    except FeedError:
        raise
    except Exception as error:    # the libraries raise many kinds on broken input; none may stop a sync
        raise FeedError("malformed") from error
    reading.busy.sort()
    return reading


def _read_event(event: Any, frame: WorkingDay, reading: FeedReading, first: date, last: date) -> None:
    start = event["DTSTART"].dt
    end = _end_of(event, start)
    time_off = _is_time_off(event)
    if not isinstance(start, datetime):                    # all-day: dates in the member's own calendar
        if time_off:
            end_day = end.date() if isinstance(end, datetime) else end
            day = max(start, first)
            while day < max(end_day, start + timedelta(days=1)) and day <= last:
                reading.days_off.add(day)
                day += timedelta(days=1)
        return
    start_utc = _instant(start, frame.zone)
    end_utc = _instant(end, frame.zone) if isinstance(end, datetime) else start_utc
    if end_utc <= start_utc:
        return
    if time_off:
        reading.days_off.update(d for d in _covered_days(start_utc, end_utc, frame) if first <= d <= last)
    if time_off or _is_busy(event):
        reading.busy.append((start_utc, end_utc))
