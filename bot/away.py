"""/away: personal time off. Standups, pairing and meetings all read it through bot.availability."""
from __future__ import annotations

from datetime import date


from bot.time import parse_date
from bot.i18n import N_, Translator
from bot.models import Away, Member
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.text import one_line

MAX_AWAY_DAYS = 366


def add_away(member: Member, start: date, end: date, note: str | None = None) -> Away:
    period = Away(workspace_id=member.workspace_id, member_id=member.id, start_date=start, end_date=end, note=note)
    member.away.append(period)
    return period


def _line(tr: Translator, index: int, period: Away) -> str:
    note = f" — {one_line(period.note, 100)}" if period.note else ""
    return f"{index}. {tr.date(period.start_date)} – {tr.date(period.end_date)}{note}"


def _upcoming(ctx: Context) -> list[Away]:
    today = ctx.today()
    return [p for p in ctx.member.away if p.end_date >= today]


@command("away", N_("Add time off (dates inclusive)"), "<from> <to> [note]")
def away_add(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if len(args) < 2:
        if not args:
            return away_list(ctx, args)
        raise UserError(tr._("Usage: /away <from> <to> [note], for example /away 2026-12-20 2027-01-04."))
    today = ctx.today()
    start = parse_date(args[0], today)
    end = parse_date(args[1], today)
    if end < start:
        raise UserError(tr._("The end date {end} is before the start date {start}.", end=tr.date(end), start=tr.date(start)))
    if (end - start).days >= MAX_AWAY_DAYS:
        raise UserError(tr._("Time off can be at most {n} days at once.", n=tr.number(MAX_AWAY_DAYS)))
    if end < today:
        raise UserError(tr._("That time off is entirely in the past."))
    note = one_line(args.rest(2), 200) or None
    for period in ctx.member.away:
        if period.start_date <= end and start <= period.end_date:
            raise UserError(tr._("That overlaps time off you already have: {start} – {end}.",
                                 start=tr.date(period.start_date), end=tr.date(period.end_date)))
    add_away(ctx.member, start, end, note)
    ctx.replan()
    days = (end - start).days + 1
    return Reply(text=tr.n_("You are away for {n} day, {start} – {end}. Standups, pairing and meetings will respect it.",
                            "You are away for {n} days, {start} – {end}. Standups, pairing and meetings will respect it.",
                            days, start=tr.date(start), end=tr.date(end)))


@command("away list", N_("Your upcoming time off"))
def away_list(ctx: Context, args: Args) -> Reply:
    periods = _upcoming(ctx)
    if not periods:
        return Reply(text=ctx.tr._("You have no upcoming time off. Add some with /away <from> <to>."))
    return Reply(title=ctx.tr._("Your time off"), text="\n".join(_line(ctx.tr, i, p) for i, p in enumerate(periods, 1)))


@command("away cancel", N_("Cancel time off"), "[number | all]")
def away_cancel(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    periods = _upcoming(ctx)
    if not periods:
        raise UserError(tr._("You have no upcoming time off to cancel."))
    if not args and len(periods) > 1:
        raise UserError(tr._("Which one? Give its number from /away list, or “all”."))
    chosen: list[Away]
    if not args:
        chosen = periods
    elif args[0].casefold() == "all":
        chosen = periods
    elif args[0].isdecimal() and 1 <= int(args[0]) <= len(periods):
        chosen = [periods[int(args[0]) - 1]]
    else:
        raise UserError(tr._("“{value}” is not a number from /away list.", value=one_line(args[0], 20)))
    for period in chosen:
        ctx.member.away.remove(period)
        ctx.session.delete(period)
    ctx.replan()
    return Reply(text=tr.n_("Cancelled {n} period of time off.", "Cancelled {n} periods of time off.", len(chosen)))
