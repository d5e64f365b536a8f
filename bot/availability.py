"""The one answer to "what time is it for this member, and are they working?". Everyone calls it.

Order of precedence for a day: away (the member said so, or their calendar feed: bot/calendars)
> public holiday > weekend > hours.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from bot import holidays
from bot.time import format_offset, local_date, offset_of, to_local, within_hours, working_window
from bot.holidays import Holiday
from bot.models import Away, Member


class State(str, Enum):
    WORKING = "working"
    OUTSIDE_HOURS = "outside_hours"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    AWAY = "away"


@dataclass(frozen=True)
class DayOff:
    """Why a member does not work on a local date."""

    state: State                    # WEEKEND, HOLIDAY or AWAY
    holiday: Holiday | None = None
    away: Away | None = None


@dataclass(frozen=True)
class MemberStatus:
    member: Member
    local: datetime                 # the member's wall-clock time, aware
    state: State
    day_off: DayOff | None

    @property
    def offset(self) -> str:
        return format_offset(offset_of(self.local))

    @property
    def working(self) -> bool:
        return self.state is State.WORKING


def work_days_on(member: Member, day: date) -> frozenset[int]:
    """The member's working weekdays around `day`: their own choice, else their country's rule then."""
    explicit = member.explicit_work_days
    if explicit is not None:
        return frozenset(explicit)
    return holidays.default_work_days(member.country, day)


def away_on(member: Member, day: date) -> Away | None:
    """The member's time off on `day`: what they typed wins over what their calendar feed says."""
    found = None
    for period in member.away:
        if period.start_date <= day <= period.end_date:
            if period.typed:
                return period
            found = found or period
    return found


def day_off(member: Member, day: date, locale: str | None = None) -> DayOff | None:
    """Why `day` (the member's own local date) is not a working day for them, or None if it is."""
    period = away_on(member, day)
    if period is not None:
        return DayOff(State.AWAY, away=period)
    holiday = holidays.holiday_on(member.country, member.subdivision, day, locale)
    if holiday is not None:
        return DayOff(State.HOLIDAY, holiday=holiday)
    if day.weekday() not in work_days_on(member, day):
        return DayOff(State.WEEKEND)
    return None


def is_working_day(member: Member, day: date) -> bool:
    return day_off(member, day) is None


def status_at(member: Member, instant: datetime, locale: str | None = None) -> MemberStatus:
    """Where the member is in their day at `instant`: local time plus working/outside/weekend/holiday/away."""
    local = to_local(instant, member.tz)
    # Overnight hours that began yesterday belong to yesterday's working day.
    day = local.date()
    if member.hours_end <= member.hours_start and local.timetz().replace(tzinfo=None) < member.hours_end:
        day = day - timedelta(days=1)
    off = day_off(member, day, locale)
    if off is not None:
        return MemberStatus(member, local, off.state, off)
    inside = within_hours(local, member.hours_start, member.hours_end)
    return MemberStatus(member, local, State.WORKING if inside else State.OUTSIDE_HOURS, None)


def today(member: Member, now: datetime) -> date:
    """The member's own calendar date now. Never UTC's, never the server's."""
    return local_date(now, member.tz)


def working_windows(member: Member, first_day: date, last_day: date) -> list[tuple[datetime, datetime]]:
    """UTC intervals of the member's working hours on their working days between two local dates."""
    windows = []
    for day in holidays.iter_days(first_day, last_day):
        if day_off(member, day) is None:
            windows.append(working_window(day, member.hours_start, member.hours_end, member.tz))
    return windows


def next_working_day(member: Member, after: date, horizon_days: int = 60) -> date | None:
    day = after + timedelta(days=1)
    for _ in range(horizon_days):
        if day_off(member, day) is None:
            return day
        day += timedelta(days=1)
    return None
