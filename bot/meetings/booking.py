"""Booking and finding meetings: storing a meeting with its attendees, the queries over them, and rotation.

Rotation: when a weekly series is booked, the attendees who are outside their hours for it are
remembered per group of attendees (`meeting_rotation`), and the next `/meet find … weekly` for the
same group counts that burden again against them, so the early and late slots take turns.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import availability
from bot.due import enqueue
from bot.meetings import fair_slots
from bot.meetings.models import WEEKLY, Meeting, MeetingAttendee, MeetingRotation
from bot.meetings.timing import (
    REMINDER_KIND, lead_minutes, next_start, occurrences_after, reminder_recipient,
)
from bot.models import Member, Workspace
from bot.text import one_line
from bot.time import iso_z, to_utc

DEFAULT_DURATION = timedelta(minutes=30)
MAX_ATTENDEES = 25                       # more people than any fair time can be found for


# --- queries -------------------------------------------------------------------------------------

def meetings_of(session: Session, workspace_id: int, member: Member | None = None) -> list[Meeting]:
    """The workspace's meetings (or only those `member` attends), by first start."""
    query = select(Meeting).where(Meeting.workspace_id == workspace_id)
    if member is not None:
        query = query.join(MeetingAttendee).where(MeetingAttendee.member_id == member.id)
    return list(session.scalars(query.order_by(Meeting.start_at, Meeting.id)))


def upcoming(session: Session, workspace_id: int, member: Member, now: datetime) -> list[tuple[Meeting, datetime]]:
    """The member's meetings that have an occurrence still to start, by that next start."""
    found = [(m, s) for m in meetings_of(session, workspace_id, member) if (s := next_start(m, now)) is not None]
    return sorted(found, key=lambda pair: (pair[1], pair[0].id))


def partners(session: Session, workspace_id: int, member: Member) -> list[Member]:
    """Everyone who shares at least one meeting with `member`."""
    found: dict[int, Member] = {}
    for meeting in meetings_of(session, workspace_id, member):
        for other in meeting.members:
            if other.id != member.id:
                found.setdefault(other.id, other)
    return list(found.values())


# --- rotation ------------------------------------------------------------------------------------

def group_key(members: Sequence[Member]) -> str:
    ids = "\n".join(sorted({m.user_id for m in members}))
    return hashlib.sha256(ids.encode()).hexdigest()[:64]


def last_burden(session: Session, workspace_id: int, members: Sequence[Member]) -> dict[str, int]:
    """Who took the early or late slot when a series was last booked for these people (user id -> minutes)."""
    row = session.scalar(select(MeetingRotation).where(MeetingRotation.workspace_id == workspace_id,
                                                       MeetingRotation.group_key == group_key(members)))
    return {str(k): int(v) for k, v in (row.burden or {}).items()} if row else {}


def remember_burden(session: Session, workspace_id: int, members: Sequence[Member], burden: dict[str, int],
                    now: datetime) -> None:
    key = group_key(members)
    row = session.scalar(select(MeetingRotation).where(MeetingRotation.workspace_id == workspace_id,
                                                       MeetingRotation.group_key == key))
    if row is None:
        row = MeetingRotation(workspace_id=workspace_id, group_key=key, burden={})
        session.add(row)
    row.burden, row.updated_at = dict(burden), now


# --- creating ------------------------------------------------------------------------------------

@dataclass
class Conflict:
    """An attendee who is off (weekend, holiday, away) on their local day of an occurrence."""

    member: Member
    start: datetime
    status: availability.MemberStatus


def conflicts(meeting: Meeting, members: Sequence[Member], after: datetime, locale: str | None,
              weeks: int = 8) -> list[Conflict]:
    """Attendees who would be off for the first occurrence (or the next `weeks` of a series)."""
    found = []
    for index, start in enumerate(occurrences_after(meeting, after)):
        if index >= (weeks if meeting.repeat == WEEKLY else 1):
            break
        for member in members:
            status = availability.status_at(member, start, locale)
            if status.day_off is not None:
                found.append(Conflict(member, start, status))
    return found


def enqueue_late_reminders(session: Session, meeting: Meeting, now: datetime) -> None:
    """A meeting booked inside someone's lead time still reminds them: now, not never.

    The scheduler plans reminders strictly after "now", so for these attendees it would skip the
    first occurrence; the same key as the ritual's makes this idempotent with its planning.
    """
    start = next_start(meeting, now)
    if start is None:
        return
    for member in meeting.members:
        if start - timedelta(minutes=lead_minutes(meeting, member)) <= now:
            enqueue(session, meeting.workspace_id, REMINDER_KIND, reminder_recipient(meeting.id, member.user_id),
                    iso_z(start), now, {"meeting": meeting.id, "start": iso_z(start),
                                                 "member": member.user_id})


def create_meeting(session: Session, workspace: Workspace, *, title: str, start: datetime, tz: str,
                   duration: timedelta, members: Sequence[Member], organizer: Member | None,
                   repeat: str | None = None, remind_before: int | None = None, source: str = "command",
                   external_uid: str | None = None, now: datetime | None = None, remind_late: bool = True) -> Meeting:
    """Store a meeting. `now` (the injected clock) is needed to queue reminders already inside their lead
    time; imports without a clock (the team file) pass none, and a series' burden is dated at its start."""
    meeting = Meeting(workspace_id=workspace.id, title=one_line(title, 200), start_at=to_utc(start),
                      tz=tz, duration_minutes=int(duration.total_seconds() // 60), repeat=repeat,
                      remind_before_minutes=remind_before, organizer_id=organizer.id if organizer else None,
                      source=source, external_uid=external_uid)
    session.add(meeting)
    session.flush()
    set_attendees(meeting, members)
    if repeat == WEEKLY:
        people = [fair_slots.attendance(m, meeting.start_at, meeting.start_at + meeting.duration) for m in members]
        burden = {a.member.user_id: a.minutes_outside for a in people if a.minutes_outside}
        remember_burden(session, workspace.id, members, burden, now or meeting.start_at)
    workspace.needs_replan = True
    if remind_late and now is not None:
        enqueue_late_reminders(session, meeting, now)
    return meeting


def set_attendees(meeting: Meeting, members: Sequence[Member]) -> None:
    """Make the attendees exactly `members`, keeping the rows of those who stay."""
    wanted = {m.id: m for m in members}
    for attendee in list(meeting.attendees):
        if attendee.member_id not in wanted:
            meeting.attendees.remove(attendee)
    present = {a.member_id for a in meeting.attendees}
    for member in wanted.values():
        if member.id not in present:
            meeting.attendees.append(MeetingAttendee(workspace_id=meeting.workspace_id, member_id=member.id,
                                                     member=member))
