"""When does a local-time ritual next happen? The one place rituals turn "09:30 on working days" into instants.

Every ritual that fires at a wall-clock time in someone's zone (standup prompts, holiday digests,
weekly pairings) asks `next_local` instead of doing its own date arithmetic, so DST is handled once:
the instant comes from `bot.time.instants.ritual_instant` (a time inside a DST gap fires at the first
valid instant after it, a time inside an overlap fires once, the first time). The occurrence key is
the recipient's local date, so a ritual fires at most once per local day whatever the zone does.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable

from bot.time.instants import local_date, ritual_instant, to_local, to_utc

DayFilter = Callable[[date], bool]

# A daily ritual whose filter rejects every day for this long is treated as never due again.
DEFAULT_HORIZON_DAYS = 400


@dataclass(frozen=True)
class LocalSlot:
    day: date                # the recipient's local date the ritual belongs to (the occurrence key)
    due_at: datetime         # the instant it fires, UTC


def every_day(_day: date) -> bool:
    return True


def on_weekdays(*weekdays: int) -> DayFilter:
    """A filter for fixed weekdays (0=Monday), e.g. a weekly pairing on Mondays: `on_weekdays(0)`."""
    wanted = frozenset(weekdays)
    return lambda day: day.weekday() in wanted


def next_local(after: datetime, zone_name: str, at: time, days: DayFilter = every_day,
               horizon_days: int = DEFAULT_HORIZON_DAYS) -> LocalSlot | None:
    """The first local day accepted by `days` whose `at` (in `zone_name`) falls strictly after `after`.

    Starts one local day early: a gap moved forward can push a late-evening time past midnight.
    """
    first = local_date(after, zone_name) - timedelta(days=1)
    after_utc = to_utc(after)
    for offset in range(horizon_days + 2):
        day = first + timedelta(days=offset)
        if not days(day):
            continue
        instant = to_utc(ritual_instant(day, at, zone_name))
        if instant > after_utc:
            return LocalSlot(day, instant)
    return None


def weeks_later(first: datetime, zone_name: str, weeks: int) -> datetime:
    """`first` moved on `weeks` weeks at the same wall-clock time in `zone_name` (UTC), as calendar apps
    repeat a weekly series: across a DST change the offset moves, the local time does not."""
    first_utc = to_utc(first)
    if weeks == 0:
        return first_utc
    local = to_local(first_utc, zone_name)
    day = local.date() + timedelta(weeks=weeks)
    return to_utc(ritual_instant(day, local.time().replace(tzinfo=None), zone_name))
