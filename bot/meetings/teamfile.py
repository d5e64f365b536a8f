"""The team file's `[[meetings]]` tables: meetings and weekly series declared with the team.

A team-file meeting is identified by its title (case-insensitive), so importing the file again
updates it in place instead of adding a copy; `start` is a local time and `tz` its zone.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import teamfile
from bot.meetings.booking import DEFAULT_DURATION, create_meeting, set_attendees
from bot.meetings.models import WEEKLY, Meeting
from bot.models import Member, Workspace
from bot.text import one_line
from bot.time import TimeError, localize, parse_duration, resolve_zone, to_utc

_FIELDS = {"title", "start", "tz", "duration", "attendees", "remind_before", "repeat"}


def _check_meetings(raw: Any, check: teamfile.Checker) -> None:
    if not isinstance(raw, list):
        check.error("meetings", "must be an array of tables: [[meetings]]")
        return
    titles: set[str] = set()
    for index, item in enumerate(raw):
        where = f"meetings[{index}]"
        if not isinstance(item, dict):
            check.error(where, "must be a table")
            continue
        for key in item:
            if key not in _FIELDS:
                check.error(f"{where}.{key}", f"is not a meeting field (known: {', '.join(sorted(_FIELDS))})")
        title = check.text(f"{where}.title", item.get("title"), 200, required=True)
        if title is not None:
            if title.casefold() in titles:
                check.error(f"{where}.title", f"{title!r} appears twice (a meeting is identified by its title)")
            titles.add(title.casefold())
        _meeting_values(item, check, where)


def _meeting_values(item: dict[str, Any], check: teamfile.Checker, where: str) -> dict[str, Any] | None:
    """Validate one [[meetings]] table; the values ready to store, or None with errors recorded."""
    out: dict[str, Any] = {}
    before = len(check.errors)
    zone_text = check.text(f"{where}.tz", item.get("tz"), 64, required=True)
    zone = None
    if zone_text is not None:
        try:
            zone = resolve_zone(zone_text).name
        except TimeError:
            check.error(f"{where}.tz", f"is not a time zone I can use: {zone_text!r}")
    start_raw = item.get("start")
    local: datetime | None = None
    if isinstance(start_raw, datetime):
        local = start_raw.replace(tzinfo=None) if start_raw.tzinfo is None else None
        if local is None:
            check.error(f"{where}.start", "must be a local time like 2026-03-25T15:00 (the zone goes in tz)")
    else:
        text = check.text(f"{where}.start", start_raw, 25, required=True)
        if text is not None:
            try:
                local = datetime.fromisoformat(text)
                if local.tzinfo is not None:
                    check.error(f"{where}.start", "must be a local time like 2026-03-25T15:00 (the zone goes in tz)")
                    local = None
            except ValueError:
                check.error(f"{where}.start", f"is not a date and time like 2026-03-25T15:00: {text!r}")
    if local is not None and zone is not None:
        try:
            out["start"] = localize(local, zone)
        except TimeError as error:
            what = "does not exist (clocks jump forward)" if error.code == "nonexistent_time" else "happens twice (clocks go back)"
            check.error(f"{where}.start", f"{local.isoformat()} {what} in {zone}")
    out["tz"] = zone
    for key, default in (("duration", DEFAULT_DURATION), ("remind_before", None)):
        value = item.get(key)
        if value is None:
            out[key] = default
            continue
        text = check.text(f"{where}.{key}", value, 10)
        try:
            out[key] = parse_duration(text) if text is not None else None
        except TimeError:
            check.error(f"{where}.{key}", f"is not a duration like 30m or 1h: {text!r}")
    attendees = check.member_list(f"{where}.attendees", item.get("attendees"))
    if not attendees and item.get("attendees") is None:
        check.error(f"{where}.attendees", "is required: a list of member ids")
    out["attendees"] = attendees or []
    repeat = item.get("repeat")
    if repeat is not None and repeat != WEEKLY:
        check.error(f"{where}.repeat", "must be \"weekly\" (or left out)")
    out["repeat"] = repeat
    out["title"] = item.get("title")
    return out if len(check.errors) == before else None


def _apply_meetings(session: Session, workspace: Workspace, raw: Any) -> None:
    members = {m.user_id: m for m in session.scalars(select(Member).where(Member.workspace_id == workspace.id))}
    check = teamfile.Checker("", set(members))
    existing = {m.external_uid: m for m in session.scalars(select(Meeting).where(
        Meeting.workspace_id == workspace.id, Meeting.source == "teamfile"))}
    for index, item in enumerate(raw):
        values = _meeting_values(item, check, f"meetings[{index}]")
        if values is None:  # validated before; cannot happen unless the file changed under us
            raise teamfile.ImportError_(check.errors)
        uid = "teamfile:" + values["title"].strip().casefold()
        attendees = [members[i] for i in values["attendees"]]
        remind = int(values["remind_before"].total_seconds() // 60) if values["remind_before"] else None
        meeting = existing.get(uid)
        if meeting is None:
            meeting = create_meeting(session, workspace, title=values["title"], start=values["start"], tz=values["tz"],
                                     duration=values["duration"], members=attendees, organizer=None,
                                     repeat=values["repeat"], remind_before=remind, source="teamfile",
                                     external_uid=uid, remind_late=False)
            continue
        meeting.title = one_line(values["title"], 200)
        meeting.start_at, meeting.tz = to_utc(values["start"]), values["tz"]
        meeting.duration_minutes = int(values["duration"].total_seconds() // 60)
        meeting.repeat, meeting.remind_before_minutes = values["repeat"], remind
        set_attendees(meeting, attendees)


teamfile.register_section(teamfile.Section("meetings", _check_meetings, _apply_meetings))
