"""Upcoming meetings and, per series, the inconvenience each region carried. Read-only, scoped to one workspace; plain data, worded by the caller."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.meetings.fair_slots import attendance
from bot.reports.team import region_name
from bot.meetings import WEEKLY, Meeting, MeetingAttendee
from bot.meetings.timing import next_start, occurrence_start, occurrences_after


def meetings_in(session: Session, workspace_id: int) -> list[Meeting]:
    return list(session.scalars(select(Meeting).where(Meeting.workspace_id == workspace_id)
                                .options(selectinload(Meeting.attendees).selectinload(MeetingAttendee.member))
                                .order_by(Meeting.start_at, Meeting.id)))


def upcoming_meetings(meetings: Iterable[Meeting], now: datetime, days: int = 14) -> list[tuple[Meeting, datetime]]:
    """Every occurrence that starts in the next `days`, in order."""
    until = now + timedelta(days=days)
    found = []
    for meeting in meetings:
        for start in occurrences_after(meeting, now - meeting.duration):
            if start > until:
                break
            if start + meeting.duration > now:
                found.append((meeting, start))
    return sorted(found, key=lambda pair: (pair[1], pair[0].id))


@dataclass
class Occurrence:
    start: datetime
    minutes: dict[str, int]          # region -> minutes outside working hours, summed over its attendees
    off: dict[str, int]              # region -> attendees on a weekend, holiday or time off
    upcoming: bool


@dataclass
class SeriesFairness:
    meeting: Meeting
    regions: list[str]
    occurrences: list[Occurrence]

    def total(self, region: str) -> int:
        return sum(o.minutes.get(region, 0) for o in self.occurrences if not o.upcoming)

    def total_off(self, region: str) -> int:
        return sum(o.off.get(region, 0) for o in self.occurrences if not o.upcoming)

    @property
    def people(self) -> dict[str, int]:
        counts: Counter[str] = Counter(region_name(m) for m in self.meeting.members)
        return dict(counts)


def series_fairness(meeting: Meeting, now: datetime, past: int = 12, ahead: int = 4) -> SeriesFairness:
    """For a weekly series: the minutes outside working hours each region carried, occurrence by occurrence.

    The last `past` occurrences that have started, and the next `ahead` (marked upcoming)."""
    members = meeting.members
    regions = sorted({region_name(m) for m in members})
    following = next_start(meeting, now)
    starts: list[datetime] = []
    if meeting.repeat == WEEKLY:
        index = 0
        while True:
            start = occurrence_start(meeting, index)
            if start > now:
                break
            starts.append(start)
            index += 1
        starts = starts[-past:]
        if following is not None:
            for i in range(ahead):
                start = occurrence_start(meeting, index + i)
                starts.append(start)
    else:
        starts = [meeting.start_at]
    occurrences = []
    for start in starts:
        minutes: Counter[str] = Counter()
        off: Counter[str] = Counter()
        for member in members:
            seat = attendance(member, start, start + meeting.duration)
            region = region_name(member)
            minutes[region] += seat.minutes_outside
            off[region] += seat.off
        occurrences.append(Occurrence(start, dict(minutes), dict(off), start > now))
    return SeriesFairness(meeting, regions, occurrences)
