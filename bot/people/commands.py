"""The member's own settings and words: /profile and its settings, /profile about, /away, /whois and /help.

One implementation for every adapter. The about form (/profile about edit and its submit action) lives in
forms.py, imported here so it registers with the rest.
"""
from __future__ import annotations

from bot import availability, holidays
from bot.availability import work_days_on
from bot.i18n import N_, Translator, available_catalogs, is_known_locale, normalize_locale
from bot.models import Away
from bot.people import forms  # noqa: F401  (registers /profile about edit and its form action)
from bot.people.about import ABOUT_FIELDS, FIELDS_BY_KEY, AboutField, checked
from bot.people.away import MAX_AWAY_DAYS, add_away, overlapping_away, upcoming_away
from bot.people.messages import about_reply, away_line, whois_reply
from bot.people.profile import profile_lines
from bot.reply import Reply
from bot.router import COMMANDS, Args, Context, UserError, command, subcommands, top_level_commands
from bot.text import one_line
from bot.time import parse_date, parse_days, parse_hours, resolve_country

MAX_REMINDER_MINUTES = 1440          # a meeting reminder comes at most a day ahead


# --- /profile ------------------------------------------------------------------------------------

@command("profile", N_("Show your profile"))
def profile_show(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("Unknown profile setting “{name}”. Use one of: {names}.", name=one_line(args[0], 40),
                                 names=", ".join(dict.fromkeys(s.path[1] for s in subcommands("profile") if len(s.path) > 1))))
    return Reply(title=ctx.tr._("Profile of {name}", name=one_line(ctx.member.display_name, 80)),
                 text="\n".join(profile_lines(ctx.tr, ctx.member, ctx.today())))


def _one_value(ctx: Context, args: Args, example: str) -> str:
    if len(args) != 1:
        raise UserError(ctx.tr._("Give exactly one value, for example: {example}", example=example))
    return args[0]


@command("profile country", N_("Set your country (ISO code, for holidays and weekends)"), "<country code | name>")
def profile_country(ctx: Context, args: Args) -> Reply:
    if not args:
        raise UserError(ctx.tr._("Give exactly one value, for example: {example}", example="/profile country DE"))
    code = resolve_country(args.rest())
    if code != ctx.member.country:
        ctx.member.subdivision = None
    ctx.member.country = code
    ctx.replan()
    note = "" if holidays.is_supported(code) else " " + ctx.tr._("I have no public-holiday data for this country.")
    return Reply(text=ctx.tr._("Your country is now {country}.", country=ctx.tr.country_name(code)) + note)


@command("profile subdivision", N_("Set your state or region (for regional holidays)"), "<code | none>")
def profile_subdivision(ctx: Context, args: Args) -> Reply:
    value = _one_value(ctx, args, "/profile subdivision BY").upper()
    if value == "NONE":
        ctx.member.subdivision = None
        ctx.replan()
        return Reply(text=ctx.tr._("Your subdivision is cleared."))
    if not ctx.member.country:
        raise UserError(ctx.tr._("Set your country first: /profile country <code>."))
    known = holidays.subdivisions(ctx.member.country)
    if value not in known:
        raise UserError(ctx.tr._("“{value}” is not a subdivision of {country}. Known: {known}.", value=one_line(value, 20),
                                 country=ctx.tr.country_name(ctx.member.country), known=", ".join(known) or "—"))
    ctx.member.subdivision = value
    ctx.replan()
    return Reply(text=ctx.tr._("Your subdivision is now {value}.", value=value))


@command("profile hours", N_("Set your working hours"), "<09:00-17:00>")
def profile_hours(ctx: Context, args: Args) -> Reply:
    start, end = parse_hours(args.rest())
    ctx.member.hours_start, ctx.member.hours_end = start, end
    ctx.replan()
    return Reply(text=ctx.tr._("Your working hours are now {start}–{end}.", start=ctx.tr.time(start), end=ctx.tr.time(end)))


@command("profile days", N_("Set your working days"), "<mon,tue,… | sun-thu | default>")
def profile_days(ctx: Context, args: Args) -> Reply:
    value = args.rest()
    if value.casefold() == "default":
        ctx.member.set_work_days(None)
    else:
        days = parse_days(value)
        ctx.member.set_work_days(days)
    ctx.replan()
    return Reply(text=ctx.tr._("Your working days are now {days}.", days=ctx.tr.weekdays(work_days_on(ctx.member, ctx.today()))))


@command("profile locale", N_("Set the language Meridian speaks to you"), "<en | de | es | fr | pt_BR | ja | hi | ar | …>")
def profile_locale(ctx: Context, args: Args) -> Reply:
    value = _one_value(ctx, args, "/profile locale de")
    if not is_known_locale(value):
        raise UserError(ctx.tr._("“{value}” is not a language I know. Available: {available}.", value=one_line(value, 20),
                                 available=", ".join(["en"] + available_catalogs())))
    ctx.member.locale, ctx.member.locale_source = normalize_locale(value), "user"
    tr = Translator(ctx.member.locale)
    return Reply(text=tr._("I will speak {language} with you.", language=tr.locale.display_name or ctx.member.locale))


@command("profile reminder", N_("Minutes before a meeting that you get a reminder"), "<minutes>")
def profile_reminder(ctx: Context, args: Args) -> Reply:
    value = _one_value(ctx, args, "/profile reminder 10")
    if not value.isdecimal() or not 0 < int(value) <= MAX_REMINDER_MINUTES:
        raise UserError(ctx.tr._("Give the reminder lead time in minutes, between 1 and 1440."))
    ctx.member.remind_before_minutes = int(value)
    ctx.replan()
    return Reply(text=ctx.tr.n_("You will be reminded {n} minute before meetings.",
                                "You will be reminded {n} minutes before meetings.", int(value)))


# --- /profile about ------------------------------------------------------------------------------

@command("profile about", N_("What colleagues see about you: name, pronunciation, pronouns, languages, notes"),
         "[name | pronunciation | pronouns | languages | notes | edit | clear]")
def about_show(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("Unknown part “{name}”. Use one of: {names}.", name=one_line(args[0], 40),
                                 names=", ".join([f.key for f in ABOUT_FIELDS] + ["edit", "clear"])))
    return about_reply(ctx.tr, ctx.member)


def _setter(field: AboutField):  # type: ignore[no-untyped-def]
    def set_field(ctx: Context, args: Args) -> Reply:
        tr = ctx.tr
        value = checked(tr, field, args.rest())
        if not value:
            raise UserError(tr._("Write the text after the command, for example /profile about {key} <text>; remove it with /profile about clear {key}.",
                                 key=field.key))
        setattr(ctx.member, field.column, value)
        return about_reply(tr, ctx.member, tr._("Saved."))
    set_field.__name__ = f"about_{field.key}"
    return set_field


_SUMMARIES = {
    "name": N_("Set the name you like to be called"),
    "pronunciation": N_("Set how your name is pronounced"),
    "pronouns": N_("Set your pronouns"),
    "languages": N_("Set the languages you speak"),
    "notes": N_("Set your “how to work with me” notes"),
}
for _field in ABOUT_FIELDS:
    command(f"profile about {_field.key}", _SUMMARIES[_field.key], "<text>")(_setter(_field))


@command("profile about clear", N_("Remove what you wrote about yourself"), "[name | pronunciation | pronouns | languages | notes]")
def about_clear(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if len(args) > 1 or (args and args[0].casefold() not in FIELDS_BY_KEY):
        raise UserError(tr._("Clear everything with /profile about clear, or one part: {names}.",
                             names=", ".join(f.key for f in ABOUT_FIELDS)))
    fields = [FIELDS_BY_KEY[args[0].casefold()]] if args else list(ABOUT_FIELDS)
    for field in fields:
        setattr(ctx.member, field.column, None)
    return about_reply(tr, ctx.member, tr._("Removed."))


# --- /away -------------------------------------------------------------------------------------

@command("away", N_("Add time off (dates inclusive)"), "<from> <to> [note]")
def away_add(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if len(args) < 2:
        if not args:
            return away_list(ctx, args)
        raise UserError(tr._("Usage: /away <from> <to> [note], for example /away 2026-12-20 2027-01-04."))
    today = ctx.today()
    start = parse_date(args[0], today, ctx.tr.locale_id)
    end = parse_date(args[1], today, ctx.tr.locale_id)
    if end < start:
        raise UserError(tr._("The end date {end} is before the start date {start}.", end=tr.date(end), start=tr.date(start)))
    if (end - start).days >= MAX_AWAY_DAYS:
        raise UserError(tr._("Time off can be at most {n} days at once.", n=tr.number(MAX_AWAY_DAYS)))
    if end < today:
        raise UserError(tr._("That time off is entirely in the past."))
    note = one_line(args.rest(2), 200) or None
    period = overlapping_away(ctx.member, start, end)
    if period is not None:
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
    periods = upcoming_away(ctx.member, ctx.today())
    if not periods:
        return Reply(text=ctx.tr._("You have no upcoming time off. Add some with /away <from> <to>."))
    return Reply(title=ctx.tr._("Your time off"), text="\n".join(away_line(ctx.tr, i, p) for i, p in enumerate(periods, 1)))


@command("away cancel", N_("Cancel time off"), "[number | all]")
def away_cancel(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    periods = upcoming_away(ctx.member, ctx.today())
    if not periods:
        raise UserError(tr._("You have no upcoming time off to cancel."))
    if not args and len(periods) > 1:
        raise UserError(tr._("Which one? Give its number from /away list, or “all”."))
    chosen: list[Away]
    if not args or args[0].casefold() == "all":
        chosen = [p for p in periods if p.typed]     # calendar time off goes with the calendar event
    elif args[0].isdecimal() and 1 <= int(args[0]) <= len(periods):
        chosen = [periods[int(args[0]) - 1]]
    else:
        raise UserError(tr._("“{value}” is not a number from /away list.", value=one_line(args[0], 20)))
    if not chosen or not all(p.typed for p in chosen):
        raise UserError(tr._("That time off comes from your calendar: remove the event there, or stop reading your calendar with /profile calendar off."))
    for period in chosen:
        ctx.member.away.remove(period)
        ctx.session.delete(period)
    ctx.replan()
    return Reply(text=tr.n_("Cancelled {n} period of time off.", "Cancelled {n} periods of time off.", len(chosen)))


# --- /whois and /help ---------------------------------------------------------------------------

@command("whois", N_("A colleague's own profile, local time and status"), "[@member]")
def whois(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if len(args) > 1:
        raise UserError(tr._("Ask about one person, for example: /whois @member."))
    person = ctx.find_member(args[0]) if args else ctx.member
    return whois_reply(tr, person, availability.status_at(person, ctx.now(), tr.locale_id))


@command("help", N_("List the commands"), "[command]")
def help_command(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if args:
        top = args[0].lstrip("/").casefold()
        specs = subcommands(top)
        if not specs:
            raise UserError(tr._("I don't know the command “/{name}”. Try /help.", name=one_line(top, 40)))
        lines = [f"/{s.name} {s.usage}".rstrip() + " — " + tr._(s.summary) for s in specs]
        return Reply(title=tr._("Help for /{name}", name=top), text="\n".join(lines))
    lines = []
    for top in top_level_commands():
        spec = COMMANDS.get((top,)) or subcommands(top)[0]
        subs = [s.path[1] for s in subcommands(top) if len(s.path) == 2]
        extra = f" [{' | '.join(subs)}]" if subs else ""
        lines.append(f"/{top}{extra} — {tr._(spec.summary)}")
    return Reply(title=tr._("Meridian commands"), text="\n".join(lines) + "\n" + tr._("Type /help <command> for details."))
