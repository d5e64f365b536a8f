"""Whom the holiday messages concern: the workspace's members, its reference zone, a member's colleagues.

"Colleague" = someone who shares a meeting with the member; a member who has no meetings hears
about the whole team when it is small.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot import meetings
from bot.models import Member

SMALL_TEAM = 25


def workspace_members(session: Session, workspace_id: int) -> list[Member]:
    """Every member with their time off loaded in one query (availability reads it for each day)."""
    return list(session.scalars(select(Member).where(Member.workspace_id == workspace_id)
                                .options(selectinload(Member.away)).order_by(Member.name, Member.user_id)))


def reference_zone(members: Sequence[Member]) -> str:
    """The zone whose morning is "the channel's morning": most members' zone; ties go to an admin's."""
    if not members:
        return "UTC"
    counts = Counter(m.tz for m in members)
    admins = {m.tz for m in members if m.is_admin}
    return min(counts, key=lambda z: (-counts[z], z not in admins, z))


def colleagues(session: Session, workspace_id: int, member: Member, team: Sequence[Member] | None = None) -> list[Member]:
    """Whom `member` works with: their meeting partners; with no meetings, the whole team if it is small.

    In a large workspace "everyone" is nobody in particular: someone is off every day, and a daily
    heads-up about strangers is noise, so only shared meetings count there. `team` lets a caller
    that plans for every member pass the member list it already loaded.
    """
    partners = meetings.partners(session, workspace_id, member)
    if partners:
        return partners
    team = workspace_members(session, workspace_id) if team is None else team
    if len(team) > SMALL_TEAM:
        return []
    return [m for m in team if m.id != member.id]
