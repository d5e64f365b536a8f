"""How the team clock words a member's moment: their local time, offset, zone and what they are doing."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from bot import availability
from bot.availability import MemberStatus, State
from bot.i18n import Translator
from bot.models import Member
from bot.reply import Reply
from bot.roster import GROUP_LINES, Group, group_lines, is_large
from bot.text import one_line
from bot.time import offset_of


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


def statuses_at(members: Iterable[Member], instant: datetime, locale: str) -> list[MemberStatus]:
    """Each member's status at `instant`, west to east (by UTC offset), then by name: the clock's order."""
    return sorted((availability.status_at(m, instant, locale) for m in members),
                  key=lambda s: (offset_of(s.local), s.member.display_name.casefold()))


def _group_status(tr: Translator, status: MemberStatus) -> str:
    """The status a group shares: as describe_status, except that everyone away is simply "away"."""
    return tr._("away") if status.state is State.AWAY else describe_status(tr, status)


def state_totals(tr: Translator, statuses: list[MemberStatus]) -> str:
    """'Of 2,000: 1,240 working, 410 on a public holiday, 350 outside working hours.' Counts add up."""
    counts = {state: 0 for state in State}
    for status in statuses:
        counts[status.state] += 1
    words = {State.WORKING: tr._("{n} working"), State.OUTSIDE_HOURS: tr._("{n} outside working hours"),
             State.WEEKEND: tr._("{n} on a weekend"), State.HOLIDAY: tr._("{n} on a public holiday"),
             State.AWAY: tr._("{n} away")}
    parts = [words[state].format(n=tr.number(count)) for state, count in counts.items() if count]
    return tr._("Of {total}: {counts}.", total=tr.number(len(statuses)), counts=tr.list(parts))


def zone_groups(tr: Translator, statuses: list[MemberStatus]) -> list[Group]:
    """Members sharing a zone, offset and status, in the clock's order (west to east)."""
    groups: dict[tuple[str, str, str], Group] = {}
    for status in statuses:
        shared = _group_status(tr, status)
        key = (status.offset, status.member.tz, shared)
        if key not in groups:
            label = tr._("{zone} UTC{offset} · {day} {time} · {status}", zone=status.member.tz, offset=status.offset,
                         day=tr.weekday(status.local.weekday(), "abbreviated"), time=tr.time(status.local),
                         status=shared)
            groups[key] = Group(label)
        groups[key].names.append(one_line(status.member.display_name, 40))
    return list(groups.values())


def clock_lines(tr: Translator, statuses: list[MemberStatus], *, hint: str, limit: int = GROUP_LINES) -> list[str]:
    """One line per member for a small audience; for a large one the totals, then zone groups, then `hint`
    (how to get the exact list)."""
    if not is_large(len(statuses)):
        return [member_line(tr, s) for s in statuses]
    return [state_totals(tr, statuses), *group_lines(tr, zone_groups(tr, statuses), limit), hint]


def filter_hint(tr: Translator) -> str:
    return tr._("For everyone's line: /time <zone, city or country code>, e.g. /time Europe, /time DE, or /time @member.")


def time_now(tr: Translator, members: Iterable[Member], now: datetime, *, limit: int = GROUP_LINES) -> Reply:
    """The team clock at `now`: one line per member, or zone groups for a large team; titled with how many work."""
    statuses = statuses_at(members, now, tr.locale_id)
    working = sum(1 for s in statuses if s.working)
    # Zero gets its own sentence: "0" takes the singular in French and Portuguese ("0 membro está trabalhando").
    title = (tr.n_("{n} member is working now", "{n} members are working now", working) if working
             else tr._("Nobody is working now"))
    return Reply(title=title, sections=[], text="\n".join(clock_lines(tr, statuses, hint=filter_hint(tr), limit=limit)))
