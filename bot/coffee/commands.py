"""The /coffee commands a member uses: status, join, leave, pause, history, block and stats.

Admins' `/coffee config …` live in `bot.coffee.admin` and the follow-up's "did you meet?" buttons in
`bot.coffee.actions`; both are imported at the end of this module so loading the feature's
`commands` registers every command and action, in the order /help has always listed them.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.coffee.messages import cadence_label, left_out_text
from bot.coffee.models import CoffeeBlock, CoffeeConfig, CoffeeGroup, CoffeeRound, CoffeeSeat
from bot.coffee.plan import REASON_ODD
from bot.coffee.rounds import UNAVAILABLE_HOLIDAY, group_members
from bot.coffee.settings import ensure_participant, get_config, participant_row
from bot.coffee.timing import next_round
from bot.i18n import N_, Translator
from bot.models import Member
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.text import one_line
from bot.time import parse_date, to_local


def _state_line(ctx: Context, config: CoffeeConfig | None) -> str:
    tr = ctx.tr
    row = participant_row(ctx.session, ctx.member)
    if row is not None and not row.active:
        return tr._("You are not taking part in coffee rounds. Join with /coffee join.")
    if row is None and (config is None or not config.everyone):
        return tr._("You are not taking part in coffee rounds. Join with /coffee join.")
    if row is not None and row.paused_until is not None and row.paused_until > ctx.today():
        return tr._("You are taking part, paused until {date}.", date=tr.date(row.paused_until))
    return tr._("You are taking part in coffee rounds.")


@command("coffee", N_("Your coffee pairing status"))
def coffee_status(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("I don't know “/coffee {word}”. Try /coffee join, leave, pause until <date>, status, history, block @member or stats.",
                                 word=one_line(args[0], 30)))
    tr = ctx.tr
    config = get_config(ctx.session, ctx.workspace)
    lines = [_state_line(ctx, config)]
    if config is None:
        lines.append(tr._("Coffee rounds are not set up in this workspace yet; an admin can start them with /coffee config."))
    elif not config.enabled:
        lines.append(tr._("Coffee rounds are switched off in this workspace."))
    else:
        upcoming = next_round(ctx.session, ctx.workspace, ctx.now())
        if upcoming is not None:
            lines.append(tr._("Next round: {date} ({cadence}).", date=tr.weekday_date(upcoming[0]),
                              cadence=cadence_label(tr, config.cadence)))
    seat = _latest_seat(ctx.session, ctx.member)
    if seat is not None:
        coffee_round, seat_row = seat
        lines.append(_seat_line(ctx, coffee_round, seat_row))
    blocked = ctx.session.scalar(select(func.count()).select_from(CoffeeBlock).where(CoffeeBlock.member_id == ctx.member.id))
    if blocked:
        lines.append(tr.n_("You have blocked {n} person from being paired with you.",
                           "You have blocked {n} people from being paired with you.", int(blocked)))
    return Reply(title=tr._("Coffee pairing"), text="\n".join(lines))


@command("coffee status", N_("Your coffee pairing status"))
def coffee_status_alias(ctx: Context, args: Args) -> Reply:
    return coffee_status(ctx, args)


@command("coffee join", N_("Take part in coffee pairings"))
def coffee_join(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("/coffee join takes no options."))
    row = ensure_participant(ctx.session, ctx.member)
    row.active, row.paused_until, row.source, row.updated_at = True, None, "member", ctx.now()
    ctx.replan()
    text = ctx.tr._("You are in! You will be paired with someone who shares your working hours, preferably from another part of the world.")
    if get_config(ctx.session, ctx.workspace) is None:
        text += "\n" + ctx.tr._("Coffee rounds are not set up in this workspace yet; an admin can start them with /coffee config.")
    return Reply(text=text)


@command("coffee leave", N_("Stop taking part in coffee pairings"))
def coffee_leave(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("/coffee leave takes no options."))
    row = ensure_participant(ctx.session, ctx.member)
    row.active, row.paused_until, row.source, row.updated_at = False, None, "member", ctx.now()
    ctx.replan()
    return Reply(text=ctx.tr._("You left the coffee rounds. Come back any time with /coffee join."))


@command("coffee pause", N_("Skip coffee rounds until a date"), "until <date>")
def coffee_pause(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    words = list(args.words)
    if words and words[0].casefold() == "until":
        words.pop(0)
    if len(words) != 1:
        raise UserError(tr._("Usage: /coffee pause until <date>, for example /coffee pause until 2026-05-04."))
    today = ctx.today()
    until = parse_date(words[0], today, ctx.tr.locale_id)
    if until <= today:
        raise UserError(tr._("Pick a date after today: the pause lasts until that day."))
    if (until - today).days > 366:
        raise UserError(tr._("A pause can last at most a year; use /coffee leave to stop altogether."))
    row = ensure_participant(ctx.session, ctx.member)
    row.active, row.paused_until, row.source, row.updated_at = True, until, "member", ctx.now()
    ctx.replan()
    return Reply(text=tr._("Paused: no coffee rounds for you before {date}.", date=tr.date(until)))


def _latest_seat(session: Session, member: Member) -> tuple[CoffeeRound, CoffeeSeat] | None:
    found = session.execute(select(CoffeeRound, CoffeeSeat).join(CoffeeSeat, CoffeeSeat.round_id == CoffeeRound.id)
                            .where(CoffeeSeat.member_id == member.id)
                            .order_by(CoffeeRound.round_date.desc()).limit(1)).first()
    return (found[0], found[1]) if found else None


def _seat_line(ctx: Context, coffee_round: CoffeeRound, seat: CoffeeSeat) -> str:
    tr = ctx.tr
    when = tr.date(coffee_round.round_date)
    if seat.group_id is not None:
        group = ctx.session.get(CoffeeGroup, seat.group_id)
        assert group is not None
        others = [m for m in group_members(ctx.session, group) if m.id != ctx.member.id]
        shown = [tr._("{name} ({time} there now)", name=one_line(m.display_name, 60),
                      time=tr.time(to_local(ctx.now(), m.tz))) for m in others]
        shown += [tr._("someone who has since left")] * max(0, group.size - 1 - len(others))  # /forget-me
        names = tr.list(shown)
        status = {True: tr._("met"), False: tr._("did not meet"), None: tr._("no answer yet")}[group.met]
        return tr._("{date}: with {names} — {status}", date=when, names=names, status=status)
    if seat.outcome == "unavailable":
        why = tr._("on a public holiday") if seat.reason == UNAVAILABLE_HOLIDAY else tr._("away")
        return tr._("{date}: not paired, you were {why}", date=when, why=why)
    return tr._("{date}: sat out — {why}", date=when,
                why=left_out_text(tr, seat.reason or REASON_ODD, coffee_round.min_overlap_minutes))


@command("coffee history", N_("Your past coffee partners"))
def coffee_history(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("/coffee history takes no options."))
    rows = ctx.session.execute(select(CoffeeRound, CoffeeSeat).join(CoffeeSeat, CoffeeSeat.round_id == CoffeeRound.id)
                               .where(CoffeeSeat.member_id == ctx.member.id)
                               .order_by(CoffeeRound.round_date.desc()).limit(12)).all()
    if not rows:
        return Reply(text=ctx.tr._("You have not been in a coffee round yet."))
    return Reply(title=ctx.tr._("Your coffee rounds"), text="\n".join(_seat_line(ctx, r, s) for r, s in rows))


@command("coffee block", N_("Never be paired with someone (they are not told)"), "@member")
def coffee_block(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if len(args) != 1:
        raise UserError(tr._("Usage: /coffee block @member"))
    other = ctx.find_member(args[0])
    if other.id == ctx.member.id:
        raise UserError(tr._("You cannot block yourself."))
    exists = ctx.session.scalar(select(CoffeeBlock).where(CoffeeBlock.member_id == ctx.member.id,
                                                          CoffeeBlock.blocked_id == other.id))
    if exists is None:
        ctx.session.add(CoffeeBlock(workspace_id=ctx.workspace.id, member_id=ctx.member.id, blocked_id=other.id))
    return Reply(text=tr._("You will never be paired with {name}. They are not told. Undo with /coffee unblock.",
                           name=one_line(other.display_name, 80)))


@command("coffee unblock", N_("Allow pairing with someone again"), "@member")
def coffee_unblock(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if len(args) != 1:
        raise UserError(tr._("Usage: /coffee unblock @member"))
    other = ctx.find_member(args[0])
    block = ctx.session.scalar(select(CoffeeBlock).where(CoffeeBlock.member_id == ctx.member.id,
                                                         CoffeeBlock.blocked_id == other.id))
    if block is None:
        raise UserError(tr._("You have not blocked {name}.", name=one_line(other.display_name, 80)))
    ctx.session.delete(block)
    return Reply(text=tr._("{name} can be paired with you again.", name=one_line(other.display_name, 80)))


def _percent(tr: Translator, part: int, whole: int) -> str:
    return tr.percent(round(part / whole, 2)) if whole else "—"


@command("coffee stats", N_("Meet rate and cross-region share over time"))
def coffee_stats(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if args:
        raise UserError(tr._("/coffee stats takes no options."))
    rows = ctx.session.execute(
        select(CoffeeRound.round_date, CoffeeRound.number, func.count(CoffeeGroup.id),
               func.sum(_as_int(CoffeeGroup.cross_region)), func.sum(_as_int(CoffeeGroup.met.is_not(None))),
               func.sum(_as_int(CoffeeGroup.met.is_(True))))
        .join(CoffeeGroup, CoffeeGroup.round_id == CoffeeRound.id)
        .where(CoffeeRound.workspace_id == ctx.workspace.id)
        .group_by(CoffeeRound.id, CoffeeRound.round_date, CoffeeRound.number)
        .order_by(CoffeeRound.round_date.desc()).limit(12)).all()
    if not rows:
        return Reply(text=tr._("No coffee rounds yet."))
    lines = []
    totals = [0, 0, 0, 0]
    for day, _, groups, cross, answered, met in reversed(rows):
        groups, cross, answered, met = int(groups), int(cross or 0), int(answered or 0), int(met or 0)
        for i, value in enumerate((groups, cross, answered, met)):
            totals[i] += value
        # The group count goes through plurals; the other numbers follow a label, so no noun has to agree with them.
        lines.append(tr.n_("{date}: {n} group · answers: {answered} · met: {met} · cross-region: {cross}",
                           "{date}: {n} groups · answers: {answered} · met: {met} · cross-region: {cross}",
                           groups, date=tr.date(day), met=_percent(tr, met, answered),
                           answered=tr.number(answered), cross=_percent(tr, cross, groups)))
    summary = tr.n_("Last {n} round: met {met} of the groups that answered, {cross} of groups across regions.",
                    "Last {n} rounds: met {met} of the groups that answered, {cross} of groups across regions.",
                    len(rows), met=_percent(tr, totals[3], totals[2]), cross=_percent(tr, totals[1], totals[0]))
    return Reply(title=tr._("Coffee stats"), text=summary + "\n" + "\n".join(lines))


def _as_int(condition: Any) -> Any:
    return case((condition, 1), else_=0)


# Registered after the member commands, as they always were.
from bot.coffee import actions, admin  # noqa: E402,F401
