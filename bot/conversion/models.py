"""The only things conversion stores: which channels want it, and which bot reply answers which message.

Message text is never stored (docs/CONVERSION.md, "Privacy"): a channel setting, and the platform ids
that let an edit update the reply and a delete delete it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.models import Base, Workspace, row_timestamp
from bot.store import insert_once


class ConversionChannel(Base):
    """Conversion in one channel of a workspace: off until someone there turns it on."""

    __tablename__ = "conversion_channels"
    __table_args__ = (UniqueConstraint("workspace_id", "channel", name="uq_conversion_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(128))
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by: Mapped[str | None] = mapped_column(String(64))     # the member's platform user id
    changed_at: Mapped[datetime] = mapped_column(default=row_timestamp)


class ConversionReply(Base):
    """The bot's thread reply to one message (platform ids only), so that edits and deletes follow it."""

    __tablename__ = "conversion_replies"
    __table_args__ = (UniqueConstraint("workspace_id", "channel", "message_ref", name="uq_conversion_reply"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(128))
    message_ref: Mapped[str] = mapped_column(String(64))            # Slack ts, Discord message id
    reply_ref: Mapped[str] = mapped_column(String(255))             # the reply's ts / message id
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)


def channel_setting(session: Session, workspace: Workspace, channel: str) -> ConversionChannel | None:
    return session.scalar(select(ConversionChannel).where(ConversionChannel.workspace_id == workspace.id,
                                                          ConversionChannel.channel == channel))


def is_enabled(session: Session, workspace: Workspace, channel: str | None) -> bool:
    """Off unless someone turned it on in this very channel."""
    if not channel:
        return False
    setting = channel_setting(session, workspace, channel)
    return setting is not None and setting.enabled


def reply_for(session: Session, workspace: Workspace, channel: str, message_ref: str) -> ConversionReply | None:
    return session.scalar(select(ConversionReply).where(
        ConversionReply.workspace_id == workspace.id, ConversionReply.channel == channel,
        ConversionReply.message_ref == message_ref))


def switch(session: Session, workspace: Workspace, channel: str, enabled: bool, *, by: str | None,
           at: datetime) -> ConversionChannel:
    """Turn conversion on or off in a channel (race-free: two members switching at once both succeed)."""
    insert_once(session, ConversionChannel, dict(workspace_id=workspace.id, channel=channel, enabled=False),
                "uq_conversion_channel")
    setting = channel_setting(session, workspace, channel)
    assert setting is not None
    setting.enabled, setting.changed_by, setting.changed_at = enabled, by, at
    return setting
