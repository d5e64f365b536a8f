"""/home: profile, what is coming up for the asker (in their own zone), and the team clock."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.due import enqueue
from bot.models import Workspace
from tests.conftest import plain


def test_home_lists_only_the_askers_own_upcoming_work_in_their_zone(shell) -> None:  # type: ignore[no-untyped-def]
    now = shell.core.now()
    with shell.core.db.session() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.external_id == "default"))
        assert workspace is not None
        enqueue(session, workspace.id, "standup_prompt", "amara", "d1", now + timedelta(hours=21))
        enqueue(session, workspace.id, "meeting_reminder", "meeting:3:amara", "m1", now + timedelta(hours=2))
        enqueue(session, workspace.id, "standup_prompt", "hana", "d1", now + timedelta(hours=1))       # not hers
        enqueue(session, workspace.id, "standup_prompt", "amara", "old", now - timedelta(hours=1))     # past
    text = plain(shell.command("/home").as_text())
    coming = text.split("Coming up for you\n")[1].split("Team clock")[0]
    # Amara is in Lagos (UTC+1): 12:00Z + 2h is 3:00 PM there; + 21h is Thursday 10:00 AM.
    assert coming.splitlines() == ["  Wed, Mar 25, 3:00 PM: Meeting reminder", "  Thu, Mar 26, 10:00 AM: Standup questions"]
    assert "Time zone: Africa/Lagos" in text and "members are working now" in text


def test_home_without_anything_scheduled_says_so(shell) -> None:  # type: ignore[no-untyped-def]
    text = shell.command("/home").as_text()
    assert "Nothing is scheduled for you yet." in text
    assert shell.command("/home now").error


def test_nothing_of_the_past_or_of_others_shows(shell) -> None:  # type: ignore[no-untyped-def]
    start = datetime(2026, 3, 25, 12, 0, tzinfo=timezone.utc)
    with shell.core.db.session() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.external_id == "default"))
        assert workspace is not None
        enqueue(session, workspace.id, "standup_prompt", "xamara", "d1", start + timedelta(hours=1))
        enqueue(session, workspace.id, "standup_prompt", "meeting:1:amara_", "d1", start + timedelta(hours=1))
    assert "Nothing is scheduled for you yet." in shell.command("/home").as_text()
