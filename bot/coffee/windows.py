"""Working windows as plain data: the UTC intervals people work in a round's week, and what several share.

A window is a (start, end) pair of aware UTC instants. Members' real windows come from
`bot.availability` (holidays and time off included); `weekly_windows` builds them from plain data
for tests and benchmarks. The planner, the intro's "shared working hours" and its suggested slots,
and the team chart all intersect them here.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Iterable, Sequence

from bot.time import floor_to_minutes, working_window

Window = tuple[datetime, datetime]
SLOT = timedelta(minutes=30)


def weekly_windows(zone_name: str, start: time, end: time, work_days: Iterable[int], first_day: date,
                   days: int = 7, days_off: Iterable[date] = ()) -> tuple[Window, ...]:
    """Working windows for plain data (no Member): `days` local dates from `first_day`, skipping
    weekdays outside `work_days` and `days_off`. DST is handled by bot.time."""
    working, off = set(work_days), set(days_off)
    out = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day.weekday() in working and day not in off:
            out.append(working_window(day, start, end, zone_name))
    return tuple(out)


def shared_windows(*groups: Sequence[Window]) -> list[Window]:
    """The intervals every one of several people's windows cover (for trios and suggested slots)."""
    common = sorted(groups[0])
    for other in groups[1:]:
        nxt = []
        for a_start, a_end in common:
            for b_start, b_end in other:
                lo, hi = max(a_start, b_start), min(a_end, b_end)
                if hi > lo:
                    nxt.append((lo, hi))
        common = sorted(nxt)
    return common


def shared_time(*groups: Sequence[Window]) -> timedelta:
    return sum((end - start for start, end in shared_windows(*groups)), timedelta(0))


def suggest_slots(windows: Sequence[Window], not_before: datetime, count: int = 3) -> list[datetime]:
    """Up to `count` half-hour slots on different days inside the shared windows, from `not_before` on;
    each in the middle of that day's shared time, on a whole or half hour (UTC)."""
    slots: list[datetime] = []
    used_days: set[date] = set()
    for start, end in sorted(windows):
        start = max(start, not_before)
        if end - start < SLOT:
            continue
        middle = start + (end - start - SLOT) / 2
        slot = floor_to_minutes(middle, 30)
        if slot < start:
            slot += SLOT
        if slot + SLOT > end or slot.date() in used_days:
            continue
        used_days.add(slot.date())
        slots.append(slot)
        if len(slots) == count:
            break
    return slots
