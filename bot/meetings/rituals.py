"""The `meeting_reminder` ritual: one occurrence per (meeting occurrence, attendee), due at start − lead.

Recipients are "meeting:<meeting id>:<user id>" (`bot.meetings.timing.reminder_recipient`), so each
attendee of each meeting is its own chain: two meetings whose reminders fall at the same instant can
never hide each other behind the engine's strictly-after cursor. The occurrence key is the
occurrence's start (UTC, ISO), so a weekly series yields its next reminder through `next_due`, and a
moved meeting gets new keys. The reminder is written in the attendee's language (their own locale,
else the workspace's), in their own zone (`bot.meetings.messages.reminder`).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy.orm import Session

from bot import availability
from bot.i18n import Translator
from bot.meetings.booking import meetings_of
from bot.meetings.messages import reminder
from bot.meetings.models import Meeting
from bot.meetings.timing import (
    REMINDER_KIND, is_occurrence, lead_minutes, occurrences_after, parse_reminder_recipient, reminder_recipient,
)
from bot.models import Member, Occurrence, Workspace
from bot.reply import Outbound
from bot.rituals import Due, Skip, register
from bot.time import TimeError, iso_z, parse_instant, to_local, to_utc


def _resolve(session: Session, workspace: Workspace, recipient: str) -> tuple[Meeting, Member] | None:
    """The meeting and attendee a recipient key names, if the meeting still exists and they still attend."""
    parsed = parse_reminder_recipient(recipient)
    if parsed is None:
        return None
    meeting_id, user_id = parsed
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.workspace_id != workspace.id:
        return None
    member = next((m for m in meeting.members if m.user_id == user_id), None)
    return (meeting, member) if member is not None else None


class MeetingReminder:
    kind = REMINDER_KIND
    grace = timedelta(minutes=10)
    grace_setting = "reminder_grace_minutes"

    def recipients(self, session: Session, workspace: Workspace) -> Iterable[str]:
        for meeting in meetings_of(session, workspace.id):
            for member in meeting.members:
                yield reminder_recipient(meeting.id, member.user_id)

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        found = _resolve(session, workspace, recipient)
        if found is None:
            return None
        meeting, member = found
        lead = timedelta(minutes=lead_minutes(meeting, member))
        start = next(occurrences_after(meeting, after, lead=lead), None)
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
        if not is_occurrence(meeting, start):
            return Skip("the meeting was moved")
        if to_utc(now) >= start + meeting.duration:
            return Skip("the meeting is already over")
        if availability.status_at(member, start).state is availability.State.AWAY:
            return Skip("the member is away")
        tr = Translator(member.locale or workspace.locale)        # the reader's language, else the workspace's
        message = reminder(tr, meeting, member, start, now)
        return [Outbound(self.kind, workspace.id, member.user_id, message, local_time=to_local(now, member.tz))]


register(MeetingReminder())
