"""/holidays: who in the team is off in the next days, or a country's public holidays for a year."""
from __future__ import annotations

from datetime import date, timedelta

from bot.holidays import calendar
from bot.holidays.absences import off_periods
from bot.holidays.messages import off_lines
from bot.i18n import N_, Translator
from bot.models import Member
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.text import one_line

DEFAULT_DAYS = 14
MAX_DAYS = 366


def _country(tr: Translator, text: str) -> tuple[str, str | None] | None:
    """'DE', 'de-by', 'Germany', 'Deutschland' -> ('DE', None | 'BY'); None when it is not a country."""
    raw = text.strip()
    code, _, sub = raw.partition("-")
    if len(code) == 2 and code.isalpha():
        return code.upper(), (sub.upper() or None)
    folded = raw.casefold()
    for locale in (tr.locale, Translator("en").locale):
        for territory, name in locale.territories.items():
            if len(territory) == 2 and name.casefold() == folded:
                return territory, None
    return None


@command("holidays", N_("Who is off in the next days, or a country's public holidays"),
         "[N days] [@member …] | <country[-region]> [year]")
def holidays_command(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    words = [w for w in args.plain if w.casefold() not in {"day", "days"}]
    if not words or (len(words) == 1 and words[0].isdecimal() and len(words[0]) <= 3):
        days = int(words[0]) if words else DEFAULT_DAYS
        if not 1 <= days <= MAX_DAYS:
            raise UserError(tr._("Give a number of days between 1 and {n}.", n=tr.number(MAX_DAYS)))
        return _team_holidays(ctx, days, ctx.members_from(args.mentions) if args.mentions else ctx.members())
    return _country_holidays(ctx, words)


def _team_holidays(ctx: Context, days: int, members: list[Member]) -> Reply:
    tr = ctx.tr
    first = ctx.today()
    last = first + timedelta(days=days - 1)
    periods = off_periods(members, first, last, tr.locale_id)
    # Titled by its dates (as the weekly digest is), not "in the next {n} days": dates need no plural agreement.
    title = tr._("Holidays and time off, {start} – {end}", start=tr.weekday_date(first), end=tr.weekday_date(last))
    if not periods:
        return Reply(title=title, text=tr._("Nobody in the team has a public holiday or time off until {date}.",
                                            date=tr.weekday_date(last)))
    hint = tr._("For exact dates: /holidays {days} @member …, or /holidays <country> for a country's calendar.",
                days=str(days))
    return Reply(title=title, text="\n".join(off_lines(tr, periods, hint=hint)))


def _country_holidays(ctx: Context, words: list[str]) -> Reply:
    tr = ctx.tr
    year = ctx.today().year
    if words[-1].isdecimal() and len(words[-1]) == 4:
        year = int(words.pop())
    if not 1900 <= year <= 2200:
        raise UserError(tr._("Give a year between 1900 and 2200."))
    usage = tr._("Usage: /holidays [N days], or /holidays <country[-region]> [year], for example /holidays DE-BY 2026.")
    if not words:
        raise UserError(usage)
    subdivision = None
    if len(words) > 1 and len(words[-1]) <= 3 and words[-1].isalnum():
        subdivision = words.pop().upper()
    found = _country(tr, " ".join(words))
    if found is None:
        raise UserError(tr._("“{text}” is not a country I know. Use a code like DE, IN or SA, or a name.",
                             text=one_line(" ".join(words), 40)) + " " + usage)
    country, sub = found
    subdivision = sub or subdivision
    if not calendar.is_supported(country):
        raise UserError(tr._("I have no public-holiday data for {country}.", country=tr.country_name(country)))
    if subdivision and subdivision not in calendar.subdivisions(country):
        raise UserError(tr._("“{value}” is not a subdivision of {country}. Known: {known}.", value=one_line(subdivision, 10),
                             country=tr.country_name(country), known=", ".join(calendar.subdivisions(country)) or "—"))
    found_days = calendar.holidays_between(country, subdivision, date(year, 1, 1), date(year, 12, 31), tr.locale_id)
    where = tr.country_name(country) + (f" ({subdivision})" if subdivision else "")
    lines = []
    for holiday in found_days:
        name = tr._("{name} (date estimated)", name=holiday.name) if holiday.estimated else holiday.name
        lines.append(tr._("{date} — {name}", date=tr.weekday_date(holiday.day), name=name))
    weekend = sorted(calendar.weekend_days(country, date(year, 6, 1)))
    reply = Reply(title=tr._("Public holidays in {where}, {year}", where=where, year=str(year)),
                  text="\n".join(lines) or tr._("No public holidays found."))
    reply.add(None, [tr._("Weekend: {days}", days=tr.list(tr.weekday(d) for d in weekend))])
    return reply
