"""holiday_digest and holiday_heads_up: `meridian simulate` over a week of a team across six zones
(Ram Navami in India, Good Friday in Germany, a Friday-Saturday weekend in Riyadh), and each ritual's
next_due and build on both databases."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from bot.core import Meridian
from bot.holidays.rituals import HolidayDigest, HolidayHeadsUp
from bot.models import Occurrence, Workspace
from bot.rituals import Skip
from tests.support.meetings_team import team, week  # noqa: F401  (fixtures)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


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
