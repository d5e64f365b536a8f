"""The calendar tables: a member's feed (its address encrypted) and the busy intervals read from it.

Only what scheduling needs is kept: the feed's HTTP validators and health, and busy intervals as
UTC instants. Time off from a feed is stored as `bot.models.Away` rows with source "calendar", so
every feature that reads time off honours it. No event title, description or attendee is stored.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models import Base, Member, row_timestamp

CALENDAR_SOURCE = "calendar"             # Away.source of time off read from a feed


class CalendarFeed(Base):
    """A member's private iCalendar address and how fetching it went."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (UniqueConstraint("workspace_id", "member_id", name="uq_calendar_feed_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    url_secret: Mapped[str] = mapped_column(Text)                 # the address, encrypted (bot.crypto.Cipher)
    url_hint: Mapped[str] = mapped_column(String(120))            # "calendar.google.com/…ics": safe to show
    etag: Mapped[str | None] = mapped_column(String(255))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    last_success_at: Mapped[datetime | None] = mapped_column()
    next_fetch_at: Mapped[datetime | None] = mapped_column()
    failures: Mapped[int] = mapped_column(Integer, default=0)     # consecutive failed fetches
    last_error: Mapped[str | None] = mapped_column(String(64))    # an error code, never the address
    failure_notified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)

    member: Mapped[Member] = relationship()


class BusyBlock(Base):
    """A busy interval from a member's calendar (UTC), replaced at every sync of their feed."""

    __tablename__ = "calendar_busy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    start_at: Mapped[datetime] = mapped_column()
    end_at: Mapped[datetime] = mapped_column()
