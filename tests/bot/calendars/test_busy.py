"""Busy hours from a calendar: `/meet find` and coffee intros suggest times around them."""
from __future__ import annotations

from datetime import datetime, timezone

from bot.calendars.busy import free_parts
from bot.core import Meridian
from tests.bot.calendars.conftest import sync_now
from tests.conftest import plain, shell_as
from tests.support.calendar_server import CalendarServer

# Lena's calendar: deep work every day 09:00–16:00 Berlin, so only 16:00–17:00 of her day is free.
DEEP_WORK = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Apple Inc.//macOS 15.3//EN\r
BEGIN:VEVENT\r
UID:deep-work\r
DTSTART;TZID=Europe/Berlin:20260323T090000\r
DTEND;TZID=Europe/Berlin:20260323T160000\r
RRULE:FREQ=DAILY\r
SUMMARY:Deep work\r
END:VEVENT\r
END:VCALENDAR\r
"""


def two_in_berlin(core: Meridian):  # type: ignore[no-untyped-def]
    hana = shell_as(core, "hana")
    hana.command("/tz set Europe/Berlin")
    lena = shell_as(core, "lena")
    lena.command("/tz set Europe/Berlin")
    return lena, hana


def test_meet_find_avoids_busy_hours_from_the_calendar(calendar_core: Meridian, calendar_server: CalendarServer) -> None:
    lena, hana = two_in_berlin(calendar_core)
    before = hana.command("/meet find @lena 1h within 2 days")
    assert "4:00 PM" not in plain(before.sections[0].title or "")          # 13:00 today was fairest
    lena.command(f"/profile calendar {calendar_server.feed('/lena.ics', DEEP_WORK)}")
    sync_now(calendar_core)
    reply = hana.command("/meet find @lena 1h within 2 days")
    assert not reply.error
    options = [section for section in reply.sections if section.title and section.title.startswith("Option")]
    assert options and all("4:00 PM" in plain(section.title) for section in options[:2])
    assert all("busy in their calendar" not in line for section in options[:2] for line in section.lines)


def test_free_parts_cut_busy_time_out_of_windows() -> None:
    def at(hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 3, 26, hour, minute, tzinfo=timezone.utc)
    windows = [(at(8), at(16))]
    assert free_parts(windows, [(at(9), at(10)), (at(12), at(13, 30)), (at(15), at(17))]) == [
        (at(8), at(9)), (at(10), at(12)), (at(13, 30), at(15))]
    assert free_parts(windows, [(at(7), at(17))]) == []
    assert free_parts(windows, []) == windows
    assert free_parts(windows, [(at(16), at(17)), (at(6), at(8))]) == windows
