"""Tables the web dashboard needs: the settings change log, browser sessions and API tokens.

Every row belongs to a workspace. Secrets never reach the database in a usable form: a session
cookie and an API token are stored as their SHA-256 digest only, so a copy of the database signs
nobody in.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models import Base, row_timestamp


class SettingsChange(Base):
    """One changed setting: who changed it, which one, from what to what, and when."""

    __tablename__ = "settings_changes"
    __table_args__ = (Index("ix_settings_changes_workspace_at", "workspace_id", "changed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    # Who: their name is read from the member row, so /forget-me (which deletes it) leaves no name behind.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16), default="web")   # web | chat
    area: Mapped[str] = mapped_column(String(32))            # standup | coffee | meetings | workspace | api
    target: Mapped[str] = mapped_column(String(128), default="")     # "#general", a meeting title, …
    setting: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(default=row_timestamp)


class WebSession(Base):
    """A signed-in browser. The cookie holds a random value; only its digest is stored here."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)   # as the platform said at sign-in
    csrf: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(16))           # the reader's choice on the page
    via: Mapped[str] = mapped_column(String(16))                     # slack | discord | demo
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()


class ApiToken(Base):
    """A read-only API token an admin created; shown once, stored as its digest, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))                  # the first characters, to recognise it
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def as_text(value: Any) -> str | None:
    """How a setting's value is written in the change log."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)
