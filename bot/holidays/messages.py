"""What the holidays feature says: the weekly digest, the heads-up, and the lines both are made of.

The digest covers the seven days from its Monday, in the workspace's language; the heads-up is
written in its reader's. A period reads "Fri, Apr 3 – Mon, Apr 6 · Lena Huber (Berlin): Good Friday,
Easter Monday", each place named as a city in the reader's language.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Sequence

from sqlalchemy.orm import Session

from bot.availability import State
from bot.holidays.absences import OffPeriod, off_periods, weekend_of
from bot.holidays.team import workspace_members
from bot.i18n import Translator
from bot.meetings import place_of
from bot.models import Member, Workspace
from bot.reply import Reply
from bot.roster import Group, group_lines, is_large, names_preview
from bot.text import one_line


def _dates(tr: Translator, start: date, end: date) -> str:
    if start == end:
        return tr.weekday_date(start)
    return tr._("{start} – {end}", start=tr.weekday_date(start), end=tr.weekday_date(end))


def why_off(tr: Translator, period: OffPeriod) -> str:
    if period.state is State.AWAY:
        return tr._("time off")
    names = tr.list(period.names)
    return tr._("{names} (date estimated)", names=names) if period.estimated else names


def period_line(tr: Translator, period: OffPeriod) -> str:
    """'Fri, Apr 3 – Mon, Apr 6 · Lena Huber (Berlin): Good Friday, Easter Monday'."""
    return tr._("{dates} · {name} ({place}): {why}", dates=_dates(tr, period.start, period.end),
                name=one_line(period.member.display_name, 80), place=place_of(tr, period.member), why=why_off(tr, period))


def period_groups(tr: Translator, periods: Sequence[OffPeriod]) -> list[Group]:
    """Periods with the same dates and reason in the same country, in date order: one line each."""
    groups: dict[tuple[date, date, str, str], Group] = {}
    for period in periods:
        why = why_off(tr, period)
        country = period.member.country or "" if period.state is State.HOLIDAY else ""
        key = (period.start, period.end, country, why)
        if key not in groups:
            label = (tr._("{dates} · {why} ({country})", dates=_dates(tr, period.start, period.end), why=why,
                          country=tr.country_name(country)) if country
                     else tr._("{dates} · {why}", dates=_dates(tr, period.start, period.end), why=why))
            groups[key] = Group(label)
        groups[key].names.append(one_line(period.member.display_name, 40))
    return [group for _, group in sorted(groups.items(), key=lambda item: item[0][:2])]


def off_lines(tr: Translator, periods: Sequence[OffPeriod], *, hint: str) -> list[str]:
    """One line per period for a small team; for a large one the totals, then groups by dates, reason
    and country, then `hint` (how to see the exact list)."""
    if not is_large(len(periods)):
        return [period_line(tr, p) for p in periods]
    people = len({p.member.id for p in periods})
    holidays = sum(1 for p in periods if p.state is State.HOLIDAY)
    totals = tr.n_("{n} person is off at least one day: {holidays} public-holiday periods, {away} time-off periods.",
                   "{n} people are off at least one day: {holidays} public-holiday periods, {away} time-off periods.",
                   people, holidays=tr.number(holidays), away=tr.number(len(periods) - holidays))
    return [totals, *group_lines(tr, period_groups(tr, periods)), hint]


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
        names = names_preview(tr, [one_line(m.display_name, 80) for m in people])
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
    if is_large(len(periods)):   # Discord holds 1,024 characters per section: a long list goes in the text
        reply.text = "\n".join(off_lines(tr, periods, hint=tr._("/holidays shows the coming days; /holidays @member for someone.")))
    elif periods:
        reply.add(tr._("Who is off"), [period_line(tr, p) for p in periods])
    else:
        reply.text = tr._("Nobody in the team has a public holiday or time off this week.")
    if weekends:
        reply.add(tr._("Weekends differ"), weekends)
    return reply


def heads_up(tr: Translator, items: Sequence[OffPeriod]) -> Reply:
    lines = [period_line(tr, p) for p in items]
    title = tr.n_("Heads-up: {n} colleague will be off", "Heads-up: {n} colleagues will be off", len(items))
    return Reply(title=title, text="\n".join(lines) + "\n" + tr._("Plan handovers and meetings around it; /holidays shows more."))
