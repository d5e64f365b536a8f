"""The core data model. Every row belongs to a workspace (a Slack team or a Discord guild).

Feature modules (standup, pairing, meetings, …) declare their own tables on the same `Base` in
their own files; `bot.schema` imports them all so Alembic and the tests see one metadata.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import (JSON, BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String,
                        Text, Time, TypeDecorator, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.time import SystemClock, format_days, to_utc


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always hands back aware UTC datetimes (SQLite forgets zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = to_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return to_utc(value)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


_WALL_CLOCK = SystemClock()


def row_timestamp() -> datetime:
    """Row timestamps only (when a row was written); scheduling always uses the injected clock."""
    return _WALL_CLOCK.now()


class Workspace(Base):
    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id", name="uq_workspace_platform"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))          # slack | discord | console
    external_id: Mapped[str] = mapped_column(String(64))       # Slack team id, Discord guild id, …
    name: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str] = mapped_column(String(16), default="en")   # language of channel posts
    channel: Mapped[str | None] = mapped_column(String(128))    # default channel for summaries/digests
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)
    uninstalled_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set when anything that changes due work changes; the scheduler re-plans and clears it.
    needs_replan: Mapped[bool] = mapped_column(Boolean, default=True)

    members: Mapped[list["Member"]] = relationship(back_populates="workspace", cascade="all, delete-orphan",
                                                   passive_deletes=True)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id", name="uq_member_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(64))            # the platform user id
    name: Mapped[str] = mapped_column(String(200), default="")
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    tz_source: Mapped[str] = mapped_column(String(16), default="default")  # default | platform | user
    country: Mapped[str | None] = mapped_column(String(2))
    subdivision: Mapped[str | None] = mapped_column(String(16))
    locale: Mapped[str | None] = mapped_column(String(16))
    locale_source: Mapped[str] = mapped_column(String(16), default="default")
    hours_start: Mapped[time] = mapped_column(Time, default=time(9, 0))
    hours_end: Mapped[time] = mapped_column(Time, default=time(17, 0))
    work_days: Mapped[str | None] = mapped_column(String(32))   # "mon,tue,…"; None: from the country
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    remind_before_minutes: Mapped[int] = mapped_column(Integer, default=15)
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)
    # "How to work with me": written by the member, shown by /whois and in intros.
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    pronunciation: Mapped[str | None] = mapped_column(String(100))
    pronouns: Mapped[str | None] = mapped_column(String(50))
    languages: Mapped[str | None] = mapped_column(String(200))
    about: Mapped[str | None] = mapped_column(Text)

    workspace: Mapped[Workspace] = relationship(back_populates="members")
    away: Mapped[list["Away"]] = relationship(back_populates="member", cascade="all, delete-orphan",
                                              passive_deletes=True, order_by="Away.start_date")

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.name or self.user_id

    @property
    def explicit_work_days(self) -> tuple[int, ...] | None:
        if not self.work_days:
            return None
        from bot.time import parse_days
        return parse_days(self.work_days)

    def set_work_days(self, days: tuple[int, ...] | None) -> None:
        self.work_days = format_days(days) if days else None


class Away(Base):
    """Personal time off, dates inclusive in the member's own calendar."""

    __tablename__ = "away"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))
    # None: typed by the member (/away, team file); "calendar": read from their calendar feed
    # (bot/calendars), replaced at every sync and never allowed to override what they typed.
    source: Mapped[str | None] = mapped_column(String(16), default=None)
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)

    member: Mapped[Member] = relationship(back_populates="away")

    @property
    def typed(self) -> bool:
        return self.source is None


class OccurrenceStatus(StrEnum):
    """Where a piece of due work stands: pending -> claimed -> sent | failed; pending -> missed | skipped | cancelled."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    MISSED = "missed"
    SKIPPED = "skipped"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Occurrence(Base):
    """One piece of due work: a ritual for one recipient at one instant. The scheduler's source of truth.

    The unique key (workspace, kind, recipient, key) is what makes delivery exactly-once: a second
    replica or a restarted process can never create or claim the same occurrence twice.
    """

    __tablename__ = "occurrences"
    __table_args__ = (
        UniqueConstraint("workspace_id", "kind", "recipient", "key", name="uq_occurrence"),
        Index("ix_occurrence_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(128))   # member user id, "#channel", or a group/meeting key
    key: Mapped[str] = mapped_column(String(128))         # local date, meeting start, round id, …
    due_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default=OccurrenceStatus.PENDING)   # an OccurrenceStatus
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    detail: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SentMessage(Base):
    """What the bot actually delivered (or updated), with the platform's reference for later edits."""

    __tablename__ = "sent_messages"
    __table_args__ = (UniqueConstraint("workspace_id", "dedupe_key", name="uq_sent_dedupe"),
                      Index("ix_sent_update_key", "workspace_id", "update_key"))

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    occurrence_id: Mapped[int | None] = mapped_column(ForeignKey("occurrences.id", ondelete="SET NULL"), index=True)
    dedupe_key: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(255))
    platform_ref: Mapped[str | None] = mapped_column(String(255))   # Slack channel:ts, Discord channel:message id
    # Outbound.update_key: the scheduler finds the message to edit by it (migration 0501_scheduler).
    update_key: Mapped[str | None] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime] = mapped_column(default=row_timestamp)
