"""Holiday awareness: /holidays, the weekly holiday digest and the heads-up before a colleague's day off.

The scheduler (scheduler/holidays.py) decides when; this module decides what is said:

- `off_periods`: who is off (public holiday or personal time off) on which of their own dates,
  consecutive days merged. Weekends are not "off periods": they recur, so the digest lists the
  team's different weekends once instead ("Friday and Saturday are the weekend in Riyadh").
- the digest covers the seven days from its Monday, in the workspace's language;
- the heads-up goes to a member on their working day before a colleague's day off begins.
  "Colleague" = someone who shares a meeting with them; a member who has no meetings hears about
  the whole workspace team.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot import availability, holidays, meetings
from bot.availability import State
from bot.i18n import N_, Translator
from bot.meetings import place_of
from bot.models import Member, Workspace
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.text import one_line

DEFAULT_DAYS = 14
MAX_DAYS = 366
MAX_RUN_DAYS = 366


@dataclass
class OffPeriod:
    """Consecutive local dates on which a member is off for the same kind of reason."""

    member: Member
    start: date
    end: date
    state: State                                   # HOLIDAY or AWAY
    names: list[str] = field(default_factory=list)  # holiday names, in the reader's language
    estimated: bool = False


def _off(member: Member, day: date, locale: str | None) -> availability.DayOff | None:
    """A holiday or time off on the member's `day`, with availability's precedence (away first).

    Weekends do not count here, so their (costlier) working-week lookup is not made at all."""
    period = availability.away_on(member, day)
    if period is not None:
        return availability.DayOff(State.AWAY, away=period)
    holiday = holidays.holiday_on(member.country, member.subdivision, day, locale)
    return availability.DayOff(State.HOLIDAY, holiday=holiday) if holiday is not None else None


def _run_from(member: Member, start: date, locale: str | None) -> OffPeriod | None:
    first = _off(member, start, locale)
    if first is None:
        return None
    period = OffPeriod(member, start, start, first.state)
    day = start
    while True:
        reason = _off(member, day, locale)
        if reason is None or reason.state is not period.state:
            break
        if reason.holiday is not None:
            for name in reason.holiday.name.split("; "):
                if name not in period.names:
                    period.names.append(name)
            period.estimated = period.estimated or reason.holiday.estimated
        period.end = day
        day += timedelta(days=1)
        if (day - start).days >= MAX_RUN_DAYS:
            break
    return period


def off_periods(members: Iterable[Member], first: date, last: date, locale: str | None) -> list[OffPeriod]:
    """Everyone's holidays and time off touching [first, last], sorted by start then name."""
    out = []
    for member in members:
        day = first
        while day <= last:
            period = _run_from(member, day, locale)
            if period is None:
                day += timedelta(days=1)
                continue
            out.append(period)
            day = period.end + timedelta(days=1)
    return sorted(out, key=lambda p: (p.start, p.member.display_name.casefold(), p.member.user_id))


def _dates(tr: Translator, start: date, end: date) -> str:
    if start == end:
        return tr.weekday_date(start)
    return tr._("{start} – {end}", start=tr.weekday_date(start), end=tr.weekday_date(end))


def _why(tr: Translator, period: OffPeriod) -> str:
    if period.state is State.AWAY:
        return tr._("time off")
    names = tr.list(period.names)
    return tr._("{names} (date estimated)", names=names) if period.estimated else names


def period_line(tr: Translator, period: OffPeriod) -> str:
    """'Fri, Apr 3 – Mon, Apr 6 · Lena Huber (Berlin): Good Friday, Easter Monday'."""
    return tr._("{dates} · {name} ({place}): {why}", dates=_dates(tr, period.start, period.end),
                name=one_line(period.member.display_name, 80), place=place_of(tr, period.member), why=_why(tr, period))


# --- weekends ------------------------------------------------------------------------------------

def weekend_of(member: Member, day: date) -> frozenset[int]:
    return frozenset(range(7)) - availability.work_days_on(member, day)


def weekend_lines(tr: Translator, members: Sequence[Member], day: date) -> list[str]:
    """The weekends that differ from the team's usual one, then the usual one; empty when all agree."""
    groups: dict[frozenset[int], list[Member]] = {}
    for member in members:
        groups.setdefault(weekend_of(member, day), []).append(member)
    if len(groups) < 2:
        return []
    usual = max(groups, key=lambda k: (len(groups[k]), sorted(k) == [5, 6], sorted(k)))
    lines = []
    for weekend, people in sorted(groups.items(), key=lambda kv: sorted(kv[0])):
        if weekend == usual:
            continue
        places = tr.list(sorted({place_of(tr, m) for m in people}))
        names = tr.list(one_line(m.display_name, 80) for m in people)
        if not weekend:
            lines.append(tr._("{names} ({places}) work every day of the week.", names=names, places=places))
            continue
        days = tr.list(tr.weekday(d) for d in sorted(weekend))
        lines.append(tr.n_("{days} is the weekend in {places} ({names}).", "{days} are the weekend in {places} ({names}).",
                           len(weekend), days=days, places=places, names=names))
    usual_days = tr.list(tr.weekday(d) for d in sorted(usual))
    lines.append(tr.n_("{days} for everyone else.", "{days} for everyone else.", len(usual), days=usual_days)
                 if usual else tr._("Everyone else works every day of the week."))
    return lines


# --- the weekly digest ---------------------------------------------------------------------------

def workspace_members(session: Session, workspace_id: int) -> list[Member]:
    """Every member with their time off loaded in one query (availability reads it for each day)."""
    return list(session.scalars(select(Member).where(Member.workspace_id == workspace_id)
                                .options(selectinload(Member.away)).order_by(Member.name, Member.user_id)))


def reference_zone(members: Sequence[Member]) -> str:
    """The zone whose morning is "the channel's morning": most members' zone; ties go to an admin's."""
    if not members:
        return "UTC"
    counts = Counter(m.tz for m in members)
    admins = {m.tz for m in members if m.is_admin}
    return min(counts, key=lambda z: (-counts[z], z not in admins, z))


def weekly_digest(session: Session, workspace: Workspace, week_start: date) -> Reply | None:
    """The channel post for the week from `week_start`: holidays, time off and different weekends."""
    tr = Translator(workspace.locale)
    members = workspace_members(session, workspace.id)
    week_end = week_start + timedelta(days=6)
    periods = off_periods(members, week_start, week_end, tr.locale_id)
    weekends = weekend_lines(tr, members, week_start)
    if not periods and not weekends:
        return None
    reply = Reply(title=tr._("Holidays and time off, {start} – {end}", start=tr.weekday_date(week_start),
                             end=tr.weekday_date(week_end)), ephemeral=False)
    if periods:
        reply.add(tr._("Who is off"), [period_line(tr, p) for p in periods])
    else:
        reply.text = tr._("Nobody in the team has a public holiday or time off this week.")
    if weekends:
        reply.add(tr._("Weekends differ"), weekends)
    return reply


# --- the heads-up --------------------------------------------------------------------------------

SMALL_TEAM = 25


def colleagues(session: Session, workspace_id: int, member: Member, team: Sequence[Member] | None = None) -> list[Member]:
    """Whom `member` works with: their meeting partners; with no meetings, the whole team if it is small.

    In a large workspace "everyone" is nobody in particular: someone is off every day, and a daily
    heads-up about strangers is noise, so only shared meetings count there. `team` lets a caller
    that plans for every member pass the member list it already loaded.
    """
    partners = meetings.partners(session, workspace_id, member)
    if partners:
        return partners
    team = workspace_members(session, workspace_id) if team is None else team
    if len(team) > SMALL_TEAM:
        return []
    return [m for m in team if m.id != member.id]


def off_starts(others: Sequence[Member], first: date, last: date) -> list[tuple[date, Member]]:
    """(day, colleague) for every holiday or time off that begins on [first, last]: computed once per
    colleague and day, so planning a heads-up does not ask the same question for every candidate day."""
    found = []
    for other in others:
        before = _off(other, first - timedelta(days=1), None)
        day = first
        while day <= last:
            today = _off(other, day, None)
            if today is not None and (before is None or before.state is not today.state):
                found.append((day, other))
            before, day = today, day + timedelta(days=1)
    return sorted(found, key=lambda pair: (pair[0], pair[1].display_name.casefold(), pair[1].user_id))


def heads_up_window(member: Member, day: date) -> tuple[date, date] | None:
    """The colleagues' dates a heads-up on `day` covers: after it, up to the member's next working day."""
    following = availability.next_working_day(member, day)
    return (day + timedelta(days=1), following) if following is not None else None


def heads_up_items(member: Member, others: Sequence[Member], day: date, locale: str | None) -> list[OffPeriod]:
    """Colleagues whose holiday or time off begins after `day` and by `member`'s next working day."""
    window = heads_up_window(member, day)
    if window is None:
        return []
    colleagues_only = [o for o in others if o.id != member.id]
    items = [_run_from(other, start, locale) for start, other in off_starts(colleagues_only, *window)]
    return [p for p in items if p is not None]


def heads_up(tr: Translator, items: Sequence[OffPeriod]) -> Reply:
    lines = [period_line(tr, p) for p in items]
    title = tr.n_("Heads-up: {n} colleague will be off", "Heads-up: {n} colleagues will be off", len(items))
    return Reply(title=title, text="\n".join(lines) + "\n" + tr._("Plan handovers and meetings around it; /holidays shows more."))


# --- /holidays -----------------------------------------------------------------------------------

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
         "[N days] | <country[-region]> [year]")
def holidays_command(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    words = [w for w in args.plain if w.casefold() not in {"day", "days"}]
    if not words or (len(words) == 1 and words[0].isdecimal() and len(words[0]) <= 3):
        days = int(words[0]) if words else DEFAULT_DAYS
        if not 1 <= days <= MAX_DAYS:
            raise UserError(tr._("Give a number of days between 1 and {n}.", n=tr.number(MAX_DAYS)))
        return _team_holidays(ctx, days)
    return _country_holidays(ctx, words)


def _team_holidays(ctx: Context, days: int) -> Reply:
    tr = ctx.tr
    first = ctx.today()
    last = first + timedelta(days=days - 1)
    periods = off_periods(ctx.members(), first, last, tr.locale_id)
    title = tr.n_("Who is off in the next {n} day", "Who is off in the next {n} days", days)
    if not periods:
        return Reply(title=title, text=tr._("Nobody in the team has a public holiday or time off until {date}.",
                                            date=tr.weekday_date(last)))
    return Reply(title=title, text="\n".join(period_line(tr, p) for p in periods))


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
    if not holidays.is_supported(country):
        raise UserError(tr._("I have no public-holiday data for {country}.", country=tr.country_name(country)))
    if subdivision and subdivision not in holidays.subdivisions(country):
        raise UserError(tr._("“{value}” is not a subdivision of {country}. Known: {known}.", value=one_line(subdivision, 10),
                             country=tr.country_name(country), known=", ".join(holidays.subdivisions(country)) or "—"))
    found_days = holidays.holidays_between(country, subdivision, date(year, 1, 1), date(year, 12, 31), tr.locale_id)
    where = tr.country_name(country) + (f" ({subdivision})" if subdivision else "")
    lines = []
    for holiday in found_days:
        name = tr._("{name} (date estimated)", name=holiday.name) if holiday.estimated else holiday.name
        lines.append(tr._("{date} — {name}", date=tr.weekday_date(holiday.day), name=name))
    weekend = sorted(holidays.weekend_days(country, date(year, 6, 1)))
    reply = Reply(title=tr._("Public holidays in {where}, {year}", where=where, year=str(year)),
                  text="\n".join(lines) or tr._("No public holidays found."))
    reply.add(None, [tr._("Weekend: {days}", days=tr.list(tr.weekday(d) for d in weekend))])
    return reply
