"""Weeks of rituals in seconds: the real engine on a simulated clock that jumps from due instant to due instant.

`meridian simulate` imports a team file into a database (a temporary SQLite file unless --db),
then runs the engine with a `SimulatedClock`: instead of stepping minute by minute, the clock jumps
straight to the next thing the engine has to do (`Engine.next_event_at`). Each message the bot sends
is written as one JSON object per line, in time order:

    {"at": "2026-03-23T08:30:00Z", "kind": "standup_prompt", "to": "lena",
     "local_time": "2026-03-23T09:30:00+01:00", "text": "..."}

`to` is a member id, a list of member ids (a group message) or "#channel"; `local_time` (the
recipient's wall clock at sending) is present for messages to one member; `edit` is true when the
message replaces an earlier one (e.g. a standup summary growing). The simulation is deterministic:
Python's `random` is seeded with --seed, and the engine runs one occurrence at a time.

This module is platform-free: the CLI hands it the console adapter's Sender.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Mapping

from sqlalchemy import event, func, select

from bot.time.clock import SimulatedClock
from bot.config import Settings
from bot.models import Occurrence
from bot.reply import Outbound
from bot.store import Database
from bot.teamfile import import_file
from bot.time import iso_z

from scheduler.delivery import Delivered, Sender, WorkspaceRef
from scheduler.engine import Engine
from bot.rituals import Ritual

Emit = Callable[[dict[str, Any]], None]
SIMULATION_REPLICA = "simulate"


def message_record(at: datetime, message: Outbound, *, edit: bool = False) -> dict[str, Any]:
    """One sent message as `meridian simulate` prints it."""
    record: dict[str, Any] = {"at": iso_z(at), "kind": message.kind, "to": message.to}
    if isinstance(message.to, str) and not message.is_channel and message.local_time is not None:
        record["local_time"] = message.local_time.replace(microsecond=0).isoformat()
    record["text"] = message.reply.as_text()
    if edit:
        record["edit"] = True
    return record


class RecordingSender:
    """Wraps a platform Sender and reports every message it accepted, stamped with the clock."""

    def __init__(self, inner: Sender, clock: SimulatedClock, emit: Emit) -> None:
        self.inner = inner
        self.clock = clock
        self.emit = emit
        self.count = 0

    async def send(self, workspace: WorkspaceRef, message: Outbound, *, replace_ref: str | None = None) -> Delivered:
        delivered = await self.inner.send(workspace, message, replace_ref=replace_ref)
        self.count += 1
        self.emit(message_record(self.clock.now(), message, edit=replace_ref is not None))
        return delivered

    async def was_delivered(self, workspace: WorkspaceRef, message: Outbound) -> bool | None:
        return await self.inner.was_delivered(workspace, message)


async def run_until(engine: Engine, clock: SimulatedClock, end: datetime) -> int:
    """Tick at each instant the engine has work, jumping the clock there, until `end` (exclusive).

    Returns the number of ticks. The clock never moves backwards; it is left at `end`.
    """
    ticks = 0
    while True:
        result = await engine.tick()
        ticks += 1
        upcoming = engine.next_event_at()
        if upcoming is None or upcoming >= end:
            break
        if upcoming <= clock.now():
            if result.busy:
                continue   # more due at this very instant than one tick takes
            upcoming = clock.now() + timedelta(seconds=1)   # due but not ours to take: step past it
        clock.set(upcoming)
    if clock.now() < end:
        clock.set(end)
    return ticks


@dataclass
class SimulationResult:
    messages: int
    ticks: int
    statuses: dict[str, int] = field(default_factory=dict)


async def simulate(db: Database, team_file: Path, start: datetime, days: int, sender: Sender, emit: Emit, *,
                   seed: int = 0, workspace: str | None = None, settings: Settings | None = None,
                   rituals: Mapping[str, Ritual] | None = None, scratch: bool = False) -> SimulationResult:
    """Import `team_file`, then run every ritual from `start` for `days` days, emitting each message.

    `scratch` says the database is a throwaway SQLite file: it is then written without fsync.
    Raises bot.teamfile.ImportError_ (nothing imported, nothing run) when the file is invalid.
    """
    random.seed(seed)
    clock = SimulatedClock(start)
    if scratch:
        _skip_fsync(db)
    with db.session() as session:
        import_file(session, team_file, platform="console", workspace_external_id=workspace)
    recorder = RecordingSender(sender, clock, emit)
    engine = Engine(db, clock, {"console": recorder}, settings=settings, replica_id=SIMULATION_REPLICA,
                    rituals=rituals, batch_size=500, concurrency=1)
    ticks = await run_until(engine, clock, start + timedelta(days=days))
    with db.session() as session:
        statuses = dict(session.execute(select(Occurrence.status, func.count()).group_by(Occurrence.status)).all())
    return SimulationResult(recorder.count, ticks, {str(k): int(v) for k, v in statuses.items()})


def _skip_fsync(db: Database) -> None:
    """A throwaway simulation database needs no durability; fsync per commit would dominate the run."""
    if db.dialect != "sqlite":
        return

    @event.listens_for(db.engine, "connect")
    def _no_sync(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()

    db.engine.dispose()   # connections opened before (migrations) do not have the pragma
