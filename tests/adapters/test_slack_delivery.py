"""The scheduler's messages through the real engine and the Slack sender, with Slack failing on purpose.

Every occurrence must reach Slack exactly once however Slack answers: 429 with Retry-After,
5xx before it posted, 5xx after it posted (the answer lost), and its own per-channel limit.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from adapters.pacing import Pacer
from adapters.slack.sender import SlackSender
from bot.time.clock import SimulatedClock
from bot.models import Occurrence, SentMessage
from scheduler.engine import Engine
from tests.scheduler.rituals_for_tests import DailyAt, make_team
from tests.support.slack_standin import SlackStandIn

MONDAY = datetime(2026, 3, 23, 0, 0, tzinfo=timezone.utc)
TEAM = {"U1": "Europe/Berlin", "U2": "Europe/Berlin", "U3": "Asia/Tokyo", "U4": "Asia/Tokyo", "U5": "America/Chicago"}


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(channel_interval=0.05, limit_retry_after=0.1) as slack:
        for user in TEAM:
            slack.add_user(user)
        yield slack


def slack_engine(db, clock: SimulatedClock, standin: SlackStandIn, *rituals) -> Engine:  # type: ignore[no-untyped-def]
    client = AsyncWebClient(token=standin.team.bot_token, base_url=standin.base_url, retry_handlers=[])

    async def client_for(team_id: str) -> AsyncWebClient:
        return client

    sender = SlackSender(client_for, pacer=Pacer(per_key_interval=0.05, shared_rate=100, shared_burst=10),
                         backoff=0.01)
    return Engine(db, clock, {"slack": sender}, rituals={r.kind: r for r in rituals}, replica_id="test",
                  retry_base=timedelta(seconds=1), concurrency=4)


async def run_days(engine: Engine, clock: SimulatedClock, days: int) -> None:
    end = clock.now() + timedelta(days=days)
    while clock.now() < end:
        await engine.tick()
        clock.advance(timedelta(hours=2))


async def test_every_occurrence_reaches_slack_exactly_once_through_429_and_5xx(db, standin: SlackStandIn) -> None:  # type: ignore[no-untyped-def]
    make_team(db, TEAM, platform="slack", external_id=standin.team.id)
    standin.fail("chat.postMessage", status=429, times=2, retry_after=0.1)
    standin.fail("chat.postMessage", status=500, times=1)                     # Slack did nothing
    standin.fail("chat.postMessage", status=503, times=2, after_effect=True)  # Slack posted; the answer was lost
    standin.fail("chat.postMessage", status=502, times=1)
    standin.fail("conversations.open", status=500, times=1)
    clock = SimulatedClock(MONDAY)
    engine = slack_engine(db, clock, standin, DailyAt("hello", time(9, 0), parts=2))
    await run_days(engine, clock, 2)

    with db.session() as session:
        outcomes = [o.status for o in session.scalars(select(Occurrence))]
        records = list(session.scalars(select(SentMessage)))
    # Berlin and Chicago mornings on Monday and Tuesday, Tokyo's on Tuesday (its Monday 09:00 was the start).
    assert sorted(set(outcomes)) == ["pending", "sent"] and outcomes.count("sent") == 8
    expected = sorted(r.dedupe_key for r in records)
    assert len(expected) == 2 * 8                                      # two parts per occurrence
    assert sorted(standin.dedupe_keys()) == expected                   # each once, none lost, none doubled
    assert {r.platform_ref.split(":")[0] for r in records} == {f"D{user}" for user in TEAM}  # type: ignore[union-attr]
    statuses = [c.status for c in standin.calls_to("chat.postMessage")]
    assert statuses.count(429) >= 2 and statuses.count(503) == 2 and statuses.count(500) == 1


async def test_an_update_key_edits_the_slack_message_in_place(db, standin: SlackStandIn) -> None:  # type: ignore[no-untyped-def]
    make_team(db, {"U1": "Europe/Berlin"}, platform="slack", external_id=standin.team.id)
    clock = SimulatedClock(MONDAY)
    engine = slack_engine(db, clock, standin, DailyAt("summary", time(9, 0), update_key="thread"))
    await run_days(engine, clock, 2)
    assert len(standin.messages) == 1 and standin.messages[0].edits == 1
    assert len(standin.calls_to("chat.update")) == 1
