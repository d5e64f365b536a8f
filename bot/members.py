"""Workspaces and members as platforms first show them to us: created on first contact, hints applied."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import is_known_locale, normalize_locale
from bot.models import Member, Workspace
from bot.store import insert_once
from bot.text import one_line
from bot.time import all_zone_names


@dataclass(frozen=True)
class Identity:
    """Who is asking, as the platform describes them. Hints fill a new profile; the member's own settings win."""

    platform: str                    # slack | discord | console
    workspace_id: str                # Slack team id, Discord guild id, console workspace name
    user_id: str
    workspace_name: str = ""
    user_name: str = ""
    locale: str | None = None        # Slack users.info locale, Discord interaction locale
    tz: str | None = None            # Slack users.info tz; Discord has none
    is_admin: bool = False
    channel: str | None = None


def _workspace(session: Session, platform: str, external_id: str) -> Workspace | None:
    return session.scalar(select(Workspace).where(Workspace.platform == platform, Workspace.external_id == external_id))


def ensure_workspace(session: Session, platform: str, external_id: str, name: str = "") -> Workspace:
    """The workspace, created on first contact. Two first requests at once (or two replicas) both
    succeed: the database's unique key decides who inserts, the other simply reads the row."""
    workspace = _workspace(session, platform, external_id)
    if workspace is None:
        insert_once(session, Workspace, dict(platform=platform, external_id=external_id, name=name or external_id,
                                             locale="en", needs_replan=True), "uq_workspace_platform")
        workspace = _workspace(session, platform, external_id)
        assert workspace is not None
    elif workspace.uninstalled_at is not None:
        workspace.uninstalled_at = None  # reinstalled: the data kept during the grace period is theirs again
    return workspace


def _member(session: Session, workspace: Workspace, user_id: str) -> Member | None:
    return session.scalar(select(Member).where(Member.workspace_id == workspace.id, Member.user_id == user_id))


def find_member(session: Session, platform: str, external_id: str, user_id: str) -> Member | None:
    """The member if we have met them; never creates anything."""
    return session.scalar(select(Member).join(Workspace, Member.workspace_id == Workspace.id).where(
        Workspace.platform == platform, Workspace.external_id == external_id, Member.user_id == user_id))


def ensure_member(session: Session, workspace: Workspace, who: Identity) -> Member:
    """The member, created on first contact with the platform's hints; race-free like ensure_workspace."""
    member = _member(session, workspace, who.user_id)
    if member is None:
        created = insert_once(session, Member, dict(
            workspace_id=workspace.id, user_id=who.user_id, name=one_line(who.user_name, 200) or who.user_id,
            tz="UTC", tz_source="default", locale=None, locale_source="default"), "uq_member_user")
        member = _member(session, workspace, who.user_id)
        assert member is not None
        if created:
            apply_platform_hints(member, who)
            workspace.needs_replan = True
    return member


def apply_platform_hints(member: Member, who: Identity) -> None:
    """Platform data fills the profile, but never overrides what the member set themselves."""
    if who.tz and who.tz in all_zone_names() and member.tz_source != "user":
        member.tz, member.tz_source = who.tz, "platform"
    if who.locale and is_known_locale(who.locale) and member.locale_source != "user":
        member.locale, member.locale_source = normalize_locale(who.locale), "platform"
    if who.user_name and not member.name:
        member.name = one_line(who.user_name, 200)


def find_workspace(session: Session, platform: str, external_id: str) -> Workspace | None:
    """The workspace if we have met it; never creates anything (a message in a channel is not first contact)."""
    return _workspace(session, platform, external_id)
