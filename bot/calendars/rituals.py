"""`calendar_poll`: each connected calendar read on a schedule, and a plain DM when it keeps failing.

One chain per member with a feed (recipient: their user id). Due at the feed's `next_fetch_at`
(set by /profile calendar to "now", then by every sync: MERIDIAN_CALENDAR_POLL_MINUTES after a
success, exponential backoff after a failure). `build` fetches and applies the feed (bot.calendars.sync) and sends
nothing, except the one notice per failing streak after FAILURES_BEFORE_NOTICE failures in a row.
Settings (MERIDIAN_SECRET_KEY, MERIDIAN_CALENDAR_ALLOW, MERIDIAN_CALENDAR_POLL_MINUTES) are read from the environment, as the
engine's process has them.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.calendars.messages import failing_notice
from bot.calendars.models import CalendarFeed
from bot.calendars.sync import sync_feed
from bot.config import Settings
from bot.i18n import Translator
from bot.models import Member, Occurrence, Workspace
from bot.reply import Outbound
from bot.rituals import Due, Skip, register
from bot.time import floor_to_minutes, to_local, utc_iso


def _feed(session: Session, workspace: Workspace, user_id: str) -> CalendarFeed | None:
    return session.scalar(select(CalendarFeed).join(Member, Member.id == CalendarFeed.member_id)
                          .where(CalendarFeed.workspace_id == workspace.id, Member.user_id == user_id))


class CalendarPoll:
    kind = "calendar_poll"
    grace = timedelta(hours=12)           # a late read is still worth doing; the next one follows anyway

    def recipients(self, session: Session, workspace: Workspace) -> Iterable[str]:
        return list(session.scalars(select(Member.user_id).join(CalendarFeed, CalendarFeed.member_id == Member.id)
                                    .where(CalendarFeed.workspace_id == workspace.id)))

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        feed = _feed(session, workspace, recipient)
        if feed is None:
            return None
        due = feed.next_fetch_at or after
        if due <= after:
            due = floor_to_minutes(after, 1) + timedelta(minutes=1)
        return Due(key=utc_iso(due), due_at=due)

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound] | Skip:
        feed = _feed(session, workspace, occurrence.recipient)
        if feed is None:
            return Skip("calendar disconnected")
        result = sync_feed(session, feed, Settings.from_env(), now)
        if not result.notify:
            return []
        member = feed.member
        tr = Translator(member.locale or workspace.locale)
        return [Outbound(self.kind, workspace.id, member.user_id, failing_notice(tr, feed),
                         local_time=to_local(now, member.tz))]


register(CalendarPoll())
