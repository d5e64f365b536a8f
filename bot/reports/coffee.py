"""Coffee rounds, groups, the cross-region pair matrix and who was not paired and why. Read-only, scoped to one workspace; plain data, worded by the caller."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Member
from bot.reports.team import members_of, region_name
from bot.coffee.models import CoffeeConfig, CoffeeGroup, CoffeeParticipant, CoffeeRound, CoffeeSeat


@dataclass
class RoundFigures:
    round: CoffeeRound
    groups: int = 0
    answered: int = 0
    met: int = 0
    cross_region: int = 0
    paired: int = 0
    left_out: int = 0
    unavailable: int = 0


def coffee_config(session: Session, workspace_id: int) -> CoffeeConfig | None:
    return session.scalar(select(CoffeeConfig).where(CoffeeConfig.workspace_id == workspace_id))


def coffee_rounds(session: Session, workspace_id: int, limit: int = 26) -> list[RoundFigures]:
    """The latest rounds, newest first, with how many groups met and crossed regions."""
    rounds = list(session.scalars(select(CoffeeRound).where(CoffeeRound.workspace_id == workspace_id)
                                  .order_by(CoffeeRound.round_date.desc()).limit(limit)))
    out = {r.id: RoundFigures(r) for r in rounds}
    if not out:
        return []
    for group in session.scalars(select(CoffeeGroup).where(CoffeeGroup.workspace_id == workspace_id,
                                                           CoffeeGroup.round_id.in_(out))):
        figures = out[group.round_id]
        figures.groups += 1
        figures.answered += group.met is not None
        figures.met += group.met is True
        figures.cross_region += bool(group.cross_region)
    for seat in session.scalars(select(CoffeeSeat).where(CoffeeSeat.workspace_id == workspace_id,
                                                         CoffeeSeat.round_id.in_(out))):
        figures = out[seat.round_id]
        if seat.group_id is not None:
            figures.paired += 1
        elif seat.outcome == "unavailable":
            figures.unavailable += 1
        else:
            figures.left_out += 1
    return [out[r.id] for r in rounds]


def coffee_round(session: Session, workspace_id: int, round_id: int | None) -> CoffeeRound | None:
    if round_id is None:
        return None
    return session.scalar(select(CoffeeRound).where(CoffeeRound.workspace_id == workspace_id, CoffeeRound.id == round_id))


@dataclass
class GroupView:
    group: CoffeeGroup
    members: list[Member]
    missing: int                     # seats of people who have since used /forget-me


@dataclass
class SeatView:
    member: Member
    seat: CoffeeSeat


def round_detail(session: Session, workspace_id: int, coffee_round: CoffeeRound) -> tuple[list[GroupView], list[SeatView]]:
    """The groups of a round, and who was not in one (left out or unavailable, with the reason)."""
    groups = {g.id: GroupView(g, [], 0) for g in session.scalars(
        select(CoffeeGroup).where(CoffeeGroup.workspace_id == workspace_id, CoffeeGroup.round_id == coffee_round.id)
        .order_by(CoffeeGroup.id))}
    outside: list[SeatView] = []
    rows = session.execute(select(CoffeeSeat, Member).outerjoin(Member, Member.id == CoffeeSeat.member_id)
                           .where(CoffeeSeat.workspace_id == workspace_id, CoffeeSeat.round_id == coffee_round.id)
                           .order_by(Member.name))
    for seat, member in rows:
        if seat.group_id is not None and seat.group_id in groups:
            if member is None:
                groups[seat.group_id].missing += 1
            else:
                groups[seat.group_id].members.append(member)
        elif member is not None:
            outside.append(SeatView(member, seat))
    return list(groups.values()), outside


@dataclass
class RegionMatrix:
    regions: list[str]
    counts: dict[tuple[str, str], int] = field(default_factory=dict)   # symmetric; (a, a) = within a region

    def count(self, a: str, b: str) -> int:
        return self.counts.get((a, b), 0)

    @property
    def cross(self) -> int:
        return sum(n for (a, b), n in self.counts.items() if a < b)

    @property
    def within(self) -> int:
        return sum(n for (a, b), n in self.counts.items() if a == b)


def pair_matrix(session: Session, workspace_id: int, since: date | None = None) -> RegionMatrix:
    """How often people of each region were paired with people of each other region (pairs within groups)."""
    query = (select(CoffeeSeat.group_id, Member).join(Member, Member.id == CoffeeSeat.member_id)
             .join(CoffeeRound, CoffeeRound.id == CoffeeSeat.round_id)
             .where(CoffeeSeat.workspace_id == workspace_id, CoffeeSeat.group_id.is_not(None)))
    if since is not None:
        query = query.where(CoffeeRound.round_date >= since)
    groups: dict[int, list[Member]] = defaultdict(list)
    for group_id, member in session.execute(query):
        groups[group_id].append(member)
    counts: Counter[tuple[str, str]] = Counter()
    for people in groups.values():
        for i, a in enumerate(people):
            for b in people[i + 1:]:
                ra, rb = sorted((region_name(a), region_name(b)))
                counts[(ra, rb)] += 1
                if ra != rb:
                    counts[(rb, ra)] += 1
    regions = sorted({r for pair in counts for r in pair})
    return RegionMatrix(regions, dict(counts))


@dataclass
class Unpaired:
    member: Member
    reason: str                      # left_out reason, unavailable reason, "not_taking_part" or "no_rounds"
    seat: CoffeeSeat | None
    last_paired: date | None


def not_paired(session: Session, workspace_id: int, coffee_round: CoffeeRound | None, day: date) -> list[Unpaired]:
    """Everyone who was not in a group in `coffee_round` (the latest by default), and why."""
    members = members_of(session, workspace_id)
    last_paired: dict[int, date] = {}
    for member_id, round_date in session.execute(
            select(CoffeeSeat.member_id, CoffeeRound.round_date).join(CoffeeRound, CoffeeRound.id == CoffeeSeat.round_id)
            .where(CoffeeSeat.workspace_id == workspace_id, CoffeeSeat.group_id.is_not(None))):
        if member_id is not None and (member_id not in last_paired or round_date > last_paired[member_id]):
            last_paired[member_id] = round_date
    seats = {}
    if coffee_round is not None:
        seats = {s.member_id: s for s in session.scalars(select(CoffeeSeat).where(
            CoffeeSeat.workspace_id == workspace_id, CoffeeSeat.round_id == coffee_round.id))}
    rows = {r.member_id: r for r in session.scalars(select(CoffeeParticipant).where(
        CoffeeParticipant.workspace_id == workspace_id))}
    config = coffee_config(session, workspace_id)
    out = []
    for member in members:
        seat = seats.get(member.id)
        if seat is not None and seat.group_id is not None:
            continue
        if seat is not None:
            reason = seat.reason or seat.outcome
        else:
            row = rows.get(member.id)
            taking_part = (row.active and (row.paused_until is None or row.paused_until <= day)) if row is not None \
                else bool(config is not None and config.everyone)
            reason = "paused" if row is not None and row.active and not taking_part else \
                "no_rounds" if taking_part else "not_taking_part"
        out.append(Unpaired(member, reason, seat, last_paired.get(member.id)))
    return out
