"""Holiday rituals: the weekly digest in the team channel and the heads-up DM before a colleague's day off.

- `holiday_digest`: recipient "#<workspace channel>"; every Monday at 09:00 in the workspace's
  reference zone (`bot.holidays.team.reference_zone`: the zone most members share, ties to an
  admin's), covering the seven days from that Monday. Key: that Monday's date. Nothing to say
  (no holiday, no time off, one shared weekend) -> skipped.
- `holiday_heads_up`: one chain per member; due at the start of their working hours on a working
  day when a colleague's holiday or time off begins before their next working day. Key: the
  member's local date. Planning looks `LOOKAHEAD_DAYS` ahead; when nothing is found it plans a
  quiet check at the end of that window (skipped when still nothing), so holidays further out are
  picked up without a replan. The heads-up is written in the reader's language (their own locale,
  else the workspace's).

The texts are built in bot/holidays/messages.py.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import availability
from bot.holidays.absences import heads_up_items, heads_up_window, off_starts
from bot.holidays.messages import heads_up, weekly_digest
from bot.holidays.team import colleagues, reference_zone, workspace_members
from bot.i18n import Translator
from bot.models import Member, Occurrence, Workspace
from bot.reply import Outbound
from bot.rituals import Due, Skip, daily_local_due, register
from bot.time import next_local, on_weekdays, to_local, to_utc

DIGEST_TIME = time(9, 0)
DIGEST_WEEKDAY = 0                 # Monday
LOOKAHEAD_DAYS = 45


class HolidayDigest:
    kind = "holiday_digest"
    grace = timedelta(hours=6)
    grace_setting = "digest_grace_minutes"

    def recipients(self, session: Session, workspace: Workspace) -> Iterable[str]:
        if workspace.channel:
            yield "#" + workspace.channel.lstrip("#")

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        members = workspace_members(session, workspace.id)
        if not members:
            return None
        zone = reference_zone(members)
        return daily_local_due(after, zone, DIGEST_TIME, on_weekdays(DIGEST_WEEKDAY), payload={"zone": zone})

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        reply = weekly_digest(session, workspace, date.fromisoformat(occurrence.key))
        if reply is None:
            return Skip("no holidays, time off or weekend differences this week")
        return [Outbound(self.kind, workspace.id, occurrence.recipient, reply)]


def _team(session: Session, workspace: Workspace) -> dict[str, Member]:
    """The workspace's members by user id, loaded once per planning session (not once per member)."""
    cache: dict[tuple[object, ...], dict[str, Member]] = session.info.setdefault("meridian.cache", {})
    key = ("holiday_heads_up.team", workspace.id)
    if key not in cache:
        cache[key] = {m.user_id: m for m in workspace_members(session, workspace.id)}
    return cache[key]


def _member(session: Session, workspace: Workspace, user_id: str) -> Member | None:
    return session.scalar(select(Member).where(Member.workspace_id == workspace.id, Member.user_id == user_id))


def _off_starts(session: Session, people: list[Member], after: datetime) -> list[tuple[date, Member]]:
    """Everyone's day-off beginnings around the lookahead window, computed once per planning session.

    Without meetings every member's colleagues are the whole team, so planning a workspace would
    otherwise ask the same N×days questions for each of its N members. The cache lives in
    `session.info`, so it ends with the unit of work and never outlives a change to time off.
    """
    first = to_utc(after).date() - timedelta(days=2)          # every zone's "today" is after this
    key = ("holiday_heads_up.starts", first, tuple(sorted({p.id for p in people})))
    cache: dict[tuple[object, ...], list[tuple[date, Member]]] = session.info.setdefault("meridian.cache", {})
    if key not in cache:
        cache[key] = off_starts(people, first, first + timedelta(days=LOOKAHEAD_DAYS + 16))
    return cache[key]


class HolidayHeadsUp:
    kind = "holiday_heads_up"
    grace = timedelta(hours=6)
    grace_setting = "digest_grace_minutes"

    def recipients(self, session: Session, workspace: Workspace) -> Iterable[str]:
        return [m.user_id for m in workspace_members(session, workspace.id)]

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        team = _team(session, workspace)
        member = team.get(recipient)
        if member is None:
            return None
        others = colleagues(session, workspace.id, member, list(team.values()))
        if not others:
            return None

        starts = [day for day, other in _off_starts(session, [member, *others], after) if other.id != member.id]

        def worth_a_message(day: date) -> bool:
            if availability.day_off(member, day) is not None:
                return False
            window = heads_up_window(member, day)
            return window is not None and any(window[0] <= start <= window[1] for start in starts)

        slot = next_local(after, member.tz, member.hours_start, worth_a_message, horizon_days=LOOKAHEAD_DAYS)
        if slot is None:   # nothing soon: look again at the end of the window
            slot = next_local(after + timedelta(days=LOOKAHEAD_DAYS), member.tz, member.hours_start)
            if slot is None:
                return None
            return Due(key=slot.day.isoformat(), due_at=slot.due_at, payload={"check": True})
        return Due(key=slot.day.isoformat(), due_at=slot.due_at)

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        member = _member(session, workspace, occurrence.recipient)
        if member is None:
            return Skip("no longer a member")
        day = date.fromisoformat(occurrence.key)
        if availability.day_off(member, day) is not None:
            return Skip("the member is off that day")
        tr = Translator(member.locale or workspace.locale)        # the reader's language, else the workspace's
        items = heads_up_items(member, colleagues(session, workspace.id, member), day, tr.locale_id)
        if not items:
            return Skip("no colleague's day off begins before the next working day")
        return [Outbound(self.kind, workspace.id, member.user_id, heads_up(tr, items),
                         local_time=to_local(now, member.tz))]


register(HolidayDigest())
register(HolidayHeadsUp())
