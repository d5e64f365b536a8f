"""Benchmark 4: fan-out of 1,000 DMs through the real engine and Slack sender, against Slack's limits.

1,000 members each have one DM due now. The engine (`scheduler.engine.Engine.tick`, its real
claim, build, send and record path, default batch and concurrency) delivers them through the
real `SlackSender` (conversations.open, then chat.postMessage, paced by `adapters.pacing.Pacer`)
to the Slack stand-in in its own process, which enforces

- one message a second per channel,
- a workspace-wide rate (50 messages a second in full mode),
- random 429s: each post is refused with probability 0.5 % (Retry-After 1 s, never while an
  earlier one's Retry-After runs), which no pacing can prevent.

The sender's pacer is set to the stand-in's limits, as an operator sets it to their workspace's
(the default assumes Slack's ~4 messages a second). The floor: 1,000 DMs go to 1,000 different DM
channels, so the per-channel limit never binds; the workspace rate does, so no client can finish
sooner than messages / rate, plus the Retry-After of every random 429 (the whole workspace must
wait). Completion is from the start of the tick until every occurrence is recorded as sent;
lost = due DMs the stand-in never stored, duplicated = DMs it stored more than once.
"""
from __future__ import annotations

import asyncio
import time as timer
from datetime import datetime, timedelta
from typing import Any, Sequence

from bench.ack import populate
from bench.databases import bulk_insert, postgres_version, scratch_url
from bench.population import people
from bench.report import Figure, Result, Target, log
from bench.standin import Running, running

KIND = "bench_dm"
RATIO_TARGET = 1.1


class DirectMessage:
    """A ritual with one DM per occurrence: the fan-out's payload (what it says does not matter here)."""

    kind = KIND
    grace = timedelta(hours=1)

    def recipients(self, session: Any, workspace: Any) -> list[str]:
        return []

    def next_due(self, session: Any, workspace: Any, recipient: str, after: datetime) -> None:
        return None

    def build(self, session: Any, workspace: Any, occurrence: Any, now: datetime) -> list[Any]:
        from bot.reply import Outbound, Reply

        return [Outbound(KIND, workspace.id, to=occurrence.recipient,
                         reply=Reply(text=f"Good morning! Your standup for {occurrence.key} is open."))]


async def deliver(url: str, standin: Running, rate: float) -> tuple[float, dict[str, int]]:
    """One engine tick with everything due; returns (seconds until all recorded, statuses)."""
    from sqlalchemy import func, select

    from adapters.pacing import Pacer
    from adapters.slack.app import SlackAdapter
    from bot.time.clock import SystemClock
    from bot.config import Settings
    from bot.core import Meridian
    from bot.models import Occurrence
    from bot.store import Database
    from scheduler.engine import Engine

    db = Database(url)
    settings = Settings.from_env({}, database_url=url, slack_bot_token=standin.token, slack_signing_secret="unused",
                                 slack_api_url=standin.api_url)
    pacer = Pacer(per_key_interval=1.0, shared_rate=rate, shared_burst=1)
    sender = SlackAdapter(Meridian(db, settings=settings), settings, pacer=pacer).sender   # the app's own sender
    engine = Engine(db, SystemClock(), {"slack": sender}, rituals={KIND: DirectMessage()}, replica_id="bench")
    try:
        began = timer.perf_counter()
        while True:
            result = await engine.tick()
            if not result.claimed and engine.next_event_at() is None:
                break
            if not result.claimed:
                await asyncio.sleep(0.05)     # a retry waits out its backoff
        seconds = timer.perf_counter() - began
        with db.session() as session:
            statuses = dict(session.execute(select(Occurrence.status, func.count()).group_by(Occurrence.status)).all())
    finally:
        db.dispose()
    return seconds, {str(k): int(v) for k, v in statuses.items()}


def fan_out(messages: int, *, rate: float | None, random_429: float, retry_after: float,
            seed: int) -> dict[str, Any]:
    """`messages` DMs due now, delivered by one engine against a fresh stand-in. `rate` None: no limits at all
    (the stand-in takes everything, the pacer never waits), which shows the engine's own ceiling."""
    from sqlalchemy import select

    from bot.models import Occurrence, OccurrenceStatus
    from bot.store import Database

    dialect = "postgresql" if postgres_version() is not None else "sqlite"
    persons = list(people(messages, seed))
    with scratch_url(dialect, "fanout") as url:
        workspace_id = populate(url, persons)
        now = datetime.now().astimezone()
        db = Database(url)
        bulk_insert(db, Occurrence.__table__, [
            {"workspace_id": workspace_id, "kind": KIND, "recipient": p.user_id, "key": "fanout",
             "due_at": now - timedelta(seconds=1), "status": OccurrenceStatus.PENDING, "attempts": 0} for p in persons])
        with db.session() as session:
            expected = {f"occ{i}.0" for i in session.scalars(select(Occurrence.id))}
        db.dispose()
        limits = {"channel_interval": 1.0, "workspace_rate": rate} if rate is not None else {}
        with running(messages, seed, random_429=random_429, retry_after=retry_after, seed=seed, **limits) as standin:
            seconds, statuses = asyncio.run(deliver(url, standin, rate or 1e6))
            stats = standin.stats()
    return {"seconds": seconds, "statuses": statuses, "lost": len(expected - set(stats["dedupe_keys"])),
            "duplicated": stats["duplicates"], "random_429": stats["random_429"],
            "limit_violations": stats["limit_violations"], "post_calls": stats["post_calls"],
            "stored": stats["messages"], "dialect": dialect}


def run(*, messages: int = 1000, rate: float = 50.0, random_429: float = 0.005, retry_after: float = 1.0,
        seed: int = 1, ceiling_messages: int = 0) -> Result:
    """The fan-out against the limits; with `ceiling_messages`, also that many DMs with no limits at all."""
    began = timer.perf_counter()
    log(f"fanout: {messages:,} DMs at {rate:g}/s workspace-wide, 1/s per channel, {random_429:.1%} random 429s")
    limited = fan_out(messages, rate=rate, random_429=random_429, retry_after=retry_after, seed=seed)
    floor = messages / rate + limited["random_429"] * retry_after
    details: dict[str, Any] = {**limited, "floor_s": floor, "rate_floor_s": messages / rate}
    if ceiling_messages:
        log(f"fanout: {ceiling_messages:,} DMs without limits (the engine's own ceiling)")
        free = fan_out(ceiling_messages, rate=None, random_429=0.0, retry_after=retry_after, seed=seed + 1)
        details["unlimited"] = {**free, "per_second": ceiling_messages / free["seconds"]}
    label = f"Fan-out of {messages:,} DMs"
    figures = [
        Figure(f"fanout.time.{messages}", f"{label}: completion time", limited["seconds"], "s", floor,
               f"floor: {messages:,}/{rate:g} per s + {limited['random_429']} × {retry_after:g} s Retry-After",
               Target("<=", RATIO_TARGET, on="ratio")),
        Figure(f"fanout.lost.{messages}", f"{label}: lost", limited["lost"], "count", 0, "none", Target("<=", 0)),
        Figure(f"fanout.duplicated.{messages}", f"{label}: duplicated", limited["duplicated"], "count", 0, "none",
               Target("<=", 0)),
    ]
    params = {"messages": messages, "workspace_rate": rate, "channel_interval_s": 1.0, "random_429": random_429,
              "retry_after_s": retry_after, "seed": seed, "ceiling_messages": ceiling_messages}
    return Result("fanout", params, figures, timer.perf_counter() - began, details)


def main(argv: Sequence[str] | None = None) -> int:
    from bench.report import text_table

    print(text_table(run().figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
