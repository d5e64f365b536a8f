"""/meet and /time chart through the console shell, on both databases, with a team across six zones."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PIL import Image
from sqlalchemy import func, select

from bot.core import ActionRequest, Meridian
from bot.meetings import Meeting, MeetingRotation
from bot.meetings.timing import lead_minutes, next_start, occurrence_start
from bot.models import Member, Occurrence
from bot.teamfile import ImportError_, import_file, parse_toml
from tests.conftest import plain, shell_as
from tests.support.meetings_team import TEAM, team  # noqa: F401  (fixture)



def meetings(core: Meridian) -> list[tuple[str, datetime, str | None, list[str]]]:
    with core.db.session() as session:
        return [(m.title, m.start_at, m.repeat, [a.user_id for a in m.members])
                for m in session.scalars(select(Meeting).order_by(Meeting.id))]


def test_team_file_meetings_are_imported_and_reimport_updates_them(team: Meridian) -> None:
    assert meetings(team) == [
        ("Weekly sync", datetime(2026, 3, 16, 14, 0, tzinfo=timezone.utc), "weekly", ["hana", "lena", "nia", "priya"]),
        ("Design review", datetime(2026, 3, 26, 13, 0, tzinfo=timezone.utc), None, ["lena", "nia", "priya"]),
    ]
    with team.db.session() as session:
        import_file(session, TEAM, platform="console", workspace_external_id="default")
        review = session.scalar(select(Meeting).where(Meeting.title == "Design review"))
        lena = session.scalar(select(Member).where(Member.user_id == "lena"))
        assert review.remind_before_minutes == 30 and lead_minutes(review, lena) == 30
        lena.remind_before_minutes = 5                 # her own choice wins over the meeting's default
        assert lead_minutes(review, lena) == 5
    assert len(meetings(team)) == 2


def test_weekly_series_keeps_its_wall_clock_in_its_own_zone_across_dst() -> None:
    sync = Meeting(title="s", start_at=datetime(2026, 3, 16, 14, 0, tzinfo=timezone.utc), tz="Europe/Berlin",
                   duration_minutes=45, repeat="weekly")
    assert occurrence_start(sync, 1) == datetime(2026, 3, 23, 14, 0, tzinfo=timezone.utc)   # 15:00 CET
    assert occurrence_start(sync, 2) == datetime(2026, 3, 30, 13, 0, tzinfo=timezone.utc)   # 15:00 CEST
    assert next_start(sync, datetime(2026, 3, 25, tzinfo=timezone.utc)) == datetime(2026, 3, 30, 13, 0, tzinfo=timezone.utc)
    once = Meeting(title="o", start_at=datetime(2026, 3, 16, 14, 0, tzinfo=timezone.utc), tz="UTC", duration_minutes=30)
    assert next_start(once, datetime(2026, 3, 17, tzinfo=timezone.utc)) is None


@pytest.mark.parametrize("snippet, message", [
    ('tz = "Mars/Olympus"', "meetings[0].tz: is not a time zone"),
    ('attendees = ["lena", "nobody"]', "meetings[0].attendees[1]: names no member: 'nobody'"),
    ('start = "2026-03-29T02:30"', "does not exist (clocks jump forward) in Europe/Berlin"),
    ('repeat = "daily"', 'meetings[0].repeat: must be "weekly"'),
])
def test_team_file_meeting_errors_name_the_line_and_field(snippet: str, message: str) -> None:
    fields = {"title": '"T"', "start": '"2026-04-01T10:00"', "tz": '"Europe/Berlin"', "attendees": '["lena"]'}
    key = snippet.split(" = ")[0]
    fields[key] = snippet.split(" = ", 1)[1]
    text = '[[members]]\nid = "lena"\ntz = "Europe/Berlin"\n\n[[meetings]]\n' + "\n".join(f"{k} = {v}" for k, v in fields.items())
    with pytest.raises(ImportError_) as failure:
        parse_toml(text)
    assert any(message in e and e.startswith("line 5,") for e in failure.value.errors), failure.value.errors


def test_meet_add_warns_at_once_about_a_holiday_and_a_weekend(team: Meridian) -> None:
    nia = shell_as(team, "nia")
    # Friday 3 April 2026: Good Friday in Bavaria (Lena) and the weekend in Riyadh (Omar).
    reply = nia.command('/meet add "Planning" 2026-04-03 10:00 America/New_York 45m @lena @omar @felix')
    assert not reply.error, reply.text
    text = plain(reply.as_text())
    assert "Fri, Apr 3 10:00 AM–10:45 AM your time" in text
    warning = text.split("Warning")[1]
    assert "Lena Huber on Fri, Apr 3: public holiday: Good Friday" in warning
    assert "Omar Al-Harbi on Fri, Apr 3: weekend" in warning
    assert "Felix" in text and "Felix Wagner on" in warning          # Good Friday is a holiday in Berlin too
    assert "Nia" not in warning


def test_meet_add_in_another_zone_and_bad_input_changes_nothing(team: Meridian) -> None:
    lena = shell_as(team, "lena")
    before = meetings(team)
    for line in ('/meet add "Past" 2026-03-20 10:00 @nia',
                 '/meet add "Gap" 2026-03-29 02:30 Europe/Berlin @nia',
                 '/meet add "Who" 2026-04-01 10:00 @nobody',
                 '/meet add "Where" 2026-04-01 10:00 Atlantis @nia'):
        reply = lena.command(line)
        assert reply.error, line
    assert meetings(team) == before
    reply = lena.command('/meet add "Tokyo morning" 2026-04-01 9am Asia/Tokyo @hana weekly')
    assert not reply.error, reply.text
    assert ("Tokyo morning", datetime(2026, 4, 1, 0, 0, tzinfo=timezone.utc), "weekly", ["hana", "lena"]) in meetings(team)


def test_meet_find_book_and_rotate_a_weekly_series(team: Meridian) -> None:
    ravi = shell_as(team, "ravi")
    reply = ravi.command("/meet find @nia 60m within 2 days weekly")
    assert not reply.error, reply.text
    first = plain(reply.as_text())
    assert "No time is inside everyone's working hours" in first
    assert "Option 1: Thu, Mar 26 5:15 PM–6:15 PM your time" in first              # 11:30Z
    assert "Nia Brooks (New York): Thu, Mar 26 7:30 AM–8:30 AM · outside working hours" in first
    form = ravi.press(1)
    assert form.form is not None and form.form.action == "meet.book.save"
    booked = team.handle_action(ActionRequest(ravi.who, form.form.action, form.form.value,
                                              {"title": "Kathmandu–New York"}))
    assert not booked.error, booked.text
    assert meetings(team)[-1] == ("Kathmandu–New York", datetime(2026, 3, 26, 11, 30, tzinfo=timezone.utc), "weekly",
                                  ["nia", "ravi"])
    with team.db.session() as session:
        assert {"nia": 90, "ravi": 75} in session.scalars(select(MeetingRotation.burden)).all()
    second = plain(ravi.command("/meet find @nia 60m within 2 days weekly").as_text())
    assert "Last time Ravi Shrestha and Nia Brooks took the early or late slot" in second
    assert "Option 1: Thu, Mar 26 5:30 PM–6:30 PM your time" in second               # 11:45Z: Ravi's turn
    # Without "weekly" there is no memory: the plain fairest slot again.
    assert "Option 1: Thu, Mar 26 5:15 PM–6:15 PM your time" in plain(ravi.command("/meet find @nia 60m within 2 days").as_text())


def test_meet_find_on_days_off_only_says_so(team: Meridian, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 4, 2, 21, 0, tzinfo=timezone.utc))     # Thursday night before Good Friday
    reply = shell_as(team, "felix").command("/meet find @lena 30m within 1 day")
    assert not reply.error
    assert "No time avoids everyone's weekends, holidays and time off" in reply.text
    assert "public holiday: Good Friday" in plain(reply.as_text())


def test_meet_find_with_chart_and_time_chart_make_pngs(team: Meridian) -> None:
    reply = shell_as(team, "lena").command("/meet find @priya 30m chart")
    assert not reply.error and reply.image is not None
    with Image.open(reply.image) as image:
        assert image.format == "PNG" and image.width > 800
    chart = shell_as(team, "felix").command("/time chart @lena @priya @omar")
    assert chart.image is not None and chart.image.exists()
    assert "everyone is working" in chart.text
    assert shell_as(team, "felix").command("/time chart @lena someday").error


def test_meet_list_and_cancel_respect_the_organiser(team: Meridian) -> None:
    priya, lena = shell_as(team, "priya"), shell_as(team, "lena")
    listing = plain(priya.command("/meet list").text)
    assert listing.splitlines()[0].startswith("1. “Design review” — Thu, Mar 26 6:30 PM–7:30 PM")
    assert "(weekly)" in listing.splitlines()[1]
    refused = priya.command("/meet cancel 1")
    assert refused.error and "organiser" in refused.text
    assert len(meetings(team)) == 2
    assert not lena.command("/meet cancel 1").error                      # lena is an admin
    assert [m[0] for m in meetings(team)] == ["Weekly sync"]
    assert priya.command("/meet cancel 9").error


def test_a_meeting_booked_inside_the_lead_time_is_reminded_at_once(team: Meridian, clock) -> None:  # type: ignore[no-untyped-def]
    reply = shell_as(team, "nia").command('/meet add "Quick" 2026-03-25 8:05am America/New_York @lena')
    assert not reply.error, reply.text
    with team.db.session() as session:
        rows = session.scalars(select(Occurrence).where(Occurrence.kind == "meeting_reminder")).all()
        assert {(r.recipient.split(":")[-1], r.key, r.due_at) for r in rows} == {
            ("nia", "2026-03-25T12:05:00Z", clock.now()), ("lena", "2026-03-25T12:05:00Z", clock.now())}


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:abc-123@example.com
SUMMARY:Roadmap
DTSTART;TZID=Asia/Tokyo:20260401T170000
DTEND;TZID=Asia/Tokyo:20260401T180000
RRULE:FREQ=WEEKLY
ATTENDEE;CN=Hana Sato:mailto:hana@example.com
ATTENDEE:mailto:priya@example.com
ATTENDEE;CN=Stranger:mailto:x@example.com
END:VEVENT
BEGIN:VEVENT
UID:old@example.com
SUMMARY:Long gone
DTSTART:20250101T100000Z
DTEND:20250101T110000Z
END:VEVENT
END:VCALENDAR
"""


def test_meetings_import_from_an_ics_file(team: Meridian) -> None:
    nia = shell_as(team, "nia")
    form = nia.command("/meet import").form
    assert form is not None
    for _ in range(2):                                      # importing twice updates, never duplicates
        reply = team.handle_action(ActionRequest(nia.who, form.action, form.value, {"ics": ICS}))
        assert not reply.error, reply.text
    text = plain(reply.as_text())
    assert "Imported 1 meeting" in text
    assert "Stranger" in text and "Long gone" in text
    assert meetings(team)[-1] == ("Roadmap", datetime(2026, 4, 1, 8, 0, tzinfo=timezone.utc), "weekly",
                                  ["hana", "nia", "priya"])
    with team.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Meeting).where(Meeting.source == "ics")) == 1
        assert session.scalar(select(Meeting.tz).where(Meeting.source == "ics")) == "Asia/Tokyo"
    bad = team.handle_action(ActionRequest(nia.who, "meet.import", "", {"ics": "not a calendar"}))
    assert bad.error
