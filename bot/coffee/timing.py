"""When coffee happens: the round dates of a cadence, the instant a round starts, and when a group's
messages go out.

A round falls on the configured weekday: every week, every other week counted from the anchor, or
the first such weekday of the month. It starts when that date begins in the earliest zone among
participants, so nobody's round day has begun without them. A coffee set up (or a simulation
started) while its round day is still under way somewhere runs that day's round at once: the first
round comes in the first week, not a week later. Planning the round is silent; its post in the
coffee channel goes out in the channel's working hours (`channel_post_at`), not at midnight for the
easternmost member.

A group DM is one message, so it cannot arrive in everyone's morning when the group spans the globe.
It is sent at 09:00 on the round day in one member's zone: the member whose morning falls best inside
the others' working hours (those others are then at work, and nobody is woken at night when that can
be avoided; ties go to the earliest). The follow-up uses the same rule half-way through the round.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import availability
from bot.coffee.models import CoffeeConfig, CoffeeRound
from bot.coffee.settings import get_config, participants
from bot.models import Member, Occurrence, OccurrenceStatus, Workspace
from bot.time import day_bounds, minutes_outside, next_weekday_on_or_after, ritual_instant, to_utc, weeks_between

_EPOCH_MONDAY = date(1970, 1, 5)
CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 28}
ROUND_WEEK_DAYS = 7                 # shared hours are counted over the round day and the six after it
CATCH_UP = timedelta(seconds=1)     # a round day already under way runs this soon after planning
ROUND_KIND = "coffee_round"         # the ritual that runs rounds (bot.coffee.rituals)
MORNING = time(9, 0)


def is_round_date(config: CoffeeConfig, day: date) -> bool:
    if day.weekday() != config.day:
        return False
    if config.cadence == "fortnightly":
        anchor = config.anchor or _EPOCH_MONDAY   # no anchor (team file): even weeks since 1970
        return weeks_between(anchor, day) % 2 == 0
    if config.cadence == "monthly":
        return day.day <= 7
    return True


def round_dates(config: CoffeeConfig, start: date) -> Iterable[date]:
    """Round dates on or after `start`, in order (at most ~10 years ahead)."""
    day = next_weekday_on_or_after(start, config.day)
    for _ in range(520):
        if is_round_date(config, day):
            yield day
        day += timedelta(days=7)


def round_start(members: Sequence[Member], day: date) -> datetime:
    """The instant `day` begins for the first of the participants (UTC midnight when nobody takes part)."""
    zones = {m.tz for m in members} or {"UTC"}
    return min(day_bounds(day, z)[0] for z in zones)


def round_end(members: Sequence[Member], day: date) -> datetime:
    """The instant `day` ends for the last of the participants (UTC's end when nobody takes part)."""
    zones = {m.tz for m in members} or {"UTC"}
    return max(day_bounds(day, z)[1] for z in zones)


def _round_taken(session: Session, workspace: Workspace, day: date) -> bool:
    """Whether the round of `day` ran or its occurrence ended (sent, skipped, missed, failed): no catch-up."""
    if session.scalar(select(CoffeeRound.id).where(CoffeeRound.workspace_id == workspace.id,
                                                   CoffeeRound.round_date == day)) is not None:
        return True
    ended = [s for s in OccurrenceStatus if s not in (OccurrenceStatus.PENDING, OccurrenceStatus.CANCELLED)]
    return session.scalar(select(Occurrence.id).where(
        Occurrence.workspace_id == workspace.id, Occurrence.kind == ROUND_KIND,
        Occurrence.key == day.isoformat(), Occurrence.status.in_(ended))) is not None


def next_round(session: Session, workspace: Workspace, after: datetime) -> tuple[date, datetime] | None:
    """The next round (its date and the instant it runs) strictly after `after`.

    Normally the round runs when its day starts (`round_start`). When `after` falls inside a round
    day that has begun but not ended for every participant, and that round has not run, it runs
    right away (CATCH_UP after `after`): coffee set up on a Monday morning pairs people that week."""
    config = get_config(session, workspace)
    if config is None or not config.enabled:
        return None
    first = to_utc(after).date() - timedelta(days=1)
    for day in round_dates(config, first):
        members = participants(session, workspace, config, day)
        start = round_start(members, day)
        if start > after:
            return day, start
        if after < round_end(members, day) and not _round_taken(session, workspace, day):
            return day, to_utc(after) + CATCH_UP
    return None


def channel_post_at(members: Sequence[Member], day: date, not_before: datetime) -> datetime:
    """When a round's post goes out in the coffee channel: 09:00 on the round day for the participant
    whose morning falls best inside the others' working hours, as for a group intro (`group_morning`),
    so the channel hears of the round while its people are at work; never before `not_before`."""
    if not members:
        return not_before
    return max(group_morning(members, day), not_before)


def halfway(cadence: str, day: date) -> date:
    """The follow-up's day: half-way through the round that starts on `day` (weekly: three days later)."""
    return day + timedelta(days=CADENCE_DAYS.get(cadence, 7) // 2)


def morning(member: Member, day: date) -> datetime:
    return to_utc(ritual_instant(day, MORNING, member.tz))


def _intrusion(member: Member, instant: datetime) -> int:
    """How unwelcome a message at `instant` is for `member`: 0 at work, else minutes outside their hours,
    plus half a day when it is their weekend, holiday or time off."""
    status = availability.status_at(member, instant)
    if status.working:
        return 0
    outside = minutes_outside(status.local, member.hours_start, member.hours_end)
    return outside + (720 if status.day_off is not None else 0)


def group_morning(members: Sequence[Member], day: date) -> datetime:
    """09:00 on `day` for the member whose morning intrudes least on the others (earliest on ties)."""
    options = sorted({morning(m, day) for m in members})   # one per zone: a channel has many members
    return min(options, key=lambda at: (sum(_intrusion(m, at) for m in members), at))
