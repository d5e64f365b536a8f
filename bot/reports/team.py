"""The team now: members, who is working, and the hours-by-zone heatmap. Read-only, scoped to one workspace; plain data, worded by the caller."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot import availability
from bot.availability import MemberStatus, State
from bot.models import Member
from bot.coffee import region_of
from bot.time import ritual_instant, utc_offset


# --- members and the team ------------------------------------------------------------------------

def members_of(session: Session, workspace_id: int) -> list[Member]:
    """Everyone in the workspace, time off loaded (availability reads it for every day)."""
    return list(session.scalars(select(Member).where(Member.workspace_id == workspace_id)
                                .options(selectinload(Member.away)).order_by(Member.name, Member.user_id)))


def member_in(session: Session, workspace_id: int, member_id: int | None) -> Member | None:
    """A member of this workspace by database id; None for another workspace's member."""
    if member_id is None:
        return None
    return session.scalar(select(Member).where(Member.workspace_id == workspace_id, Member.id == member_id))


def region_name(member: Member) -> str:
    return region_of(member.country, member.tz).name


def team_now(members: Sequence[Member], now: datetime, locale: str | None = None) -> list[MemberStatus]:
    """Each member's local time and state now, working first, then by their local clock."""
    statuses = [availability.status_at(m, now, locale) for m in members]
    return sorted(statuses, key=lambda s: (s.state is not State.WORKING, utc_offset(now, s.member.tz), s.member.display_name))


@dataclass
class HeatRow:
    zone: str
    members: list[Member]
    working: list[int]               # people of this zone working in each of the reader's 24 hours


@dataclass
class Heatmap:
    day: date                        # the reader's local date
    zone: str                        # the reader's zone: the columns are its hours
    hours: list[datetime]            # the UTC instant sampled for each column (the half hour)
    rows: list[HeatRow]
    total: list[int]                 # everyone working in each hour: the overlap
    size: int

    @property
    def best_hours(self) -> list[int]:
        top = max(self.total, default=0)
        return [h for h, n in enumerate(self.total) if top and n == top]


def heatmap(members: Sequence[Member], day: date, zone: str) -> Heatmap:
    """Who works in each hour of `day` in `zone`, by zone: weekends, holidays and time off included."""
    hours = [ritual_instant(day, time(h, 30), zone) for h in range(24)]
    by_zone: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        by_zone[member.tz].append(member)
    rows = []
    for tz, people in by_zone.items():
        working = [sum(1 for m in people if availability.status_at(m, at).working) for at in hours]
        rows.append(HeatRow(tz, people, working))
    rows.sort(key=lambda r: (ritual_instant(day, time(12), r.zone), r.zone))
    total = [sum(r.working[h] for r in rows) for h in range(24)]
    return Heatmap(day, zone, hours, rows, total, len(members))
