"""A simulated week with the real engine: the calendar is read on schedule, and standups, coffee rounds
and coffee intros honour the time off and busy hours it holds, without the member typing anything."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from sqlalchemy import select

from adapters.console.sender import ConsoleSender
from bot.calendars.busy import busy_times
from bot.calendars.rituals import CalendarPoll
from bot.coffee.messages import build_intro
from bot.coffee.models import CoffeeGroup, CoffeeSeat
from bot.coffee.rounds import run_round
from bot.core import Meridian
from bot.models import Member, Occurrence, Workspace
from bot.rituals import RITUALS
from bot.standups.rituals import PROMPT
from bot.teamfile import import_file
from bot.time import SimulatedClock, to_local
from scheduler.engine import Engine
from scheduler.simulate import run_until
from tests.bot.calendars.conftest import sync_now
from tests.conftest import shell_as
from tests.support.calendar_server import CalendarServer

TEAM = Path(__file__).parents[2] / "data" / "standup-team.toml"
# Lena (Berlin) is out of office Mon 30 March – Wed 1 April, as Outlook publishes it.
OUT_OF_OFFICE = b"""BEGIN:VCALENDAR\r
METHOD:PUBLISH\r
PRODID:Microsoft Exchange Server 2010\r
VERSION:2.0\r
BEGIN:VEVENT\r
UID:040000008200E00074C5B7101A82E008000000001\r
SUMMARY:Away\r
DTSTART;VALUE=DATE:20260330\r
DTEND;VALUE=DATE:20260402\r
TRANSP:TRANSPARENT\r
X-MICROSOFT-CDO-BUSYSTATUS:OOF\r
X-MICROSOFT-CDO-ALLDAYEVENT:TRUE\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:040000008200E00074C5B7101A82E008000000002\r
SUMMARY:Busy\r
DTSTART;TZID=W. Europe Standard Time:20260402T140000\r
DTEND;TZID=W. Europe Standard Time:20260402T150000\r
RRULE:FREQ=DAILY;COUNT=10\r
X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r
END:VEVENT\r
END:VCALENDAR\r
"""


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


async def test_a_week_of_standups_honours_calendar_time_off(calendar_core: Meridian, calendar_server: CalendarServer,
                                                            clock: SimulatedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MERIDIAN_CALENDAR_POLL_MINUTES", "720")          # twice a day keeps the simulation short
    with calendar_core.db.session() as session:
        import_file(session, TEAM, platform="console", workspace_external_id="default")
    lena = shell_as(calendar_core, "lena")
    assert not lena.command(f"/profile calendar {calendar_server.feed('/lena.ics', OUT_OF_OFFICE)}").error

    sender = ConsoleSender(clock=clock)
    rituals = {r.kind: r for r in (PROMPT, RITUALS[CalendarPoll.kind])}
    engine = Engine(calendar_core.db, clock, {"console": sender}, settings=calendar_core.settings, replica_id="test",
                    rituals=rituals, concurrency=1)
    await run_until(engine, clock, utc(2026, 4, 4, 0))

    lena_days = sorted(to_local(m.at, "Europe/Berlin").date() for m in sender.messages
                       if m.message.kind == "standup_prompt" and m.message.to == "lena")
    # Not on her calendar's out-of-office days (30 March – 1 April); 3 April is Good Friday in Bavaria.
    assert lena_days == [date(2026, 3, 26), date(2026, 3, 27), date(2026, 4, 2)]
    others = {m.message.to for m in sender.messages if m.message.kind == "standup_prompt"
              and to_local(m.at, "Europe/Berlin").date() == date(2026, 3, 31)}
    assert others and "lena" not in others
    with calendar_core.db.session() as session:
        polls = session.scalars(select(Occurrence).where(Occurrence.kind == "calendar_poll",
                                                         Occurrence.status == "sent")).all()
        assert len(polls) >= 2 * 9 - 1                          # every 12 hours over the simulated days
    # Only the first read transferred the feed; every later one was a 304.
    assert sum(1 for _, headers in calendar_server.requests if "If-None-Match" not in headers) == 1


def test_coffee_leaves_out_a_member_on_calendar_time_off_and_intros_avoid_busy_hours(
        calendar_core: Meridian, calendar_server: CalendarServer) -> None:
    with calendar_core.db.session() as session:
        import_file(session, TEAM, platform="console", workspace_external_id="default")
        session.scalar(select(Member).where(Member.user_id == "lena")).is_admin = True  # type: ignore[union-attr]
    lena = shell_as(calendar_core, "lena")
    assert not lena.command("/coffee config on").error
    lena.command(f"/profile calendar {calendar_server.feed('/lena.ics', OUT_OF_OFFICE)}")
    sync_now(calendar_core)
    with calendar_core.db.session() as session:
        workspace = session.scalar(select(Workspace))
        lena_id = session.scalar(select(Member.id).where(Member.user_id == "lena"))
        on_vacation = run_round(session, workspace, date(2026, 3, 30), calendar_core.now())
        first = session.scalar(select(CoffeeSeat).where(CoffeeSeat.round_id == on_vacation.id,
                                                        CoffeeSeat.member_id == lena_id))
        # Away Monday to Wednesday by her calendar, back on Thursday: still in that week's round (coffee
        # counts availability by the week), and her intro waits for her first working day back.
        assert first is not None and first.group_id is not None
        waiting = session.scalar(select(Occurrence).where(Occurrence.kind == "coffee_intro",
                                                          Occurrence.recipient == f"group:{first.group_id}"))
        assert waiting is not None and waiting.due_at >= utc(2026, 4, 1, 22)   # Thursday 2 April in Berlin
        back = run_round(session, workspace, date(2026, 4, 2), calendar_core.now())
        seat = session.scalar(select(CoffeeSeat).where(CoffeeSeat.round_id == back.id, CoffeeSeat.member_id == lena_id))
        assert seat is not None and seat.group_id is not None
        intro = session.scalar(select(Occurrence).where(Occurrence.kind == "coffee_intro",
                                                        Occurrence.recipient == f"group:{seat.group_id}"))
        group = session.get(CoffeeGroup, seat.group_id)
        assert intro is not None and group is not None
        built = build_intro(session, workspace, dict(intro.payload or {}), utc(2026, 4, 2, 5))
    assert isinstance(built, list)
    slots = next(s for s in built[0].reply.sections if s.title and s.title.startswith("Suggested"))
    # Lena is busy 14:00–15:00 Berlin every day from 2 April: no suggestion puts her in that hour.
    lena_times = [re.search(r"(\d{1,2}):(\d{2})\s*(AM|PM)?[^·]*Lena", line) for line in slots.lines]
    assert lena_times and all(lena_times)
    for found in lena_times:
        hour = int(found.group(1)) % 12 + (12 if found.group(3) == "PM" else 0) if found.group(3) else int(found.group(1))
        assert hour != 14, slots.lines
    with calendar_core.db.session() as session:
        member = session.scalar(select(Member).where(Member.user_id == "lena"))
        stored = busy_times(session, [member], utc(2026, 4, 1), utc(2026, 4, 5))  # type: ignore[list-item]
    assert stored[lena_id] == [(utc(2026, 4, d, 12), utc(2026, 4, d, 13)) for d in (2, 3, 4)]
