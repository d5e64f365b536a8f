"""Busy time from members' calendars, for the features that suggest times (`/meet find`, coffee intros).

Intervals are (start, end) pairs of aware UTC instants, like `bot.coffee.windows.Window`.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.calendars.models import BusyBlock
from bot.models import Member

Interval = tuple[datetime, datetime]
BusyTimes = Mapping[int, Sequence[Interval]]        # member id -> busy intervals


def busy_times(session: Session, members: Sequence[Member], start: datetime, end: datetime) -> dict[int, list[Interval]]:
    """Each member's busy intervals that touch [start, end), by member id (members without a calendar: none)."""
    if not members:
        return {}
    workspace_id = members[0].workspace_id
    rows = session.execute(select(BusyBlock.member_id, BusyBlock.start_at, BusyBlock.end_at).where(
        BusyBlock.workspace_id == workspace_id, BusyBlock.member_id.in_([m.id for m in members]),
        BusyBlock.end_at > start, BusyBlock.start_at < end).order_by(BusyBlock.start_at))
    found: dict[int, list[Interval]] = defaultdict(list)
    for member_id, busy_start, busy_end in rows:
        found[member_id].append((busy_start, busy_end))
    return dict(found)


def is_busy(intervals: Sequence[Interval], start: datetime, end: datetime) -> bool:
    return any(busy_start < end and start < busy_end for busy_start, busy_end in intervals)


def free_parts(windows: Sequence[Interval], busy: Sequence[Interval]) -> list[Interval]:
    """`windows` with every busy interval cut out of them."""
    free = sorted(windows)
    for busy_start, busy_end in sorted(busy):
        cut: list[Interval] = []
        for start, end in free:
            if busy_end <= start or end <= busy_start:
                cut.append((start, end))
                continue
            if start < busy_start:
                cut.append((start, busy_start))
            if busy_end < end:
                cut.append((busy_end, end))
        free = cut
    return free
