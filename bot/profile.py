"""/profile: the settings a member keeps about themselves, and /help."""
from __future__ import annotations

from bot import holidays
from bot.time import parse_days, parse_hours
from bot.availability import work_days_on
from bot.i18n import N_, Translator, available_catalogs, is_known_locale, normalize_locale
from bot.models import Member
from bot.reply import Reply
from bot.router import COMMANDS, Args, Context, UserError, command, subcommands, top_level_commands
from bot.text import one_line


def profile_lines(tr: Translator, member: Member, today) -> list[str]:  # type: ignore[no-untyped-def]
    days = work_days_on(member, today)
    return [
        tr._("Time zone: {zone}", zone=member.tz),
        tr._("Country: {country}", country=tr.country_name(member.country)),
        tr._("Subdivision: {subdivision}", subdivision=member.subdivision or "—"),
        tr._("Language: {locale}", locale=tr.language_name(member.locale or tr.locale_id)),
        tr._("Working hours: {start}–{end}", start=tr.time(member.hours_start), end=tr.time(member.hours_end)),
        tr._("Working days: {days}", days=tr.weekdays(days)) + ("" if member.work_days else " " + tr._("(from your country)")),
        tr._("Meeting reminders: {minutes} minutes before", minutes=tr.number(member.remind_before_minutes)),
    ]


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


@command("profile country", N_("Set your country (ISO code, for holidays and weekends)"), "<country code>")
def profile_country(ctx: Context, args: Args) -> Reply:
    code = _one_value(ctx, args, "/profile country DE").upper()
    if len(code) != 2 or not code.isalpha() or code not in ctx.tr.locale.territories:
        raise UserError(ctx.tr._("“{value}” is not a two-letter country code like DE, IN or BR.", value=one_line(code, 20)))
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
    if not value.isdecimal() or not 0 < int(value) <= 24 * 60:
        raise UserError(ctx.tr._("Give the reminder lead time in minutes, between 1 and 1440."))
    ctx.member.remind_before_minutes = int(value)
    ctx.replan()
    return Reply(text=ctx.tr._("You will be reminded {minutes} minutes before meetings.", minutes=ctx.tr.number(int(value))))


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
