"""/meet: find the fairest times for a group across zones, book, list, cancel and import meetings.

The fair-slot search itself is `bot.meetings.fair_slots`; booking and the replies are in
`booking` and `messages`; the buttons and forms these commands open are in `forms`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.i18n import N_
from bot.calendars.busy import busy_times
from bot.meetings import fair_slots
from bot.meetings.booking import DEFAULT_DURATION, MAX_ATTENDEES, create_meeting, last_burden, upcoming
from bot.meetings.forms import slot_value
from bot.meetings.messages import attendee_line, booked_reply, span
from bot.meetings.models import WEEKLY
from bot.models import Member
from bot.reply import Button, Form, FormField, Reply
from bot.router import Args, Context, UserError, command
from bot.text import one_line, user_text
from bot.time import at_local, local_date, parse_clock, parse_date, parse_duration, resolve_zone, to_utc

DEFAULT_WITHIN_DAYS = 7
MAX_WITHIN_DAYS = 30


@dataclass
class FindRequest:
    members: list[Member]
    duration: timedelta
    within_days: int
    weekly: bool
    chart: bool


def _parse_find(ctx: Context, args: Args) -> FindRequest:
    tr = ctx.tr
    duration: timedelta | None = None
    within = DEFAULT_WITHIN_DAYS
    weekly = chart = False
    words = args.plain
    index = 0
    while index < len(words):
        word = words[index].casefold()
        nxt = words[index + 1].casefold() if index + 1 < len(words) else ""
        if word == "within" and nxt.isdecimal():
            within = int(nxt)
            index += 2
            if index < len(words) and words[index].casefold() in {"day", "days"}:
                index += 1
            continue
        if word.isdecimal() and nxt in {"day", "days"}:
            within, index = int(word), index + 2
            continue
        if word == WEEKLY:
            weekly, index = True, index + 1
            continue
        if word == "chart":
            chart, index = True, index + 1
            continue
        if duration is None and any(c.isdigit() for c in word):
            duration = parse_duration(word)
            index += 1
            continue
        raise UserError(tr._("I did not understand “{word}”. Usage: /meet find @a @b … <duration> [within N days] [weekly] [chart]",
                             word=one_line(words[index], 40)))
    if not args.mentions:
        raise UserError(tr._("Whom should I find a time with? For example: /meet find @lena @hana 45m within 5 days"))
    if not 1 <= within <= MAX_WITHIN_DAYS:
        raise UserError(tr._("Look at most {n} days ahead.", n=tr.number(MAX_WITHIN_DAYS)))
    members = ctx.members_from([f"@{ctx.member.user_id}", *args.mentions])
    if len(members) > MAX_ATTENDEES:
        raise UserError(tr._("That is more than {n} people; I can plan for at most that many.", n=tr.number(MAX_ATTENDEES)))
    return FindRequest(members, duration or DEFAULT_DURATION, within, weekly, chart)


@command("meet find", N_("The three fairest times for a meeting"), "@a @b … <duration> [within N days] [weekly] [chart]")
def meet_find(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    request = _parse_find(ctx, args)
    now = ctx.now()
    history = last_burden(ctx.session, ctx.workspace.id, request.members) if request.weekly else {}
    latest = now + timedelta(days=request.within_days)
    busy = busy_times(ctx.session, request.members, now, latest)
    slots = fair_slots.find_fair_slots(request.members, now, latest, request.duration, last_burden=history,
                                       locale=tr.locale_id, busy=busy)
    if not slots:
        raise UserError(tr.n_("No time of that length fits in the next {n} day.",
                              "No time of that length fits in the next {n} days.", request.within_days))
    names = tr.list(one_line(m.display_name, 80) for m in request.members)
    reply = Reply(title=tr._("The fairest times for {names}", names=names))
    intro = []
    if all(s.inside_hours for s in slots):
        intro.append(tr._("Each is inside everyone's working hours."))
    elif any(s.off for s in slots):
        intro.append(tr.n_("No time avoids everyone's weekends, holidays and time off in the next {n} day; these affect the fewest people.",
                           "No time avoids everyone's weekends, holidays and time off in the next {n} days; these affect the fewest people.",
                           request.within_days))
    else:
        intro.append(tr._("No time is inside everyone's working hours; these keep the worst-off person closest to their day."))
    if history:
        took = [m for m in request.members if history.get(m.user_id)]
        if took:
            intro.append(tr._("Last time {names} took the early or late slot, so the burden rotates.",
                              names=tr.list(one_line(m.display_name, 80) for m in took)))
    reply.text = " ".join(intro)
    for number, slot in enumerate(slots, 1):
        lines = [attendee_line(tr, a.member, slot.start, slot.end, you=a.member.id == ctx.member.id)
                 + (" · " + tr._("busy in their calendar") if a.busy and not a.off else "")
                 for a in slot.attendance]
        title = tr._("Option {n}: {span} your time", n=tr.number(number), span=span(tr, slot.start, slot.end, ctx.member.tz))
        reply.add(title, lines)
        reply.buttons.append(Button(tr._("Book option {n}", n=tr.number(number)), "meet.book",
                                    slot_value(slot, request.members, request.weekly), "primary" if number == 1 else ""))
    if request.chart:
        from bot.teamclock import render_team_day
        best = slots[0]
        reply.image = render_team_day(tr, request.members, local_date(best.start, ctx.member.tz),
                                      ctx.member.tz, highlight=(best.start, best.end))
        reply.image_alt = tr._("The team's day, with option 1 highlighted")
    return reply


@command("meet add", N_("Book a meeting; everyone is reminded in their own time"),
         "\"<title>\" <date> <time> [zone] [duration] @a @b … [weekly]")
def meet_add(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    usage = tr._("Usage: /meet add \"<title>\" <date> <time> [zone] [duration] @a @b … [weekly]. Example: /meet add \"Design review\" 2026-03-26 15:00 Europe/Berlin 1h @lena @hana")
    words = args.plain
    if len(words) < 3:
        raise UserError(usage)
    title = one_line(words[0], 200)
    if not title:
        raise UserError(tr._("The meeting needs a title."))
    rest = words[3:]
    clock_text = words[2]
    if rest and rest[0].casefold().replace(".", "") in {"am", "pm"}:
        clock_text += rest.pop(0)
    clock = parse_clock(clock_text)
    weekly = False
    duration: timedelta | None = None
    zone_words: list[str] = []
    for word in rest:
        if word.casefold() == WEEKLY:
            weekly = True
        elif duration is None and word[:1].isdigit():
            duration = parse_duration(word)
        else:
            zone_words.append(word)
    zone = resolve_zone(" ".join(zone_words)).name if zone_words else ctx.member.tz
    day = parse_date(words[1], local_date(ctx.now(), zone), ctx.tr.locale_id)
    start = at_local(day, clock, zone)
    if to_utc(start) <= ctx.now():
        raise UserError(tr._("{time} on {date} has already passed.", time=tr.time(start), date=tr.date(start)))
    members = ctx.members_from([f"@{ctx.member.user_id}", *args.mentions])
    if len(members) > MAX_ATTENDEES:
        raise UserError(tr._("That is more than {n} people; I can plan for at most that many.", n=tr.number(MAX_ATTENDEES)))
    meeting = create_meeting(ctx.session, ctx.workspace, title=title, start=start, tz=zone,
                             duration=duration or DEFAULT_DURATION, members=members, organizer=ctx.member,
                             repeat=WEEKLY if weekly else None, now=ctx.now())
    return booked_reply(tr, meeting, ctx.member, ctx.now())


@command("meet", N_("Meetings across time zones: find, add, list, cancel, import"))
def meet_root(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("Unknown /meet command “{word}”. Try /help meet.", word=one_line(args[0], 40)))
    return meet_list(ctx, args)


@command("meet list", N_("Your upcoming meetings"))
def meet_list(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    found = upcoming(ctx.session, ctx.workspace.id, ctx.member, ctx.now())
    if not found:
        return Reply(text=tr._("You have no upcoming meetings. Find a fair time with /meet find @a @b 30m."))
    lines = []
    for number, (meeting, start) in enumerate(found, 1):
        weekly = " " + tr._("(weekly)") if meeting.repeat == WEEKLY else ""
        others = [one_line(m.display_name, 80) for m in meeting.members if m.id != ctx.member.id]
        lines.append(tr._("{n}. “{title}” — {span}{weekly} · with {names}", n=tr.number(number),
                          title=user_text(meeting.title, 200), span=span(tr, start, start + meeting.duration, ctx.member.tz),
                          weekly=weekly, names=tr.list(others) or "—"))
    return Reply(title=tr._("Your meetings (your time)"), text="\n".join(lines))


@command("meet cancel", N_("Cancel a meeting (a whole weekly series)"), "<number from /meet list>")
def meet_cancel(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    found = upcoming(ctx.session, ctx.workspace.id, ctx.member, ctx.now())
    if len(args) != 1 or not args[0].isdecimal() or not 1 <= int(args[0]) <= len(found):
        raise UserError(tr._("Which meeting? Give its number from /meet list."))
    meeting, _start = found[int(args[0]) - 1]
    if meeting.organizer_id != ctx.member.id and not ctx.is_admin:
        raise UserError(tr._("Only the organiser or a workspace admin can cancel “{title}”.", title=user_text(meeting.title, 200)))
    ctx.session.delete(meeting)
    ctx.replan()
    return Reply(text=tr._("Cancelled “{title}”. Nobody will be reminded of it.", title=user_text(meeting.title, 200)))


@command("meet import", N_("Import meetings from an .ics calendar file"))
def meet_import(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    return Reply(form=Form("meet.import", tr._("Import meetings from a calendar"),
                           (FormField("ics", tr._("Contents of the .ics file"), multiline=True, max_length=100_000),),
                           submit_label=tr._("Import")))
