"""Conversion in channels: what the core does when a message is said, edited or deleted, or a reader asks.

Functions of a database session and plain values, called by `bot.core.Meridian`; message text passes
through in memory only. A channel where conversion is off gets nothing, and nothing is created for it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conversion.detect import detect_times
from bot.conversion.messages import channel_reply, reading_reply
from bot.conversion.models import ConversionReply, is_enabled, reply_for
from bot.i18n import Translator
from bot.models import Member, Workspace
from bot.reply import Reply
from bot.store import insert_once


@dataclass(frozen=True)
class ChannelAnswer:
    """What to do about one message in a channel: the thread reply it should have now, and the one it has."""

    reply: Reply | None = None           # None: no reply (off here, no time read, or nothing to convert)
    previous_ref: str | None = None      # the platform ref of the reply already posted for this message


@dataclass(frozen=True)
class Author:
    """Whose words: the zone and language a message's times are read in."""

    zone: str | None
    locale: str | None


def author_of(session: Session, workspace: Workspace, user_id: str | None, *, tz_hint: str | None = None,
              locale_hint: str | None = None) -> Author:
    """The author's zone and language as we know them (their own settings first, then the platform's hints)."""
    member = _member(session, workspace, user_id) if user_id else None
    if member is not None and member.tz_source != "default":
        return Author(member.tz, member.locale or locale_hint)
    return Author(tz_hint, (member.locale if member is not None else None) or locale_hint)


def _member(session: Session, workspace: Workspace, user_id: str) -> Member | None:
    return session.scalar(select(Member).where(Member.workspace_id == workspace.id, Member.user_id == user_id))


def reader_zones(session: Session, workspace: Workspace, readers: Sequence[str] | None) -> list[str]:
    """The zones of the channel's members we know (all the workspace's when the platform gave no list).
    Members whose zone nobody told us are left out rather than shown as UTC."""
    query = select(Member.tz).where(Member.workspace_id == workspace.id, Member.tz_source != "default")
    if readers is not None:
        query = query.where(Member.user_id.in_(list(readers)[:5000]))
    return list(session.scalars(query))


def message_said(session: Session, workspace: Workspace, channel: str, text: str, *, author: Author,
                 sent_at: datetime, message_ref: str, readers: Sequence[str] | None,
                 own_clocks: bool = False) -> ChannelAnswer:
    """A message was posted or edited in a channel: the thread reply it should have."""
    if not is_enabled(session, workspace, channel):
        return ChannelAnswer()
    previous = reply_for(session, workspace, channel, message_ref)
    times = detect_times(text, zone=author.zone, locale=author.locale, at=sent_at)
    zones = [] if own_clocks else reader_zones(session, workspace, readers)
    reply = channel_reply(text, times, zones, Translator(workspace.locale), own_clocks=own_clocks) if times else None
    return ChannelAnswer(reply, previous.reply_ref if previous is not None else None)


def reply_posted(session: Session, workspace: Workspace, channel: str, message_ref: str, reply_ref: str | None) -> None:
    """Remember (or, with None, forget) the thread reply that answers a message."""
    previous = reply_for(session, workspace, channel, message_ref)
    if reply_ref is None:
        if previous is not None:
            session.delete(previous)
        return
    if previous is not None:
        previous.reply_ref = reply_ref
        return
    insert_once(session, ConversionReply, dict(workspace_id=workspace.id, channel=channel, message_ref=message_ref,
                                               reply_ref=reply_ref), "uq_conversion_reply")


def message_deleted(session: Session, workspace: Workspace, channel: str, message_ref: str) -> str | None:
    """A message was deleted: the ref of its thread reply, to delete too (and forgotten here)."""
    previous = reply_for(session, workspace, channel, message_ref)
    if previous is None:
        return None
    session.delete(previous)
    return previous.reply_ref


def private_reading(text: str, *, author: Author, sent_at: datetime, reader: Member, tr: Translator) -> Reply:
    """One reader asked (a shortcut, a reaction, a context menu): the message's times in their zone."""
    times = detect_times(text, zone=author.zone, locale=author.locale, at=sent_at)
    return reading_reply(text, times, reader.tz, tr, zone_known=reader.tz_source != "default")
