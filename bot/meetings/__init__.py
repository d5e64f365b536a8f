"""Meetings with colleagues abroad: /meet find (the fairest times), add, list, cancel, import, and reminders.

A meeting is anchored in one zone (its organiser's, or the one given): a weekly series keeps its
wall-clock time there, like calendar apps do, and every attendee sees their own local time. Each
attendee is reminded before each occurrence, in their own language and zone.

- `models`: the tables; `timing`: occurrences of a series and reminder leads; `booking`: storing
  meetings, the queries over them and the rotation of early and late slots;
- `fair_slots`: the pure fair-time finder; `messages`: what people read;
- `commands` and `forms`: /meet and its buttons; `ics_import`: .ics calendars; `teamfile`: the
  `[[meetings]]` tables; `rituals`: the `meeting_reminder` ritual.
"""
from bot.meetings.booking import DEFAULT_DURATION, MAX_ATTENDEES, create_meeting, partners, set_attendees
from bot.meetings.messages import booked_reply, place_of
from bot.meetings.models import WEEKLY, Meeting, MeetingAttendee, MeetingRotation

__all__ = [
    "DEFAULT_DURATION", "MAX_ATTENDEES", "create_meeting", "partners", "set_attendees", "booked_reply", "place_of",
    "WEEKLY", "Meeting", "MeetingAttendee", "MeetingRotation",
]
