"""One feed synced: fetched with its validators, read, and its time off and busy intervals stored.

Time off from a feed is stored as `Away` rows with source "calendar" (dates only, no note), so
availability, /away list, standups, coffee, meetings and the holiday digest honour it unchanged.
Each sync replaces the feed's rows from yesterday on: an event that disappeared from the calendar
disappears here. Days the member typed themselves (/away) are left out: what they typed wins.
Feeds are read every MERIDIAN_CALENDAR_POLL_MINUTES; failures back off exponentially; after FAILURES_BEFORE_NOTICE in a row the member is told once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot import availability
from bot.calendars.feed import PAST_DAYS, FeedError, WorkingDay, read_feed
from bot.calendars.fetch import AllowList, FetchError, fetch_feed
from bot.calendars.models import CALENDAR_SOURCE, BusyBlock, CalendarFeed
from bot.config import Settings
from bot.crypto import Cipher, SecretError
from bot.models import Away, Member

MAX_BACKOFF = timedelta(hours=12)
FAILURES_BEFORE_NOTICE = 4
MAX_RUN_DAYS = 366


@dataclass
class SyncResult:
    """What one sync changed, for `meridian calendars sync` and the logs (dates only, never titles)."""

    member: Member
    unchanged: bool = False
    error: str | None = None
    added: list[tuple[date, date]] = field(default_factory=list)
    removed: list[tuple[date, date]] = field(default_factory=list)
    busy_blocks: int = 0
    notify: bool = False            # the failure notice is due now (sent once per failing streak)


def runs(days: set[date]) -> list[tuple[date, date]]:
    """Consecutive dates merged into inclusive (start, end) runs, at most MAX_RUN_DAYS long."""
    out: list[tuple[date, date]] = []
    for day in sorted(days):
        if out and day == out[-1][1] + timedelta(days=1) and (day - out[-1][0]).days < MAX_RUN_DAYS:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def typed_days(member: Member, first: date, last: date) -> set[date]:
    days = set()
    for period in member.away:
        if period.typed:
            day = max(period.start_date, first)
            while day <= min(period.end_date, last):
                days.add(day)
                day += timedelta(days=1)
    return days


def store_time_off(session: Session, member: Member, days_off: set[date], first: date) -> tuple[list, list]:
    """Replace the member's calendar time off from `first` on; returns (added, removed) runs."""
    old = [p for p in member.away if not p.typed and p.end_date >= first]
    last = max(days_off, default=first)
    wanted = runs(days_off - typed_days(member, first, last))
    before = {(p.start_date, p.end_date) for p in old}
    for period in old:
        member.away.remove(period)
        session.delete(period)
    for start, end in wanted:
        member.away.append(Away(workspace_id=member.workspace_id, member_id=member.id, start_date=start,
                                end_date=end, source=CALENDAR_SOURCE))
    after = set(wanted)
    return sorted(after - before), sorted(before - after)


def store_busy(session: Session, member: Member, busy: list[tuple[datetime, datetime]]) -> None:
    session.execute(delete(BusyBlock).where(BusyBlock.workspace_id == member.workspace_id,
                                            BusyBlock.member_id == member.id))
    session.add_all(BusyBlock(workspace_id=member.workspace_id, member_id=member.id, start_at=start, end_at=end)
                    for start, end in busy)


def forget_feed_data(session: Session, member: Member) -> None:
    """Everything that came from the member's calendar: its time off and busy intervals."""
    for period in [p for p in member.away if not p.typed]:
        member.away.remove(period)
        session.delete(period)
    store_busy(session, member, [])


def backoff(interval: timedelta, failures: int) -> timedelta:
    """After `failures` failed reads in a row: the interval, doubled for each failure after the first."""
    return min(interval * (2 ** max(failures - 1, 0)), max(MAX_BACKOFF, interval))


def sync_feed(session: Session, feed: CalendarFeed, settings: Settings, now: datetime) -> SyncResult:
    """Fetch and apply one feed now; records success or failure and when to fetch next."""
    member = feed.member
    result = SyncResult(member)
    interval = timedelta(minutes=max(settings.calendar_poll_minutes, 1))
    try:
        url = Cipher(settings.secret_key).decrypt(feed.url_secret)
        fetched = fetch_feed(url, etag=feed.etag, last_modified=feed.last_modified,
                             allow=AllowList.parse(settings.calendar_allow))
        if fetched.unchanged:
            result.unchanged = True
        else:
            assert fetched.body is not None
            today = availability.today(member, now)
            reading = read_feed(fetched.body, WorkingDay(member.tz, member.hours_start, member.hours_end), today)
            result.added, result.removed = store_time_off(session, member, reading.days_off,
                                                          today - timedelta(days=PAST_DAYS))
            store_busy(session, member, reading.busy)
            result.busy_blocks = len(reading.busy)
            feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
    except (FetchError, FeedError) as error:
        result.error = error.code
    except SecretError:
        result.error = "secret_key"
    if result.error is None:
        feed.failures, feed.last_error, feed.failure_notified = 0, None, False
        feed.last_success_at = now
        feed.next_fetch_at = now + interval
        if result.added or result.removed:
            member.workspace.needs_replan = True
    else:
        feed.failures += 1
        feed.last_error = result.error
        feed.next_fetch_at = now + backoff(interval, feed.failures)
        if feed.failures >= FAILURES_BEFORE_NOTICE and not feed.failure_notified:
            feed.failure_notified = result.notify = True
    session.flush()
    return result


def feeds_of(session: Session, workspace_id: int | None = None) -> list[CalendarFeed]:
    query = select(CalendarFeed).order_by(CalendarFeed.workspace_id, CalendarFeed.id)
    if workspace_id is not None:
        query = query.where(CalendarFeed.workspace_id == workspace_id)
    return list(session.scalars(query))
