"""Local-time recurrence: the next instant of "HH:MM in this zone", across DST, with day filters."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from bot.rituals import daily_local_due
from bot.time import next_local, on_weekdays

UTC = timezone.utc


def test_next_local_is_strictly_after_and_keyed_by_local_date() -> None:
    # 09:30 in Kathmandu (+05:45) is 03:45Z
    slot = next_local(datetime(2026, 3, 23, 3, 45, tzinfo=UTC), "Asia/Kathmandu", time(9, 30))
    assert slot is not None
    assert (slot.day, slot.due_at) == (date(2026, 3, 24), datetime(2026, 3, 24, 3, 45, tzinfo=UTC))
    due = daily_local_due(datetime(2026, 3, 23, 3, 44, tzinfo=UTC), "Asia/Kathmandu", time(9, 30))
    assert due is not None and due.key == "2026-03-23"


def test_east_of_utc_the_local_date_runs_ahead() -> None:
    # 20:00Z on the 23rd is already the 24th in Auckland (+13): its 09:30 is 20:30Z on the 23rd
    slot = next_local(datetime(2026, 3, 23, 20, 0, tzinfo=UTC), "Pacific/Auckland", time(9, 30))
    assert slot is not None and slot.day == date(2026, 3, 24)
    assert slot.due_at == datetime(2026, 3, 23, 20, 30, tzinfo=UTC)


def test_gap_fires_at_first_valid_instant_and_overlap_fires_first() -> None:
    gap = next_local(datetime(2026, 3, 8, 0, 0, tzinfo=UTC), "America/New_York", time(2, 30))
    assert gap is not None and gap.due_at == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)        # 03:00 EDT
    overlap = next_local(datetime(2026, 11, 1, 0, 0, tzinfo=UTC), "America/New_York", time(1, 30))
    assert overlap is not None and overlap.due_at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    after_first = next_local(overlap.due_at, "America/New_York", time(1, 30))
    assert after_first is not None and after_first.day == date(2026, 11, 2)  # not the second 01:30


def test_day_filter_and_horizon() -> None:
    monday = next_local(datetime(2026, 3, 25, 12, 0, tzinfo=UTC), "Europe/Berlin", time(9, 0), on_weekdays(0))
    assert monday is not None and monday.day == date(2026, 3, 30)
    assert next_local(datetime(2026, 3, 25, tzinfo=UTC), "UTC", time(9, 0), lambda day: False, horizon_days=30) is None
