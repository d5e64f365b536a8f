"""The standup tables and the queries every part of the feature asks of them.

A standup belongs to one channel of a workspace (one per channel). Answers are filed under a
*standup day*, always the member's own local date (see `timing.answer_day`), and are never deleted:
they are the standup's history.
"""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Time, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.models import Base, Member, Workspace, row_timestamp

DEFAULT_TIME = time(9, 30)
DEFAULT_REMINDER_MINUTES = 120


class Standup(Base):
    """One channel's standup and its settings. `questions`/`participants` None mean the defaults."""

    __tablename__ = "standups"
    __table_args__ = (UniqueConstraint("workspace_id", "channel", name="uq_standup_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(128))
    prompt_time: Mapped[time] = mapped_column(Time, default=DEFAULT_TIME)     # each member's local time
    questions: Mapped[list[str] | None] = mapped_column(JSON, default=None)   # None: DEFAULT_QUESTIONS, translated
    participants: Mapped[list[str] | None] = mapped_column(JSON, default=None)  # user ids; None: every member
    reminder_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_REMINDER_MINUTES)  # 0: no reminder
    summary_channel: Mapped[str | None] = mapped_column(String(128))         # None: the standup's channel
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)

    @property
    def summary_target(self) -> str:
        return self.summary_channel or self.channel


class StandupAnswer(Base):
    """A member's answers (or skip) for one standup day, in their own calendar. Kept as history."""

    __tablename__ = "standup_answers"
    __table_args__ = (UniqueConstraint("standup_id", "member_id", "day", name="uq_standup_answer_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    standup_id: Mapped[int] = mapped_column(ForeignKey("standups.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    questions: Mapped[list[str] | None] = mapped_column(JSON, default=None)  # as asked (None: the defaults)
    answers: Mapped[list[str] | None] = mapped_column(JSON, default=None)    # None while only skipped
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)
    edits: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def answered(self) -> bool:
        return bool(self.answers)


# --- who takes part, and what they filed -------------------------------------------------------------

def active_standups(session: Session, workspace: Workspace) -> list[Standup]:
    return list(session.scalars(select(Standup).where(Standup.workspace_id == workspace.id, Standup.active.is_(True))
                                .order_by(Standup.channel)))


def standup_in(session: Session, workspace: Workspace, channel: str) -> Standup | None:
    return session.scalar(select(Standup).where(Standup.workspace_id == workspace.id, Standup.channel == channel))


def takes_part(standup: Standup, member: Member) -> bool:
    return standup.participants is None or member.user_id in standup.participants


def participants(session: Session, standup: Standup) -> list[Member]:
    members = session.scalars(select(Member).where(Member.workspace_id == standup.workspace_id)
                              .order_by(Member.name, Member.user_id))
    return [m for m in members if takes_part(standup, m)]


def skipped_days(session: Session, standup: Standup, member: Member, since: date) -> set[date]:
    return set(session.scalars(select(StandupAnswer.day).where(
        StandupAnswer.standup_id == standup.id, StandupAnswer.member_id == member.id,
        StandupAnswer.skipped.is_(True), StandupAnswer.day >= since)))


def entry_for(session: Session, standup: Standup, member: Member, day: date) -> StandupAnswer | None:
    return session.scalar(select(StandupAnswer).where(StandupAnswer.standup_id == standup.id,
                                                      StandupAnswer.member_id == member.id, StandupAnswer.day == day))
