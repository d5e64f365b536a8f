"""Data rights: /forget-me, a workspace's data as JSON, and deleting what an uninstalled workspace left.

/forget-me removes what Meridian keeps about one member in one workspace, after a confirmation
button (it cannot be undone):

- the member row, and with it, through ON DELETE CASCADE: their time off, their calendar feed and
  the busy hours read from it, their "about" text,
  standup answers and skips, coffee participation and blocks (both ways), meeting attendance;
- their coffee seats are kept but no longer point at anyone (ON DELETE SET NULL): colleagues'
  histories and the round statistics stay right, and nobody can tell who the partner was;
- what names them by user id elsewhere: standup participant lists, meeting rotation records,
  meetings only they attended, due work addressed to them (prompts, reminders, left-out notes)
  and the copies of messages sent to them; copies of group or channel messages that named them
  keep their place (so edits still find them) without their text.

`export_workspace` returns every row of every table that belongs to a workspace, as JSON-ready
data (`meridian export`); platform tokens are never part of it. `purge_uninstalled` deletes the
workspaces uninstalled longer ago than the grace period (MERIDIAN_UNINSTALL_GRACE_DAYS): the
workspace row goes and every table follows through its ON DELETE CASCADE.
"""
from __future__ import annotations

import base64
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Table, delete, func, or_, select
from sqlalchemy.orm import Session

from bot.i18n import N_
from bot.meetings import Meeting, MeetingAttendee, MeetingRotation
from bot.models import Base, Member, Occurrence, OccurrenceStatus, SentMessage, Workspace
from bot.reply import Button, Reply
from bot.router import Args, Context, UserError, action, command
from bot.standups import Standup
from bot.time import utc_iso

FORGET_ACTION = "privacy.forget"
FORGOTTEN = "(forgotten)"            # takes a forgotten member's place in others' records
EXPORT_FORMAT = "meridian-export/1"
# Secrets, not workspace data: platform tokens and calendar addresses (ciphertext), sign-in digests.
NOT_EXPORTED = {"installations": {"secret"}, "calendar_feeds": {"url_secret"},
                "web_sessions": {"token_hash", "csrf"}, "api_tokens": {"token_hash"}}


# --- /forget-me ------------------------------------------------------------------------------------

def addressed_to(recipient: str, user_id: str) -> bool:
    """Whether an occurrence's recipient is this member: their id, a meeting reminder
    ('meeting:<meeting id>:<user id>') or a coffee left-out note ('left:<user id>:<date>')."""
    return (recipient == user_id or (recipient.startswith("meeting:") and recipient.split(":", 2)[-1] == user_id)
            or recipient.startswith(f"left:{user_id}:"))


def forget_member(session: Session, member: Member) -> None:
    """Delete the member and everything that names them; the next command they send starts afresh."""
    workspace_id, user_id = member.workspace_id, member.user_id
    names = {n for n in (member.name, member.preferred_name, user_id) if n and len(n.strip()) >= 3}

    for occurrence in session.scalars(select(Occurrence).where(
            Occurrence.workspace_id == workspace_id, Occurrence.recipient.contains(user_id, autoescape=True))):
        if addressed_to(occurrence.recipient, user_id) and occurrence.status != OccurrenceStatus.CLAIMED:
            session.delete(occurrence)   # a claimed one is being sent right now; the engine finishes it

    mentions = [SentMessage.recipient.contains(user_id, autoescape=True),
                *(SentMessage.text.contains(name, autoescape=True) for name in names)]
    for sent in session.scalars(select(SentMessage).where(SentMessage.workspace_id == workspace_id, or_(*mentions))):
        recipients = sent.recipient.split(",")
        if recipients == [user_id]:
            session.delete(sent)
            continue
        if user_id in recipients:
            sent.recipient = ",".join(FORGOTTEN if r == user_id else r for r in recipients)[:255]
            sent.text = ""
        elif any(name in sent.text for name in names):
            sent.text = ""               # a group or channel message that named them: the record stays, not the words

    for standup in session.scalars(select(Standup).where(Standup.workspace_id == workspace_id)):
        if standup.participants is not None and user_id in standup.participants:
            standup.participants = [u for u in standup.participants if u != user_id]
    for rotation in session.scalars(select(MeetingRotation).where(MeetingRotation.workspace_id == workspace_id)):
        if user_id in (rotation.burden or {}):
            rotation.burden = {k: v for k, v in rotation.burden.items() if k != user_id}
    alone = (select(MeetingAttendee.meeting_id).where(MeetingAttendee.workspace_id == workspace_id)
             .group_by(MeetingAttendee.meeting_id)
             .having(func.count() == 1, func.max(MeetingAttendee.member_id) == member.id))
    session.execute(delete(Meeting).where(Meeting.workspace_id == workspace_id, Meeting.id.in_(alone))
                    .execution_options(synchronize_session=False))

    session.delete(member)
    session.flush()


@command("forget-me", N_("Delete everything Meridian keeps about you in this workspace"))
def forget_me(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if args:
        raise UserError(tr._("/forget-me takes no options; it asks before deleting anything."))
    return Reply(text=tr._("This deletes your profile (zone, country, hours, the notes about you), your time off, your standup answers, your meetings and coffee history and your place in every team ritual in this workspace. Colleagues' coffee history keeps that they met someone, not who. It cannot be undone."),
                 buttons=[Button(tr._("Delete my data"), FORGET_ACTION, ctx.member.user_id, style="danger")])


@action(FORGET_ACTION)
def forget_confirmed(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    if value != ctx.member.user_id:
        raise UserError(ctx.tr._("That button was for someone else; nothing was deleted."))
    forget_member(ctx.session, ctx.member)
    ctx.replan()
    return Reply(text=ctx.tr._("Done: everything Meridian kept about you in this workspace is deleted."))


# --- export ------------------------------------------------------------------------------------------

def workspace_tables() -> list[tuple[Table, Column[Any]]]:
    """Every table holding workspace data, parents first, with the column naming the workspace."""
    found = []
    for table in Base.metadata.sorted_tables:
        scope = table.c.id if table.name == Workspace.__tablename__ else table.c.get("workspace_id")
        if scope is not None:
            found.append((table, scope))
    return found


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_iso(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def workspace_rows(session: Session, workspace_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of the workspace, table by table (ordered by primary key), as JSON-ready dicts."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table, scope in workspace_tables():
        hidden = NOT_EXPORTED.get(table.name, set())
        columns = [c for c in table.columns if c.name not in hidden]
        result = session.execute(select(*columns).where(scope == workspace_id).order_by(*table.primary_key.columns))
        out[table.name] = [{c.name: _jsonable(row._mapping[c.name]) for c in columns} for row in result]
    return out


def export_workspace(session: Session, workspace: Workspace, now: datetime) -> dict[str, Any]:
    """What `meridian export` writes: the workspace's every row, without platform tokens."""
    return {"format": EXPORT_FORMAT, "exported_at": _jsonable(now),
            "workspace": {"id": workspace.id, "platform": workspace.platform, "external_id": workspace.external_id,
                          "name": workspace.name},
            "not_exported": {table: sorted(columns) for table, columns in NOT_EXPORTED.items()},
            "tables": workspace_rows(session, workspace.id)}


# --- uninstalled workspaces ------------------------------------------------------------------------------

def purge_uninstalled(session: Session, now: datetime, grace: timedelta) -> list[tuple[str, str]]:
    """Delete workspaces uninstalled at least `grace` ago, with all their data; returns (platform, id) of each."""
    gone = session.execute(select(Workspace.id, Workspace.platform, Workspace.external_id).where(
        Workspace.uninstalled_at.is_not(None), Workspace.uninstalled_at <= now - grace)).all()
    if gone:
        session.execute(delete(Workspace).where(Workspace.id.in_([row.id for row in gone]))
                        .execution_options(synchronize_session=False))
    return [(row.platform, row.external_id) for row in gone]
