"""Working weeks come from data (python-holidays, then CLDR), never from a hard-coded Saturday-Sunday."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from bot import holidays
from bot.holidays import calendar
from bot.availability import State, day_off, status_at, work_days_on
from bot.models import Member

FRI, SAT, SUN = 4, 5, 6


def member(**kwargs) -> Member:  # type: ignore[no-untyped-def]
    defaults = dict(user_id="x", name="X", tz="UTC", hours_start=time(9), hours_end=time(17), work_days=None, away=[])
    defaults.update(kwargs)
    return Member(**defaults)


def test_saudi_weekend_is_friday_saturday() -> None:
    assert holidays.weekend_days("SA", date(2026, 3, 25)) == {FRI, SAT}
    riyadh = member(tz="Asia/Riyadh", country="SA")
    assert work_days_on(riyadh, date(2026, 3, 25)) == {6, 0, 1, 2, 3}
    assert day_off(riyadh, date(2026, 3, 27)).state is State.WEEKEND       # Friday
    assert day_off(riyadh, date(2026, 3, 29)) is None                       # Sunday is a working day


def test_uae_moved_its_weekend_in_2022() -> None:
    assert holidays.weekend_days("AE", date(2021, 12, 1)) == {FRI, SAT}
    assert holidays.weekend_days("AE", date(2022, 1, 12)) == {SAT, SUN}
    dubai = member(tz="Asia/Dubai", country="AE")
    assert day_off(dubai, date(2021, 12, 10)).state is State.WEEKEND       # a Friday in 2021
    assert day_off(dubai, date(2022, 1, 14)) is None                        # a Friday in 2022


def test_sunday_only_and_cldr_fallback() -> None:
    assert holidays.weekend_days("IR", date(2026, 3, 25)) == {FRI}
    # CLDR's week data (the fallback for territories python-holidays lacks) agrees where both know.
    assert calendar._cldr_weekend("SA") == {FRI, SAT}
    assert calendar._cldr_weekend("IR") == {FRI}
    assert calendar._cldr_weekend("DE") == {SAT, SUN}
    assert calendar._cldr_weekend("ZZ") is None


def test_explicit_days_override_the_country() -> None:
    riyadh = member(tz="Asia/Riyadh", country="SA", work_days="mon,tue,wed,thu,fri")
    assert day_off(riyadh, date(2026, 3, 27)) is None


def test_subdivision_holiday_only_applies_there() -> None:
    munich = member(tz="Europe/Berlin", country="DE", subdivision="BY")
    berlin = member(tz="Europe/Berlin", country="DE", subdivision="BE")
    epiphany = date(2026, 1, 6)
    off = day_off(munich, epiphany, "de")
    assert off is not None and off.state is State.HOLIDAY and off.holiday.name == "Heilige Drei Könige"
    assert day_off(berlin, epiphany) is None


def test_status_at_uses_the_members_own_day() -> None:
    # 2026-01-05 23:30 UTC is already Tuesday 06 January (Epiphany) in Munich at 00:30.
    munich = member(tz="Europe/Berlin", country="DE", subdivision="BY")
    status = status_at(munich, datetime(2026, 1, 5, 23, 30, tzinfo=timezone.utc))
    assert status.state is State.HOLIDAY
    assert status.local.date() == date(2026, 1, 6)


def test_overnight_hours_belong_to_the_day_they_start() -> None:
    night = member(tz="UTC", country="GB", hours_start=time(22), hours_end=time(6))
    # Saturday 02:00 is the end of Friday's shift: working.
    assert status_at(night, datetime(2026, 3, 28, 2, 0, tzinfo=timezone.utc)).state is State.WORKING
    # Sunday 02:00 belongs to Saturday's (weekend) shift.
    assert status_at(night, datetime(2026, 3, 29, 2, 0, tzinfo=timezone.utc)).state is State.WEEKEND
