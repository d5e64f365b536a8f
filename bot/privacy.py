"""/forget-me: a member removes what Meridian keeps about them in this workspace.

Minimal by design (the hardening work extends it): the member row goes, and with it, through
ON DELETE CASCADE, their time off, their "about" text and every feature row that belongs to them;
due work addressed to them is cancelled and copies of messages sent to them are dropped.
A confirmation button comes first, because this cannot be undone.
"""
from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from bot.i18n import N_
from bot.models import Member, Occurrence, SentMessage
from bot.reply import Button, Reply
from bot.router import Args, Context, UserError, action, command

FORGET_ACTION = "privacy.forget"


def forget_member(session: Session, member: Member) -> None:
    """Delete the member and what is addressed to them; the next command they send starts afresh."""
    scope = (Occurrence.workspace_id == member.workspace_id, Occurrence.recipient == member.user_id)
    session.execute(update(Occurrence).where(*scope, Occurrence.status == "pending").values(status="cancelled"))
    session.execute(delete(SentMessage).where(SentMessage.workspace_id == member.workspace_id,
                                              SentMessage.recipient == member.user_id))
    session.delete(member)
    session.flush()


@command("forget-me", N_("Delete everything Meridian keeps about you in this workspace"))
def forget_me(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if args:
        raise UserError(tr._("/forget-me takes no options; it asks before deleting anything."))
    return Reply(text=tr._("This deletes your profile (zone, country, hours, the notes about you), your time off and your place in every team ritual in this workspace. It cannot be undone."),
                 buttons=[Button(tr._("Delete my data"), FORGET_ACTION, ctx.member.user_id, style="danger")])


@action(FORGET_ACTION)
def forget_confirmed(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    if value != ctx.member.user_id:
        raise UserError(ctx.tr._("That button was for someone else; nothing was deleted."))
    forget_member(ctx.session, ctx.member)
    ctx.replan()
    return Reply(text=ctx.tr._("Done: everything Meridian kept about you in this workspace is deleted."))
