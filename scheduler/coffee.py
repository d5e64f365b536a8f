"""Coffee ritual kinds: the round itself, and the intros and follow-ups each round enqueues.

What the round does and what the messages say live in `bot/pairing.py`; this module only answers
"when next?". The round recurs on the configured weekday and cadence and fires when that date
begins in the earliest zone among participants (recipient "coffee", key = the round date). Building
it runs the round (idempotently: a rebuilt occurrence finds the stored round), which enqueues the
group intros, the left-out notes and the follow-ups through `bot.due`. Those are ad-hoc occurrences:
each has its own recipient ("group:<id>", "left:<user>:<date>"), so for them `recipients()` lists
the pending ones and `next_due` hands back the stored occurrence, which keeps the engine's re-planning
from cancelling or moving them.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import pairing
from bot.models import Occurrence, OccurrenceStatus, Workspace
from bot.reply import Outbound
from bot.time import to_utc

from bot.rituals import Due, Skip, register


def _outcome(built: list[Outbound] | str) -> list[Outbound] | Skip:
    return Skip(built) if isinstance(built, str) else built


class CoffeeRound:
    """Plans a round on its date (in the earliest participant zone) and posts the channel announcement."""

    kind = pairing.ROUND_KIND
    grace = timedelta(days=1)   # a late round still pairs people: the intros go out at their mornings or at once

    def recipients(self, session: Session, workspace: Workspace) -> Iterable[str]:
        config = pairing.get_config(session, workspace)
        return [pairing.ROUND_RECIPIENT] if config is not None and config.enabled else []

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        found = pairing.next_round(session, workspace, after)
        if found is None:
            return None
        day, start = found
        return Due(key=day.isoformat(), due_at=to_utc(start), payload={"date": day.isoformat()})

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        return _outcome(pairing.start_round(session, workspace, date.fromisoformat(occurrence.key), now))


class _Enqueued:
    """A kind whose occurrences only the core creates (bot.due.enqueue), one per recipient."""

    kind = ""
    grace = timedelta(minutes=360)
    grace_setting = "digest_grace_minutes"

    def recipients(self, session: Session, workspace: Workspace) -> Iterable[str]:
        return list(session.scalars(select(Occurrence.recipient).distinct().where(
            Occurrence.workspace_id == workspace.id, Occurrence.kind == self.kind, Occurrence.status == OccurrenceStatus.PENDING)))

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        row = session.scalar(select(Occurrence).where(
            Occurrence.workspace_id == workspace.id, Occurrence.kind == self.kind, Occurrence.recipient == recipient,
            Occurrence.status == OccurrenceStatus.PENDING, Occurrence.due_at > after).order_by(Occurrence.due_at).limit(1))
        return Due(key=row.key, due_at=row.due_at, payload=dict(row.payload or {})) if row is not None else None


class CoffeeIntro(_Enqueued):
    """The group DM introducing a coffee group, or the DM telling someone left out why."""

    kind = pairing.INTRO_KIND

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        return _outcome(pairing.build_intro(session, workspace, dict(occurrence.payload or {}), now))


class CoffeeFollowup(_Enqueued):
    """'Did you meet?' with buttons, half-way through the round."""

    kind = pairing.FOLLOWUP_KIND

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        return _outcome(pairing.build_followup(session, workspace, dict(occurrence.payload or {}), now))


ROUND = register(CoffeeRound())
INTRO = register(CoffeeIntro())
FOLLOWUP = register(CoffeeFollowup())
