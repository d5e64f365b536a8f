"""Holidays and time off ahead, by person. Read-only, scoped to one workspace; plain data, worded by the caller."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Sequence


from bot.holidays.absences import OffPeriod, off_periods
from bot.models import Member


def time_off(members: Sequence[Member], first: date, days: int, locale: str | None) -> list[OffPeriod]:
    """Public holidays and time off of every member from `first` for `days` days (members' own calendars)."""
    return off_periods(members, first, first + timedelta(days=days - 1), locale)
