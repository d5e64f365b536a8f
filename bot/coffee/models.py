"""The coffee tables: a workspace's settings, who takes part, private blocks, and each round's groups and seats.

Table and column names are fixed by the migrations (bot/migrations/versions/0201_coffee.py and later).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models import Base, row_timestamp


class CoffeeConfig(Base):
    """A workspace's coffee settings. No row: coffee rounds are not set up."""

    __tablename__ = "coffee_config"
    __table_args__ = (UniqueConstraint("workspace_id", name="uq_coffee_config_workspace"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    channel: Mapped[str | None] = mapped_column(String(128))
    day: Mapped[int] = mapped_column(Integer, default=0)                  # 0 = Monday
    cadence: Mapped[str] = mapped_column(String(16), default="weekly")
    min_overlap_minutes: Mapped[int] = mapped_column(Integer, default=60)
    group_size: Mapped[int] = mapped_column(Integer, default=2)
    everyone: Mapped[bool] = mapped_column(Boolean, default=True)         # every member takes part unless they leave
    seed: Mapped[int] = mapped_column(Integer, default=0)
    anchor: Mapped[date | None] = mapped_column(Date)                     # fortnightly rounds count weeks from here
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)


class CoffeeParticipant(Base):
    """A member's own choice (join, leave, pause), or the team file's list when it names participants."""

    __tablename__ = "coffee_participants"
    __table_args__ = (UniqueConstraint("workspace_id", "member_id", name="uq_coffee_participant"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_until: Mapped[date | None] = mapped_column(Date)               # rounds before this date are skipped
    source: Mapped[str] = mapped_column(String(16), default="member")     # member | file
    updated_at: Mapped[datetime] = mapped_column(default=row_timestamp)


class CoffeeBlock(Base):
    """'Never pair me with': private to the member who set it, enforced both ways."""

    __tablename__ = "coffee_blocks"
    __table_args__ = (UniqueConstraint("member_id", "blocked_id", name="uq_coffee_block"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)


class CoffeeRound(Base):
    """One round on its date: numbered within the workspace, with the seed and minimum it was planned with."""

    __tablename__ = "coffee_rounds"
    __table_args__ = (UniqueConstraint("workspace_id", "round_date", name="uq_coffee_round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    round_date: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)                        # 1, 2, … within the workspace
    seed: Mapped[int] = mapped_column(Integer)
    min_overlap_minutes: Mapped[int] = mapped_column(Integer)
    candidates: Mapped[int] = mapped_column(Integer, default=0)
    total_weight: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)


class CoffeeGroup(Base):
    """A pair or trio of one round, and whether they said they met (the follow-up's buttons)."""

    __tablename__ = "coffee_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("coffee_rounds.id", ondelete="CASCADE"), index=True)
    size: Mapped[int] = mapped_column(Integer)
    shared_minutes: Mapped[int] = mapped_column(Integer)
    cross_region: Mapped[bool] = mapped_column(Boolean)
    repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    met: Mapped[bool | None] = mapped_column(Boolean)                   # None: nobody answered yet
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column()


class CoffeeSeat(Base):
    """Where one participant ended up in one round: a group, left out (with why), or unavailable.

    A member who used /forget-me leaves their seats behind with no member (NULL, migration
    0601_privacy): the group still counts in everyone's history and stats, anonymously."""

    __tablename__ = "coffee_seats"
    __table_args__ = (UniqueConstraint("round_id", "member_id", name="uq_coffee_seat"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("coffee_rounds.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("coffee_groups.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))                    # paired | trio | left_out | unavailable
    reason: Mapped[str | None] = mapped_column(String(32))
