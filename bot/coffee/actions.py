"""The follow-up's buttons: "Yes, we met" and "Not yet", pressed by a member of the group."""
from __future__ import annotations

from bot.coffee.models import CoffeeGroup
from bot.coffee.rounds import group_members
from bot.reply import Reply
from bot.router import Context, UserError, action, row_id


def _answer(ctx: Context, value: str, met: bool) -> Reply:
    tr = ctx.tr
    group_id = row_id(value)
    group = ctx.session.get(CoffeeGroup, group_id) if group_id is not None else None
    if group is None or group.workspace_id != ctx.workspace.id:
        raise UserError(tr._("That coffee round is no longer known."))
    if ctx.member.id not in {m.id for m in group_members(ctx.session, group)}:
        raise UserError(tr._("Only the people in this coffee group can answer."))
    if met or group.met is not True:   # "not yet" from one member never undoes another's "we met"
        group.met, group.answered_by, group.answered_at = met, ctx.member.id, ctx.now()
    if met:
        return Reply(text=tr._("Wonderful, noted that you met. Thank you!"), ephemeral=False)
    return Reply(text=tr._("Noted. There is still time this round; if you meet later, press “Yes, we met”."), ephemeral=False)


@action("coffee.met")
def coffee_met(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    return _answer(ctx, value, True)


@action("coffee.not_met")
def coffee_not_met(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    return _answer(ctx, value, False)
