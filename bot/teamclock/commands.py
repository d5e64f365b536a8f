"""Time-zone commands: /tz, /time, /when and /time chart. One implementation for every adapter."""
from __future__ import annotations

from datetime import date, timedelta

from bot.i18n import N_
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.teamclock.chart import MAX_ROWS, overlap_text, render, team_day
from bot.models import Member
from bot.teamclock.status import clock_lines, statuses_at, time_now
from bot.text import one_line
from bot.time import (
    OverlapPolicy, TimeError, at_local, format_offset, local_date, offset_of, parse_clock, parse_date, resolve_zone,
    to_local, utc_offset, zones_at_offset, looks_like_date, take_date, MAX_DATE_WORDS,
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
    text = ctx.tr._("Your time zone is now {zone} (UTC{offset}); it is {time} there.",
                    zone=match.name, offset=format_offset(offset_of(local)), time=ctx.tr.time(local))
    if match.fixed_offset is not None:
        text += "\n" + fixed_offset_note(ctx, match.fixed_offset)
    return Reply(text=text)


def fixed_offset_note(ctx: Context, offset: timedelta) -> str:
    """Why 'UTC+3' may be the wrong choice: it never moves, while the reader's city may change clocks."""
    zones = [z for z in zones_at_offset(offset, ctx.now()) if not z.startswith("Etc/")][:6]
    note = ctx.tr._("UTC{offset} is a fixed offset: it does not follow daylight saving time.", offset=format_offset(offset))
    if zones:
        note += " " + ctx.tr._("If you live in one of these zones, set it instead: {zones}.", zones=ctx.tr.list(zones, style="or"))
    return note


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
    day = parse_date(args.plain[0], ctx.today(), ctx.tr.locale_id) if args.plain else ctx.today()
    members = ctx.members_from(args.mentions) if args.mentions else ctx.members()
    members = sorted(members, key=lambda m: (utc_offset(ctx.now(), m.tz), m.display_name.casefold()))
    picture = team_day(tr, members[:MAX_ROWS], day, ctx.member.tz)
    text = overlap_text(tr, picture)
    if len(members) > MAX_ROWS:
        text += " " + tr._("The picture shows the first {n} members.", n=tr.number(MAX_ROWS))
    return Reply(text=text, image=render(tr, picture),
                 image_alt=tr._("Chart of the team's day"))


# --- /when ---------------------------------------------------------------------------------------

@command("when", N_("A moment in everyone's local time"),
         "<time> [date | today | tomorrow | weekday] [zone | @member …] [first | second]")
def when(ctx: Context, args: Args) -> Reply:
    """'3pm tomorrow @hana': the moment in the first member's (or the zone's, or your) time, for the team.

    With several @members the list shows just them and you. "first"/"second" (for a time that happens
    twice when clocks go back) may stand anywhere. Every word is either read or named in the error.
    """
    tr = ctx.tr
    words = list(args.words)
    if not words:
        raise UserError(tr._("Usage: /when <time> [date | today | tomorrow | weekday] [zone | @member]. Example: /when 3pm tomorrow Asia/Tokyo"))
    # "3 pm" arrives as two words.
    if len(words) > 1 and words[1].casefold().replace(".", "") in {"am", "pm"}:
        words[0:2] = [words[0] + words[1]]
    clock = parse_clock(words.pop(0))
    overlap = OverlapPolicy.ERROR
    for word in [w for w in words if w.casefold() in _OVERLAP_WORDS]:
        overlap = _OVERLAP_WORDS[word.casefold()]
        words.remove(word)
    mentions = [w for w in words if w.startswith("@") and len(w) > 1]
    rest = [w for w in words if w not in mentions]
    date_words, rest = _split_date(rest, ctx.today(), tr.locale_id)
    people = ctx.members_from(mentions) if mentions else []
    if rest and people:
        raise UserError(tr._("Give a zone or @members, not both: “{words}”.", words=one_line(" ".join(rest), 60)))
    zone_name, person = ctx.member.tz, None
    if people:
        person = people[0]
        zone_name = person.tz
    elif rest:
        for word in rest:
            if looks_like_date(word, tr.locale_id):
                raise TimeError("bad_date", text=word)
        zone_name = resolve_zone(" ".join(rest)).name
    today_there = local_date(ctx.now(), zone_name)
    day = take_date(date_words, today_there, tr.locale_id)[0] if date_words else today_there
    assert day is not None
    instant = at_local(day, clock, zone_name, overlap=overlap)
    shown = people + ([ctx.member] if ctx.member not in people else []) if len(people) > 1 else ctx.members()
    statuses = statuses_at(shown, instant, tr.locale_id)
    when_text = tr.weekday_date(to_local(instant, zone_name), this_year=ctx.today().year)
    if person is not None:
        title = tr._("When it is {time} on {date} for {name}:", time=tr.time(instant), date=when_text,
                     name=one_line(person.display_name, 80))
    else:
        title = tr._("{time} on {date} in {zone} is:", time=tr.time(instant), date=when_text, zone=zone_name)
    off = [s for s in statuses if not s.working]
    summary = tr.n_("{n} person would be outside working hours, on a weekend, a holiday or away.",
                    "{n} people would be outside working hours, on a weekend, a holiday or away.", len(off))
    lines = clock_lines(tr, statuses, hint=tr._("For exact lines, ask about a zone or person: /when 3pm Europe/Berlin, /time DE."))
    past = [tr._("This moment has already passed.")] if instant < ctx.now() else []
    return Reply(title=title, text="\n".join(past + [summary, ""] + lines), instant=instant)


_OVERLAP_WORDS = {"first": OverlapPolicy.FIRST, "second": OverlapPolicy.SECOND}


def _split_date(words: list[str], probe_day: date, locale: str) -> tuple[list[str], list[str]]:
    """The date words (at the start or the end) and the others. The probe day only measures the words:
    the real day is read later, in the zone the time is in."""
    _, used = take_date(words, probe_day, locale)
    if used:
        return words[:used], words[used:]
    for count in range(min(MAX_DATE_WORDS, len(words) - 1), 0, -1):
        _, used = take_date(words[-count:], probe_day, locale)
        if used == count:
            return words[-count:], words[:-count]
    return [], words
