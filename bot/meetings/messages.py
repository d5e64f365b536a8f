"""What the meetings feature says: attendee lines in each reader's time, the booking reply, the reminder.

Every time is shown in the reader's zone, and every attendee with their own local time and why it
is awkward for them (outside working hours, a weekend, a public holiday, time off).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import get_timezone_location

from bot import availability
from bot.availability import State
from bot.people import profile_summary
from bot.i18n import Translator
from bot.meetings import fair_slots
from bot.meetings.booking import Conflict, conflicts
from bot.meetings.models import WEEKLY, Meeting
from bot.meetings.timing import next_start
from bot.models import Member
from bot.reply import Reply
from bot.teamclock import describe_status
from bot.text import one_line, user_text
from bot.time import to_local, to_utc


def span(tr: Translator, start: datetime, end: datetime, zone: str) -> str:
    """'Thu, Mar 26 15:00–16:00' on the wall clock of `zone`."""
    local_start, local_end = to_local(start, zone), to_local(end, zone)
    return tr._("{day} {start}–{end}", day=tr.weekday_date(local_start), start=tr.time(local_start),
                end=tr.time(local_end))


def place_of(tr: Translator, member: Member) -> str:
    """The member's zone as a city in the reader's language ('Riad' in German)."""
    try:
        return get_timezone_location(member.tz, locale=tr.locale, return_city=True)
    except (LookupError, ValueError):
        return member.tz


def status_note(tr: Translator, member: Member, start: datetime, end: datetime) -> str | None:
    """Why this meeting is awkward for the member ('outside working hours', 'public holiday: …'), or None."""
    status = availability.status_at(member, start, tr.locale_id)
    if status.state is State.WORKING and fair_slots.attendance(member, start, end).minutes_outside:
        status = availability.MemberStatus(member, status.local, State.OUTSIDE_HOURS, None)
    return None if status.state is State.WORKING else describe_status(tr, status)


def attendee_line(tr: Translator, member: Member, start: datetime, end: datetime, *, you: bool = False) -> str:
    """'Hana Sato (Tokyo): Thu, Mar 26 00:00–01:00 · outside working hours'."""
    name = tr._("you") if you else one_line(member.display_name, 80)
    line = tr._("{name} ({place}): {span}", name=name, place=place_of(tr, member), span=span(tr, start, end, member.tz))
    note = status_note(tr, member, start, end)
    return f"{line} · {note}" if note else line


def describe_conflict(tr: Translator, conflict: Conflict) -> str:
    return tr._("{name} on {date}: {why}", name=one_line(conflict.member.display_name, 80),
                date=tr.weekday_date(conflict.status.local), why=describe_status(tr, conflict.status))


def booked_reply(tr: Translator, meeting: Meeting, reader: Member, now: datetime) -> Reply:
    """The confirmation, with an immediate warning when an attendee is off that day."""
    start = next_start(meeting, now) or meeting.start_at
    end = start + meeting.duration
    repeat = " " + tr._("(weekly)") if meeting.repeat == WEEKLY else ""
    reply = Reply(title=tr._("Booked “{title}”", title=user_text(meeting.title, 200)),
                  text=tr._("{span} your time{repeat}. Everyone gets a reminder before it, in their own time zone.",
                            span=span(tr, start, end, reader.tz), repeat=repeat), ephemeral=False)
    reply.add(tr._("Attendees"), [attendee_line(tr, m, start, end, you=m.id == reader.id) for m in meeting.members])
    found = conflicts(meeting, meeting.members, now - timedelta(seconds=1), tr.locale_id)
    if found:
        reply.add(tr._("⚠ Warning: an attendee is off"), [describe_conflict(tr, c) for c in found[:10]])
    return reply


def reminder(tr: Translator, meeting: Meeting, member: Member, start: datetime, now: datetime) -> Reply:
    """The DM a member gets before an occurrence: their time, then everyone else's, with who is off."""
    end = start + meeting.duration
    minutes = max(0, int(round((start - to_utc(now)).total_seconds() / 60)))
    local = to_local(start, member.tz)
    reply = Reply(title=tr.n_("“{title}” starts in {n} minute", "“{title}” starts in {n} minutes", minutes,
                              title=user_text(meeting.title, 200)),
                  text=tr._("{time} your time ({zone}), {day}.", time=tr.time(local), zone=member.tz,
                            day=tr.weekday_date(local)))
    own = status_note(tr, member, start, end)
    if own:
        reply.text += " " + tr._("For you: {status}.", status=own)
    others = [m for m in meeting.members if m.id != member.id]
    if others:
        reply.add(tr._("Attendees' local times"), [attendee_line(tr, m, start, end) for m in others])
    off = [m for m in others if availability.status_at(m, start).day_off is not None]
    outside = [m for m in others if availability.status_at(m, start).day_off is None
               and fair_slots.attendance(m, start, end).minutes_outside]
    notes = []
    if outside:
        notes.append(tr._("Outside working hours: {names}.", names=tr.list(one_line(m.display_name, 80) for m in outside)))
    if off:
        notes.append(tr._("Off that day (weekend, holiday or time off): {names}.",
                          names=tr.list(one_line(m.display_name, 80) for m in off)))
    if notes:
        reply.add(None, notes)
    about = [line for m in others if _has_profile(m) for line in profile_summary(tr, m)]
    if about:
        reply.add(tr._("About your colleagues"), about)
    return reply


def _has_profile(member: Member) -> bool:
    return any((member.pronunciation, member.pronouns, member.languages, member.about))
