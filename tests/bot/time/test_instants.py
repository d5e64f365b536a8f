"""Instants, local wall-clock times and DST, checked on the zones that break naive code."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from bot.time import day_bounds, format_offset, local_date, localize, minutes_outside, offset_of, overlap_duration, ritual_instant, to_local, utc_offset, working_window
from bot.time import GapPolicy, OverlapPolicy, TimeError

UTC = timezone.utc


def offset_text(instant: datetime) -> str:
    return format_offset(offset_of(instant))


class TestDstGapsAndOverlaps:
    def test_new_york_spring_gap_does_not_exist(self) -> None:
        with pytest.raises(TimeError) as caught:
            localize(datetime(2024, 3, 10, 2, 30), "America/New_York")
        assert caught.value.code == "nonexistent_time"

    def test_gap_moves_forward_to_the_first_valid_instant(self) -> None:
        fired = localize(datetime(2024, 3, 10, 2, 30), "America/New_York", gap=GapPolicy.FORWARD)
        assert fired.astimezone(UTC) == datetime(2024, 3, 10, 7, 0, tzinfo=UTC)
        assert (fired.hour, fired.minute, offset_text(fired)) == (3, 0, "-04:00")

    def test_new_york_autumn_overlap_is_ambiguous(self) -> None:
        with pytest.raises(TimeError) as caught:
            localize(datetime(2024, 11, 3, 1, 30), "America/New_York")
        assert caught.value.code == "ambiguous_time"
        first, second = caught.value.params["first"], caught.value.params["second"]
        assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
        assert (offset_text(first), offset_text(second)) == ("-04:00", "-05:00")

    def test_overlap_policies_pick_each_instant(self) -> None:
        first = localize(datetime(2024, 11, 3, 1, 30), "America/New_York", overlap=OverlapPolicy.FIRST)
        second = localize(datetime(2024, 11, 3, 1, 30), "America/New_York", overlap=OverlapPolicy.SECOND)
        assert first.astimezone(UTC) == datetime(2024, 11, 3, 5, 30, tzinfo=UTC)
        assert second.astimezone(UTC) == datetime(2024, 11, 3, 6, 30, tzinfo=UTC)

    def test_lord_howe_half_hour_dst(self) -> None:
        # Lord Howe moves between +10:30 and +11:00: a 30-minute change.
        winter = to_local(datetime(2026, 7, 1, tzinfo=UTC), "Australia/Lord_Howe")
        summer = to_local(datetime(2026, 1, 1, tzinfo=UTC), "Australia/Lord_Howe")
        assert (offset_text(winter), offset_text(summer)) == ("+10:30", "+11:00")
        # Spring forward on 2026-10-04: 02:00 -> 02:30; 02:15 does not exist.
        with pytest.raises(TimeError):
            localize(datetime(2026, 10, 4, 2, 15), "Australia/Lord_Howe")
        moved = ritual_instant(date(2026, 10, 4), time(2, 15), "Australia/Lord_Howe")
        assert (moved.hour, moved.minute) == (2, 30)
        # Fall back on 2026-04-05: 01:30-02:00 happens twice, 30 minutes apart.
        with pytest.raises(TimeError) as caught:
            localize(datetime(2026, 4, 5, 1, 45), "Australia/Lord_Howe")
        first, second = caught.value.params["first"], caught.value.params["second"]
        assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(minutes=30)

    def test_chatham_offsets(self) -> None:
        assert offset_text(to_local(datetime(2026, 7, 1, tzinfo=UTC), "Pacific/Chatham")) == "+12:45"
        assert offset_text(to_local(datetime(2026, 1, 1, tzinfo=UTC), "Pacific/Chatham")) == "+13:45"

    def test_kathmandu_is_plus_0545(self) -> None:
        local = to_local(datetime(2026, 3, 25, 12, 0, tzinfo=UTC), "Asia/Kathmandu")
        assert (local.hour, local.minute, offset_text(local)) == (17, 45, "+05:45")

    def test_kiritimati_and_honolulu_on_different_days_at_one_instant(self) -> None:
        instant = datetime(2026, 3, 25, 10, 0, tzinfo=UTC)   # 00:00 Thu in Kiritimati, 00:00 Wed in Honolulu
        assert local_date(instant, "Pacific/Kiritimati") == date(2026, 3, 26)
        assert local_date(instant, "Pacific/Honolulu") == date(2026, 3, 25)
        assert offset_text(to_local(instant, "Pacific/Kiritimati")) == "+14:00"

    def test_samoa_skipped_2011_12_30(self) -> None:
        before = datetime(2011, 12, 30, 9, 59, tzinfo=UTC)  # 23:59 on the 29th in Apia (-10)
        after = before + timedelta(minutes=1)
        assert to_local(before, "Pacific/Apia").date() == date(2011, 12, 29)
        assert to_local(after, "Pacific/Apia").date() == date(2011, 12, 31)
        with pytest.raises(TimeError):
            localize(datetime(2011, 12, 30, 12, 0), "Pacific/Apia")
        start, end = day_bounds(date(2011, 12, 29), "Pacific/Apia")
        assert end - start == timedelta(hours=24)

    def test_phoenix_and_los_angeles(self) -> None:
        july = datetime(2026, 7, 1, 12, tzinfo=UTC)
        january = datetime(2026, 1, 15, 12, tzinfo=UTC)
        assert utc_offset(july, "America/Phoenix") == utc_offset(july, "America/Los_Angeles")
        assert utc_offset(january, "America/Phoenix") - utc_offset(january, "America/Los_Angeles") == timedelta(hours=1)

    def test_day_bounds_have_23_and_25_hours_on_dst_days(self) -> None:
        start, end = day_bounds(date(2026, 3, 8), "America/New_York")
        assert end - start == timedelta(hours=23)
        start, end = day_bounds(date(2026, 11, 1), "America/New_York")
        assert end - start == timedelta(hours=25)


def test_working_window_and_overlap_follow_dst() -> None:
    berlin = working_window(date(2026, 3, 27), time(9), time(17), "Europe/Berlin")   # CET (+1)
    berlin_after = working_window(date(2026, 3, 30), time(9), time(17), "Europe/Berlin")  # CEST (+2)
    assert berlin[0].hour == 8 and berlin_after[0].hour == 7
    new_york = working_window(date(2026, 3, 27), time(9), time(17), "America/New_York")  # EDT (-4)
    assert overlap_duration([berlin], [new_york]) == timedelta(hours=3)


def test_minutes_outside_hours() -> None:
    local = to_local(datetime(2026, 3, 25, 6, 0, tzinfo=UTC), "Europe/Berlin")  # 07:00
    assert minutes_outside(local, time(9), time(17)) == 120
    assert minutes_outside(local.replace(hour=10), time(9), time(17)) == 0


def test_offset_of_reads_the_offset_a_local_time_carries() -> None:
    instant = datetime(2026, 3, 25, 12, 0, tzinfo=UTC)
    assert offset_of(to_local(instant, "Asia/Kathmandu")) == timedelta(hours=5, minutes=45) == utc_offset(instant, "Asia/Kathmandu")
    with pytest.raises(ValueError):
        offset_of(datetime(2026, 3, 25, 12, 0))
