"""What platform adapters must remember between requests: installations, OAuth states, seen requests.

Platform-free storage for platform plumbing. An installation's credentials are an opaque blob,
encrypted by the caller (`bot.crypto.Cipher`) before it reaches this module, so the database never
holds a usable token. Seen request keys make webhook retries and replays harmless: the first
`first_seen(...)` of a key wins, on every engine and across replicas (a unique key, not memory).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.models import Base, Workspace
from bot.store import insert_once


class Installation(Base):
    """One app installation per workspace (the latest wins); `secret` is ciphertext."""

    __tablename__ = "installations"
    __table_args__ = (UniqueConstraint("workspace_id", name="uq_installation_workspace"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    enterprise_id: Mapped[str | None] = mapped_column(String(64))
    bot_user_id: Mapped[str | None] = mapped_column(String(64))
    secret: Mapped[str] = mapped_column(Text)
    installed_at: Mapped[datetime] = mapped_column()


class OAuthState(Base):
    """A one-time OAuth `state` value: issued on /install, consumed once on the redirect.

    Not tied to a workspace: it exists before the workspace is known.
    """

    __tablename__ = "oauth_states"

    state: Mapped[str] = mapped_column(String(128), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column()


class SeenRequest(Base):
    """A webhook event id or request signature already processed; retries and replays stop here.

    Not tied to a workspace: forged or unknown-team requests are checked before any workspace exists.
    Rows are short-lived and pruned with `forget_seen`.
    """

    __tablename__ = "seen_requests"
    __table_args__ = (UniqueConstraint("platform", "key", name="uq_seen_request"),
                      Index("ix_seen_requests_seen_at", "seen_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(255))
    seen_at: Mapped[datetime] = mapped_column()


# --- installations ---------------------------------------------------------------------------------

def _workspace(session: Session, platform: str, external_id: str) -> Workspace | None:
    return session.scalar(select(Workspace).where(Workspace.platform == platform, Workspace.external_id == external_id))


def save_installation(session: Session, workspace: Workspace, *, secret: str, installed_at: datetime,
                      enterprise_id: str | None = None, bot_user_id: str | None = None) -> Installation:
    found = session.scalar(select(Installation).where(Installation.workspace_id == workspace.id))
    if found is None:
        found = Installation(workspace_id=workspace.id)
        session.add(found)
    found.secret, found.installed_at = secret, installed_at
    found.enterprise_id, found.bot_user_id = enterprise_id, bot_user_id
    session.flush()
    return found


def mark_removed(session: Session, platform: str, external_id: str, removed_at: datetime | None) -> None:
    """The app was removed from a workspace at `removed_at` (rituals stop; its data is kept for the grace
    period), or, with None, is back (rituals resume). An unknown workspace is left unknown."""
    workspace = _workspace(session, platform, external_id)
    if workspace is None:
        return
    if removed_at is None and workspace.uninstalled_at is not None:
        workspace.uninstalled_at, workspace.needs_replan = None, True
    elif removed_at is not None and workspace.uninstalled_at is None:
        workspace.uninstalled_at = removed_at


def find_installation(session: Session, platform: str, external_id: str) -> Installation | None:
    workspace = _workspace(session, platform, external_id)
    if workspace is None:
        return None
    return session.scalar(select(Installation).where(Installation.workspace_id == workspace.id))


def delete_installation(session: Session, platform: str, external_id: str) -> bool:
    found = find_installation(session, platform, external_id)
    if found is None:
        return False
    session.delete(found)
    session.flush()
    return True


# --- OAuth states ----------------------------------------------------------------------------------

def issue_state(session: Session, platform: str, state: str, expires_at: datetime, now: datetime | None = None) -> None:
    """Store a new state; with `now`, expired ones go in the same transaction, so abandoned installs
    cannot pile up between completed ones."""
    if now is not None:
        forget_expired_states(session, now)
    session.add(OAuthState(state=state, platform=platform, expires_at=expires_at))
    session.flush()


def forget_expired_states(session: Session, now: datetime) -> int:
    result = session.execute(delete(OAuthState).where(OAuthState.expires_at < now))
    return int(result.rowcount or 0)


def consume_state(session: Session, platform: str, state: str, now: datetime) -> bool:
    """True once for a state that was issued and has not expired; it is gone afterwards either way."""
    found = session.get(OAuthState, state)
    if found is None or found.platform != platform:
        return False
    session.delete(found)
    forget_expired_states(session, now)
    session.flush()
    return found.expires_at >= now


# --- seen requests ---------------------------------------------------------------------------------

def first_seen(session: Session, platform: str, key: str, now: datetime) -> bool:
    """Record `key`; True only for the first caller, whichever process or replica that is."""
    return insert_once(session, SeenRequest, dict(platform=platform, key=key[:255], seen_at=now), "uq_seen_request")


def forget_seen(session: Session, now: datetime, keep: timedelta = timedelta(days=1)) -> int:
    """Drop keys older than `keep` (longer than any platform retries or accepts a timestamp)."""
    result = session.execute(delete(SeenRequest).where(SeenRequest.seen_at < now - keep))
    return int(result.rowcount or 0)
