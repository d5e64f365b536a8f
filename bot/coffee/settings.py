"""A workspace's coffee settings and who takes part, read the same way by the commands, the team file,
the timing of rounds and the rounds themselves; plus the parsers for the settings people type.

Participation: with `everyone` set (the default) every member takes part unless they left; otherwise
only those with an active row (their own /coffee join, or the team file's list). A member's own
choice always wins over the file's list, and a pause skips the rounds before its date.
"""
from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.coffee.models import CoffeeConfig, CoffeeParticipant
from bot.models import Member, Workspace
from bot.time import TimeError, parse_duration

CADENCES = ("weekly", "fortnightly", "monthly")
MAX_OVERLAP_HOURS = 20


def get_config(session: Session, workspace: Workspace) -> CoffeeConfig | None:
    return session.scalar(select(CoffeeConfig).where(CoffeeConfig.workspace_id == workspace.id))


def ensure_config(session: Session, workspace: Workspace, today: date | None = None) -> CoffeeConfig:
    """The workspace's coffee settings, created with the defaults (and a fresh seed) when missing."""
    config = get_config(session, workspace)
    if config is None:
        config = CoffeeConfig(workspace_id=workspace.id, enabled=True, day=0, cadence="weekly",
                              min_overlap_minutes=60, group_size=2, everyone=True,
                              seed=random.getrandbits(31), anchor=today, channel=None)
        session.add(config)
        session.flush()
    return config


def participant_row(session: Session, member: Member) -> CoffeeParticipant | None:
    """The member's own participation row, if they (or the team file) ever made a choice."""
    return session.scalar(select(CoffeeParticipant).where(CoffeeParticipant.workspace_id == member.workspace_id,
                                                          CoffeeParticipant.member_id == member.id))


def ensure_participant(session: Session, member: Member) -> CoffeeParticipant:
    row = participant_row(session, member)
    if row is None:
        row = CoffeeParticipant(workspace_id=member.workspace_id, member_id=member.id, active=True, source="member")
        session.add(row)
    return row


def participants(session: Session, workspace: Workspace, config: CoffeeConfig, day: date) -> list[Member]:
    """Members taking part in a round on `day`: opted in (or everyone by default) and not paused."""
    rows = {r.member_id: r for r in session.scalars(select(CoffeeParticipant).where(
        CoffeeParticipant.workspace_id == workspace.id))}
    chosen = []
    for member in session.scalars(select(Member).where(Member.workspace_id == workspace.id).order_by(Member.id)):
        row = rows.get(member.id)
        if row is None:
            if config.everyone:
                chosen.append(member)
            continue
        if row.active and (row.paused_until is None or row.paused_until <= day):
            chosen.append(member)
    return chosen


def parse_cadence(value: str) -> str | None:
    key = value.strip().casefold()
    key = {"biweekly": "fortnightly", "every-two-weeks": "fortnightly"}.get(key, key)
    return key if key in CADENCES else None


def overlap_minutes(value: object) -> int | None:
    """Minutes from '1h30m', '90m' or a number of hours (1, 1.5); None outside 15 minutes .. MAX_OVERLAP_HOURS."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        minutes = round(float(value) * 60)
    else:
        text = str(value).strip().casefold()
        try:
            minutes = round(float(text) * 60)
        except ValueError:
            try:
                minutes = int(parse_duration(text).total_seconds() // 60)
            except TimeError:
                return None
    return minutes if 15 <= minutes <= MAX_OVERLAP_HOURS * 60 else None
