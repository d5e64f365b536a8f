"""Time-zone commands: /tz, /time, /when and /time chart. One implementation for every adapter."""
from __future__ import annotations

from datetime import date

from bot.i18n import N_
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.teamclock.chart import MAX_ROWS, overlap_text, render, team_day
from bot.models import Member
from bot.teamclock.status import clock_lines, statuses_at, time_now
from bot.text import one_line
from bot.time import (
    OverlapPolicy, TimeError, at_local, format_offset, local_date, offset_of, parse_clock, parse_date, resolve_zone,
    to_local, utc_offset,
)


# --- /tz -----------------------------------------------------------------------------------------

@command("tz", N_("Show your time zone"))
def tz_show(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("To change your zone, use /tz set <zone | city | country>."))
    member = ctx.member
    local = to_local(ctx.now(), member.tz)
    text = ctx.tr._("Your time zone is {zone} (UTC{offset}); it is {time} on {date} for you.",
                    zone=member.tz, offset=format_offset(offset_of(local)),
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
                               zone=match.name, offset=format_offset(offset_of(local)),
                               time=ctx.tr.time(local)))


# --- /time ---------------------------------------------------------------------------------------

@command("time", N_("The team's local times and who is working"), "[@member … | zone | city | country code]")
def time_command(ctx: Context, args: Args) -> Reply:
    members = ctx.members_from(args.mentions) if args.mentions else []
    if args.plain:
        members += [m for m in matching_members(ctx.members(), args.plain) if m not in members]
        if not members:
            raise UserError(ctx.tr._("Nobody in the team is in “{text}”. Try a zone (Europe/Berlin), a region (Europe), "
                                     "a city (Berlin), a country code (DE) or @mentions.", text=one_line(args.rest(), 40)))
    return time_now(ctx.tr, members or ctx.members(), ctx.now())


def matching_members(members: list[Member], words: list[str]) -> list[Member]:
    """Members whose zone contains any word (Europe, Berlin, America/New_York, new_york) or whose country
    code is one (DE): the filter that turns a team-wide answer back into an exact list."""
    wanted = [w.casefold().replace(" ", "_") for w in words]
    countries = {w.upper() for w in words if len(w) == 2 and w.isalpha()}
    return [m for m in members
            if (m.country or "").upper() in countries or any(w in m.tz.casefold() for w in wanted if len(w) > 2)]


@command("time chart", N_("A picture of the team's day: hours, days off and overlap"), "[@member …] [date]")
def time_chart(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if len(args.plain) > 1:
        raise UserError(tr._("/time chart takes @mentions and at most one date, for example: /time chart @lena tomorrow"))
    day = parse_date(args.plain[0], ctx.today()) if args.plain else ctx.today()
    members = ctx.members_from(args.mentions) if args.mentions else ctx.members()
    members = sorted(members, key=lambda m: (utc_offset(ctx.now(), m.tz), m.display_name.casefold()))
    picture = team_day(tr, members[:MAX_ROWS], day, ctx.member.tz)
    text = overlap_text(tr, picture)
    if len(members) > MAX_ROWS:
        text += " " + tr._("The picture shows the first {n} members.", n=tr.number(MAX_ROWS))
    return Reply(text=text, image=render(tr, picture),
                 image_alt=tr._("Chart of the team's day"))


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
    statuses = statuses_at(ctx.members(), instant, tr.locale_id)
    title = tr._("{time} on {date} in {zone} is:", time=tr.time(instant), date=tr.weekday_date(instant),
                 zone=one_line(zone_label, 80))
    off = [s for s in statuses if not s.working]
    summary = tr.n_("{n} person would be outside working hours, on a weekend, a holiday or away.",
                    "{n} people would be outside working hours, on a weekend, a holiday or away.", len(off))
    lines = clock_lines(tr, statuses, hint=tr._("For exact lines, ask about a zone or person: /when 3pm Europe/Berlin, /time DE."))
    return Reply(title=title, text="\n".join([summary, ""] + lines), instant=instant)


def _looks_like_date(word: str) -> bool:
    """Is the word a date (or today/tomorrow/a weekday)? Any reference day answers that; the real one comes later."""
    try:
        parse_date(word, date(2000, 1, 3))
        return True
    except TimeError:
        return False
