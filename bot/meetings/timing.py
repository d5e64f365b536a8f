"""When a meeting happens and when each attendee is reminded of it.

A weekly series keeps its wall-clock time in the meeting's zone, like calendar apps do
(`bot.time.weeks_later`), so its UTC start moves when that zone changes to or from DST. Each attendee
is reminded `lead` minutes before each occurrence: their /profile reminder, or the meeting's
remind_before. Each attendee of each meeting is its own chain of reminder occurrences, named by
`reminder_recipient`, so two reminders due at the same instant never hide each other.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterator

from bot.meetings.models import WEEKLY, Meeting
from bot.models import Member
from bot.time import to_utc, weeks_later

DEFAULT_MEMBER_LEAD = 15                 # Member.remind_before_minutes' default
REMINDER_KIND = "meeting_reminder"
REMINDER_PREFIX = "meeting:"


def occurrence_start(meeting: Meeting, index: int) -> datetime:
    """The UTC start of the index-th occurrence: same wall clock in the meeting's zone, week after week."""
    if meeting.repeat != WEEKLY:
        return to_utc(meeting.start_at)
    return weeks_later(meeting.start_at, meeting.tz, index)


def occurrences_after(meeting: Meeting, after: datetime, *, lead: timedelta = timedelta(0)) -> Iterator[datetime]:
    """Occurrence starts whose `start - lead` is strictly after `after`, in order (endless for a series)."""
    after = to_utc(after)
    index = 0
    if meeting.repeat == WEEKLY:
        weeks = (after - to_utc(meeting.start_at)).days // 7
        index = max(0, weeks - 1)
    while True:
        start = occurrence_start(meeting, index)
        if start - lead > after:
            yield start
        if meeting.repeat != WEEKLY:
            return
        index += 1


def next_start(meeting: Meeting, after: datetime) -> datetime | None:
    """The first occurrence that has not begun by `after`."""
    return next(occurrences_after(meeting, after), None)


def is_occurrence(meeting: Meeting, start: datetime) -> bool:
    """Is `start` still one of the meeting's occurrences (not moved or cancelled since it was planned)?"""
    start = to_utc(start)
    return any(s == start for s in _window(meeting, start - timedelta(days=8), start))


def _window(meeting: Meeting, after: datetime, until: datetime) -> Iterator[datetime]:
    for start in occurrences_after(meeting, after):
        if start > until:
            return
        yield start


def lead_minutes(meeting: Meeting, member: Member) -> int:
    """A member's own choice (/profile reminder) wins; else the meeting's remind_before; else 15."""
    own = member.remind_before_minutes or DEFAULT_MEMBER_LEAD
    if own != DEFAULT_MEMBER_LEAD or meeting.remind_before_minutes is None:
        return own
    return meeting.remind_before_minutes


def reminder_recipient(meeting_id: int, user_id: str) -> str:
    """The occurrence recipient of one attendee's reminders for one meeting (see bot/meetings/rituals.py)."""
    return f"{REMINDER_PREFIX}{meeting_id}:{user_id}"


def parse_reminder_recipient(recipient: str) -> tuple[int, str] | None:
    """(meeting id, user id) from a recipient made by `reminder_recipient`; None for anything else."""
    if not recipient.startswith(REMINDER_PREFIX):
        return None
    meeting_id, _, user_id = recipient[len(REMINDER_PREFIX):].partition(":")
    if not meeting_id.isdigit():
        return None
    return int(meeting_id), user_id
