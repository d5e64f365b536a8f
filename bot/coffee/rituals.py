"""Coffee rituals: the round itself, and the intros, follow-ups and channel post each round enqueues.

The round recurs on the configured weekday and cadence and fires when that date begins in the
earliest zone among participants, or at once when set up while the round day is under way
(recipient "coffee", key = the round date; `bot.coffee.timing`). Building it runs the round
(idempotently: a rebuilt occurrence finds the stored round, `bot.coffee.rounds`) and sends nothing
itself; the round enqueues the group intros, the left-out notes, the follow-ups and the round's post
in the coffee channel (at the channel's working hours) through `bot.due`. Those are ad-hoc
occurrences: each has its own recipient ("group:<id>", "left:<user>:<date>", "channel"), so for
them `recipients()` lists the pending ones and `next_due` hands back the stored occurrence, which
keeps the engine's re-planning from cancelling or moving them. What each sends is built in `bot.coffee.messages`.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.coffee.messages import build_followup, build_intro, build_round_announcement
from bot.coffee.models import CoffeeRound
from bot.coffee.rounds import FOLLOWUP_KIND, INTRO_KIND, POST_KIND, ROUND_RECIPIENT, run_round
from bot.coffee.settings import get_config
from bot.coffee.timing import ROUND_KIND, is_round_date, next_round
from bot.models import Occurrence, OccurrenceStatus, Workspace
from bot.reply import Outbound
from bot.rituals import Due, Skip, register
from bot.time import to_utc


def start_round(session: Session, workspace: Workspace, day: date, now: datetime) -> list[Outbound] | Skip:
    """What the coffee_round ritual does when it fires: run the round (idempotently). The round's
    post in the channel is its own occurrence (POST_KIND), sent in the channel's working hours."""
    config = get_config(session, workspace)
    if config is None or not config.enabled:
        return Skip("coffee rounds are switched off")
    if not is_round_date(config, day):
        return Skip("the schedule changed: no round on this date")
    run_round(session, workspace, day, now)
    return []


class RoundRitual:
    """Plans a round on its date (in the earliest participant zone, or at once when set up late)."""

    kind = ROUND_KIND
    grace = timedelta(days=1)   # a late round still pairs people: the intros go out at their mornings or at once

    def recipients(self, session: Session, workspace: Workspace) -> Iterable[str]:
        config = get_config(session, workspace)
        return [ROUND_RECIPIENT] if config is not None and config.enabled else []

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        found = next_round(session, workspace, after)
        if found is None:
            return None
        day, start = found
        return Due(key=day.isoformat(), due_at=to_utc(start), payload={"date": day.isoformat()})

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        return start_round(session, workspace, date.fromisoformat(occurrence.key), now)


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


class IntroRitual(_Enqueued):
    """The group DM introducing a coffee group, or the DM telling someone left out why."""

    kind = INTRO_KIND

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        return build_intro(session, workspace, dict(occurrence.payload or {}), now)


class FollowupRitual(_Enqueued):
    """'Did you meet?' with buttons, half-way through the round."""

    kind = FOLLOWUP_KIND

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        return build_followup(session, workspace, dict(occurrence.payload or {}), now)


class PostRitual(_Enqueued):
    """The round's post in the coffee channel: how many groups, how many across regions."""

    kind = POST_KIND

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        coffee_round = session.get(CoffeeRound, int((occurrence.payload or {}).get("round", 0)))
        if coffee_round is None or coffee_round.workspace_id != workspace.id:
            return Skip("the round no longer exists")
        return build_round_announcement(session, workspace, coffee_round)


ROUND = register(RoundRitual())
INTRO = register(IntroRitual())
FOLLOWUP = register(FollowupRitual())
POST = register(PostRitual())
