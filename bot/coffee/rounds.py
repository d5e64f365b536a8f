"""Running a coffee round: who is eligible (from the database), planning the groups, storing them,
and enqueuing the messages each group and each person left out will get.

`run_round` for one date:

1. takes every opted-in, unpaused participant; only those with no working day at all in the round's
   week (away, public holidays and weekends cover all of it) are recorded as unavailable and not
   paired. A holiday on the round day itself (Easter Monday, a UK bank holiday) leaves the rest of
   the week: the member is paired and hears of it on their next working day;
2. plans the groups with `bot.coffee.plan.plan_round` (hard: at least `min_overlap` of shared
   working time in the round's week, computed from each member's real windows through
   `bot.availability`, so holidays, weekends and DST are included; blocks both ways. Weighted:
   fresh partners, fairness for last round's odd ones out, cross-region contact);
3. stores the round, its groups and everyone's seat, and enqueues (bot.due) one intro per group,
   one follow-up per group half-way through the round, and a note to each person left out, at the
   times `bot.coffee.timing` picks, on the first day of the round's week every member works; and the
   round's post in the coffee channel, in the channel's working hours (`timing.channel_post_at`).

The seed: each workspace's coffee settings hold a seed drawn once when they are created (from
Python's `random`, which `meridian simulate --seed` seeds); a round's seed is derived from it and
the round's date, so the same data replays to the same groups.
"""
from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import availability, due
from bot.availability import State
from bot.coffee.models import CoffeeBlock, CoffeeConfig, CoffeeGroup, CoffeeRound, CoffeeSeat
from bot.coffee.plan import Candidate, pair_key, plan_round
from bot.coffee.regions import region_of
from bot.coffee.settings import ensure_config, get_config, participants
from bot.coffee.timing import ROUND_WEEK_DAYS, channel_post_at, group_morning, halfway, morning
from bot.coffee.windows import Window
from bot.models import Member, Workspace
from bot.time import country_of_zone

POST_KIND = "coffee_round_post"
POST_RECIPIENT = "channel"
INTRO_KIND = "coffee_intro"
FOLLOWUP_KIND = "coffee_followup"
ROUND_RECIPIENT = "coffee"
UNAVAILABLE_AWAY = "away"
UNAVAILABLE_HOLIDAY = "holiday"
REASON_ALONE = "alone"


def round_week(day: date) -> list[date]:
    """The local dates of the round that starts on `day`: shared hours, intros and slots all live in it."""
    return [day + timedelta(days=offset) for offset in range(ROUND_WEEK_DAYS)]


def unavailable_reason(member: Member, day: date) -> str | None:
    """Why the member sits out the round of `day`: only when they work on none of its days.

    "away" when their own time off covers part of the week, else "holiday" when public holidays do
    (weekends alone, e.g. no working days configured, count as away). None: they work that week.
    """
    states = set()
    for week_day in round_week(day):
        off = availability.day_off(member, week_day)
        if off is None:
            return None
        states.add(off.state)
    return UNAVAILABLE_HOLIDAY if State.HOLIDAY in states and State.AWAY not in states else UNAVAILABLE_AWAY


def first_working_day(member: Member, day: date) -> date:
    """The member's first working day in the round of `day` (the round day itself when they work it)."""
    return next((d for d in round_week(day) if availability.is_working_day(member, d)), day)


def intro_day(members: Sequence[Member], day: date) -> date:
    """The day a group's intro goes out: the first day of the round's week that every member works, on
    or after each member's first working day, so nobody finds it on a holiday or during time off.
    When the members' working days never coincide, the last of their first working days."""
    earliest = max(first_working_day(m, day) for m in members)
    for week_day in round_week(day):
        if week_day >= earliest and all(availability.is_working_day(m, week_day) for m in members):
            return week_day
    return earliest


def round_windows(member: Member, day: date) -> tuple[Window, ...]:
    return tuple(availability.working_windows(member, day, day + timedelta(days=ROUND_WEEK_DAYS - 1)))


def member_candidate(member: Member, day: date, priority: bool = False) -> Candidate:
    region = region_of(member.country, member.tz)
    return Candidate(str(member.id), region.name, region.continent, member.country or country_of_zone(member.tz),
                     round_windows(member, day), priority)


def history_of(session: Session, workspace: Workspace) -> dict[frozenset[str], int]:
    """Every pair that met (in a pair or a trio), with the number of the last round they met in."""
    rows = session.execute(
        select(CoffeeSeat.group_id, CoffeeSeat.member_id, CoffeeRound.number)
        .join(CoffeeRound, CoffeeRound.id == CoffeeSeat.round_id)
        .where(CoffeeSeat.workspace_id == workspace.id, CoffeeSeat.group_id.is_not(None),
               CoffeeSeat.member_id.is_not(None)))
    groups: dict[int, list[str]] = defaultdict(list)
    numbers: dict[int, int] = {}
    for group_id, member_id, number in rows:
        groups[group_id].append(str(member_id))
        numbers[group_id] = number
    out: dict[frozenset[str], int] = {}
    for group_id, members in groups.items():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                key = pair_key(a, b)
                out[key] = max(out.get(key, 0), numbers[group_id])
    return out


def blocks_of(session: Session, workspace: Workspace) -> list[tuple[str, str]]:
    return [(str(a), str(b)) for a, b in session.execute(
        select(CoffeeBlock.member_id, CoffeeBlock.blocked_id).where(CoffeeBlock.workspace_id == workspace.id))]


def _last_round(session: Session, workspace: Workspace, before: date) -> CoffeeRound | None:
    return session.scalar(select(CoffeeRound).where(CoffeeRound.workspace_id == workspace.id,
                                                    CoffeeRound.round_date < before)
                          .order_by(CoffeeRound.round_date.desc()).limit(1))


def _priority(session: Session, last: CoffeeRound | None, group_size: int) -> set[int]:
    """Who sat out, or was put in a trio, last round (trios count only when groups are meant to be pairs)."""
    if last is None:
        return set()
    wanted = ["left_out"] + (["trio"] if group_size == 2 else [])
    return set(session.scalars(select(CoffeeSeat.member_id).where(CoffeeSeat.round_id == last.id,
                                                                  CoffeeSeat.outcome.in_(wanted))))


def get_round(session: Session, workspace: Workspace, day: date) -> CoffeeRound | None:
    return session.scalar(select(CoffeeRound).where(CoffeeRound.workspace_id == workspace.id,
                                                    CoffeeRound.round_date == day))


def round_seed(base: int, day: date) -> int:
    return zlib.crc32(f"{base}:{day.isoformat()}".encode()) & 0x7FFFFFFF


def run_round(session: Session, workspace: Workspace, day: date, now: datetime, *,
              seed: int | None = None) -> CoffeeRound:
    """Plan and store the round of `day` and enqueue its messages. Idempotent: a second call returns the first round."""
    existing = get_round(session, workspace, day)
    if existing is not None:
        return existing
    config = get_config(session, workspace) or ensure_config(session, workspace, day)
    members = participants(session, workspace, config, day)
    last = _last_round(session, workspace, day)
    number = (last.number + 1) if last is not None else 1
    priority = _priority(session, last, config.group_size)
    unavailable: dict[int, str] = {}
    candidates = []
    for member in members:
        reason = unavailable_reason(member, day)
        if reason is not None:
            unavailable[member.id] = reason
            continue
        candidates.append(member_candidate(member, day, member.id in priority))
    seed = round_seed(config.seed, day) if seed is None else seed
    min_overlap = timedelta(minutes=config.min_overlap_minutes)
    plan = plan_round(candidates, round_index=number, history=history_of(session, workspace),
                      blocks=blocks_of(session, workspace), min_overlap=min_overlap, seed=seed,
                      group_size=config.group_size)
    coffee_round = CoffeeRound(workspace_id=workspace.id, round_date=day, number=number, seed=seed,
                               min_overlap_minutes=config.min_overlap_minutes, candidates=len(candidates),
                               total_weight=plan.weight)
    session.add(coffee_round)
    session.flush()
    by_id = {m.id: m for m in members}
    for planned in plan.groups:
        group = CoffeeGroup(workspace_id=workspace.id, round_id=coffee_round.id, size=len(planned.members),
                            shared_minutes=int(planned.shared.total_seconds() // 60),
                            cross_region=planned.cross_region, repeat=planned.repeat)
        session.add(group)
        session.flush()
        outcome = "trio" if len(planned.members) == 3 and config.group_size == 2 else "paired"
        for member_id in planned.members:
            session.add(CoffeeSeat(workspace_id=workspace.id, round_id=coffee_round.id, member_id=int(member_id),
                                   group_id=group.id, outcome=outcome))
        _schedule_group(session, workspace, config, coffee_round, group,
                        [by_id[int(i)] for i in planned.members], now)
    left_out = dict(plan.left_out)
    if len(candidates) == 1:
        left_out = {k: REASON_ALONE for k in left_out}
    for member_id, reason in left_out.items():
        member = by_id[int(member_id)]
        session.add(CoffeeSeat(workspace_id=workspace.id, round_id=coffee_round.id, member_id=member.id,
                               outcome="left_out", reason=reason))
        due.enqueue(session, workspace.id, INTRO_KIND, f"left:{member.user_id}:{day.isoformat()}", day.isoformat(),
                    max(morning(member, first_working_day(member, day)), now), {"round": coffee_round.id, "member": member.id, "reason": reason})
    for member_id, reason in unavailable.items():
        session.add(CoffeeSeat(workspace_id=workspace.id, round_id=coffee_round.id, member_id=member_id,
                               outcome="unavailable", reason=reason))
    if config.channel:
        available = [by_id[int(c.id)] for c in candidates]
        due.enqueue(session, workspace.id, POST_KIND, POST_RECIPIENT, day.isoformat(),
                    channel_post_at(available or members, day, now), {"round": coffee_round.id})
    session.flush()
    return coffee_round


def _schedule_group(session: Session, workspace: Workspace, config: CoffeeConfig, coffee_round: CoffeeRound,
                    group: CoffeeGroup, members: list[Member], now: datetime) -> None:
    """The intro at the group's morning of `intro_day` (the round day unless someone is off then); the
    follow-up half-way through the round."""
    day = coffee_round.round_date
    intro_at = max(group_morning(members, intro_day(members, day)), now)
    recipient = f"group:{group.id}"
    due.enqueue(session, workspace.id, INTRO_KIND, recipient, day.isoformat(), intro_at,
                {"round": coffee_round.id, "group": group.id})
    followup_day = halfway(config.cadence, day)
    followup_at = max(group_morning(members, followup_day), intro_at + timedelta(hours=1))
    due.enqueue(session, workspace.id, FOLLOWUP_KIND, recipient, followup_day.isoformat(), followup_at,
                {"round": coffee_round.id, "group": group.id})


def group_members(session: Session, group: CoffeeGroup) -> list[Member]:
    """The group's members still here (someone who used /forget-me is no longer listed)."""
    return list(session.scalars(select(Member).join(CoffeeSeat, CoffeeSeat.member_id == Member.id)
                                .where(CoffeeSeat.group_id == group.id).order_by(Member.name, Member.user_id)))
