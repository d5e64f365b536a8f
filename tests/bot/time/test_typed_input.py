"""What people type about time and place, in each language Meridian speaks: offsets, countries, hours, dates.

The property tests print with the same Translator the replies use and read the text back: whatever
Meridian shows a person, that person can type back.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import Translator
from bot.time import (
    TimeError, at_local, format_offset, looks_like_date, parse_date, parse_hours, parse_offset,
    resolve_country, resolve_zone, take_date, zones_at_offset,
)

LOCALES = ["en", "en_GB", "de", "es", "fr", "pt_BR", "ja", "hi", "ar"]
SUNDAY = date(2026, 12, 6)


class TestOffsets:
    @pytest.mark.parametrize("text, zone_name, hours", [
        ("GMT+3", "Etc/GMT-3", 3), ("UTC-5", "Etc/GMT+5", -5), ("utc+0", "UTC", 0), ("UTC+14", "Etc/GMT-14", 14),
        ("UTC−3", "Etc/GMT+3", -3), ("+2", "Etc/GMT-2", 2),
    ])
    def test_gmt_plus_3_means_three_hours_ahead_of_utc(self, text: str, zone_name: str, hours: int) -> None:
        match = resolve_zone(text)
        assert match.name == zone_name and match.fixed_offset == timedelta(hours=hours)
        noon = at_local(SUNDAY, time(12), match.name)
        assert noon.utcoffset() == timedelta(hours=hours)

    def test_half_hour_offsets_name_the_zones_at_that_offset(self) -> None:
        with pytest.raises(TimeError) as caught:
            resolve_zone("UTC+05:30")
        assert caught.value.code == "offset_without_zone" and "Asia/Kolkata" in caught.value.params["candidates"]
        with pytest.raises(TimeError) as caught:
            resolve_zone("+0545")
        assert caught.value.params["candidates"] == ("Asia/Kathmandu",)

    @pytest.mark.parametrize("text", ["UTC+15", "GMT-13", "UTC+05:75"])
    def test_offsets_no_place_has_are_unknown(self, text: str) -> None:
        with pytest.raises(TimeError) as caught:
            resolve_zone(text)
        assert caught.value.code == "unknown_zone"

    def test_zones_at_an_offset_follow_the_instant(self) -> None:
        winter, summer = datetime(2026, 1, 15, tzinfo=timezone.utc), datetime(2026, 7, 15, tzinfo=timezone.utc)
        assert "America/New_York" in zones_at_offset(timedelta(hours=-5), winter)
        assert "America/New_York" not in zones_at_offset(timedelta(hours=-5), summer)

    @given(st.integers(min_value=-12 * 4, max_value=14 * 4))
    def test_a_printed_offset_reads_back(self, quarters: int) -> None:
        offset = timedelta(minutes=15 * quarters)
        assert parse_offset("UTC" + format_offset(offset)) == offset


class TestCountries:
    @pytest.mark.parametrize("text", ["DE", "de", "Germany", "Deutschland", "Alemania", "Allemagne", "Alemanha",
                                      "ドイツ", "जर्मनी", "ألمانيا"])
    def test_country_names_in_every_language(self, text: str) -> None:
        assert resolve_country(text) == "DE"

    @pytest.mark.parametrize("text", ["ZZ", "XX", "Atlantis", "", "Unknown Region"])
    def test_unknown_region_is_not_a_country(self, text: str) -> None:
        with pytest.raises(TimeError) as caught:
            resolve_country(text)
        assert caught.value.code == "unknown_country"


class TestHours:
    @pytest.mark.parametrize("text, start, end", [
        ("9-5", time(9), time(17)), ("8:30-4:30", time(8, 30), time(16, 30)), ("10-2", time(10), time(14)),
        ("9am-5:30pm", time(9), time(17, 30)), ("9:00–17:30", time(9), time(17, 30)),
        ("21:00-05:00", time(21), time(5)), ("22-6", time(22), time(6)), ("09:00-05:00", time(9), time(5)),
        ("9 to 5", time(9), time(17)),
    ])
    def test_nine_to_five_is_a_day_shift(self, text: str, start: time, end: time) -> None:
        assert parse_hours(text) == (start, end)

    @settings(max_examples=80)
    @given(st.sampled_from(["en", "en_GB", "de", "fr", "es", "pt_BR", "ja"]),
           st.integers(min_value=0, max_value=24 * 60 - 1), st.integers(min_value=1, max_value=16 * 60 - 1))
    def test_echoed_hours_read_back(self, locale: str, start_minute: int, length: int) -> None:
        """What /profile hours echoes ('9:00 AM–5:00 PM', '09:00–17:00', '9:00–17:00') reads back as the
        same hours, for any shift shorter than 16 hours (longer ones are where '9-5' means 9 to 5 pm)."""
        end_minute = (start_minute + length) % (24 * 60)
        start, end = time(*divmod(start_minute, 60)), time(*divmod(end_minute, 60))
        tr = Translator(locale)
        assert parse_hours(f"{tr.time(start)}–{tr.time(end)}") == (start, end)


class TestDates:
    @pytest.mark.parametrize("locale, text, expected", [
        ("en", "Dec 25", date(2026, 12, 25)), ("en", "25 December 2027", date(2027, 12, 25)),
        ("en", "December 25, 2027", date(2027, 12, 25)), ("en", "12/25", date(2026, 12, 25)),
        ("en", "25/12", date(2026, 12, 25)),             # only one reading exists, whatever the order
        ("en", "1/2", date(2027, 1, 2)), ("en_GB", "1/2", date(2027, 2, 1)), ("de", "1.2.", date(2027, 2, 1)),
        ("de", "25.12.", date(2026, 12, 25)), ("de", "25. Dezember 2027", date(2027, 12, 25)),
        ("es", "25 de diciembre", date(2026, 12, 25)), ("fr", "lundi prochain", date(2026, 12, 7)),
        ("en", "next monday", date(2026, 12, 7)), ("en", "next sunday", date(2026, 12, 13)),
        ("en", "sunday", SUNDAY), ("en", "tues", date(2026, 12, 8)), ("en", "in 3 days", date(2026, 12, 9)),
        ("de", "übermorgen", date(2026, 12, 8)), ("de", "in 3 Tagen", date(2026, 12, 9)),
        ("fr", "dans 2 jours", date(2026, 12, 8)), ("ja", "明日", date(2026, 12, 7)),
        ("ja", "12月25日", date(2026, 12, 25)), ("ja", "2026/12/25", date(2026, 12, 25)),
        ("pt_BR", "amanhã", date(2026, 12, 7)), ("ar", "غدًا", date(2026, 12, 7)), ("hi", "कल", date(2026, 12, 7)),
        ("en", "Feb 29", date(2028, 2, 29)), ("en", "yesterday", date(2026, 12, 5)),
        ("en", "2026-03-25", date(2026, 3, 25)),
    ])
    def test_dates_as_people_write_them(self, locale: str, text: str, expected: date) -> None:
        assert parse_date(text, SUNDAY, locale) == expected

    @pytest.mark.parametrize("text", ["2026-02-30", "31/04", "Feb 30", "2026-13-01", "Dec 32"])
    def test_a_date_that_does_not_exist_is_named(self, text: str) -> None:
        with pytest.raises(TimeError) as caught:
            parse_date(text, SUNDAY)
        assert caught.value.code == "bad_date" and caught.value.params["text"] == text

    @pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "2200-01-01", "Dec 25 2200"])
    def test_far_dates_are_refused_not_crashed_on(self, text: str) -> None:
        with pytest.raises(TimeError) as caught:
            parse_date(text, SUNDAY)
        assert caught.value.code == "date_out_of_range"

    @pytest.mark.parametrize("day", [date(9999, 12, 31), date(1, 1, 1)])
    def test_local_times_at_the_edge_of_the_calendar_are_an_error(self, day: date) -> None:
        with pytest.raises(TimeError) as caught:
            at_local(day, time(15), "America/New_York")
        assert caught.value.code == "date_out_of_range"

    def test_the_longest_reading_wins_and_the_rest_is_left(self) -> None:
        assert take_date(["Dec", "25", "2027", "@hana"], SUNDAY) == (date(2027, 12, 25), 3)
        assert take_date(["Asia/Tokyo"], SUNDAY) == (None, 0)
        assert take_date(["3"], SUNDAY) == (None, 0)

    @pytest.mark.parametrize("word", ["2026-02-30", "25/12", "Dec", "Dezember"])
    def test_what_was_meant_as_a_date_is_recognised(self, word: str) -> None:
        assert looks_like_date(word, "de")

    @settings(max_examples=200)
    @given(st.sampled_from(LOCALES), st.dates(min_value=SUNDAY, max_value=date(2126, 12, 1)),
           st.sampled_from(["weekday", "medium", "short", "long"]))
    def test_every_date_meridian_prints_reads_back(self, locale: str, day: date, form: str) -> None:
        tr = Translator(locale)
        text = tr.weekday_date(day, this_year=SUNDAY.year) if form == "weekday" else tr.date(day, form)
        if form == "short" and day.year >= 2100:
            return              # a two-digit year ('1/2/27') is read in this century, as people mean it
        assert take_date(text.split(), SUNDAY, locale) == (day, len(text.split())), text
