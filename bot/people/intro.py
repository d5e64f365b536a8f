"""The short form of a person for a first conversation: who they are, where and when they are.

Coffee intros and meeting reminders call `short_intro(tr, member, now)`; it joins the member's own words
(`profile_summary`) with one line of facts about their moment (`card_summary`).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from bot import availability, holidays
from bot.culture import day_span
from bot.i18n import Translator
from bot.models import Member
from bot.people.about import profile_summary
from bot.teamclock import describe_status

_INTRO_HOLIDAY_HORIZON = timedelta(days=14)


def card_summary(tr: Translator, member: Member, now: datetime) -> str:
    """Where and when the member is, in one line: local time, country, status, working week, a close holiday."""
    status = availability.status_at(member, now, tr.locale_id)
    local = status.local
    parts = [tr._("{day} {time} (UTC{offset})", day=tr.weekday(local.weekday(), "abbreviated"),
                  time=tr.time(local), offset=status.offset)]
    if member.country:
        parts.append(tr.country_name(member.country))
    parts.append(describe_status(tr, status))
    parts.append(tr._("works {days}", days=day_span(tr, availability.work_days_on(member, local.date()))))
    upcoming = holidays.holidays_between(member.country, member.subdivision, local.date() + timedelta(days=1),
                                         local.date() + _INTRO_HOLIDAY_HORIZON, tr.locale_id)
    if upcoming:
        parts.append(tr._("next public holiday {date}: {name}", date=tr.weekday_date(upcoming[0].day),
                          name=upcoming[0].name))
    return " · ".join(parts)


def short_intro(tr: Translator, member: Member, now: datetime) -> list[str]:
    """The short form of a person's card and profile, for coffee intros and meeting reminders.

    Pure: reads the member (and their time off) and the clock's `now`; every piece of member-typed
    text is neutralised, so callers may put these lines straight into a Reply.
    """
    about = profile_summary(tr, member)
    return [about[0], card_summary(tr, member, now), *about[1:]]
