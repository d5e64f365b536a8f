"""The profile and away commands through the console shell, on both databases; bad input to any member
command (zone, time, profile, away) changes nothing about the member."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.core import Meridian
from bot.models import Away, Member
from tests.conftest import plain, shell_as


def snapshot(core: Meridian) -> list[tuple]:
    """Everything a command could change, to prove that bad input changes nothing."""
    with core.db.session() as session:
        members = [(m.user_id, m.name, m.tz, m.tz_source, m.country, m.subdivision, m.locale, m.hours_start,
                    m.hours_end, m.work_days, m.remind_before_minutes) for m in session.scalars(select(Member).order_by(Member.id))]
        away = [(a.member_id, a.start_date, a.end_date, a.note) for a in session.scalars(select(Away).order_by(Away.id))]
    return members + away


def test_profile_settings(shell) -> None:  # type: ignore[no-untyped-def]
    assert not shell.command("/profile country SA").error
    assert not shell.command("/profile hours 08:00-16:00").error
    assert not shell.command("/profile days sun-thu").error
    text = plain(shell.command("/profile").text)
    assert "8:00 AM–4:00 PM" in text and "Sun" in text and "Saudi Arabia" in text     # hours in the reader's clock


def test_meeting_reminder_lead_time_counts_its_minutes(shell) -> None:  # type: ignore[no-untyped-def]
    """A number the member chooses goes through plurals: '1 minute', never '1 minutes' (or Arabic's six forms)."""
    assert plain(shell.command("/profile reminder 1").text) == "You will be reminded 1 minute before meetings."
    assert "Meeting reminders: 1 minute before" in plain(shell.command("/profile").text)
    shell.command("/profile locale ar")
    assert "بدقيقتين" in plain(shell.command("/profile reminder 2").text)
    assert "بـ11 دقيقةً" in plain(shell.command("/profile reminder 11").text)


def test_profile_locale_changes_language_of_formats(shell) -> None:  # type: ignore[no-untyped-def]
    shell.command("/profile locale de")
    assert "Mi." in shell.command("/time @lena").text


def test_away_add_list_cancel(shell) -> None:  # type: ignore[no-untyped-def]
    assert not shell.command("/away 2026-04-06 2026-04-10 Easter trip").error
    listed = shell.command("/away list").text
    assert "Apr 6, 2026" in listed and "Easter trip" in listed
    assert shell.command("/away 2026-04-08 2026-04-09").error       # overlaps
    assert shell.command("/away cancel").error                      # two periods: which one?
    assert "Cancelled" in shell.command("/away cancel 1").text      # listed by start date: April comes first
    remaining = shell.command("/away list").text
    assert "Easter" not in remaining and "Dec 21, 2026" in remaining


@pytest.mark.parametrize("line", [
    "/tz set Mars/Olympus", "/tz set " + "x" * 3000, "/when 25:00", "/when 3pm 2026-02-30", "/when 3pm @nobody",
    "/time @ghost", "/profile country XX", "/profile country ZZ", "/profile country Atlantis", "/profile hours 9-9", "/profile days funday",
    "/profile locale zz_ZZ", "/profile subdivision ZZ", "/profile reminder -5", "/away 2026-05-10 2026-05-01",
    "/away yesterday whenever", "/away cancel 99", "/nonsense", "/tz set \"open quote", "/when \u202e\u0000 \U0001f600",
    "/profile hours \u0663\u0660:\u0660\u0660-17:00", "/away 2020-01-01 2020-01-02",
])
def test_bad_input_gets_a_clear_error_and_changes_nothing(demo, line) -> None:  # type: ignore[no-untyped-def]
    shell = shell_as(demo, "amara")
    before = snapshot(demo)
    reply = shell.command(line)
    assert reply.error, line
    assert reply.text and "Something went wrong" not in reply.text
    assert snapshot(demo) == before


def test_first_contact_creates_a_member_once(demo) -> None:  # type: ignore[no-untyped-def]
    shell = shell_as(demo, "newcomer")
    shell.command("/tz")
    shell.command("/tz")
    with demo.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Member).where(Member.user_id == "newcomer")) == 1
