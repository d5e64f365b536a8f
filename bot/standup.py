"""Async standups that follow each member's own clock and calendar.

A standup belongs to one channel of a workspace (one per channel). Each participant is asked by DM
at the standup's prompt time *in their own zone*, on *their own* working days: never while away,
on one of their public holidays (country and subdivision) or on their regional weekend (all three
through `bot.availability`), and never on a day they skipped with `/standup skip`.

Answers are filed under a *standup day*, which is always the member's own local date, so Auckland's
Monday morning is Monday even though UTC still says Sunday. See `answer_day` for the rule that lets
a member answer the evening before. One summary per standup day goes to the channel; it is edited
in place (same `update_key`) when answers arrive after it was posted.

When a given day's prompt, reminder and summary happen is computed here (`prompt_at`, `reminder_at`,
`summary_at`), so the core itself knows whether a summary is already out; `scheduler/standup.py`
walks these days as ritual kinds. History is never deleted.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Time, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot import availability, due
from bot.time import parse_clock, parse_date, parse_duration, ritual_instant, to_local, working_window
from bot.availability import DayOff, MemberStatus
from bot.i18n import N_, Translator
from bot.models import Base, Member, Occurrence, OccurrenceStatus, Workspace, row_timestamp
from bot.reply import Button, Form, FormField, Outbound, Reply, Section
from bot.router import Args, Context, UserError, action, command, row_id
from bot.teamclock import describe_status
from bot.teamfile import Checker, Section as TeamFileSection, register_section
from bot.text import channel_name, one_line, user_text
from bot.time import TimeError

UTC = timezone.utc

PROMPT_KIND = "standup_prompt"
REMINDER_KIND = "standup_reminder"
SUMMARY_KIND = "standup_summary"

DEFAULT_QUESTIONS = (
    N_("What did you do since your last standup?"),
    N_("What will you do today?"),
    N_("Is anything in your way?"),
)
DEFAULT_TIME = time(9, 30)
DEFAULT_REMINDER_MINUTES = 120
SUMMARY_DELAY_WITHOUT_REMINDER = timedelta(hours=2)
MAX_QUESTIONS = 5            # a Discord modal holds at most five text inputs
MAX_QUESTION_LENGTH = 200
MAX_ANSWER_LENGTH = 1500
LATE_ANSWER_DAYS = 7         # how far back a forgotten standup may still be answered
SKIP_AHEAD_DAYS = 90         # how far ahead a day may be skipped
HORIZON_DAYS = 400           # how far ahead the schedule looks (a long time off, a year of holidays)


# --- tables ----------------------------------------------------------------------------------------

class Standup(Base):
    """One channel's standup and its settings. `questions`/`participants` None mean the defaults."""

    __tablename__ = "standups"
    __table_args__ = (UniqueConstraint("workspace_id", "channel", name="uq_standup_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(128))
    prompt_time: Mapped[time] = mapped_column(Time, default=DEFAULT_TIME)     # each member's local time
    questions: Mapped[list[str] | None] = mapped_column(JSON, default=None)   # None: DEFAULT_QUESTIONS, translated
    participants: Mapped[list[str] | None] = mapped_column(JSON, default=None)  # user ids; None: every member
    reminder_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_REMINDER_MINUTES)  # 0: no reminder
    summary_channel: Mapped[str | None] = mapped_column(String(128))         # None: the standup's channel
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)

    @property
    def summary_target(self) -> str:
        return self.summary_channel or self.channel


class StandupAnswer(Base):
    """A member's answers (or skip) for one standup day, in their own calendar. Kept as history."""

    __tablename__ = "standup_answers"
    __table_args__ = (UniqueConstraint("standup_id", "member_id", "day", name="uq_standup_answer_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    standup_id: Mapped[int] = mapped_column(ForeignKey("standups.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    questions: Mapped[list[str] | None] = mapped_column(JSON, default=None)  # as asked (None: the defaults)
    answers: Mapped[list[str] | None] = mapped_column(JSON, default=None)    # None while only skipped
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)
    edits: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def answered(self) -> bool:
        return bool(self.answers)


# --- who and when ------------------------------------------------------------------------------------


def active_standups(session: Session, workspace: Workspace) -> list[Standup]:
    return list(session.scalars(select(Standup).where(Standup.workspace_id == workspace.id, Standup.active.is_(True))
                                .order_by(Standup.channel)))


def standup_in(session: Session, workspace: Workspace, channel: str) -> Standup | None:
    return session.scalar(select(Standup).where(Standup.workspace_id == workspace.id, Standup.channel == channel))


def takes_part(standup: Standup, member: Member) -> bool:
    return standup.participants is None or member.user_id in standup.participants


def participants(session: Session, standup: Standup) -> list[Member]:
    members = session.scalars(select(Member).where(Member.workspace_id == standup.workspace_id)
                              .order_by(Member.name, Member.user_id))
    return [m for m in members if takes_part(standup, m)]


def prompt_at(standup: Standup, member: Member, day: date) -> datetime:
    """The instant the member is asked on their local `day` (a DST gap moves it forward, an overlap takes the first)."""
    return ritual_instant(day, standup.prompt_time, member.tz).astimezone(UTC)


def reminder_at(standup: Standup, member: Member, day: date) -> datetime | None:
    """Prompt + reminder delay, moved into the member's working hours of that day; None if it would fall after them."""
    if not standup.reminder_minutes:
        return None
    start, end = working_window(day, member.hours_start, member.hours_end, member.tz)
    at = max(prompt_at(standup, member, day) + timedelta(minutes=standup.reminder_minutes), start)
    return at if at < end else None


def summary_delay(standup: Standup) -> timedelta:
    return timedelta(minutes=standup.reminder_minutes) if standup.reminder_minutes else SUMMARY_DELAY_WITHOUT_REMINDER


def summary_at(standup: Standup, members: list[Member], day: date) -> datetime | None:
    """When the summary of `day` is posted: the last participant's prompt of that day plus the reminder delay.

    "Last" is taken over every participant, working or not, so the instant is stable when someone goes
    away and increases from day to day (the scheduler walks it with a strictly-after cursor). None when
    no participant works that day: no summary then.
    """
    if not any(availability.day_off(m, day) is None for m in members):
        return None
    last = max(ritual_instant(day, standup.prompt_time, zone) for zone in {m.tz for m in members})
    return last.astimezone(UTC) + summary_delay(standup)


def answer_day(member: Member, now: datetime) -> date | None:
    """The standup day an answer given at `now` is filed under: the earliest of the member's working
    days whose working hours have not ended yet.

    So during (or before) today's working hours it is today — a late afternoon answer still counts
    for today — and after today's hours end, on a weekend, a holiday or while away it is the next
    working day: an answer written in the member's own evening is for tomorrow's standup, whatever
    date UTC shows. Overnight hours that started yesterday still belong to yesterday.
    """
    day = availability.today(member, now) - timedelta(days=1)
    for _ in range(HORIZON_DAYS):
        if availability.day_off(member, day) is None:
            _, end = working_window(day, member.hours_start, member.hours_end, member.tz)
            if end > now:
                return day
        day += timedelta(days=1)
    return None


def skipped_days(session: Session, standup: Standup, member: Member, since: date) -> set[date]:
    return set(session.scalars(select(StandupAnswer.day).where(
        StandupAnswer.standup_id == standup.id, StandupAnswer.member_id == member.id,
        StandupAnswer.skipped.is_(True), StandupAnswer.day >= since)))


def entry_for(session: Session, standup: Standup, member: Member, day: date) -> StandupAnswer | None:
    return session.scalar(select(StandupAnswer).where(StandupAnswer.standup_id == standup.id,
                                                      StandupAnswer.member_id == member.id, StandupAnswer.day == day))


# --- what members read -------------------------------------------------------------------------------

def reader(member: Member | None, workspace: Workspace) -> Translator:
    return Translator((member.locale if member else None) or workspace.locale)


def question_texts(tr: Translator, questions: list[str] | None) -> list[str]:
    if questions is None:
        return [tr._(q) for q in DEFAULT_QUESTIONS]
    return [one_line(q, MAX_QUESTION_LENGTH) for q in questions]


def _channel(name: str) -> str:
    return "#" + one_line(name, 80)


def _value(standup: Standup, day: date) -> str:
    return f"{standup.id}:{day.isoformat()}"


def prompt_reply(tr: Translator, standup: Standup, day: date, *, reminder: bool = False) -> Reply:
    """The DM a participant gets at their prompt time (or as the one reminder)."""
    title = tr._("Standup in {channel} for {date}", channel=_channel(standup.channel), date=tr.weekday_date(day))
    if reminder:
        text = tr._("A reminder: your standup answers are not in yet. It takes a minute.")
    else:
        text = tr._("Time for your standup. Answer when you are ready; you can edit your answers later.")
    lines = [f"{i}. {q}" for i, q in enumerate(question_texts(tr, standup.questions), 1)]
    return Reply(title=title, text=text, sections=[Section(None, tuple(lines))], ephemeral=False,
                 buttons=[Button(tr._("Answer"), "standup.open", _value(standup, day), style="primary"),
                          Button(tr._("Skip this day"), "standup.skip", _value(standup, day))])


def answer_form(tr: Translator, standup: Standup, day: date, entry: StandupAnswer | None) -> Form:
    """The answer modal, pre-filled when the member already answered (that is how answers are edited)."""
    editing = entry is not None and entry.answered
    questions = question_texts(tr, entry.questions if editing else standup.questions)  # type: ignore[union-attr]
    previous = list(entry.answers or []) if editing else []  # type: ignore[union-attr]
    fields = tuple(FormField(f"a{i}", q, previous[i] if i < len(previous) else "", multiline=True, required=i == 0,
                             max_length=MAX_ANSWER_LENGTH) for i, q in enumerate(questions))
    return Form("standup.answer", tr._("Standup · {date}", date=tr.weekday_date(day)), fields, _value(standup, day),
                submit_label=tr._("Save") if editing else tr._("Submit"))


@dataclass
class Roll:
    """Who answered, who is off (and why) and who has not answered yet, for one standup day."""

    day: date
    answered: list[tuple[Member, StandupAnswer]]
    off: list[tuple[Member, str]]
    pending: list[Member]


def off_reason(tr: Translator, member: Member, day: date, off: DayOff) -> str:
    """'public holiday: Epiphany', 'away until Mar 27, 2026', 'weekend' — the words /time uses."""
    local = ritual_instant(day, member.hours_start, member.tz)
    return describe_status(tr, MemberStatus(member, local, off.state, off))


def roll_call(session: Session, standup: Standup, day: date, tr: Translator) -> Roll:
    members = participants(session, standup)
    rows = {row.member_id: row for row in session.scalars(
        select(StandupAnswer).where(StandupAnswer.standup_id == standup.id, StandupAnswer.day == day))}
    roll = Roll(day, [], [], [])
    for member in members:
        row = rows.get(member.id)
        if row is not None and row.answered:
            roll.answered.append((member, row))
            continue
        off = availability.day_off(member, day, tr.locale_id)
        if off is not None:
            roll.off.append((member, off_reason(tr, member, day, off)))
        elif row is not None and row.skipped:
            roll.off.append((member, tr._("skipped this standup")))
        else:
            roll.pending.append(member)
    return roll


def _name(member: Member) -> str:
    return one_line(member.display_name, 80)


def summary_reply(session: Session, standup: Standup, day: date, tr: Translator) -> Reply:
    """The channel summary of one standup day: answers grouped by person, then who is off and why, then who is missing."""
    roll = roll_call(session, standup, day, tr)
    title = tr._("Standup in {channel} for {date}", channel=_channel(standup.channel), date=tr.weekday_date(day))
    text = tr._("Answered: {answered} · not yet: {pending} · off: {off}", answered=tr.number(len(roll.answered)),
                pending=tr.number(len(roll.pending)), off=tr.number(len(roll.off)))
    reply = Reply(title=title, text=text, ephemeral=False)
    for member, row in roll.answered:
        heading = _name(member) + (" " + tr._("(edited)") if row.edits else "")
        lines: list[str] = []
        for question, answer in zip(question_texts(tr, row.questions), row.answers or []):
            if answer.strip():
                body = user_text(answer, MAX_ANSWER_LENGTH).splitlines() or [""]
                lines.append(f"{question} {body[0]}")
                lines.extend(body[1:])
        reply.add(heading, lines)
    if roll.off:
        reply.add(tr._("Off"), [f"{_name(m)} — {why}" for m, why in roll.off])
    if roll.pending:
        reply.add(tr._("Not answered yet"), [tr.list(_name(m) for m in roll.pending)])
    return reply


def status_reply(session: Session, standup: Standup, day: date, tr: Translator) -> Reply:
    roll = roll_call(session, standup, day, tr)
    title = tr._("Standup in {channel} for {date}", channel=_channel(standup.channel), date=tr.weekday_date(day))
    none = "—"
    lines = [tr._("Answered: {names}", names=tr.list(_name(m) for m, _ in roll.answered) or none),
             tr._("Not answered yet: {names}", names=tr.list(_name(m) for m in roll.pending) or none),
             tr._("Off: {names}", names=tr.list(f"{_name(m)} ({why})" for m, why in roll.off) or none)]
    return Reply(title=title, text="\n".join(lines))


def summary_update_key(standup: Standup, day: date) -> str:
    return f"standup:{standup.id}:{day.isoformat()}"


# --- what the scheduler asks (bot/ never imports scheduler/: reasons come back as strings) ---------------

def _slot_from(occurrence: Occurrence) -> tuple[date, list[int]]:
    payload = occurrence.payload or {}
    day_text, _, first_id = occurrence.key.partition("#")
    ids = [int(i) for i in payload.get("standups", [])] or ([int(first_id)] if first_id.isdigit() else [])
    return date.fromisoformat(payload.get("day", day_text)), ids


def build_member_messages(session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime,
                          *, reminder: bool) -> list[Outbound] | str:
    """The prompt (or reminder) DMs of one occurrence, or why nothing is sent any more."""
    member = session.scalar(select(Member).where(Member.workspace_id == workspace.id,
                                                 Member.user_id == occurrence.recipient))
    if member is None:
        return "member left"
    day, ids = _slot_from(occurrence)
    off = availability.day_off(member, day)
    if off is not None:
        return f"day off: {off.state.value}"
    tr = reader(member, workspace)
    messages: list[Outbound] = []
    reasons: list[str] = []
    for standup_id in ids:
        standup = session.get(Standup, standup_id)
        if standup is None or standup.workspace_id != workspace.id or not standup.active:
            reasons.append("standup stopped")
            continue
        if not takes_part(standup, member):
            reasons.append("no longer a participant")
            continue
        row = entry_for(session, standup, member, day)
        if row is not None and (row.answered or row.skipped):
            reasons.append("already answered" if row.answered else "skipped")
            continue
        messages.append(Outbound(REMINDER_KIND if reminder else PROMPT_KIND, workspace.id, member.user_id,
                                 prompt_reply(tr, standup, day, reminder=reminder),
                                 local_time=to_local(now, member.tz)))
    return messages or ", ".join(reasons) or "nothing due"


def build_summary(session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | str:
    """The channel summary of the occurrence's standup day (scheduled, or an update after a late answer)."""
    payload = occurrence.payload or {}
    standup = session.get(Standup, int(payload["standup"])) if payload.get("standup") else None
    if standup is None or standup.workspace_id != workspace.id:
        standup = standup_in(session, workspace, occurrence.recipient.lstrip("#"))
    if standup is None:
        return "standup removed"
    day = date.fromisoformat(payload.get("day") or occurrence.key.split("~")[0])
    members = participants(session, standup)
    if not payload.get("update") and summary_at(standup, members, day) is None:
        return "nobody works that day"
    reply = summary_reply(session, standup, day, reader(None, workspace))
    return [Outbound(SUMMARY_KIND, workspace.id, "#" + standup.summary_target, reply,
                     update_key=summary_update_key(standup, day))]


def refresh_summary_if_posted(session: Session, workspace: Workspace, standup: Standup, day: date, now: datetime) -> bool:
    """After an answer or edit: if the day's summary is already out, ask for an edit of it now.

    A pending update already reads the latest answers, so at most one waits at a time; keys count up
    ("2026-03-23~1", "~2", …) so each update is a distinct, idempotent occurrence.
    """
    at = summary_at(standup, participants(session, standup), day)
    if at is None or now < at:
        return False
    recipient = "#" + standup.channel
    prefix = f"{day.isoformat()}~"
    earlier = list(session.execute(select(Occurrence.key, Occurrence.status).where(
        Occurrence.workspace_id == workspace.id, Occurrence.kind == SUMMARY_KIND, Occurrence.recipient == recipient,
        Occurrence.key.startswith(prefix, autoescape=True))))
    if any(status == OccurrenceStatus.PENDING for _, status in earlier):
        return False
    return due.enqueue(session, workspace.id, SUMMARY_KIND, recipient, f"{prefix}{len(earlier) + 1}", now,
                       {"standup": standup.id, "day": day.isoformat(), "update": True})


# --- settings, shared by the commands, the setup form and the team file ----------------------------------

def parse_questions(lines: Iterable[str]) -> list[str] | None:
    """Non-empty lines as questions; None when there are none, or too many or too long ones."""
    questions = [one_line(q, MAX_QUESTION_LENGTH + 1).strip() for q in lines if q and q.strip()]
    if not questions or len(questions) > MAX_QUESTIONS or any(len(q) > MAX_QUESTION_LENGTH for q in questions):
        return None
    return questions


def parse_reminder(text: str) -> int:
    """'2h', '90m', '45' -> minutes; 'off' / 'none' / '0' -> 0. Raises TimeError('bad_duration')."""
    if text.strip().casefold() in {"off", "none", "no", "0"}:
        return 0
    return int(parse_duration(text).total_seconds() // 60)


def config_lines(session: Session, tr: Translator, standup: Standup) -> list[str]:
    if standup.participants is None:
        who = tr._("every member")
    else:
        by_id = {m.user_id: m for m in participants(session, standup)}
        who = tr.list(_name(by_id[u]) for u in standup.participants if u in by_id) or "—"
    reminder = (tr.n_("{n} minute after the prompt", "{n} minutes after the prompt", standup.reminder_minutes)
                if standup.reminder_minutes else tr._("off"))
    lines = [tr._("Prompt time: {time}, in each member's own time zone", time=tr.time(standup.prompt_time)),
             tr._("Participants: {names}", names=who),
             tr._("Reminder: {reminder}", reminder=reminder),
             tr._("Summary channel: {channel}", channel=_channel(standup.summary_target)),
             tr._("Questions:")]
    lines += [f"  {i}. {q}" for i, q in enumerate(question_texts(tr, standup.questions), 1)]
    if not standup.active:
        lines.append(tr._("This standup is stopped. /standup setup starts it again."))
    return lines


# --- commands ----------------------------------------------------------------------------------------

def _split_channel(ctx: Context, words: list[str]) -> tuple[str | None, list[str]]:
    named = [w for w in words if w.startswith("#") and len(w) > 1]
    rest = [w for w in words if w not in named]
    if len(named) > 1:
        raise UserError(ctx.tr._("Name at most one channel."))
    if not named:
        return None, rest
    channel = channel_name(named[0])
    if channel is None:
        raise UserError(ctx.tr._("“{value}” is not a channel name.", value=one_line(named[0], 40)))
    return channel, rest


def _target(ctx: Context, words: list[str], *, active_only: bool = True) -> tuple[Standup, list[str]]:
    """The standup a command means: a '#channel' word, else the current channel's, else the only one."""
    channel, rest = _split_channel(ctx, words)
    if channel is not None:
        standup = standup_in(ctx.session, ctx.workspace, channel)
        if standup is None:
            raise UserError(ctx.tr._("There is no standup in {channel}. An admin can create one with /standup setup {channel}.",
                                     channel=_channel(channel)))
        return standup, rest
    if ctx.channel:
        standup = standup_in(ctx.session, ctx.workspace, ctx.channel)
        if standup is not None and (standup.active or not active_only):
            return standup, rest
    standups = active_standups(ctx.session, ctx.workspace)
    if len(standups) == 1:
        return standups[0], rest
    if not standups:
        raise UserError(ctx.tr._("There is no standup here yet. An admin can create one with /standup setup."))
    raise UserError(ctx.tr._("There are several standups: {channels}. Add the channel, for example {example}.",
                             channels=ctx.tr.list(_channel(s.channel) for s in standups),
                             example=f"/standup status {_channel(standups[0].channel)}"))


def _day_arg(ctx: Context, words: list[str], default: date) -> date:
    if not words:
        return default
    if len(words) > 1:
        raise UserError(ctx.tr._("Give one date, for example 2026-03-23, today or yesterday."))
    return parse_date(words[0], ctx.today())


def _participant(ctx: Context, standup: Standup) -> None:
    if not takes_part(standup, ctx.member):
        raise UserError(ctx.tr._("You are not a participant of the standup in {channel}.", channel=_channel(standup.channel)))


def _answerable_day(ctx: Context, standup: Standup, words: list[str], *, planning: bool = False) -> date:
    """The day an answer or skip is for: the one given (checked), else `answer_day`'s rule."""
    _participant(ctx, standup)
    tr = ctx.tr
    next_day = answer_day(ctx.member, ctx.now())
    if not words:
        if next_day is None:
            raise UserError(tr._("You have no working day coming up."))
        return next_day
    day = _day_arg(ctx, words, next_day or ctx.today())
    _check_day(ctx, day, next_day, planning=planning)
    return day


def _check_day(ctx: Context, day: date, next_day: date | None, *, planning: bool = False) -> None:
    """Answers go to a working day from a week ago up to the next one; skips may be planned further ahead."""
    tr = ctx.tr
    latest = max(ctx.today(), next_day or ctx.today())
    if planning:
        latest = ctx.today() + timedelta(days=SKIP_AHEAD_DAYS)
    earliest = ctx.today() - timedelta(days=LATE_ANSWER_DAYS)
    if not earliest <= day <= latest:
        raise UserError(tr._("Pick a day from {first} to {last}.", first=tr.date(earliest), last=tr.date(latest)))
    off = availability.day_off(ctx.member, day, tr.locale_id)
    if off is not None:
        raise UserError(tr._("{date} is not one of your working days ({reason}).", date=tr.weekday_date(day),
                             reason=off_reason(tr, ctx.member, day, off)))


def _parse_value(ctx: Context, value: str) -> tuple[Standup, date]:
    standup_id, _, day_text = value.partition(":")
    try:
        found = row_id(standup_id)
        standup = ctx.session.get(Standup, found) if found is not None else None
        day = date.fromisoformat(day_text)
    except ValueError:
        standup, day = None, date.min
    if standup is None or standup.workspace_id != ctx.workspace.id or not standup.active:
        raise UserError(ctx.tr._("That standup no longer exists."))
    _participant(ctx, standup)
    return standup, day


@command("standup", N_("Your team's async standup and its settings"))
def standup_overview(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    if rest:
        raise UserError(ctx.tr._("Unknown standup command “{name}”. Try /help standup.", name=one_line(rest[0], 40)))
    return Reply(title=ctx.tr._("Standup in {channel}", channel=_channel(standup.channel)),
                 text="\n".join(config_lines(ctx.session, ctx.tr, standup)))


@command("standup setup", N_("Create or change this channel's standup (opens a form)"), "[#channel]", admin=True)
def standup_setup(ctx: Context, args: Args) -> Reply:
    channel, rest = _split_channel(ctx, list(args.words))
    if rest:
        raise UserError(ctx.tr._("Usage: /standup setup [#channel]"))
    channel = channel or channel_name(ctx.channel or "") or channel_name(ctx.workspace.channel or "")
    if channel is None:
        raise UserError(ctx.tr._("Which channel? For example: /standup setup #team."))
    tr = ctx.tr
    existing = standup_in(ctx.session, ctx.workspace, channel)
    current = existing or Standup(channel=channel, prompt_time=DEFAULT_TIME, reminder_minutes=DEFAULT_REMINDER_MINUTES)
    who = "everyone" if current.participants is None else " ".join("@" + u for u in current.participants)
    fields = (
        FormField("time", tr._("Prompt time (each member's local time)"), current.prompt_time.strftime("%H:%M"), max_length=10),
        FormField("questions", tr._("Questions, one per line (at most {n})", n=MAX_QUESTIONS),
                  "\n".join(question_texts(tr, current.questions)), multiline=True, max_length=1200),
        FormField("participants", tr._("Participants: “everyone” or @names"), who, max_length=1500),
        FormField("reminder", tr._("Reminder after (e.g. 2h, 90m or off)"),
                  f"{current.reminder_minutes}m" if current.reminder_minutes else "off", max_length=10),
        FormField("summary", tr._("Summary channel"), "#" + current.summary_target, max_length=81),
    )
    return Reply(form=Form("standup.setup", tr._("Standup in {channel}", channel=_channel(channel)), fields, channel,
                           submit_label=tr._("Save")))


@action("standup.setup")
def standup_setup_submit(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    ctx.require_admin()
    tr = ctx.tr
    channel = channel_name(value)
    if channel is None:
        raise UserError(tr._("“{value}” is not a channel name.", value=one_line(value, 40)))
    prompt_time = parse_clock(fields.get("time", "") or "09:30")
    questions = _questions_or_error(ctx, (fields.get("questions") or "").splitlines())
    people = _participants_or_error(ctx, (fields.get("participants") or "everyone").replace(",", " ").split())
    reminder = parse_reminder(fields.get("reminder") or "off")
    summary = channel_name(fields.get("summary") or channel)
    if summary is None:
        raise UserError(tr._("“{value}” is not a channel name.", value=one_line(fields.get("summary"), 40)))
    standup = standup_in(ctx.session, ctx.workspace, channel)
    if standup is None:
        standup = Standup(workspace_id=ctx.workspace.id, channel=channel)
        ctx.session.add(standup)
    standup.prompt_time, standup.reminder_minutes, standup.active = prompt_time, reminder, True
    standup.questions = None if questions == question_texts(tr, None) else questions
    standup.participants = people
    standup.summary_channel = None if summary == channel else summary
    ctx.session.flush()
    ctx.replan()
    return Reply(title=tr._("The standup in {channel} is set up.", channel=_channel(channel)),
                 text="\n".join(config_lines(ctx.session, tr, standup)))


def _questions_or_error(ctx: Context, lines: Iterable[str]) -> list[str]:
    questions = parse_questions(lines)
    if questions is None:
        raise UserError(ctx.tr._("Give between 1 and {n} questions, each at most {limit} characters.",
                                 n=MAX_QUESTIONS, limit=MAX_QUESTION_LENGTH))
    return questions


def _participants_or_error(ctx: Context, words: list[str]) -> list[str] | None:
    if not words or (len(words) == 1 and words[0].casefold() in {"everyone", "all", "@everyone"}):
        return None
    return [m.user_id for m in ctx.members_from(words)]


@command("standup config", N_("Show or change the standup's settings"),
         "[time <09:30> | questions <q1> <q2> … | participants <everyone | @…> | reminder <2h | off> | summary <#channel>] [#channel]")
def standup_config(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    if rest:
        raise UserError(ctx.tr._("Unknown setting “{name}”. Use time, questions, participants, reminder or summary.",
                                 name=one_line(rest[0], 40)))
    return Reply(title=ctx.tr._("Standup in {channel}", channel=_channel(standup.channel)),
                 text="\n".join(config_lines(ctx.session, ctx.tr, standup)))


def _changed(ctx: Context, standup: Standup) -> Reply:
    ctx.session.flush()
    ctx.replan()
    return Reply(title=ctx.tr._("Standup in {channel} updated.", channel=_channel(standup.channel)),
                 text="\n".join(config_lines(ctx.session, ctx.tr, standup)))


@command("standup config time", N_("Set the prompt time, in each member's own time zone"), "<09:30> [#channel]", admin=True)
def standup_config_time(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    if len(rest) != 1:
        raise UserError(ctx.tr._("Give one time, for example: /standup config time 09:30"))
    standup.prompt_time = parse_clock(rest[0])
    return _changed(ctx, standup)


@command("standup config questions", N_("Set the questions (each in quotes), or “default”"), "<\"question\"> … | default [#channel]", admin=True)
def standup_config_questions(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    if len(rest) == 1 and rest[0].casefold() == "default":
        standup.questions = None
    else:
        standup.questions = _questions_or_error(ctx, rest)
    return _changed(ctx, standup)


@command("standup config participants", N_("Set who takes part: everyone, or members (add/remove one by one)"),
         "<everyone | @member … | add @member … | remove @member …> [#channel]", admin=True)
def standup_config_participants(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    if not rest:
        raise UserError(ctx.tr._("Usage: /standup config participants everyone | @amara @ravi | add @lena | remove @lena"))
    mode = rest[0].casefold()
    if mode in {"add", "remove"}:
        if len(rest) < 2:
            raise UserError(ctx.tr._("Whom? For example: /standup config participants {mode} @lena", mode=mode))
        chosen = [m.user_id for m in ctx.members_from(rest[1:])]
        current = standup.participants if standup.participants is not None else [m.user_id for m in ctx.members()]
        if mode == "add":
            updated = current + [u for u in chosen if u not in current]
        else:
            updated = [u for u in current if u not in chosen]
        if not updated:
            raise UserError(ctx.tr._("A standup needs at least one participant. Use /standup stop to end it."))
        standup.participants = updated
    else:
        standup.participants = _participants_or_error(ctx, rest)
    return _changed(ctx, standup)


@command("standup config reminder", N_("Set the delay of the one reminder, or turn it off"), "<2h | 90m | off> [#channel]", admin=True)
def standup_config_reminder(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    if len(rest) != 1:
        raise UserError(ctx.tr._("Give one delay, for example: /standup config reminder 2h (or off)"))
    standup.reminder_minutes = parse_reminder(rest[0])
    return _changed(ctx, standup)


@command("standup config summary", N_("Set the channel the daily summary goes to"), "<#channel> [#standup-channel]", admin=True)
def standup_config_summary(ctx: Context, args: Args) -> Reply:
    words = list(args.words)
    if not words:
        raise UserError(ctx.tr._("Which channel? For example: /standup config summary #standup-notes"))
    summary = channel_name(words[0])
    if summary is None:
        raise UserError(ctx.tr._("“{value}” is not a channel name.", value=one_line(words[0], 40)))
    standup, rest = _target(ctx, words[1:], active_only=False)
    if rest:
        raise UserError(ctx.tr._("Give one channel, for example: /standup config summary #standup-notes"))
    standup.summary_channel = None if summary == standup.channel else summary
    return _changed(ctx, standup)


@command("standup stop", N_("Stop the standup (answers are kept)"), "[#channel]", admin=True)
def standup_stop(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words))
    if rest:
        raise UserError(ctx.tr._("Usage: /standup stop [#channel]"))
    standup.active = False
    ctx.replan()
    return Reply(text=ctx.tr._("The standup in {channel} is stopped. Its history is kept; /standup setup starts it again.",
                               channel=_channel(standup.channel)))


@command("standup answer", N_("Answer (or edit your answers to) a standup"), "[date] [#channel]")
def standup_answer(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words))
    day = _answerable_day(ctx, standup, rest)
    return Reply(form=answer_form(ctx.tr, standup, day, entry_for(ctx.session, standup, ctx.member, day)))


@action("standup.open")
def standup_open(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    standup, day = _parse_value(ctx, value)
    _check_day(ctx, day, answer_day(ctx.member, ctx.now()))
    return Reply(form=answer_form(ctx.tr, standup, day, entry_for(ctx.session, standup, ctx.member, day)))


@action("standup.answer")
def standup_answer_submit(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    """Files (or edits) the answers for the form's day; an already posted summary is then updated."""
    tr = ctx.tr
    standup, day = _parse_value(ctx, value)
    _check_day(ctx, day, answer_day(ctx.member, ctx.now()))
    row = entry_for(ctx.session, standup, ctx.member, day)
    editing = row is not None and row.answered
    asked = row.questions if editing else standup.questions  # type: ignore[union-attr]
    count = len(question_texts(tr, asked))
    answers = [(fields.get(f"a{i}") or "").strip() for i in range(count)]
    if not any(answers):
        raise UserError(tr._("Your answers are empty; nothing was saved."))
    if any(len(a) > MAX_ANSWER_LENGTH for a in answers):
        raise UserError(tr._("An answer is longer than {limit} characters.", limit=tr.number(MAX_ANSWER_LENGTH)))
    now = ctx.now()
    if row is None:
        row = StandupAnswer(workspace_id=ctx.workspace.id, standup_id=standup.id, member_id=ctx.member.id, day=day)
        ctx.session.add(row)
    if editing:
        row.edits += 1
        row.updated_at = now
    else:
        row.questions, row.submitted_at = asked, now
    row.answers, row.skipped = answers, False
    ctx.session.flush()
    refresh_summary_if_posted(ctx.session, ctx.workspace, standup, day, now)
    text = (tr._("Your answers for {date} are updated.", date=tr.weekday_date(day)) if editing else
            tr._("Thanks! Your answers are filed for {date} in {channel}.", date=tr.weekday_date(day),
                 channel=_channel(standup.channel)))
    return Reply(text=text, buttons=[Button(tr._("Edit"), "standup.open", _value(standup, day))])


def _skip(ctx: Context, standup: Standup, day: date) -> Reply:
    tr = ctx.tr
    row = entry_for(ctx.session, standup, ctx.member, day)
    if row is not None and row.answered:
        raise UserError(tr._("You already answered for {date}; there is nothing to skip.", date=tr.weekday_date(day)))
    if row is None:
        ctx.session.add(StandupAnswer(workspace_id=ctx.workspace.id, standup_id=standup.id, member_id=ctx.member.id,
                                      day=day, skipped=True, submitted_at=ctx.now()))
    else:
        row.skipped = True
    ctx.session.flush()
    ctx.replan()
    refresh_summary_if_posted(ctx.session, ctx.workspace, standup, day, ctx.now())
    return Reply(text=tr._("Skipped: no standup for you on {date} in {channel}.", date=tr.weekday_date(day),
                           channel=_channel(standup.channel)))


@command("standup skip", N_("Skip a standup day (default: your next one)"), "[date] [#channel]")
def standup_skip(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words))
    return _skip(ctx, standup, _answerable_day(ctx, standup, rest, planning=True))


@action("standup.skip")
def standup_skip_button(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    standup, day = _parse_value(ctx, value)
    _check_day(ctx, day, answer_day(ctx.member, ctx.now()))
    return _skip(ctx, standup, day)


@command("standup status", N_("Who answered, who has not yet, who is off"), "[date] [#channel]")
def standup_status(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    return status_reply(ctx.session, standup, _day_arg(ctx, rest, ctx.today()), ctx.tr)


@command("standup report", N_("The answers of a standup day (history is kept)"), "[date] [#channel]")
def standup_report(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    reply = summary_reply(ctx.session, standup, _day_arg(ctx, rest, ctx.today()), ctx.tr)
    reply.ephemeral = True
    return reply


# --- the team file's [standup] table ------------------------------------------------------------------

_TEAMFILE_KEYS = ("channel", "time", "participants", "questions", "reminder", "summary_channel")


def _validate_section(raw: Any, check: Checker) -> None:
    if not isinstance(raw, dict):
        check.error("standup", "must be a table: [standup]")
        return
    for key in raw:
        if key not in _TEAMFILE_KEYS:
            check.error(f"standup.{key}", f"is not a standup field (known: {', '.join(_TEAMFILE_KEYS)})")
    for key in ("channel", "summary_channel"):
        text = check.text(f"standup.{key}", raw.get(key), 81)
        if text is not None and channel_name(text) is None:
            check.error(f"standup.{key}", f"is not a channel name: {text!r}")
    if "time" in raw:
        check.clock("standup.time", raw["time"])
    check.member_list("standup.participants", raw.get("participants"))
    if raw.get("participants") == []:
        check.error("standup.participants", "must name at least one member (leave it out for everyone)")
    questions = raw.get("questions")
    if questions is not None and (not isinstance(questions, list) or not all(isinstance(q, str) for q in questions)
                                  or parse_questions(questions) is None):
        check.error("standup.questions", f"must be a list of 1 to {MAX_QUESTIONS} questions of at most {MAX_QUESTION_LENGTH} characters")
    reminder = raw.get("reminder")
    if reminder is not None:
        if isinstance(reminder, bool) or not isinstance(reminder, (int, str)):
            check.error("standup.reminder", "must be a delay like \"2h\", \"90m\" or \"off\"")
        else:
            try:
                parse_reminder(str(reminder))
            except TimeError:
                check.error("standup.reminder", f"must be a delay like \"2h\", \"90m\" or \"off\": {reminder!r}")


def _apply_section(session: Session, workspace: Workspace, raw: Any) -> None:
    channel = channel_name(raw.get("channel") or workspace.channel or "general") or "general"
    standup = standup_in(session, workspace, channel)
    if standup is None:
        standup = Standup(workspace_id=workspace.id, channel=channel, prompt_time=DEFAULT_TIME,
                          reminder_minutes=DEFAULT_REMINDER_MINUTES)
        session.add(standup)
    standup.active = True
    if "time" in raw:
        standup.prompt_time = parse_clock(raw["time"])
    if "participants" in raw:
        standup.participants = [str(p).strip() for p in raw["participants"]]
    if "questions" in raw:
        standup.questions = parse_questions(raw["questions"])
    if "reminder" in raw:
        standup.reminder_minutes = parse_reminder(str(raw["reminder"]))
    if "summary_channel" in raw:
        summary = channel_name(raw["summary_channel"])
        standup.summary_channel = None if summary == channel else summary
    session.flush()


register_section(TeamFileSection("standup", _validate_section, _apply_section))
