"""What is coming up for a member: their next pending occurrences, in their own zone and their words."""
from __future__ import annotations

from sqlalchemy import or_, select

from bot.i18n import N_, Translator
from bot.models import Occurrence, OccurrenceStatus
from bot.router import Context
from bot.time import to_local

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

