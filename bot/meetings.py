"""Meetings with colleagues abroad: /meet find (fair slots), /meet add, list, cancel, import, reminders.

A meeting is anchored in one zone (its organiser's, or the one given): a weekly series keeps its
wall-clock time there, like calendar apps do, and every attendee sees their own local time. Each
attendee is reminded `lead` minutes before each occurrence (their /profile reminder, or the
meeting's remind_before); the scheduler's `meeting_reminder` ritual asks this module when and what.

Rotation: when a weekly series is booked, the attendees who are outside their hours for it are
remembered per group of attendees (`meeting_rotation`), and the next `/meet find … weekly` for the
same group counts that burden again against them, so the early and late slots take turns.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterator, Sequence

from babel.dates import get_timezone_location
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from bot import availability, fair_slots, teamfile
from bot.time import at_local, iso_z, local_date, localize, parse_clock, parse_date, parse_duration, parse_instant, resolve_zone, ritual_instant, to_local, to_utc
from bot.availability import State
from bot.people import profile_summary
from bot.due import enqueue
from bot.fair_slots import Slot
from bot.i18n import N_, Translator
from bot.models import Base, Member, Workspace, row_timestamp
from bot.reply import Button, Form, FormField, Reply
from bot.router import Args, Context, UserError, action, command
from bot.teamclock import describe_status
from bot.text import one_line, user_text
from bot.time import TimeError

DEFAULT_DURATION = timedelta(minutes=30)
DEFAULT_MEMBER_LEAD = 15                 # Member.remind_before_minutes' default
DEFAULT_WITHIN_DAYS = 7
MAX_WITHIN_DAYS = 30
MAX_ATTENDEES = 25
WEEKLY = "weekly"
REMINDER_KIND = "meeting_reminder"
REMINDER_PREFIX = "meeting:"


class Meeting(Base):
    """One meeting or a weekly series. `start_at` is the first occurrence; `tz` anchors the repeats."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("workspace_id", "external_uid", name="uq_meeting_external"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    start_at: Mapped[datetime] = mapped_column()
    tz: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=30)
    repeat: Mapped[str | None] = mapped_column(String(16))          # None | "weekly"
    remind_before_minutes: Mapped[int | None] = mapped_column(Integer)  # None: each attendee's own
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16), default="command")  # command | teamfile | ics
    external_uid: Mapped[str | None] = mapped_column(String(255))   # team-file title or iCalendar UID
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)

    attendees: Mapped[list["MeetingAttendee"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def members(self) -> list[Member]:
        return sorted((a.member for a in self.attendees), key=lambda m: (m.display_name.casefold(), m.user_id))


class MeetingAttendee(Base):
    __tablename__ = "meeting_attendees"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id", name="uq_meeting_attendee"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    member: Mapped[Member] = relationship()


class MeetingRotation(Base):
    """Who took the early or late slot last time a series was booked for this group of people."""

    __tablename__ = "meeting_rotation"
    __table_args__ = (UniqueConstraint("workspace_id", "group_key", name="uq_meeting_rotation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    group_key: Mapped[str] = mapped_column(String(64))              # sha256 of the sorted user ids
    burden: Mapped[dict[str, Any]] = mapped_column()                 # user id -> minutes outside hours
    updated_at: Mapped[datetime] = mapped_column(default=row_timestamp)


# --- occurrences -----------------------------------------------------------------------------------

def occurrence_start(meeting: Meeting, index: int) -> datetime:
    """The UTC start of the index-th occurrence: same wall clock in the meeting's zone, week after week."""
    first = to_utc(meeting.start_at)
    if index == 0 or meeting.repeat != WEEKLY:
        return first
    local = to_local(first, meeting.tz)
    day = local.date() + timedelta(weeks=index)
    return to_utc(ritual_instant(day, local.time().replace(tzinfo=None), meeting.tz))


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
    """The occurrence recipient of one attendee's reminders for one meeting (see scheduler/meetings.py)."""
    return f"{REMINDER_PREFIX}{meeting_id}:{user_id}"


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


def meetings_of(session: Session, workspace_id: int, member: Member | None = None) -> list[Meeting]:
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
    wanted = {m.id: m for m in members}
    for attendee in list(meeting.attendees):
        if attendee.member_id not in wanted:
            meeting.attendees.remove(attendee)
    present = {a.member_id for a in meeting.attendees}
    for member in wanted.values():
        if member.id not in present:
            meeting.attendees.append(MeetingAttendee(workspace_id=meeting.workspace_id, member_id=member.id,
                                                     member=member))


# --- what people read ----------------------------------------------------------------------------

def _span(tr: Translator, start: datetime, end: datetime, zone: str) -> str:
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
    line = tr._("{name} ({place}): {span}", name=name, place=place_of(tr, member), span=_span(tr, start, end, member.tz))
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
                            span=_span(tr, start, end, reader.tz), repeat=repeat), ephemeral=False)
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


# --- /meet ---------------------------------------------------------------------------------------

@dataclass
class FindRequest:
    members: list[Member]
    duration: timedelta
    within_days: int
    weekly: bool
    chart: bool


def _parse_find(ctx: Context, args: Args) -> FindRequest:
    tr = ctx.tr
    duration: timedelta | None = None
    within = DEFAULT_WITHIN_DAYS
    weekly = chart = False
    words = args.plain
    index = 0
    while index < len(words):
        word = words[index].casefold()
        nxt = words[index + 1].casefold() if index + 1 < len(words) else ""
        if word == "within" and nxt.isdecimal():
            within = int(nxt)
            index += 2
            if index < len(words) and words[index].casefold() in {"day", "days"}:
                index += 1
            continue
        if word.isdecimal() and nxt in {"day", "days"}:
            within, index = int(word), index + 2
            continue
        if word == WEEKLY:
            weekly, index = True, index + 1
            continue
        if word == "chart":
            chart, index = True, index + 1
            continue
        if duration is None and any(c.isdigit() for c in word):
            duration = parse_duration(word)
            index += 1
            continue
        raise UserError(tr._("I did not understand “{word}”. Usage: /meet find @a @b … <duration> [within N days] [weekly] [chart]",
                             word=one_line(words[index], 40)))
    if not args.mentions:
        raise UserError(tr._("Whom should I find a time with? For example: /meet find @lena @hana 45m within 5 days"))
    if not 1 <= within <= MAX_WITHIN_DAYS:
        raise UserError(tr._("Look at most {n} days ahead.", n=tr.number(MAX_WITHIN_DAYS)))
    members = ctx.members_from([f"@{ctx.member.user_id}", *args.mentions])
    if len(members) > MAX_ATTENDEES:
        raise UserError(tr._("That is more than {n} people; I can plan for at most that many.", n=tr.number(MAX_ATTENDEES)))
    return FindRequest(members, duration or DEFAULT_DURATION, within, weekly, chart)


def _slot_value(slot: Slot, members: Sequence[Member], weekly: bool) -> str:
    ids = ",".join(m.user_id for m in members)
    return f"{iso_z(slot.start)}|{int((slot.end - slot.start).total_seconds() // 60)}|{int(weekly)}|{ids}"


@command("meet find", N_("The three fairest times for a meeting"), "@a @b … <duration> [within N days] [weekly] [chart]")
def meet_find(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    request = _parse_find(ctx, args)
    now = ctx.now()
    history = last_burden(ctx.session, ctx.workspace.id, request.members) if request.weekly else {}
    slots = fair_slots.find_fair_slots(request.members, now, now + timedelta(days=request.within_days),
                                       request.duration, last_burden=history, locale=tr.locale_id)
    if not slots:
        raise UserError(tr._("No time of that length fits in the next {n} days.", n=tr.number(request.within_days)))
    names = tr.list(one_line(m.display_name, 80) for m in request.members)
    reply = Reply(title=tr._("The fairest times for {names}", names=names))
    intro = []
    if all(s.inside_hours for s in slots):
        intro.append(tr._("Each is inside everyone's working hours."))
    elif any(s.off for s in slots):
        intro.append(tr._("No time avoids everyone's weekends, holidays and time off in the next {n} days; these affect the fewest people.",
                          n=tr.number(request.within_days)))
    else:
        intro.append(tr._("No time is inside everyone's working hours; these keep the worst-off person closest to their day."))
    if history:
        took = [m for m in request.members if history.get(m.user_id)]
        if took:
            intro.append(tr._("Last time {names} took the early or late slot, so the burden rotates.",
                              names=tr.list(one_line(m.display_name, 80) for m in took)))
    reply.text = " ".join(intro)
    for number, slot in enumerate(slots, 1):
        lines = [attendee_line(tr, a.member, slot.start, slot.end, you=a.member.id == ctx.member.id)
                 for a in slot.attendance]
        title = tr._("Option {n}: {span} your time", n=tr.number(number), span=_span(tr, slot.start, slot.end, ctx.member.tz))
        reply.add(title, lines)
        reply.buttons.append(Button(tr._("Book option {n}", n=tr.number(number)), "meet.book",
                                    _slot_value(slot, request.members, request.weekly), "primary" if number == 1 else ""))
    if request.chart:
        from bot.teamclock import render_team_day
        best = slots[0]
        reply.image = render_team_day(tr, request.members, local_date(best.start, ctx.member.tz),
                                      ctx.member.tz, highlight=(best.start, best.end))
        reply.image_alt = tr._("The team's day, with option 1 highlighted")
    return reply


def _decode_slot(ctx: Context, value: str) -> tuple[datetime, timedelta, bool, list[Member]]:
    try:
        start_text, minutes, weekly, ids = value.split("|", 3)
        start = parse_instant(start_text)
        duration = timedelta(minutes=int(minutes))
    except (ValueError, TimeError):
        raise UserError(ctx.tr._("That button is no longer active.")) from None
    members = ctx.members_from(f"@{i}" for i in ids.split(",") if i)
    return start, duration, weekly == "1", members


@action("meet.book")
def meet_book(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    _decode_slot(ctx, value)
    return Reply(form=Form("meet.book.save", ctx.tr._("Book the meeting"),
                           (FormField("title", ctx.tr._("Title"), max_length=200),), value=value,
                           submit_label=ctx.tr._("Book")))


@action("meet.book.save")
def meet_book_save(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    start, duration, weekly, members = _decode_slot(ctx, value)
    title = one_line(fields.get("title"), 200)
    if not title:
        raise UserError(ctx.tr._("The meeting needs a title."))
    if start <= ctx.now():
        raise UserError(ctx.tr._("That time has already passed. Run /meet find again."))
    meeting = create_meeting(ctx.session, ctx.workspace, title=title, start=start, tz=ctx.member.tz, duration=duration,
                             members=members, organizer=ctx.member, repeat=WEEKLY if weekly else None, now=ctx.now())
    return booked_reply(ctx.tr, meeting, ctx.member, ctx.now())


@command("meet add", N_("Book a meeting; everyone is reminded in their own time"),
         "\"<title>\" <date> <time> [zone] [duration] @a @b … [weekly]")
def meet_add(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    usage = tr._("Usage: /meet add \"<title>\" <date> <time> [zone] [duration] @a @b … [weekly]. Example: /meet add \"Design review\" 2026-03-26 15:00 Europe/Berlin 1h @lena @hana")
    words = args.plain
    if len(words) < 3:
        raise UserError(usage)
    title = one_line(words[0], 200)
    if not title:
        raise UserError(tr._("The meeting needs a title."))
    rest = words[3:]
    clock_text = words[2]
    if rest and rest[0].casefold().replace(".", "") in {"am", "pm"}:
        clock_text += rest.pop(0)
    clock = parse_clock(clock_text)
    weekly = False
    duration: timedelta | None = None
    zone_words: list[str] = []
    for word in rest:
        if word.casefold() == WEEKLY:
            weekly = True
        elif duration is None and word[:1].isdigit():
            duration = parse_duration(word)
        else:
            zone_words.append(word)
    zone = resolve_zone(" ".join(zone_words)).name if zone_words else ctx.member.tz
    day = parse_date(words[1], local_date(ctx.now(), zone))
    start = at_local(day, clock, zone)
    if to_utc(start) <= ctx.now():
        raise UserError(tr._("{time} on {date} has already passed.", time=tr.time(start), date=tr.date(start)))
    members = ctx.members_from([f"@{ctx.member.user_id}", *args.mentions])
    if len(members) > MAX_ATTENDEES:
        raise UserError(tr._("That is more than {n} people; I can plan for at most that many.", n=tr.number(MAX_ATTENDEES)))
    meeting = create_meeting(ctx.session, ctx.workspace, title=title, start=start, tz=zone,
                             duration=duration or DEFAULT_DURATION, members=members, organizer=ctx.member,
                             repeat=WEEKLY if weekly else None, now=ctx.now())
    return booked_reply(tr, meeting, ctx.member, ctx.now())


@command("meet", N_("Meetings across time zones: find, add, list, cancel, import"))
def meet_root(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("Unknown /meet command “{word}”. Try /help meet.", word=one_line(args[0], 40)))
    return meet_list(ctx, args)


@command("meet list", N_("Your upcoming meetings"))
def meet_list(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    found = upcoming(ctx.session, ctx.workspace.id, ctx.member, ctx.now())
    if not found:
        return Reply(text=tr._("You have no upcoming meetings. Find a fair time with /meet find @a @b 30m."))
    lines = []
    for number, (meeting, start) in enumerate(found, 1):
        weekly = " " + tr._("(weekly)") if meeting.repeat == WEEKLY else ""
        others = [one_line(m.display_name, 80) for m in meeting.members if m.id != ctx.member.id]
        lines.append(tr._("{n}. “{title}” — {span}{weekly} · with {names}", n=tr.number(number),
                          title=user_text(meeting.title, 200), span=_span(tr, start, start + meeting.duration, ctx.member.tz),
                          weekly=weekly, names=tr.list(others) or "—"))
    return Reply(title=tr._("Your meetings (your time)"), text="\n".join(lines))


@command("meet cancel", N_("Cancel a meeting (a whole weekly series)"), "<number from /meet list>")
def meet_cancel(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    found = upcoming(ctx.session, ctx.workspace.id, ctx.member, ctx.now())
    if len(args) != 1 or not args[0].isdecimal() or not 1 <= int(args[0]) <= len(found):
        raise UserError(tr._("Which meeting? Give its number from /meet list."))
    meeting, _start = found[int(args[0]) - 1]
    if meeting.organizer_id != ctx.member.id and not ctx.is_admin:
        raise UserError(tr._("Only the organiser or a workspace admin can cancel “{title}”.", title=user_text(meeting.title, 200)))
    ctx.session.delete(meeting)
    ctx.replan()
    return Reply(text=tr._("Cancelled “{title}”. Nobody will be reminded of it.", title=user_text(meeting.title, 200)))


@command("meet import", N_("Import meetings from an .ics calendar file"))
def meet_import(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    return Reply(form=Form("meet.import", tr._("Import meetings from a calendar"),
                           (FormField("ics", tr._("Contents of the .ics file"), multiline=True, max_length=100_000),),
                           submit_label=tr._("Import")))


@action("meet.import")
def meet_import_save(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    from bot.ics_import import import_ics

    result = import_ics(ctx, fields.get("ics", ""))
    ctx.replan()
    return result


# --- team file: [[meetings]] ---------------------------------------------------------------------

_FIELDS = {"title", "start", "tz", "duration", "attendees", "remind_before", "repeat"}


def _check_meetings(raw: Any, check: teamfile.Checker) -> None:
    if not isinstance(raw, list):
        check.error("meetings", "must be an array of tables: [[meetings]]")
        return
    titles: set[str] = set()
    for index, item in enumerate(raw):
        where = f"meetings[{index}]"
        if not isinstance(item, dict):
            check.error(where, "must be a table")
            continue
        for key in item:
            if key not in _FIELDS:
                check.error(f"{where}.{key}", f"is not a meeting field (known: {', '.join(sorted(_FIELDS))})")
        title = check.text(f"{where}.title", item.get("title"), 200, required=True)
        if title is not None:
            if title.casefold() in titles:
                check.error(f"{where}.title", f"{title!r} appears twice (a meeting is identified by its title)")
            titles.add(title.casefold())
        _meeting_values(item, check, where)


def _meeting_values(item: dict[str, Any], check: teamfile.Checker, where: str) -> dict[str, Any] | None:
    """Validate one [[meetings]] table; the values ready to store, or None with errors recorded."""
    out: dict[str, Any] = {}
    before = len(check.errors)
    zone_text = check.text(f"{where}.tz", item.get("tz"), 64, required=True)
    zone = None
    if zone_text is not None:
        try:
            zone = resolve_zone(zone_text).name
        except TimeError:
            check.error(f"{where}.tz", f"is not a time zone I can use: {zone_text!r}")
    start_raw = item.get("start")
    local: datetime | None = None
    if isinstance(start_raw, datetime):
        local = start_raw.replace(tzinfo=None) if start_raw.tzinfo is None else None
        if local is None:
            check.error(f"{where}.start", "must be a local time like 2026-03-25T15:00 (the zone goes in tz)")
    else:
        text = check.text(f"{where}.start", start_raw, 25, required=True)
        if text is not None:
            try:
                local = datetime.fromisoformat(text)
                if local.tzinfo is not None:
                    check.error(f"{where}.start", "must be a local time like 2026-03-25T15:00 (the zone goes in tz)")
                    local = None
            except ValueError:
                check.error(f"{where}.start", f"is not a date and time like 2026-03-25T15:00: {text!r}")
    if local is not None and zone is not None:
        try:
            out["start"] = localize(local, zone)
        except TimeError as error:
            what = "does not exist (clocks jump forward)" if error.code == "nonexistent_time" else "happens twice (clocks go back)"
            check.error(f"{where}.start", f"{local.isoformat()} {what} in {zone}")
    out["tz"] = zone
    for key, default in (("duration", DEFAULT_DURATION), ("remind_before", None)):
        value = item.get(key)
        if value is None:
            out[key] = default
            continue
        text = check.text(f"{where}.{key}", value, 10)
        try:
            out[key] = parse_duration(text) if text is not None else None
        except TimeError:
            check.error(f"{where}.{key}", f"is not a duration like 30m or 1h: {text!r}")
    attendees = check.member_list(f"{where}.attendees", item.get("attendees"))
    if not attendees and item.get("attendees") is None:
        check.error(f"{where}.attendees", "is required: a list of member ids")
    out["attendees"] = attendees or []
    repeat = item.get("repeat")
    if repeat is not None and repeat != WEEKLY:
        check.error(f"{where}.repeat", "must be \"weekly\" (or left out)")
    out["repeat"] = repeat
    out["title"] = item.get("title")
    return out if len(check.errors) == before else None


def _apply_meetings(session: Session, workspace: Workspace, raw: Any) -> None:
    members = {m.user_id: m for m in session.scalars(select(Member).where(Member.workspace_id == workspace.id))}
    check = teamfile.Checker("", set(members))
    existing = {m.external_uid: m for m in session.scalars(select(Meeting).where(
        Meeting.workspace_id == workspace.id, Meeting.source == "teamfile"))}
    for index, item in enumerate(raw):
        values = _meeting_values(item, check, f"meetings[{index}]")
        if values is None:  # validated before; cannot happen unless the file changed under us
            raise teamfile.ImportError_(check.errors)
        uid = "teamfile:" + values["title"].strip().casefold()
        attendees = [members[i] for i in values["attendees"]]
        remind = int(values["remind_before"].total_seconds() // 60) if values["remind_before"] else None
        meeting = existing.get(uid)
        if meeting is None:
            meeting = create_meeting(session, workspace, title=values["title"], start=values["start"], tz=values["tz"],
                                     duration=values["duration"], members=attendees, organizer=None,
                                     repeat=values["repeat"], remind_before=remind, source="teamfile",
                                     external_uid=uid, remind_late=False)
            continue
        meeting.title = one_line(values["title"], 200)
        meeting.start_at, meeting.tz = to_utc(values["start"]), values["tz"]
        meeting.duration_minutes = int(values["duration"].total_seconds() // 60)
        meeting.repeat, meeting.remind_before_minutes = values["repeat"], remind
        set_attendees(meeting, attendees)


teamfile.register_section(teamfile.Section("meetings", _check_meetings, _apply_meetings))
