"""Holidays and working weeks: public holidays per country and region, /holidays, the weekly digest, the heads-up.

Teams across countries are off on different days: the data (python-holidays, then CLDR) says who
has which public holidays and which weekend, never a hard-coded Saturday-Sunday.

- `calendar`: holidays and working weeks from the data (what availability, culture, profile and
  the team file ask, re-exported here: `from bot.holidays import Holiday`, `holidays.holiday_on(…)`);
- `absences`: who is off when, and when a colleague's day off begins; `team`: whom it concerns;
- `messages`: the digest and heads-up texts; `commands`: /holidays; `rituals`: `holiday_digest`
  and `holiday_heads_up`.
"""
from bot.holidays.calendar import (
    Holiday, default_work_days, first_week_day, holiday_on, holidays_between, is_supported, iter_days,
    languages_by_population, subdivisions, supported_countries, territory_locale, weekend_days,
)

__all__ = [
    "Holiday", "default_work_days", "first_week_day", "holiday_on", "holidays_between", "is_supported", "iter_days",
    "languages_by_population", "subdivisions", "supported_countries", "territory_locale", "weekend_days",
]
