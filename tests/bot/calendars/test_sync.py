"""/profile calendar end to end: a member pastes a private address once, and a local server plays the
calendar (real-shaped Google, Outlook and Apple exports, 304s, a dropped event, failing feeds)."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select, text

from bot import availability
from bot.availability import State
from bot.calendars.models import BusyBlock, CalendarFeed
from bot.core import Meridian
from bot.models import Away, Member
from bot.privacy import export_workspace
from tests.bot.calendars.conftest import sync_now
from tests.conftest import plain, shell_as
from tests.support.calendar_server import CalendarServer

FEEDS = Path(__file__).parents[2] / "data" / "calendars"
GOOGLE = (FEEDS / "google.ics").read_bytes()
SECRET_PATH = "/calendar/ical/lena%40example.com/private-5f1e2d3c4b5a69788796a5b4c3d2e1f0/basic.ics"


def lena(core: Meridian):  # type: ignore[no-untyped-def]
    shell = shell_as(core, "lena")
    assert not shell.command("/tz set Europe/Berlin").error
    return shell


def member(session, user_id: str = "lena") -> Member:  # type: ignore[no-untyped-def]
    found = session.scalar(select(Member).where(Member.user_id == user_id))
    assert found is not None
    return found


def test_a_pasted_address_brings_vacations_into_away_list_and_availability(
        calendar_core: Meridian, calendar_server: CalendarServer) -> None:
    shell = lena(calendar_core)
    url = calendar_server.feed(SECRET_PATH, GOOGLE)
    reply = shell.command(f"/profile calendar {url}")
    assert not reply.error
    assert "private-5f1e" not in reply.as_text() and "127.0.0.1/….ics" in reply.as_text()

    assert sync_now(calendar_core) == ["lena: +2026-04-06..2026-04-10, +2026-04-20..2026-04-21; 52 busy blocks"]
    listed = plain(shell.command("/away list").text)
    assert "Apr 6, 2026 – Apr 10, 2026 (from your calendar)" in listed
    assert "Apr 20, 2026 – Apr 21, 2026 (from your calendar)" in listed
    with calendar_core.db.session() as session:
        person = member(session)
        assert availability.day_off(person, date(2026, 4, 7)).state is State.AWAY
        assert all(a.note is None for a in person.away)                       # no titles kept
        # The address is stored encrypted; nothing of it but the host is readable in the database.
        stored = session.execute(text("SELECT url_secret, url_hint FROM calendar_feeds")).one()
        assert "private-5f1e" not in stored.url_secret and "private" not in stored.url_hint
        exported = str(export_workspace(session, person.workspace, calendar_core.clock.now()))
        assert "calendar_busy" in exported and stored.url_secret not in exported
    assert "127.0.0.1" in shell.command("/profile calendar").text


def test_unchanged_feeds_cost_a_304_and_dropped_events_disappear(
        calendar_core: Meridian, calendar_server: CalendarServer) -> None:
    shell = lena(calendar_core)
    url = calendar_server.feed(SECRET_PATH, GOOGLE)
    shell.command(f"/profile calendar {url}")
    sync_now(calendar_core)
    assert sync_now(calendar_core) == ["lena: unchanged (not modified)"]
    path, headers = calendar_server.requests[-1]
    assert headers.get("If-None-Match", "").startswith('"') and "If-Modified-Since" in headers
    assert "Authorization" not in headers and "Cookie" not in headers

    # Lena deletes her Lisbon vacation: the next sync removes it.
    without_lisbon = GOOGLE.replace(b"SUMMARY:Vacation in Lisbon", b"SUMMARY:Lisbon flights research")
    calendar_server.feed(SECRET_PATH, without_lisbon)
    assert sync_now(calendar_core) == ["lena: -2026-04-20..2026-04-21; 52 busy blocks"]
    assert "Apr 20" not in shell.command("/away list").text


def test_typed_time_off_wins_and_calendar_time_off_cannot_be_cancelled_here(
        calendar_core: Meridian, calendar_server: CalendarServer) -> None:
    shell = lena(calendar_core)
    assert not shell.command("/away 2026-04-08 2026-04-09 Family visit").error
    shell.command(f"/profile calendar {calendar_server.feed(SECRET_PATH, GOOGLE)}")
    sync_now(calendar_core)
    with calendar_core.db.session() as session:
        person = member(session)
        assert availability.away_on(person, date(2026, 4, 8)).note == "Family visit"
        from_calendar = sorted((a.start_date, a.end_date) for a in person.away if not a.typed)
        assert from_calendar == [(date(2026, 4, 6), date(2026, 4, 7)), (date(2026, 4, 10), date(2026, 4, 10)),
                                 (date(2026, 4, 20), date(2026, 4, 21))]
    listed = shell.command("/away list").text.splitlines()
    calendar_line = next(i for i, line in enumerate(listed, 1) if "from your calendar" in line)
    refused = shell.command(f"/away cancel {calendar_line}")
    assert refused.error and "/profile calendar off" in refused.text


def test_off_deletes_everything_that_came_from_the_calendar(
        calendar_core: Meridian, calendar_server: CalendarServer) -> None:
    shell = lena(calendar_core)
    shell.command("/away 2026-05-01 2026-05-01")
    shell.command(f"/profile calendar {calendar_server.feed(SECRET_PATH, GOOGLE)}")
    sync_now(calendar_core)
    assert not shell.command("/profile calendar off").error
    with calendar_core.db.session() as session:
        assert session.scalars(select(CalendarFeed)).all() == []
        assert session.scalars(select(BusyBlock)).all() == []
        assert [(a.start_date, a.source) for a in session.scalars(select(Away))] == [(date(2026, 5, 1), None)]
    assert shell.command("/profile calendar off").error                     # nothing left to disconnect


def test_forget_me_removes_the_feed_and_what_came_from_it(
        calendar_core: Meridian, calendar_server: CalendarServer) -> None:
    shell = lena(calendar_core)
    shell.command(f"/profile calendar {calendar_server.feed(SECRET_PATH, GOOGLE)}")
    sync_now(calendar_core)
    shell.command("/forget-me")
    assert not shell.press(1).error
    with calendar_core.db.session() as session:
        assert session.scalars(select(CalendarFeed)).all() == []
        assert session.scalars(select(BusyBlock)).all() == []
        assert session.scalars(select(Away)).all() == []


def test_bad_addresses_are_refused_in_the_members_language_and_change_nothing(calendar_core: Meridian) -> None:
    shell = lena(calendar_core)
    shell.command("/profile locale de")
    for address in ("ftp://example.com/cal.ics", "https://user:pw@example.com/cal.ics", "not-an-address",
                    "file:///etc/passwd"):
        reply = shell.command(f"/profile calendar {address}")
        assert reply.error
        assert "Kalender" in reply.text
    with calendar_core.db.session() as session:
        assert session.scalars(select(CalendarFeed)).all() == []


def test_without_a_secret_key_calendars_cannot_be_connected(core: Meridian) -> None:
    shell = lena(core)
    reply = shell.command("/profile calendar https://calendar.example.com/private/basic.ics")
    assert reply.error and "MERIDIAN_SECRET_KEY" in reply.text


def test_a_failing_feed_backs_off_and_the_member_is_told_once(
        calendar_core: Meridian, calendar_server: CalendarServer) -> None:
    from bot.calendars.rituals import CalendarPoll
    from bot.models import Occurrence, Workspace

    shell = lena(calendar_core)
    shell.command(f"/profile calendar {calendar_server.url('/gone.ics')}")
    ritual = CalendarPoll()
    notices, gaps = [], []
    with calendar_core.db.session() as session:
        workspace = session.scalar(select(Workspace))
        now = calendar_core.clock.now()
        for attempt in range(6):
            due = ritual.next_due(session, workspace, "lena", now)
            assert due is not None
            gaps.append(due.due_at - now)
            now = due.due_at
            built = ritual.build(session, workspace, Occurrence(recipient="lena", key=due.key), now)
            notices += built
    assert [gap > timedelta(0) for gap in gaps] == [True] * 6
    assert gaps[3] > gaps[2] > gaps[1]                                      # exponential backoff
    assert len(notices) == 1                                                # once per failing streak
    notice = notices[0].reply.as_text()
    assert "no longer works" in notice and "127.0.0.1/….ics" in notice and "/profile calendar off" in notice
    assert "failed (http_404)" in sync_now(calendar_core)[0]
