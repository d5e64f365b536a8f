"""The time-zone commands (/tz, /time, /when) through the console shell, on both databases."""
from __future__ import annotations

from datetime import datetime, timezone

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
