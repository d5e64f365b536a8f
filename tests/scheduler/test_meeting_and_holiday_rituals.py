"""meeting_reminder, holiday_digest and holiday_heads_up: `meridian simulate` over a week with meetings
between Berlin, Bangalore, New York and Tokyo, and each ritual's next_due and build on both databases."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from operations.cli import main
from bot.away import add_away
from bot.core import Meridian
from bot.i18n import Translator
from bot.meetings import Meeting, reminder_recipient
from bot.models import Member, Occurrence, Workspace
from scheduler.holidays import HolidayDigest, HolidayHeadsUp
from scheduler.meetings import MeetingReminder
from bot.rituals import Skip
from tests.conftest import plain
from tests.support.meetings_team import TEAM, team  # noqa: F401  (fixture)

ZONES = {"lena": "Europe/Berlin", "priya": "Asia/Kolkata", "nia": "America/New_York", "hana": "Asia/Tokyo"}
LOCALES = {"lena": "de", "priya": "en", "nia": "en", "hana": "ja"}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """The real `meridian simulate` over 22-31 March 2026 (the EU clocks change on the 29th), as JSON lines."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["simulate", "--team", str(TEAM), "--start", "2026-03-22T00:00Z", "--days", "9"]) == 0
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def reminders(records: list[dict], title: str) -> dict[tuple[str, str], dict]:
    return {(r["to"], r["at"]): r for r in records if r["kind"] == "meeting_reminder" and title in r["text"]}


def expected_line(reader: str, other: str, start: datetime, minutes: int) -> str:
    """What the reader's reminder must say about `other`: their wall clock, formatted for the reader."""
    tr = Translator(LOCALES[reader])
    local = start.astimezone(ZoneInfo(ZONES[other]))
    return tr._("{day} {start}–{end}", day=tr.weekday_date(local), start=tr.time(local),   # the reader's own pattern
                end=tr.time(local + timedelta(minutes=minutes)))


def test_each_reminder_arrives_at_start_minus_lead_and_states_every_attendees_local_time(week: list[dict]) -> None:
    sync = reminders(week, "Weekly sync")
    # Monday 23 March 15:00 Berlin (14:00Z), then 30 March 15:00 Berlin, which is 13:00Z after the clock change.
    for start in (utc(2026, 3, 23, 14), utc(2026, 3, 30, 13)):
        due = (start - timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert {to for to, at in sync if at == due} == set(ZONES), due
        for reader in ZONES:
            record = sync[(reader, due)]
            text = plain(record["text"])
            own = start.astimezone(ZoneInfo(ZONES[reader]))
            assert datetime.fromisoformat(record["local_time"]) == own - timedelta(minutes=15)
            assert plain(Translator(LOCALES[reader]).time(own)) in text.splitlines()[1]
            for other in set(ZONES) - {reader}:
                assert plain(expected_line(reader, other, start, 45)) in text, (reader, other, text)
    # Tokyo is outside its hours, and everyone's reminder says so.
    outside = Translator(LOCALES["hana"])._("outside working hours")          # in Hana's language
    assert outside in sync[("hana", "2026-03-23T13:45:00Z")]["text"].splitlines()[1]
    assert "Outside working hours: Hana Sato and Priya Nair." in sync[("nia", "2026-03-23T13:45:00Z")]["text"]


def test_a_meeting_on_an_attendees_public_holiday_is_flagged_in_every_reminder(week: list[dict]) -> None:
    review = reminders(week, "Design review")
    # Thursday 26 March 09:00 New York (13:00Z), reminded 30 minutes before (the meeting's remind_before).
    assert set(review) == {(who, "2026-03-26T12:30:00Z") for who in ("lena", "nia", "priya")}
    nia = plain(review[("nia", "2026-03-26T12:30:00Z")]["text"])
    assert "Priya Nair (Kolkata): Thu, Mar 26 6:30 PM–7:30 PM · public holiday: Ram Navami" in nia
    assert "Off that day (weekend, holiday or time off): Priya Nair." in nia
    assert "For you: public holiday: Ram Navami." in plain(review[("priya", "2026-03-26T12:30:00Z")]["text"])


def test_the_digest_posts_monday_morning_in_the_team_channel(week: list[dict]) -> None:
    digests = [r for r in week if r["kind"] == "holiday_digest"]
    assert [(r["at"], r["to"]) for r in digests] == [("2026-03-23T08:00:00Z", "#team"), ("2026-03-30T07:00:00Z", "#team")]
    assert "Friday and Saturday are the weekend in Riyadh (Omar Al-Harbi)." in digests[0]["text"]
    assert "Ram Navami" in digests[0]["text"] and "Good Friday" in digests[1]["text"]


def test_heads_ups_arrive_at_each_members_morning_the_working_day_before(week: list[dict]) -> None:
    heads = {(r["to"], r["at"]): r for r in week if r["kind"] == "holiday_heads_up"}
    # Priya's Ram Navami (Thursday 26th): her colleagues hear on Wednesday at 09:00 their time.
    for who, at in (("lena", "2026-03-25T08:00:00Z"), ("nia", "2026-03-25T13:00:00Z"), ("hana", "2026-03-25T00:00:00Z")):
        assert "Priya Nair" in heads[(who, at)]["text"] and "Ram Navami" in heads[(who, at)]["text"]
        assert heads[(who, at)]["local_time"].endswith(("T09:00:00+01:00", "T09:00:00-04:00", "T09:00:00+09:00"))
    assert not any(to == "priya" and "Priya Nair" in r["text"] for (to, _), r in heads.items())
    # Nobody hears of a day off on a day that is not their working day (Omar: not on Friday or Saturday).
    for (to, at), record in heads.items():
        assert datetime.fromisoformat(record["local_time"]).weekday() not in ({4, 5} if to == "omar" else {5, 6})


def test_reminder_next_due_and_build(team: Meridian, clock) -> None:  # type: ignore[no-untyped-def]
    ritual = MeetingReminder()
    with team.db.session() as session:
        ws = session.scalar(select(Workspace))
        sync = session.scalar(select(Meeting).where(Meeting.title == "Weekly sync"))
        recipients = set(ritual.recipients(session, ws))
        assert reminder_recipient(sync.id, "hana") in recipients and len(recipients) == 7
        hana = reminder_recipient(sync.id, "hana")
        due = ritual.next_due(session, ws, hana, utc(2026, 3, 22))
        assert (due.key, due.due_at) == ("2026-03-23T14:00:00Z", utc(2026, 3, 23, 13, 45))
        later = ritual.next_due(session, ws, hana, due.due_at)
        assert (later.key, later.due_at) == ("2026-03-30T13:00:00Z", utc(2026, 3, 30, 12, 45))
        occurrence = Occurrence(workspace_id=ws.id, kind=ritual.kind, recipient=hana, key=later.key, due_at=later.due_at)
        session.scalar(select(Member).where(Member.user_id == "lena")).languages = "Deutsch, English"
        [message] = ritual.build(session, ws, occurrence, later.due_at)
        assert message.to == "hana" and message.local_time == datetime(2026, 3, 30, 21, 45, tzinfo=ZoneInfo("Asia/Tokyo"))
        about = message.reply.sections[-1]
        assert about.lines[0] == "Lena Huber" and "Deutsch, English" in about.lines[1]   # /profile about
        # Moved, away, cancelled: the occurrence is skipped, never sent wrong.
        moved = Occurrence(workspace_id=ws.id, kind=ritual.kind, recipient=hana, key="2026-03-30T12:00:00Z",
                           due_at=later.due_at)
        assert isinstance(ritual.build(session, ws, moved, later.due_at), Skip)
        member = session.scalar(select(Member).where(Member.user_id == "hana"))
        add_away(member, date(2026, 3, 30), date(2026, 4, 3))
        session.flush()
        assert isinstance(ritual.build(session, ws, occurrence, later.due_at), Skip)
        session.delete(sync)
        session.flush()
        assert isinstance(ritual.build(session, ws, occurrence, later.due_at), Skip)
        assert ritual.next_due(session, ws, hana, utc(2026, 3, 22)) is None


def test_digest_and_heads_up_next_due(team: Meridian) -> None:
    digest, heads = HolidayDigest(), HolidayHeadsUp()
    with team.db.session() as session:
        ws = session.scalar(select(Workspace))
        assert list(digest.recipients(session, ws)) == ["#team"]
        due = digest.next_due(session, ws, "#team", utc(2026, 3, 25, 12))
        assert (due.key, due.due_at) == ("2026-03-30", utc(2026, 3, 30, 7))      # 09:00 Berlin (CEST)
        # Omar hears of Good Friday on Thursday and of Easter Monday on Sunday, both working days in Riyadh.
        first = heads.next_due(session, ws, "omar", utc(2026, 4, 1))
        assert (first.key, first.due_at) == ("2026-04-02", utc(2026, 4, 2, 6))
        second = heads.next_due(session, ws, "omar", first.due_at)
        assert (second.key, second.due_at) == ("2026-04-05", utc(2026, 4, 5, 6))
        occurrence = Occurrence(workspace_id=ws.id, kind=heads.kind, recipient="omar", key=second.key, due_at=second.due_at)
        [message] = heads.build(session, ws, occurrence, second.due_at)
        assert "Easter Monday" in message.reply.as_text() and message.to == "omar"
        # Nothing within the lookahead: a quiet check is planned at its end, and skipped when it comes.
        ws.channel = None
        assert list(digest.recipients(session, ws)) == []
        quiet = Occurrence(workspace_id=ws.id, kind=heads.kind, recipient="omar", key="2026-02-03", due_at=utc(2026, 2, 3, 6))
        assert isinstance(heads.build(session, ws, quiet, utc(2026, 2, 3, 6)), Skip)
