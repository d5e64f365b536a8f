"""The time-zone commands (/tz, /time, /when) through the console shell, on both databases."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.time import to_utc
from tests.conftest import plain, shell_as


def test_tz_set_accepts_cities_in_any_spelling(shell) -> None:  # type: ignore[no-untyped-def]
    reply = shell.command("/tz set São Paulo")
    assert not reply.error
    assert "America/Sao_Paulo" in reply.text
    assert "America/Sao_Paulo" in shell.command("/tz").text


def test_tz_set_ambiguous_lists_candidates(shell) -> None:  # type: ignore[no-untyped-def]
    reply = shell.command("/tz set IST")
    assert reply.error
    assert "Asia/Kolkata" in reply.text and "Europe/Dublin" in reply.text


def test_time_lists_team_with_offsets_and_status(shell, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 3, 27, 10, 0, tzinfo=timezone.utc))   # Friday: weekend in Riyadh
    text = plain(shell.command("/time").text)
    assert "Ravi Shrestha — Fri 3:45 PM (UTC+05:45" in text
    assert "Omar Al-Harbi" in text and "weekend" in text.split("Omar Al-Harbi")[1].split("\n")[0]
    assert "UTC+10:30" not in text and "UTC+11:00, Australia/Lord_Howe" in text


def test_time_shows_holiday_name(shell, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 1, 6, 10, 0, tzinfo=timezone.utc))
    line = [l for l in shell.command("/time @lena").text.splitlines() if "Lena" in l][0]
    assert "public holiday" in line and "Epiphany" in line or "Heilige Drei Könige" in line


def test_when_converts_for_everyone(shell) -> None:  # type: ignore[no-untyped-def]
    reply = shell.command("/when 3pm 2026-03-26 Asia/Tokyo")
    assert not reply.error
    assert "Lena Huber — Thu 7:00 AM (UTC+01:00" in plain(reply.text)
    assert "Sam Rivera — Wed 11:00 PM (UTC-07:00" in plain(reply.text)


def test_when_in_a_members_zone(shell) -> None:  # type: ignore[no-untyped-def]
    reply = shell.command("/when 12am 2026-03-26 @hana")
    assert "Hana Sato — Thu 12:00 AM (UTC+09:00" in plain(reply.text)


def test_when_gap_and_overlap(shell) -> None:  # type: ignore[no-untyped-def]
    gap = shell.command("/when 02:30 2024-03-10 America/New_York")
    assert gap.error and "does not exist" in gap.text
    overlap = shell.command("/when 01:30 2024-11-03 America/New_York")
    assert overlap.error and "twice" in overlap.text and "first" in overlap.text
    chosen = shell.command("/when 01:30 2024-11-03 America/New_York second")
    assert not chosen.error and "UTC-05:00" not in chosen.text.split("\n")[0]


def test_errors_arrive_in_the_members_language_format(demo) -> None:  # type: ignore[no-untyped-def]
    shell = shell_as(demo, "newcomer", locale="de")
    reply = shell.command("/when 02:30 2024-03-10 America/New_York")
    assert reply.error and "02:30" in reply.text  # German 24-hour clock


# --- what a new user typed (issue #19's audit) -----------------------------------------------------

def test_tz_set_gmt_plus_3_is_three_hours_ahead_and_says_it_is_fixed(shell) -> None:  # type: ignore[no-untyped-def]
    reply = shell.command("/tz set GMT+3")
    assert not reply.error and "Etc/GMT-3 (UTC+03:00)" in reply.text
    assert "does not follow daylight saving" in reply.text and "set it instead: Asia/Riyadh" in reply.text


def test_tz_set_utc_minus_5_and_half_hour_offsets(shell) -> None:  # type: ignore[no-untyped-def]
    assert "(UTC-05:00)" in shell.command("/tz set UTC-5").text
    reply = shell.command("/tz set UTC+05:30")
    assert reply.error and "Asia/Kolkata" in reply.text and "don't know" not in reply.text


@pytest.mark.parametrize("line, named", [
    ("/when 15:00 2026-02-30", "2026-02-30"), ("/when 3pm Dec 32", "Dec 32"), ("/when 3pm 31/04 Asia/Tokyo", "31/04"),
])
def test_when_names_the_bad_date_not_a_zone(shell, line: str, named: str) -> None:  # type: ignore[no-untyped-def]
    reply = shell.command(line)
    assert reply.error and f"“{named}” is not a date" in reply.text and "time zone" not in reply.text


@pytest.mark.parametrize("words, day", [
    ("Dec 25", "Fri, Dec 25"), ("25/12", "Fri, Dec 25"), ("next monday", "Mon, Mar 30"), ("Asia/Tokyo friday", "Fri, Mar 27"),
    ("in 2 days", "Fri, Mar 27"),
])
def test_when_reads_dates_people_write(shell, words: str, day: str) -> None:  # type: ignore[no-untyped-def]
    reply = shell.command(f"/when 3pm {words}")
    assert not reply.error, reply.text
    assert day in plain(reply.title or "")


def test_when_far_dates_are_an_error_not_a_crash(shell) -> None:  # type: ignore[no-untyped-def]
    reply = shell.command("/when 3pm 9999-12-31")
    assert reply.error and "2199-12-31" in reply.text and "Something went wrong" not in reply.text


def test_when_shows_the_year_of_another_year(shell) -> None:  # type: ignore[no-untyped-def]
    assert "2099" in (shell.command("/when 3pm 2099-01-01").title or "")
    assert "2026" not in (shell.command("/when 3pm 2026-12-24").title or "")


def test_when_says_a_past_time_is_past(shell) -> None:  # type: ignore[no-untyped-def]
    reply = shell.command("/when 3am EST")            # 12:00 UTC is 07:00 in New York: 3am has passed
    assert not reply.error and "already passed" in reply.text
    assert "already passed" not in shell.command("/when 3pm EST").text


def test_when_takes_several_members_and_first_or_second_anywhere(shell) -> None:  # type: ignore[no-untyped-def]
    reply = shell.command("/when 3pm @hana @omar")
    assert not reply.error
    names = [line.split(" — ")[0] for line in reply.text.splitlines() if " — " in line]
    assert sorted(names) == ["Amara Okafor", "Hana Sato", "Omar Al-Harbi"]
    assert plain(reply.title or "") == "When it is 3:00 PM on Wed, Mar 25 for Hana Sato:"
    early = shell.command("/when 01:30 first 2024-11-03 America/New_York")
    late = shell.command("/when 01:30 second 2024-11-03 America/New_York")
    assert not early.error and not late.error and to_utc(early.instant) < to_utc(late.instant)


def test_when_in_german_reads_german_dates(demo) -> None:  # type: ignore[no-untyped-def]
    shell = shell_as(demo, "newcomer", locale="de")
    reply = shell.command("/when 15:00 übermorgen")
    assert not reply.error and "Fr., 27. März" in (reply.title or "")
    assert not shell.command("/when 15:00 24.12.").error
