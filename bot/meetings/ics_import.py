"""Importing meetings from an iCalendar (.ics) file, through icalendar.

Each VEVENT becomes a meeting; the importer is its organiser and an attendee. ATTENDEEs are
matched to members by their display name (CN) or the user part of their address; unknown people
are listed, not invented. A weekly RRULE becomes a weekly series; other rules import the first
occurrence and say so. Re-importing the same file updates meetings by their UID.

It builds on the meetings feature's public functions (`bot.meetings`), which never import it back;
the /meet import form (`bot.meetings.forms`) calls `import_ics`.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from icalendar import Calendar
from sqlalchemy import select

from bot.meetings import DEFAULT_DURATION, MAX_ATTENDEES, WEEKLY, Meeting, booked_reply, create_meeting, set_attendees
from bot.models import Member
from bot.reply import Reply
from bot.router import Context, UserError, find_member
from bot.text import one_line, user_text
from bot.time import TimeError, iso_z, localize, to_utc, zone

MAX_EVENTS = 200


def _zone_of(value: datetime) -> str | None:
    """The IANA name behind an aware datetime from icalendar (zoneinfo, pytz or dateutil), if any."""
    tz = value.tzinfo
    for name in (getattr(tz, "key", None), getattr(tz, "zone", None), str(tz) if tz else None):
        if name:
            try:
                return zone(name).key
            except TimeError:
                continue
    return None


def _attendee_refs(event: Any) -> list[tuple[str, ...]]:
    """For each ATTENDEE, the ways to recognise them: display name (CN) first, then the address's user part."""
    raw = event.get("ATTENDEE")
    values = raw if isinstance(raw, list) else ([raw] if raw is not None else [])
    refs = []
    for value in values:
        name = getattr(value, "params", {}).get("CN")
        local_part = str(value).split(":", 1)[-1].split("@", 1)[0]
        refs.append(tuple(r for r in (str(name) if name else "", local_part) if r))
    return refs


def _match(ctx: Context, refs: list[tuple[str, ...]]) -> tuple[list[Member], list[str]]:
    """Members for the attendees (the importer always included), and the names nobody here has."""
    found: dict[int, Member] = {ctx.member.id: ctx.member}
    unknown: list[str] = []
    for candidates in refs:
        member = next((m for ref in candidates
                       if isinstance(m := find_member(ctx.session, ctx.workspace, ref), Member)), None)
        if member is not None:
            found.setdefault(member.id, member)
        elif candidates:
            unknown.append(one_line(candidates[0], 80))
    return list(found.values()), unknown


def import_ics(ctx: Context, text: str) -> Reply:
    """Store or update a meeting for each usable event of the pasted calendar; the reply lists them and any notes."""
    tr = ctx.tr
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError):
        raise UserError(tr._("That is not an iCalendar (.ics) file I can read.")) from None
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise UserError(tr._("That calendar has no events."))
    if len(events) > MAX_EVENTS:
        raise UserError(tr._("That calendar has more than {n} events; import a smaller one.", n=tr.number(MAX_EVENTS)))
    now = ctx.now()
    imported: list[Meeting] = []
    notes: list[str] = []
    for event in events:
        title = one_line(str(event.get("SUMMARY") or ""), 200) or tr._("Meeting")
        start_prop = event.get("DTSTART")
        start_value = start_prop.dt if start_prop is not None else None
        if not isinstance(start_value, datetime):
            notes.append(tr._("“{title}”: all-day events are not meetings; skipped.", title=user_text(title, 200)))
            continue
        if start_value.tzinfo is None:
            zone = ctx.member.tz                      # a "floating" time: the importer's own clock
            try:
                start = localize(start_value, zone)
            except TimeError:
                notes.append(tr._("“{title}”: its start does not exist or is ambiguous in {zone}; skipped.",
                                  title=user_text(title, 200), zone=zone))
                continue
        else:
            zone = _zone_of(start_value) or ctx.member.tz
            start = to_utc(start_value)
        end_prop, length_prop = event.get("DTEND"), event.get("DURATION")
        duration = DEFAULT_DURATION
        if length_prop is not None and isinstance(length_prop.dt, timedelta):
            duration = length_prop.dt
        elif end_prop is not None and isinstance(end_prop.dt, datetime):
            end = end_prop.dt if end_prop.dt.tzinfo else localize(end_prop.dt, zone)
            duration = to_utc(end) - to_utc(start)
        if not timedelta(0) < duration <= timedelta(hours=24):
            duration = DEFAULT_DURATION
        rule = event.get("RRULE")
        frequency = [str(f).upper() for f in (rule.get("FREQ", []) if rule else [])]
        interval = [int(i) for i in (rule.get("INTERVAL", [1]) if rule else [1])]
        repeat = WEEKLY if frequency == ["WEEKLY"] and interval == [1] else None
        if repeat and (rule.get("UNTIL") or rule.get("COUNT")):
            notes.append(tr._("“{title}”: imported as a weekly series without an end; cancel it with /meet cancel when it ends.",
                              title=user_text(title, 200)))
        if rule and repeat is None:
            notes.append(tr._("“{title}”: only weekly repeats are supported; imported its first occurrence.",
                              title=user_text(title, 200)))
        if repeat is None and to_utc(start) <= now:
            notes.append(tr._("“{title}”: already over; skipped.", title=user_text(title, 200)))
            continue
        members, unknown = _match(ctx, _attendee_refs(event))
        if unknown:
            notes.append(tr._("“{title}”: not members here, left out: {names}.", title=user_text(title, 200),
                              names=tr.list(unknown)))
        members = members[:MAX_ATTENDEES]
        uid = "ics:" + one_line(str(event.get("UID") or f"{title}|{iso_z(start)}"), 240)
        meeting = ctx.session.scalar(select(Meeting).where(Meeting.workspace_id == ctx.workspace.id,
                                                           Meeting.external_uid == uid))
        if meeting is None:
            meeting = create_meeting(ctx.session, ctx.workspace, title=title, start=start, tz=zone, duration=duration,
                                     members=members, organizer=ctx.member, repeat=repeat, source="ics",
                                     external_uid=uid, now=now)
        else:
            meeting.title, meeting.start_at, meeting.tz = title, to_utc(start), zone
            meeting.duration_minutes, meeting.repeat = int(duration.total_seconds() // 60), repeat
            set_attendees(meeting, members)
        imported.append(meeting)
    reply = Reply(title=tr.n_("Imported {n} meeting", "Imported {n} meetings", len(imported)), ephemeral=True)
    for meeting in imported[:10]:
        booked = booked_reply(tr, meeting, ctx.member, now)
        reply.add(booked.title, [booked.text, *(line for s in booked.sections for line in s.lines)])
    if notes:
        reply.add(tr._("Notes"), notes)
    return reply
