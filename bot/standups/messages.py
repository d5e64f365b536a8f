"""What the standup says: the prompt and reminder DMs, the channel summary, `/standup status` and the
settings, each in the reader's language; plus the builders the rituals call, which return the messages
to send or `Skip(reason)` when the occurrence no longer applies."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import availability
from bot.availability import DayOff, MemberStatus
from bot.i18n import N_, Translator
from bot.models import Member, Occurrence, Workspace
from bot.reply import Button, Outbound, Reply, Section
from bot.rituals import Skip
from bot.roster import Group, group_lines, is_large, names_preview
from bot.standups.models import Standup, StandupAnswer, entry_for, participants, standup_in, takes_part
from bot.standups.settings import MAX_ANSWER_LENGTH, MAX_QUESTION_LENGTH
from bot.standups.timing import summary_at
from bot.teamclock import describe_status
from bot.text import one_line, user_text
from bot.time import ritual_instant, to_local

# The ritual kinds (rituals.py), also the kind of the messages they send.
PROMPT_KIND = "standup_prompt"
REMINDER_KIND = "standup_reminder"
SUMMARY_KIND = "standup_summary"

DEFAULT_QUESTIONS = (
    N_("What did you do since your last standup?"),
    N_("What will you do today?"),
    N_("Is anything in your way?"),
)


def reader(member: Member | None, workspace: Workspace) -> Translator:
    return Translator((member.locale if member else None) or workspace.locale)


def question_texts(tr: Translator, questions: list[str] | None) -> list[str]:
    if questions is None:
        return [tr._(q) for q in DEFAULT_QUESTIONS]
    return [one_line(q, MAX_QUESTION_LENGTH) for q in questions]


def channel_label(name: str) -> str:
    return "#" + one_line(name, 80)


def member_label(member: Member) -> str:
    return one_line(member.display_name, 80)


def button_value(standup: Standup, day: date) -> str:
    """What the Answer/Skip/Edit buttons and the answer form carry: '<standup id>:<day>'."""
    return f"{standup.id}:{day.isoformat()}"


def prompt_reply(tr: Translator, standup: Standup, day: date, *, reminder: bool = False) -> Reply:
    """The DM a participant gets at their prompt time (or as the one reminder)."""
    title = tr._("Standup in {channel} for {date}", channel=channel_label(standup.channel), date=tr.weekday_date(day))
    if reminder:
        text = tr._("A reminder: your standup answers are not in yet. It takes a minute.")
    else:
        text = tr._("Time for your standup. Answer when you are ready; you can edit your answers later.")
    lines = [f"{i}. {q}" for i, q in enumerate(question_texts(tr, standup.questions), 1)]
    return Reply(title=title, text=text, sections=[Section(None, tuple(lines))], ephemeral=False,
                 buttons=[Button(tr._("Answer"), "standup.open", button_value(standup, day), style="primary"),
                          Button(tr._("Skip this day"), "standup.skip", button_value(standup, day))])


# --- who answered, who is off ------------------------------------------------------------------------

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


def summary_reply(session: Session, standup: Standup, day: date, tr: Translator) -> Reply:
    """The channel summary of one standup day: answers grouped by person, then who is off and why, then who is missing."""
    roll = roll_call(session, standup, day, tr)
    title = tr._("Standup in {channel} for {date}", channel=channel_label(standup.channel), date=tr.weekday_date(day))
    text = tr._("Answered: {answered} · not yet: {pending} · off: {off}", answered=tr.number(len(roll.answered)),
                pending=tr.number(len(roll.pending)), off=tr.number(len(roll.off)))
    reply = Reply(title=title, text=text, ephemeral=False)
    for member, row in roll.answered:
        heading = member_label(member) + (" " + tr._("(edited)") if row.edits else "")
        lines: list[str] = []
        for question, answer in zip(question_texts(tr, row.questions), row.answers or []):
            if answer.strip():
                body = user_text(answer, MAX_ANSWER_LENGTH).splitlines() or [""]
                lines.append(f"{question} {body[0]}")
                lines.extend(body[1:])
        reply.add(heading, lines)
    if roll.off:
        reply.add(tr._("Off"), [f"{member_label(m)} — {why}" for m, why in roll.off])
    if roll.pending:
        reply.add(tr._("Not answered yet"), [tr.list(member_label(m) for m in roll.pending)])
    return reply


def status_reply(session: Session, standup: Standup, day: date, tr: Translator) -> Reply:
    roll = roll_call(session, standup, day, tr)
    title = tr._("Standup in {channel} for {date}", channel=channel_label(standup.channel), date=tr.weekday_date(day))
    none = "—"
    if is_large(len(roll.answered) + len(roll.pending) + len(roll.off)):
        return Reply(title=title, text="\n".join(_large_status_lines(tr, roll)))
    lines = [tr._("Answered: {names}", names=tr.list(member_label(m) for m, _ in roll.answered) or none),
             tr._("Not answered yet: {names}", names=tr.list(member_label(m) for m in roll.pending) or none),
             tr._("Off: {names}", names=tr.list(f"{member_label(m)} ({why})" for m, why in roll.off) or none)]
    return Reply(title=title, text="\n".join(lines))


def _large_status_lines(tr: Translator, roll: Roll) -> list[str]:
    """The counts first, a few names per state, and who is off grouped by reason (counts add up)."""
    none = "—"
    off: dict[str, Group] = {}
    for member, why in roll.off:
        off.setdefault(why, Group(tr._("Off: {names}", names=why))).names.append(member_label(member))
    return [tr._("Answered: {answered} · not yet: {pending} · off: {off}", answered=tr.number(len(roll.answered)),
                 pending=tr.number(len(roll.pending)), off=tr.number(len(roll.off))),
            tr._("Answered: {names}", names=names_preview(tr, [member_label(m) for m, _ in roll.answered]) or none),
            tr._("Not answered yet: {names}", names=names_preview(tr, [member_label(m) for m in roll.pending]) or none),
            *group_lines(tr, sorted(off.values(), key=lambda g: -g.count))]


def summary_update_key(standup: Standup, day: date) -> str:
    return f"standup:{standup.id}:{day.isoformat()}"


def config_lines(session: Session, tr: Translator, standup: Standup) -> list[str]:
    """The standup's settings as `/standup`, `/standup config` and the setup confirmation show them."""
    if standup.participants is None:
        who = tr._("every member")
    else:
        by_id = {m.user_id: m for m in participants(session, standup)}
        who = tr.list(member_label(by_id[u]) for u in standup.participants if u in by_id) or "—"
    reminder = (tr.n_("{n} minute after the prompt", "{n} minutes after the prompt", standup.reminder_minutes)
                if standup.reminder_minutes else tr._("off"))
    lines = [tr._("Prompt time: {time}, in each member's own time zone", time=tr.time(standup.prompt_time)),
             tr._("Participants: {names}", names=who),
             tr._("Reminder: {reminder}", reminder=reminder),
             tr._("Summary channel: {channel}", channel=channel_label(standup.summary_target)),
             tr._("Questions:")]
    lines += [f"  {i}. {q}" for i, q in enumerate(question_texts(tr, standup.questions), 1)]
    if not standup.active:
        lines.append(tr._("This standup is stopped. /standup setup starts it again."))
    return lines


# --- what the rituals send -----------------------------------------------------------------------------

def _slot_from(occurrence: Occurrence) -> tuple[date, list[int]]:
    payload = occurrence.payload or {}
    day_text, _, first_id = occurrence.key.partition("#")
    ids = [int(i) for i in payload.get("standups", [])] or ([int(first_id)] if first_id.isdigit() else [])
    return date.fromisoformat(payload.get("day", day_text)), ids


def build_member_messages(session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime,
                          *, reminder: bool) -> list[Outbound] | Skip:
    """The prompt (or reminder) DMs of one occurrence, or why nothing is sent any more."""
    member = session.scalar(select(Member).where(Member.workspace_id == workspace.id,
                                                 Member.user_id == occurrence.recipient))
    if member is None:
        return Skip("member left")
    day, ids = _slot_from(occurrence)
    off = availability.day_off(member, day)
    if off is not None:
        return Skip(f"day off: {off.state.value}")
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
    return messages or Skip(", ".join(reasons) or "nothing due")


def build_summary(session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
    """The channel summary of the occurrence's standup day (scheduled, or an update after a late answer)."""
    payload = occurrence.payload or {}
    standup = session.get(Standup, int(payload["standup"])) if payload.get("standup") else None
    if standup is None or standup.workspace_id != workspace.id:
        standup = standup_in(session, workspace, occurrence.recipient.lstrip("#"))
    if standup is None:
        return Skip("standup removed")
    day = date.fromisoformat(payload.get("day") or occurrence.key.split("~")[0])
    members = participants(session, standup)
    if not payload.get("update") and summary_at(standup, members, day) is None:
        return Skip("nobody works that day")
    reply = summary_reply(session, standup, day, reader(None, workspace))
    return [Outbound(SUMMARY_KIND, workspace.id, "#" + standup.summary_target, reply,
                     update_key=summary_update_key(standup, day))]
