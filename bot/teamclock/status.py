"""How the team clock words a member's moment: their local time, offset, zone and what they are doing."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from bot import availability
from bot.availability import MemberStatus, State
from bot.i18n import Translator
from bot.models import Member
from bot.reply import Reply
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


def time_now(tr: Translator, members: Iterable[Member], now: datetime) -> Reply:
    """The team clock at `now`: one line per member, titled with how many are working."""
    statuses = statuses_at(members, now, tr.locale_id)
    lines = [member_line(tr, s) for s in statuses]
    working = sum(1 for s in statuses if s.working)
    # Zero gets its own sentence: "0" takes the singular in French and Portuguese ("0 membro está trabalhando").
    title = (tr.n_("{n} member is working now", "{n} members are working now", working) if working
             else tr._("Nobody is working now"))
    return Reply(title=title, sections=[], text="\n".join(lines))
