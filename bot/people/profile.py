"""The settings a member keeps about themselves, as /profile and /home show them."""
from __future__ import annotations

from datetime import date

from bot.availability import work_days_on
from bot.i18n import Translator
from bot.models import Member


def profile_lines(tr: Translator, member: Member, today: date) -> list[str]:
    """One line per setting: zone, country, subdivision, language, hours, days, reminder lead time."""
    days = work_days_on(member, today)
    return [
        tr._("Time zone: {zone}", zone=member.tz),
        tr._("Country: {country}", country=tr.country_name(member.country)),
        tr._("Subdivision: {subdivision}", subdivision=member.subdivision or "—"),
        tr._("Language: {locale}", locale=tr.language_name(member.locale or tr.locale_id)),
        tr._("Working hours: {start}–{end}", start=tr.time(member.hours_start), end=tr.time(member.hours_end)),
        tr._("Working days: {days}", days=tr.weekdays(days)) + ("" if member.work_days else " " + tr._("(from your country)")),
        tr.n_("Meeting reminders: {n} minute before", "Meeting reminders: {n} minutes before", member.remind_before_minutes),
    ]
