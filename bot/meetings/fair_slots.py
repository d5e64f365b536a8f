"""Finding the fairest meeting times across zones: pure logic on availability, no database.

Fair means, in this order of precedence:
1. never on anyone's weekend, public holiday or time off, unless no slot in the range avoids them;
   then the fewest people are affected and every slot says who (`Slot.off`);
1b. then never when someone's calendar says they are busy (`busy`: intervals by member id, from
   bot.calendars), unless nothing else fits; then the fewest busy people;
2. inside everyone's working hours where possible;
3. otherwise the slot whose worst-off person is least far outside their hours ("inconvenience":
   minutes beyond their hours, from `bot.time.minutes_outside`, at either end of the meeting);
   ties go to less total inconvenience, then to the earlier slot;
4. for a recurring series, whoever took an early or late slot last time carries that burden into
   the comparison if they would be outside their hours again, so the inconvenience rotates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping, Sequence

from bot import availability
from bot.availability import DayOff, State
from bot.models import Member
from bot.time import minutes_outside, outside_hours_side, round_up_utc, to_local, to_utc

STEP = timedelta(minutes=15)          # quarter hours line up with every zone's offset (+05:45 included)
MAX_CANDIDATES = 31 * 24 * 4          # a month of quarter hours


@dataclass(frozen=True)
class Attendance:
    """One person at one slot: their wall clock, and how far the slot lies outside their day."""

    member: Member
    local_start: datetime
    local_end: datetime
    minutes_outside: int               # 0 when the whole meeting is inside their hours
    side: str                          # "" | "early" | "late"
    state: State                       # the member's state at the start
    day_off: DayOff | None             # weekend, holiday or away; None on a working day
    busy: bool = False                 # their calendar has something else then

    @property
    def off(self) -> bool:
        return self.day_off is not None


@dataclass(frozen=True)
class Slot:
    start: datetime                    # UTC
    end: datetime
    attendance: tuple[Attendance, ...]
    score: tuple[int, int, int, int]   # (people off, people busy, worst effective inconvenience, total)

    @property
    def off(self) -> tuple[Attendance, ...]:
        return tuple(a for a in self.attendance if a.off)

    @property
    def outside(self) -> tuple[Attendance, ...]:
        return tuple(a for a in self.attendance if a.minutes_outside > 0)

    @property
    def worst_minutes(self) -> int:
        return max((a.minutes_outside for a in self.attendance), default=0)

    @property
    def inside_hours(self) -> bool:
        return not self.off and self.worst_minutes == 0

    def burden(self) -> dict[str, int]:
        """Who was outside their hours, by user id: what a series remembers for next time."""
        return {a.member.user_id: a.minutes_outside for a in self.attendance if a.minutes_outside > 0}


def attendance(member: Member, start: datetime, end: datetime, locale: str | None = None,
               busy: Sequence[tuple[datetime, datetime]] = ()) -> Attendance:
    """How a meeting from `start` to `end` (aware instants) sits in one member's day (and their busy times)."""
    status = availability.status_at(member, start, locale)
    local_start = status.local
    local_end = to_local(end, member.tz)
    # The meeting's last minute, not its end instant: a meeting ending at 17:00 ends inside 09-17.
    last_minute = to_local(end - timedelta(minutes=1), member.tz)
    at_start = minutes_outside(local_start, member.hours_start, member.hours_end)
    at_end = minutes_outside(last_minute, member.hours_start, member.hours_end)
    if at_end and outside_hours_side(last_minute, member.hours_start, member.hours_end) == "late":
        at_end += 1                      # measured at the last minute; the meeting runs one more
    worst = max(at_start, at_end)
    side = ""
    if worst:
        side = outside_hours_side(local_start if at_start >= at_end else last_minute, member.hours_start, member.hours_end)
    overlaps = any(busy_start < end and start < busy_end for busy_start, busy_end in busy)
    return Attendance(member, local_start, local_end, worst, side, status.state, status.day_off, overlaps)


def _score(people: Sequence[Attendance], last_burden: Mapping[str, int]) -> tuple[int, int, int, int]:
    off = sum(1 for a in people if a.off)
    busy = sum(1 for a in people if a.busy and not a.off)
    effective = max((a.minutes_outside + (last_burden.get(a.member.user_id, 0) if a.minutes_outside else 0)
                     for a in people), default=0)
    total = sum(a.minutes_outside for a in people)
    return off, busy, effective, total


def first_candidate(earliest: datetime) -> datetime:
    """`earliest` rounded up to the next quarter hour (in UTC, which every offset shares)."""
    return round_up_utc(earliest, STEP)


def score_slots(members: Sequence[Member], earliest: datetime, latest: datetime, duration: timedelta, *,
                last_burden: Mapping[str, int] | None = None, locale: str | None = None,
                busy: Mapping[int, Sequence[tuple[datetime, datetime]]] | None = None) -> list[Slot]:
    """Every quarter-hour slot that fits in [earliest, latest], scored (lower is fairer)."""
    burden = dict(last_burden or {})
    slots: list[Slot] = []
    start = first_candidate(earliest)
    end_limit = to_utc(latest)
    while start + duration <= end_limit and len(slots) < MAX_CANDIDATES:
        people = tuple(attendance(m, start, start + duration, locale, (busy or {}).get(m.id, ())) for m in members)
        slots.append(Slot(start, start + duration, people, _score(people, burden)))
        start += STEP
    return slots


def find_fair_slots(members: Sequence[Member], earliest: datetime, latest: datetime, duration: timedelta, *,
                    count: int = 3, last_burden: Mapping[str, int] | None = None,
                    locale: str | None = None,
                    busy: Mapping[int, Sequence[tuple[datetime, datetime]]] | None = None) -> list[Slot]:
    """The `count` fairest slots that do not overlap one another, fairest first (see module doc)."""
    if not members or duration <= timedelta(0):
        return []
    ranked = sorted(score_slots(members, earliest, latest, duration, last_burden=last_burden, locale=locale,
                                busy=busy),
                    key=lambda s: (s.score, s.start))
    chosen: list[Slot] = []
    for slot in ranked:
        if all(slot.end <= other.start or other.end <= slot.start for other in chosen):
            chosen.append(slot)
            if len(chosen) == count:
                break
    return chosen
