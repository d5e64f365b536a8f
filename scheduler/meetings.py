"""The `meeting_reminder` ritual: one occurrence per (meeting occurrence, attendee), due at start − lead.

Recipients are "meeting:<meeting id>:<user id>", so each attendee of each meeting is its own chain:
two meetings whose reminders fall at the same instant can never hide each other behind the
engine's strictly-after cursor. The occurrence key is the occurrence's start (UTC, ISO), so a
weekly series yields its next reminder through `next_due`, and a moved meeting gets new keys.
What the reminder says lives in `bot/meetings.py`.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy.orm import Session

from bot import availability, meetings
from bot.time import TimeError, iso_z, parse_instant, to_local, to_utc
from bot.i18n import Translator
from bot.meetings import Meeting
from bot.models import Member, Occurrence, Workspace
from bot.reply import Outbound

from bot.rituals import Due, Skip, register

KIND = meetings.REMINDER_KIND
PREFIX = meetings.REMINDER_PREFIX


def _resolve(session: Session, workspace: Workspace, recipient: str) -> tuple[Meeting, Member] | None:
    """The meeting and attendee a recipient key names, if the meeting still exists and they still attend."""
    if not recipient.startswith(PREFIX):
        return None
    meeting_id, _, user_id = recipient[len(PREFIX):].partition(":")
    if not meeting_id.isdigit():
        return None
    meeting = session.get(Meeting, int(meeting_id))
    if meeting is None or meeting.workspace_id != workspace.id:
        return None
    member = next((m for m in meeting.members if m.user_id == user_id), None)
    return (meeting, member) if member is not None else None


class MeetingReminder:
    kind = KIND
    grace = timedelta(minutes=10)
    grace_setting = "reminder_grace_minutes"

    def recipients(self, session: Session, workspace: Workspace) -> Iterable[str]:
        for meeting in meetings.meetings_of(session, workspace.id):
            for member in meeting.members:
                yield meetings.reminder_recipient(meeting.id, member.user_id)

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        found = _resolve(session, workspace, recipient)
        if found is None:
            return None
        meeting, member = found
        lead = timedelta(minutes=meetings.lead_minutes(meeting, member))
        start = next(meetings.occurrences_after(meeting, after, lead=lead), None)
        if start is None:
            return None
        return Due(key=iso_z(start), due_at=start - lead,
                   payload={"meeting": meeting.id, "start": iso_z(start), "member": member.user_id})

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        found = _resolve(session, workspace, occurrence.recipient)
        if found is None:
            return Skip("the meeting was cancelled or the member no longer attends")
        meeting, member = found
        try:
            start = parse_instant(occurrence.key)
        except TimeError:
            return Skip("unreadable occurrence key")
        if not meetings.is_occurrence(meeting, start):
            return Skip("the meeting was moved")
        if to_utc(now) >= start + meeting.duration:
            return Skip("the meeting is already over")
        if availability.status_at(member, start).state is availability.State.AWAY:
            return Skip("the member is away")
        tr = Translator(member.locale or workspace.locale)
        reply = meetings.reminder(tr, meeting, member, start, now)
        return [Outbound(KIND, workspace.id, member.user_id, reply, local_time=to_local(now, member.tz))]


register(MeetingReminder())

