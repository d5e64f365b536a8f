"""Reading real-shaped exports (Google, Outlook/Exchange, Apple) into days off and busy intervals."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from pathlib import Path

import pytest

from bot.calendars.feed import FeedError, WorkingDay, read_feed, says_time_off

FEEDS = Path(__file__).parents[2] / "data" / "calendars"
BERLIN = WorkingDay("Europe/Berlin", time(9, 0), time(17, 0))
TODAY = date(2026, 3, 25)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def read(name: str, frame: WorkingDay = BERLIN):  # type: ignore[no-untyped-def]
    return read_feed((FEEDS / name).read_bytes(), frame, TODAY)


def days(first: date, last: date) -> set[date]:
    return {date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)}


def test_google_out_of_office_vacation_and_recurring_busy_time() -> None:
    reading = read("google.ics")
    # "Out of office" Mon 6 – Fri 10 April 09:00–18:00 Berlin covers those working days; the all-day
    # "Vacation in Lisbon" (DTEND exclusive) adds 20–21 April. The birthday is not time off.
    assert reading.days_off == days(date(2026, 4, 6), date(2026, 4, 10)) | {date(2026, 4, 20), date(2026, 4, 21)}
    # The weekly sync (Mon and Wed 10:00 Berlin): 30 March excluded (EXDATE), 1 April moved to 14:00.
    assert (utc(2026, 3, 25, 9, 0), utc(2026, 3, 25, 9, 30)) in reading.busy
    assert not any(start == utc(2026, 3, 30, 8, 0) for start, _ in reading.busy)
    assert (utc(2026, 4, 1, 12, 0), utc(2026, 4, 1, 12, 30)) in reading.busy
    assert not any(start == utc(2026, 4, 1, 8, 0) for start, _ in reading.busy)
    # Transparent lunch and the cancelled call are not busy.
    assert not any(start in (utc(2026, 3, 26, 13), utc(2026, 3, 27, 13)) for start, _ in reading.busy)


def test_outlook_windows_zones_oof_and_free() -> None:
    reading = read("outlook.ics")
    # All-day OOF 13–17 April; a timed OOF 08:00–18:00 covering the whole working day of 24 April.
    assert reading.days_off == days(date(2026, 4, 13), date(2026, 4, 17)) | {date(2026, 4, 24)}
    # "W. Europe Standard Time" is Berlin: 30 March is summer time, so 10:00 is 08:00 UTC.
    assert (utc(2026, 3, 30, 8, 0), utc(2026, 3, 30, 9, 30)) in reading.busy
    assert not any(start == utc(2026, 3, 31, 10) for start, _ in reading.busy)          # FREE
    thursdays = [start for start, _ in reading.busy if start.hour == 13 and start.weekday() == 3]
    assert thursdays == [utc(2026, 4, 2, 13), utc(2026, 4, 16, 13)]                     # 9 April is an EXDATE


def test_apple_all_day_urlaub_and_floating_times_in_the_members_zone() -> None:
    reading = read("apple.ics")
    assert reading.days_off == days(date(2026, 5, 4), date(2026, 5, 7))
    # The dentist at a floating 10:00 is 10:00 on the member's clock: Berlin (UTC+1 in March) ...
    assert (utc(2026, 3, 27, 9, 0), utc(2026, 3, 27, 10, 30)) in reading.busy
    # ... and Tokyo's 10:00 for a member there.
    tokyo = read("apple.ics", WorkingDay("Asia/Tokyo", time(9), time(17)))
    assert (utc(2026, 3, 27, 1, 0), utc(2026, 3, 27, 2, 30)) in tokyo.busy
    # "Kick-off" says "off" only inside a word: busy, not a day off.
    assert (utc(2026, 3, 26, 15), utc(2026, 3, 26, 16)) in reading.busy


@pytest.mark.parametrize("title", ["Vacation", "Urlaub", "Betriebsferien", "congés payés", "Vacaciones en Chile",
                                   "férias", "夏季休暇", "छुट्टी", "إجازة", "OOO", "Day off", "Out of office"])
def test_time_off_titles_in_every_language(title: str) -> None:
    assert says_time_off(title)


@pytest.mark.parametrize("title", ["Kick-off", "Offsite planning", "Leaves review", "Standup", "1:1"])
def test_ordinary_titles_are_not_time_off(title: str) -> None:
    assert not says_time_off(title)


@pytest.mark.parametrize("body", [b"", b"not a calendar at all", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n",
                                  b"BEGIN:VEVENT\r\nEND:VEVENT\r\n"])
def test_malformed_feeds_are_a_clear_error(body: bytes) -> None:
    with pytest.raises(FeedError):
        read_feed(body, BERLIN, TODAY)
