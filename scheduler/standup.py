"""Standup ritual kinds: the prompt DM, the one reminder, and the channel summary of each standup day.

What the messages say lives in `bot/standup.py`; this module only answers "when next?" for each
recipient. Prompts recur at the standup's local time in the member's own zone (through
`bot.time.next_local`, which owns the DST rules), on the member's working days only.
Occurrence keys are "<member's local date>#<standup id>" for DMs and "<standup day>" for summaries,
so a day is prompted, reminded and summarised at most once whatever the settings do later; summary
updates after a late answer are ad-hoc occurrences ("<day>~<n>") enqueued by the core.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import availability
from bot import standup as standups
from bot.models import Member, Occurrence, Workspace
from bot.reply import Outbound
from bot.standup import Standup
from bot.time import UTC, to_utc

from bot.time import DEFAULT_HORIZON_DAYS, next_local
from bot.rituals import Due, Skip, register


@dataclass(frozen=True)
class Slot:
    """A member's next prompt (or reminder): their local day, the instant, and the standups due then."""

    day: date
    at: datetime
    standup_ids: tuple[int, ...]

    def due(self) -> Due:
        return Due(key=f"{self.day.isoformat()}#{self.standup_ids[0]}", due_at=self.at,
                   payload={"day": self.day.isoformat(), "standups": list(self.standup_ids)})


def _member(session: Session, workspace: Workspace, user_id: str) -> Member | None:
    return session.scalar(select(Member).where(Member.workspace_id == workspace.id, Member.user_id == user_id))


def _prompt_days(session: Session, standup: Standup, member: Member, after: datetime):  # type: ignore[no-untyped-def]
    """The member's prompt days for one standup, in order, from around `after`: (day, prompt instant)."""
    skipped = standups.skipped_days(session, standup, member, availability.today(member, after) - timedelta(days=2))

    def open_day(day: date) -> bool:
        return day not in skipped and availability.day_off(member, day) is None

    cursor = after
    while True:
        slot = next_local(cursor, member.tz, standup.prompt_time, open_day)
        if slot is None:
            return
        yield slot.day, slot.due_at
        cursor = slot.due_at


def next_slot(session: Session, workspace: Workspace, member: Member, after: datetime, *,
              reminder: bool = False) -> Slot | None:
    """The member's next prompt (or reminder) strictly after `after`, over every standup they take part in.

    Standups due at the very same instant share one slot, so the engine's strictly-after cursor
    cannot lose one of them.
    """
    found: list[tuple[datetime, date, int]] = []
    for standup in standups.active_standups(session, workspace):
        if not standups.takes_part(standup, member):
            continue
        candidate = _next_for(session, standup, member, after, reminder)
        if candidate is not None:
            found.append((candidate[1], candidate[0], standup.id))
    if not found:
        return None
    earliest = min(found)
    return Slot(earliest[1], earliest[0], tuple(sorted(i for at, d, i in found if at == earliest[0] and d == earliest[1])))


def _next_for(session: Session, standup: Standup, member: Member, after: datetime,
              reminder: bool) -> tuple[date, datetime] | None:
    if not reminder:
        return next(_prompt_days(session, standup, member, after), None)
    if not _reminder_can_fit(standup, member):
        return None
    # A reminder comes after its prompt, by the delay or (clipped into working hours) by less than a day more.
    lookback = timedelta(minutes=standup.reminder_minutes) + timedelta(days=1)
    for checked, (day, _) in enumerate(_prompt_days(session, standup, member, after - lookback)):
        at = standups.reminder_at(standup, member, day)
        if at is not None and at > after:
            return day, at
        if checked > DEFAULT_HORIZON_DAYS:
            return None
    return None


def _reminder_can_fit(standup: Standup, member: Member) -> bool:
    """Does prompt + delay (moved to the start of hours) fall before the end of working hours, on the wall
    clock? The same every day, so a reminder that never fits is known at once instead of after a year's scan."""
    if not standup.reminder_minutes:
        return False
    if member.hours_end <= member.hours_start:
        return True        # overnight hours: the day-by-day check decides
    wall_day = date(2000, 1, 3)
    reminder = datetime.combine(wall_day, standup.prompt_time) + timedelta(minutes=standup.reminder_minutes)
    return max(reminder, datetime.combine(wall_day, member.hours_start)) < datetime.combine(wall_day, member.hours_end)


def next_summary(session: Session, standup: Standup, after: datetime) -> tuple[date, datetime] | None:
    """The next standup day whose summary is due strictly after `after` (summary instants grow day by day)."""
    if not standup.active:
        return None
    members = standups.participants(session, standup)
    if not members:
        return None
    day = to_utc(after).date() - timedelta(days=2)   # the westernmost zones' days run up to two days behind UTC's
    for _ in range(DEFAULT_HORIZON_DAYS):
        at = standups.summary_at(standup, members, day)
        if at is not None and at > after:
            return day, at
        day += timedelta(days=1)
    return None


def _recipients_of_members(session: Session, workspace: Workspace) -> list[str]:
    active = standups.active_standups(session, workspace)
    if not active:
        return []
    members = session.scalars(select(Member.user_id).where(Member.workspace_id == workspace.id).order_by(Member.user_id))
    return [user for user in members if any(s.participants is None or user in s.participants for s in active)]


def _outcome(built: list[Outbound] | str) -> list[Outbound] | Skip:
    return Skip(built) if isinstance(built, str) else built


class StandupPrompt:
    """The DM asking a participant for their standup, at their local prompt time on their working days."""

    kind = standups.PROMPT_KIND
    grace = timedelta(minutes=120)
    grace_setting = "standup_grace_minutes"
    reminder = False

    def recipients(self, session: Session, workspace: Workspace) -> Iterable[str]:
        return _recipients_of_members(session, workspace)

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        member = _member(session, workspace, recipient)
        if member is None:
            return None
        slot = next_slot(session, workspace, member, after, reminder=self.reminder)
        return slot.due() if slot is not None else None

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        return _outcome(standups.build_member_messages(session, workspace, occurrence, now, reminder=self.reminder))


class StandupReminder(StandupPrompt):
    """The one reminder to participants who have not answered, after the delay, inside their working hours."""

    kind = standups.REMINDER_KIND
    reminder = True


class StandupSummary:
    """The channel summary of each standup day; recipient "#<standup channel>" (it may post elsewhere)."""

    kind = standups.SUMMARY_KIND
    grace = timedelta(minutes=360)
    grace_setting = "digest_grace_minutes"

    def recipients(self, session: Session, workspace: Workspace) -> Iterable[str]:
        return ["#" + s.channel for s in standups.active_standups(session, workspace)]

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        standup = standups.standup_in(session, workspace, recipient.lstrip("#"))
        found = next_summary(session, standup, after) if standup is not None else None
        if found is None:
            return None
        day, at = found
        payload: dict[str, Any] = {"standup": standup.id, "day": day.isoformat()}  # type: ignore[union-attr]
        return Due(key=day.isoformat(), due_at=at.astimezone(UTC), payload=payload)

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        return _outcome(standups.build_summary(session, workspace, occurrence, now))


PROMPT = register(StandupPrompt())
REMINDER = register(StandupReminder())
SUMMARY = register(StandupSummary())
