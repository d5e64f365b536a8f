"""The standup's rituals: the prompt DM, the one reminder, and the channel summary of each standup day.

When each is due comes from `timing` (the same instants the commands see), what each sends from
`messages`. Occurrence keys are "<member's local date>#<standup id>" for DMs and "<standup day>" for
summaries, so a day is prompted, reminded and summarised at most once whatever the settings do later;
summary updates after a late answer are ad-hoc occurrences ("<day>~<n>", `refresh_summary_if_posted`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import due
from bot.models import Member, Occurrence, OccurrenceStatus, Workspace
from bot.reply import Outbound
from bot.rituals import Due, Skip, register
from bot.standups.messages import (
    PROMPT_KIND, REMINDER_KIND, SUMMARY_KIND, build_member_messages, build_summary,
)
from bot.standups.models import Standup, active_standups, participants, standup_in, takes_part
from bot.standups.timing import next_prompt, next_reminder, next_summary, summary_at


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


def next_slot(session: Session, workspace: Workspace, member: Member, after: datetime, *,
              reminder: bool = False) -> Slot | None:
    """The member's next prompt (or reminder) strictly after `after`, over every standup they take part in.

    Standups due at the very same instant share one slot, so the engine's strictly-after cursor
    cannot lose one of them.
    """
    found: list[tuple[datetime, date, int]] = []
    for standup in active_standups(session, workspace):
        if not takes_part(standup, member):
            continue
        candidate = (next_reminder if reminder else next_prompt)(session, standup, member, after)
        if candidate is not None:
            found.append((candidate[1], candidate[0], standup.id))
    if not found:
        return None
    earliest = min(found)
    return Slot(earliest[1], earliest[0], tuple(sorted(i for at, d, i in found if at == earliest[0] and d == earliest[1])))


def _recipients_of_members(session: Session, workspace: Workspace) -> list[str]:
    active = active_standups(session, workspace)
    if not active:
        return []
    members = session.scalars(select(Member.user_id).where(Member.workspace_id == workspace.id).order_by(Member.user_id))
    return [user for user in members if any(s.participants is None or user in s.participants for s in active)]


class StandupPrompt:
    """The DM asking a participant for their standup, at their local prompt time on their working days."""

    kind = PROMPT_KIND
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
        return build_member_messages(session, workspace, occurrence, now, reminder=self.reminder)


class StandupReminder(StandupPrompt):
    """The one reminder to participants who have not answered, after the delay, inside their working hours."""

    kind = REMINDER_KIND
    reminder = True


class StandupSummary:
    """The channel summary of each standup day; recipient "#<standup channel>" (it may post elsewhere)."""

    kind = SUMMARY_KIND
    grace = timedelta(minutes=360)
    grace_setting = "digest_grace_minutes"

    def recipients(self, session: Session, workspace: Workspace) -> Iterable[str]:
        return ["#" + s.channel for s in active_standups(session, workspace)]

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        standup = standup_in(session, workspace, recipient.lstrip("#"))
        found = next_summary(session, standup, after) if standup is not None else None
        if found is None:
            return None
        day, at = found
        payload: dict[str, Any] = {"standup": standup.id, "day": day.isoformat()}  # type: ignore[union-attr]
        return Due(key=day.isoformat(), due_at=at, payload=payload)

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        return build_summary(session, workspace, occurrence, now)


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


PROMPT = register(StandupPrompt())
REMINDER = register(StandupReminder())
SUMMARY = register(StandupSummary())
