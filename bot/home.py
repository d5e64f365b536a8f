"""/home: one overview of a member's Meridian: their profile, what is coming up for them, the team clock.

Slack shows it as the App Home tab; every other platform can ask for it with /home.
"""
from __future__ import annotations

from sqlalchemy import or_, select

from bot.time import to_local
from bot.i18n import N_, Translator
from bot.models import Occurrence, OccurrenceStatus
from bot.people import profile_lines
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.teamclock import time_now
from bot.text import one_line

UPCOMING_LIMIT = 5

# What a member calls each kind of due work addressed to them; other kinds show their own name.
KIND_LABELS = {
    "standup_prompt": N_("Standup questions"),
    "standup_reminder": N_("Standup reminder"),
    "meeting_reminder": N_("Meeting reminder"),
    "coffee_intro": N_("Coffee introduction"),
    "coffee_followup": N_("Coffee follow-up"),
    "holiday_digest": N_("Holiday digest"),
    "holiday_heads_up": N_("Holiday heads-up"),
}


def kind_label(tr: Translator, kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return tr._(label) if label else kind.replace("_", " ")


def upcoming_lines(ctx: Context) -> list[str]:
    """The member's next pending occurrences, in their own zone (recipient is them, or ends in ':<them>')."""
    user_id = ctx.member.user_id
    pattern = "%:" + user_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = ctx.session.scalars(
        select(Occurrence)
        .where(Occurrence.workspace_id == ctx.workspace.id, Occurrence.status == OccurrenceStatus.PENDING,
               Occurrence.due_at >= ctx.now(),
               or_(Occurrence.recipient == user_id, Occurrence.recipient.like(pattern, escape="\\")))
        .order_by(Occurrence.due_at).limit(UPCOMING_LIMIT))
    lines = []
    for occurrence in rows:
        local = to_local(occurrence.due_at, ctx.member.tz)
        lines.append(ctx.tr._("{day}, {time}: {what}", day=ctx.tr.weekday_date(local), time=ctx.tr.time(local),
                              what=kind_label(ctx.tr, occurrence.kind)))
    return lines


@command("home", N_("Your overview: your profile, what is coming up for you and the team clock"))
def home(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("/home takes no arguments."))
    tr = ctx.tr
    reply = Reply(title=tr._("Meridian for {name}", name=one_line(ctx.member.display_name, 80)))
    reply.add(tr._("Your profile"), profile_lines(tr, ctx.member, ctx.today()))
    reply.add(tr._("Coming up for you"), upcoming_lines(ctx) or [tr._("Nothing is scheduled for you yet.")])
    clock = time_now(ctx, Args([]))
    reply.add(tr._("Team clock: {summary}", summary=clock.title or ""), clock.text.split("\n"))
    return reply
