"""Time-zone commands: /tz, /time and /when. One implementation for every adapter."""
from __future__ import annotations

from datetime import datetime, time

from bot import availability
from bot.time import at_local, format_offset, local_date, parse_clock, parse_date, resolve_zone, to_local
from bot.availability import MemberStatus, State
from bot.i18n import N_, Translator
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.text import one_line
from bot.time import OverlapPolicy, TimeError


def describe_status(tr: Translator, status: MemberStatus) -> str:
    """'working', 'weekend', 'public holiday: Christmas Day (estimated)', 'away until Jan 4'…"""
    if status.state is State.WORKING:
        return tr._("working")
    if status.state is State.OUTSIDE_HOURS:
        return tr._("outside working hours")
    if status.state is State.WEEKEND:
        return tr._("weekend")
    off = status.day_off
    if status.state is State.HOLIDAY and off and off.holiday:
        name = off.holiday.name
        if off.holiday.estimated:
            return tr._("public holiday: {name} (date estimated)", name=name)
        return tr._("public holiday: {name}", name=name)
    if status.state is State.AWAY and off and off.away:
        return tr._("away until {date}", date=tr.date(off.away.end_date))
    return status.state.value


def member_line(tr: Translator, status: MemberStatus) -> str:
    """One line of the team clock: name, local day and time, offset, status."""
    return tr._("{name} — {day} {time} (UTC{offset}, {zone}) · {status}",
                name=one_line(status.member.display_name, 80), day=tr.weekday(status.local.weekday(), "abbreviated"),
                time=tr.time(status.local), offset=status.offset, zone=status.member.tz,
                status=describe_status(tr, status))


# --- /tz -----------------------------------------------------------------------------------------

@command("tz", N_("Show your time zone"))
def tz_show(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("To change your zone, use /tz set <zone | city | country>."))
    member = ctx.member
    local = to_local(ctx.now(), member.tz)
    text = ctx.tr._("Your time zone is {zone} (UTC{offset}); it is {time} on {date} for you.",
                    zone=member.tz, offset=format_offset(local.utcoffset()),  # type: ignore[arg-type]
                    time=ctx.tr.time(local), date=ctx.tr.weekday_date(local))
    if member.tz_source == "default":
        text += "\n" + ctx.tr._("I have not been told your zone yet. Set it with /tz set <zone | city | country>.")
    return Reply(text=text)


@command("tz set", N_("Set your time zone"), "<zone | city | country>")
def tz_set(ctx: Context, args: Args) -> Reply:
    if not args:
        raise UserError(ctx.tr._("Which zone? For example: /tz set Europe/Berlin, /tz set São Paulo or /tz set Nepal."))
    match = resolve_zone(args.rest())
    ctx.member.tz, ctx.member.tz_source = match.name, "user"
    ctx.replan()
    local = to_local(ctx.now(), match.name)
    return Reply(text=ctx.tr._("Your time zone is now {zone} (UTC{offset}); it is {time} there.",
                               zone=match.name, offset=format_offset(local.utcoffset()),  # type: ignore[arg-type]
                               time=ctx.tr.time(local)))


# --- /time ---------------------------------------------------------------------------------------

@command("time", N_("The team's local times and who is working"), "[@member …]")
def time_now(ctx: Context, args: Args) -> Reply:
    if args.plain:
        raise UserError(ctx.tr._("/time takes only @mentions, for example: /time @amara @ravi."))
    members = ctx.members_from(args.mentions) if args.mentions else ctx.members()
    now = ctx.now()
    statuses = sorted((availability.status_at(m, now, ctx.tr.locale_id) for m in members),
                      key=lambda s: (s.local.utcoffset(), s.member.display_name.casefold()))
    lines = [member_line(ctx.tr, s) for s in statuses]
    working = sum(1 for s in statuses if s.working)
    title = ctx.tr.n_("{n} member is working now", "{n} members are working now", working)
    return Reply(title=title, sections=[], text="\n".join(lines))


# --- /when ---------------------------------------------------------------------------------------

@command("when", N_("A moment in everyone's local time"), "<time> [date | today | tomorrow | weekday] [zone | @member] [first | second]")
def when(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    words = list(args.words)
    if not words:
        raise UserError(tr._("Usage: /when <time> [date | today | tomorrow | weekday] [zone | @member]. Example: /when 3pm tomorrow Asia/Tokyo"))
    # "3 pm" arrives as two words.
    if len(words) > 1 and words[1].casefold().replace(".", "") in {"am", "pm"}:
        words[0:2] = [words[0] + words[1]]
    clock = parse_clock(words.pop(0))
    overlap = OverlapPolicy.ERROR
    if words and words[-1].casefold() in {"first", "second"}:
        overlap = OverlapPolicy.FIRST if words.pop().casefold() == "first" else OverlapPolicy.SECOND
    zone_name, zone_label = ctx.member.tz, ctx.member.tz
    day_word: str | None = None
    if words:
        first_is_date = _looks_like_date(words[0])
        if first_is_date:
            day_word = words.pop(0)
        if words:
            where = " ".join(words)
            if where.startswith("@"):
                person = ctx.find_member(where)
                zone_name, zone_label = person.tz, person.display_name
            else:
                zone_name = resolve_zone(where).name
                zone_label = zone_name
    today_there = local_date(ctx.now(), zone_name)
    day = parse_date(day_word, today_there) if day_word else today_there
    instant = at_local(day, clock, zone_name, overlap=overlap)
    statuses = sorted((availability.status_at(m, instant, tr.locale_id) for m in ctx.members()),
                      key=lambda s: (s.local.utcoffset(), s.member.display_name.casefold()))
    title = tr._("{time} on {date} in {zone} is:", time=tr.time(instant), date=tr.weekday_date(instant),
                 zone=one_line(zone_label, 80))
    lines = [member_line(tr, s) for s in statuses]
    off = [s for s in statuses if not s.working]
    summary = tr.n_("{n} person would be outside working hours, on a weekend, a holiday or away.",
                    "{n} people would be outside working hours, on a weekend, a holiday or away.", len(off))
    return Reply(title=title, text="\n".join(lines + ["", summary]), instant=instant)


def _looks_like_date(word: str) -> bool:
    try:
        parse_date(word, datetime(2000, 1, 3).date())
        return True
    except TimeError:
        return False


def clock_label(tr: Translator, local: datetime | time) -> str:
    return tr.time(local)
