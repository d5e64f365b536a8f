"""Clock times, hours, days, dates, durations and instants as people type them."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from bot.time import TimeError, iso_z, parse_clock, parse_date, parse_days, parse_duration, parse_hours, parse_instant

UTC = timezone.utc


class TestParsing:
    @pytest.mark.parametrize("text, expected", [
        ("12pm", time(12)), ("12am", time(0)), ("12:30am", time(0, 30)), ("9", time(9)), ("09:30", time(9, 30)),
        ("9:30pm", time(21, 30)), ("3 PM", time(15)), ("21h30", time(21, 30)), ("noon", time(12)), ("midnight", time(0)),
        ("11 p.m.", time(23)),
    ])
    def test_clock(self, text: str, expected: time) -> None:
        assert parse_clock(text) == expected

    @pytest.mark.parametrize("text", ["25:00", "13pm", "0am", "9:75", "nine", "", "12:3", "-1"])
    def test_bad_clock(self, text: str) -> None:
        with pytest.raises(TimeError):
            parse_clock(text)

    def test_hours_and_days(self) -> None:
        assert parse_hours("09:00-17:00") == (time(9), time(17))
        assert parse_hours("22:00-06:00") == (time(22), time(6))
        assert parse_days("sun-thu") == (0, 1, 2, 3, 6)
        assert parse_days(["mon", "Tuesday"]) == (0, 1)
        with pytest.raises(TimeError):
            parse_days("funday")

    def test_dates(self) -> None:
        wednesday = date(2026, 3, 25)
        assert parse_date("tomorrow", wednesday) == date(2026, 3, 26)
        assert parse_date("friday", wednesday) == date(2026, 3, 27)
        assert parse_date("wednesday", wednesday) == wednesday
        assert parse_date("2026-12-24", wednesday) == date(2026, 12, 24)
        with pytest.raises(TimeError):
            parse_date("2026-02-30", wednesday)

    def test_durations(self) -> None:
        assert parse_duration("1h30m") == timedelta(minutes=90)
        assert parse_duration("45") == timedelta(minutes=45)
        for bad in ("0m", "abc", "25h", ""):
            with pytest.raises(TimeError):
                parse_duration(bad)

    def test_instants(self) -> None:
        assert parse_instant("2026-03-23T00:00Z") == datetime(2026, 3, 23, tzinfo=UTC)
        assert iso_z(datetime(2026, 3, 23, 1, 2, 3, tzinfo=UTC)) == "2026-03-23T01:02:03Z"
        with pytest.raises(TimeError):
            parse_instant("2026-03-23T00:00")
