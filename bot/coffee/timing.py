"""When coffee happens: the round dates of a cadence, the instant a round starts, and when a group's
messages go out.

A round falls on the configured weekday: every week, every other week counted from the anchor, or
the first such weekday of the month. It starts when that date begins in the earliest zone among
participants, so nobody's round day has begun without them.

A group DM is one message, so it cannot arrive in everyone's morning when the group spans the globe.
It is sent at 09:00 on the round day in one member's zone: the member whose morning falls best inside
the others' working hours (those others are then at work, and nobody is woken at night when that can
be avoided; ties go to the earliest). The follow-up uses the same rule half-way through the round.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Iterable, Sequence

from sqlalchemy.orm import Session

from bot import availability
from bot.coffee.models import CoffeeConfig
from bot.coffee.settings import get_config, participants
from bot.models import Member, Workspace
from bot.time import day_bounds, minutes_outside, next_weekday_on_or_after, ritual_instant, to_utc, weeks_between

_EPOCH_MONDAY = date(1970, 1, 5)
CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 28}
ROUND_WEEK_DAYS = 7                 # shared hours are counted over the round day and the six after it
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


def next_round(session: Session, workspace: Workspace, after: datetime) -> tuple[date, datetime] | None:
    """The next round (its date and start instant) strictly after `after`."""
    config = get_config(session, workspace)
    if config is None or not config.enabled:
        return None
    first = to_utc(after).date() - timedelta(days=1)
    for day in round_dates(config, first):
        members = participants(session, workspace, config, day)
        start = round_start(members, day)
        if start > after:
            return day, start
    return None


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
    options = [morning(m, day) for m in members]
    return min(options, key=lambda at: (sum(_intrusion(m, at) for m in members), at))
