"""The meetings tables: a meeting or weekly series, its attendees, and who took the awkward slot last time.

`Meeting.start_at` is the first occurrence in UTC and `tz` the zone whose wall clock a weekly series
keeps (see `bot.meetings.timing`). `MeetingRotation` remembers, per group of attendees, who was
outside their hours when a series was booked, so the next `/meet find … weekly` rotates the burden.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models import Base, Member, row_timestamp

WEEKLY = "weekly"                        # the one repeat a meeting knows (None: a single meeting)


class Meeting(Base):
    """One meeting or a weekly series. `start_at` is the first occurrence; `tz` anchors the repeats."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("workspace_id", "external_uid", name="uq_meeting_external"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    start_at: Mapped[datetime] = mapped_column()
    tz: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=30)
    repeat: Mapped[str | None] = mapped_column(String(16))          # None | "weekly"
    remind_before_minutes: Mapped[int | None] = mapped_column(Integer)  # None: each attendee's own
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16), default="command")  # command | teamfile | ics
    external_uid: Mapped[str | None] = mapped_column(String(255))   # team-file title or iCalendar UID
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)

    attendees: Mapped[list["MeetingAttendee"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def members(self) -> list[Member]:
        return sorted((a.member for a in self.attendees), key=lambda m: (m.display_name.casefold(), m.user_id))


class MeetingAttendee(Base):
    __tablename__ = "meeting_attendees"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id", name="uq_meeting_attendee"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    member: Mapped[Member] = relationship()


class MeetingRotation(Base):
    """Who took the early or late slot last time a series was booked for this group of people."""

    __tablename__ = "meeting_rotation"
    __table_args__ = (UniqueConstraint("workspace_id", "group_key", name="uq_meeting_rotation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    group_key: Mapped[str] = mapped_column(String(64))              # sha256 of the sorted user ids
    burden: Mapped[dict[str, Any]] = mapped_column()                 # user id -> minutes outside hours
    updated_at: Mapped[datetime] = mapped_column(default=row_timestamp)
