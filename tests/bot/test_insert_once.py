"""Idempotent inserts tell the truth on both engines: the first caller gets True, every later one False."""
from __future__ import annotations

from datetime import datetime, timezone

from bot.due import enqueue
from bot.installations import first_seen
from bot.members import ensure_workspace

NOW = datetime(2026, 3, 25, 12, 0, tzinfo=timezone.utc)


def test_enqueue_and_first_seen_report_only_the_first_insert(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        workspace = ensure_workspace(session, "slack", "T1")
        assert enqueue(session, workspace.id, "standup_prompt", "U1", "2026-03-25", NOW) is True
        assert enqueue(session, workspace.id, "standup_prompt", "U1", "2026-03-25", NOW) is False
        assert enqueue(session, workspace.id, "standup_prompt", "U1", "2026-03-26", NOW) is True
        assert first_seen(session, "slack", "event:Ev1", NOW) is True
    with db.session() as session:  # a later unit of work (another replica) sees the same
        assert enqueue(session, workspace.id, "standup_prompt", "U1", "2026-03-25", NOW) is False
        assert first_seen(session, "slack", "event:Ev1", NOW) is False
        assert first_seen(session, "discord", "event:Ev1", NOW) is True
