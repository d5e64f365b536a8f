"""The team file's `[coffee]` table: the same settings as /coffee config, plus the participants' list.

When the file names participants, only they take part (`everyone` off); a member's own /coffee leave
still wins over the file. Without a list, every member takes part again.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.coffee.models import CoffeeConfig, CoffeeParticipant
from bot.coffee.settings import MAX_OVERLAP_HOURS, ensure_config, overlap_minutes, parse_cadence
from bot.models import Member, Workspace
from bot.teamfile import Checker, Section as TeamFileSection, register_section
from bot.text import channel_name
from bot.time import parse_weekday


_SECTION_KEYS = {"channel", "day", "cadence", "participants", "min_overlap_hours", "group_size", "enabled"}


def _validate_section(raw: Any, check: Checker) -> None:
    if not isinstance(raw, dict):
        check.error("coffee", "must be a table: [coffee]")
        return
    for key in raw:
        if key not in _SECTION_KEYS:
            check.error(f"coffee.{key}", f"is not a coffee setting (known: {', '.join(sorted(_SECTION_KEYS))})")
    channel = check.text("coffee.channel", raw.get("channel"), 80)
    if channel is not None and channel_name(channel) is None:
        check.error("coffee.channel", f"is not a channel name like \"coffee\": {channel!r}")
    day = check.text("coffee.day", raw.get("day"), 12)
    if day is not None and parse_weekday(day) is None:
        check.error("coffee.day", f"is not a weekday like \"mon\": {day!r}")
    cadence = check.text("coffee.cadence", raw.get("cadence"), 20)
    if cadence is not None and parse_cadence(cadence) is None:
        check.error("coffee.cadence", f"must be weekly, fortnightly or monthly: {cadence!r}")
    check.member_list("coffee.participants", raw.get("participants"))
    hours = raw.get("min_overlap_hours")
    if hours is not None and (isinstance(hours, bool) or not isinstance(hours, (int, float)) or overlap_minutes(hours) is None):
        check.error("coffee.min_overlap_hours", f"must be a number of hours from 0.25 to {MAX_OVERLAP_HOURS}: {hours!r}")
    size = raw.get("group_size")
    if size is not None and (isinstance(size, bool) or size not in (2, 3)):
        check.error("coffee.group_size", f"must be 2 or 3: {size!r}")
    enabled = raw.get("enabled")
    if enabled is not None and not isinstance(enabled, bool):
        check.error("coffee.enabled", "must be true or false")


def _apply_section(session: Session, workspace: Workspace, raw: Any) -> None:
    config = ensure_config(session, workspace)
    if "channel" in raw:
        config.channel = channel_name(raw["channel"])
    if "day" in raw:
        config.day = parse_weekday(raw["day"])  # type: ignore[assignment]
    if "cadence" in raw:
        config.cadence = parse_cadence(raw["cadence"]) or "weekly"
    if "min_overlap_hours" in raw:
        config.min_overlap_minutes = overlap_minutes(raw["min_overlap_hours"]) or 60
    if "group_size" in raw:
        config.group_size = int(raw["group_size"])
    config.enabled = bool(raw.get("enabled", True))
    if "participants" in raw:
        _apply_participants(session, workspace, config, raw["participants"])
    elif not config.everyone:
        config.everyone = True


def _apply_participants(session: Session, workspace: Workspace, config: CoffeeConfig, ids: list[str]) -> None:
    """The file names the roster. A member's own `/coffee leave` still wins over the file."""
    config.everyone = False
    members = {m.user_id: m for m in session.scalars(select(Member).where(Member.workspace_id == workspace.id))}
    rows = {r.member_id: r for r in session.scalars(select(CoffeeParticipant).where(
        CoffeeParticipant.workspace_id == workspace.id))}
    listed = {members[i].id for i in ids if i in members}
    for member_id in listed:
        row = rows.get(member_id)
        if row is None:
            session.add(CoffeeParticipant(workspace_id=workspace.id, member_id=member_id, active=True, source="file"))
    for member_id, row in rows.items():
        if member_id not in listed and row.source == "file":
            session.delete(row)


register_section(TeamFileSection("coffee", _validate_section, _apply_section))
