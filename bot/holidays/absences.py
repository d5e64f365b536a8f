"""Who is off when: public holidays and time off as periods of a member's own dates, and when they begin.

Weekends are not "off periods": they recur, so the digest lists the team's different weekends once
instead (`bot.holidays.messages.weekend_lines`). Within a period the reason stays the same
(holiday or time off, with availability's precedence: away first); consecutive days are merged.
The heads-up goes to a member on their working day before a colleague's day off begins
(`heads_up_window`, `heads_up_items`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Sequence

from bot import availability
from bot.availability import State
from bot.holidays.calendar import holiday_on
from bot.models import Member

MAX_RUN_DAYS = 366


@dataclass
class OffPeriod:
    """Consecutive local dates on which a member is off for the same kind of reason."""

    member: Member
    start: date
    end: date
    state: State                                   # HOLIDAY or AWAY
    names: list[str] = field(default_factory=list)  # holiday names, in the reader's language
    estimated: bool = False


def _off(member: Member, day: date, locale: str | None) -> availability.DayOff | None:
    """A holiday or time off on the member's `day`, with availability's precedence (away first).

    Weekends do not count here, so their (costlier) working-week lookup is not made at all."""
    period = availability.away_on(member, day)
    if period is not None:
        return availability.DayOff(State.AWAY, away=period)
    holiday = holiday_on(member.country, member.subdivision, day, locale)
    return availability.DayOff(State.HOLIDAY, holiday=holiday) if holiday is not None else None


def run_from(member: Member, start: date, locale: str | None) -> OffPeriod | None:
    """The member's off period that begins on `start` (same reason, consecutive days), or None if `start` is not off."""
    first = _off(member, start, locale)
    if first is None:
        return None
    period = OffPeriod(member, start, start, first.state)
    day = start
    while True:
        reason = _off(member, day, locale)
        if reason is None or reason.state is not period.state:
            break
        if reason.holiday is not None:
            for name in reason.holiday.name.split("; "):
                if name not in period.names:
                    period.names.append(name)
            period.estimated = period.estimated or reason.holiday.estimated
        period.end = day
        day += timedelta(days=1)
        if (day - start).days >= MAX_RUN_DAYS:
            break
    return period


def off_periods(members: Iterable[Member], first: date, last: date, locale: str | None) -> list[OffPeriod]:
    """Everyone's holidays and time off touching [first, last], sorted by start then name."""
    out = []
    for member in members:
        day = first
        while day <= last:
            period = run_from(member, day, locale)
            if period is None:
                day += timedelta(days=1)
                continue
            out.append(period)
            day = period.end + timedelta(days=1)
    return sorted(out, key=lambda p: (p.start, p.member.display_name.casefold(), p.member.user_id))


def weekend_of(member: Member, day: date) -> frozenset[int]:
    """The member's weekend days (0=Monday) in the week of `day`: whatever their working week leaves."""
    return frozenset(range(7)) - availability.work_days_on(member, day)


def off_starts(others: Sequence[Member], first: date, last: date) -> list[tuple[date, Member]]:
    """(day, colleague) for every holiday or time off that begins on [first, last]: computed once per
    colleague and day, so planning a heads-up does not ask the same question for every candidate day."""
    found = []
    for other in others:
        before = _off(other, first - timedelta(days=1), None)
        day = first
        while day <= last:
            today = _off(other, day, None)
            if today is not None and (before is None or before.state is not today.state):
                found.append((day, other))
            before, day = today, day + timedelta(days=1)
    return sorted(found, key=lambda pair: (pair[0], pair[1].display_name.casefold(), pair[1].user_id))


def heads_up_window(member: Member, day: date) -> tuple[date, date] | None:
    """The colleagues' dates a heads-up on `day` covers: after it, up to the member's next working day."""
    following = availability.next_working_day(member, day)
    return (day + timedelta(days=1), following) if following is not None else None


def heads_up_items(member: Member, others: Sequence[Member], day: date, locale: str | None) -> list[OffPeriod]:
    """Colleagues whose holiday or time off begins after `day` and by `member`'s next working day."""
    window = heads_up_window(member, day)
    if window is None:
        return []
    colleagues_only = [o for o in others if o.id != member.id]
    items = [run_from(other, start, locale) for start, other in off_starts(colleagues_only, *window)]
    return [p for p in items if p is not None]
