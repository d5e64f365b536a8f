"""The ritual engine: plan, claim, build, send and record due work, exactly once, from the database.

The database is the source of truth; the engine keeps nothing between ticks that it could lose.
`Engine` composes four parts that share one `EngineContext` (`scheduler/context.py`); each `tick()`:

1. **Plan** (`scheduler/planner.py`). Workspaces flagged `needs_replan` get, for every registered
   ritual and each of its recipients, exactly one future pending occurrence.
2. **Claim** (`scheduler/claims.py`). Due pending occurrences and expired claims are claimed by this
   replica with a lease, in batches, `FOR UPDATE SKIP LOCKED` on PostgreSQL.
3. **Dispatch** (`scheduler/dispatch.py`). Each claimed occurrence is judged (misfire, skip), built,
   sent through the workspace platform's Sender (`scheduler/delivery.py`), recorded in
   `sent_messages` and concluded; its ritual's next occurrence is stored at once.
4. **Purge** (`scheduler/purge.py`). At most once an hour, workspaces uninstalled longer than the
   grace period are deleted.

State machine of an occurrence (`bot.models.OccurrenceStatus`)::

    pending ──claim──▶ claimed ──▶ sent          all parts accepted (recorded in sent_messages)
       │                  │──────▶ missed        later than the ritual's grace period: not sent
       │                  │──────▶ skipped       build() returned Skip(reason)
       │                  │──────▶ failed        permanent DeliveryError, max attempts reached,
       │                  │                      or an unknowable outcome after a crash (see dispatch)
       │                  │──────▶ cancelled     the workspace was uninstalled
       │                  └──────▶ pending       transient error: retried after a backoff
       │                                         (lease_until then means "not before")
       └──replan──▶ cancelled (recipient gone) / deleted and re-planned (future, not yet due)
"""
from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Mapping

from sqlalchemy import Select
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.config import Settings
from bot.observe import NO_OBSERVER, Observer
from bot.rituals import Ritual
from bot.store import Database
from bot.time.clock import Clock

from scheduler.claims import Claims
from scheduler.context import EngineContext
from scheduler.delivery import Sender
from scheduler.dispatch import Dispatcher
from scheduler.planner import Planner
from scheduler.purge import Purge

log = logging.getLogger(__name__)


def default_replica_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class TickResult:
    """What one tick did; counts by outcome."""

    replanned: int = 0
    claimed: int = 0
    recovered: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] += 1

    @property
    def busy(self) -> bool:
        return bool(self.replanned or self.claimed)


class Engine:
    """Runs every registered ritual for every workspace whose platform has a Sender here."""

    def __init__(self, db: Database, clock: Clock, senders: Mapping[str, Sender], settings: Settings | None = None,
                 replica_id: str | None = None, rituals: Mapping[str, Ritual] | None = None, *,
                 batch_size: int = 100, lease: timedelta = timedelta(minutes=10), max_attempts: int = 5,
                 retry_base: timedelta = timedelta(seconds=30), retry_cap: timedelta = timedelta(minutes=15),
                 concurrency: int = 8, max_rounds: int = 20, observer: Observer | None = None) -> None:
        settings = settings or Settings.from_env()
        if rituals is None:
            import bot.features  # noqa: F401  (registers every ritual kind that exists)
            from bot.rituals import RITUALS
            rituals = RITUALS
        self.context = EngineContext(
            db=db, clock=clock, settings=settings, replica_id=replica_id or settings.replica_id or default_replica_id(),
            rituals=rituals, senders=dict(senders), observer=observer or NO_OBSERVER, batch_size=batch_size,
            lease=lease, max_attempts=max_attempts, retry_base=retry_base, retry_cap=retry_cap)
        self.planner = Planner(self.context)
        self.claims = Claims(self.context)
        self.dispatcher = Dispatcher(self.context, self.planner)
        self.purge = Purge(self.context)
        self.concurrency = max(1, concurrency)
        self.max_rounds = max_rounds
        self._stopping = False

    # --- what the parts share, readable (and, for tests, settable) through the engine ------------
    @property
    def batch_size(self) -> int:
        return self.context.batch_size

    @property
    def replica_id(self) -> str:
        return self.context.replica_id

    @replica_id.setter
    def replica_id(self, value: str) -> None:
        self.context.replica_id = value

    @property
    def senders(self) -> dict[str, Sender]:
        return self.context.senders

    @senders.setter
    def senders(self, value: dict[str, Sender]) -> None:
        self.context.senders = value

    # --- the tick ------------------------------------------------------------------------------
    async def tick(self) -> TickResult:
        """Plan what changed, then claim and deliver due work until none is left (or max_rounds).

        With the database unreachable the tick ends early and changes nothing; due work waits in
        the database and the next tick takes it (late, within its grace period, or `missed`).
        """
        result = TickResult()
        try:
            # Planning a large workspace and claiming are blocking database work: they run in a worker
            # thread so the event loop keeps answering Slack, Discord and /healthz meanwhile.
            result.replanned = await asyncio.to_thread(self.planner.replan_flagged)
            for _ in range(self.max_rounds):
                if self._stopping:
                    break
                self.planner.planned_overdue = False
                claimed, recovering = await asyncio.to_thread(self.claims.claim)
                result.claimed += len(claimed)
                result.recovered += len(recovering)
                if not claimed:
                    break
                await self._deliver_all(claimed, recovering, result)
                if len(claimed) < self.batch_size and not self.planner.planned_overdue:
                    break
            if self.purge.due:
                await asyncio.to_thread(self.purge.purge_uninstalled)
        except (OperationalError, InterfaceError) as error:
            log.warning("database unavailable; due work waits for the next tick: %s",
                        (str(error.orig or error).strip().splitlines() or ["?"])[0][:300])
        return result

    async def _deliver_all(self, claimed: list[int], recovering: set[int], result: TickResult) -> None:
        gate = asyncio.Semaphore(self.concurrency)
        unprocessed = set(claimed)

        async def one(occurrence_id: int) -> None:
            async with gate:
                if self._stopping:
                    return
                unprocessed.discard(occurrence_id)
                try:
                    outcome = await self.dispatcher.process(occurrence_id, recovering=occurrence_id in recovering)
                except Exception:  # a bug must not stop the other occurrences; the lease brings it back
                    log.exception("processing occurrence %s failed", occurrence_id)
                    outcome = "error"
                result.count(outcome)

        await asyncio.gather(*(one(i) for i in claimed))
        if unprocessed:
            self.claims.release(unprocessed)

    @property
    def stopping(self) -> bool:
        return self._stopping

    def request_stop(self) -> None:
        """Finish the sends in flight, start no new ones; unstarted claims go back to pending."""
        self._stopping = True

    # --- the parts' entry points that serve, simulate, bench and tests call -----------------------
    def replan_flagged(self) -> int:
        return self.planner.replan_flagged()

    def claim_query(self, now: datetime) -> Select:  # type: ignore[type-arg]
        return self.claims.claim_query(now)

    def claim(self) -> tuple[list[int], set[int]]:
        return self.claims.claim()

    def recover_own(self) -> int:
        return self.claims.recover_own()

    def next_event_at(self) -> datetime | None:
        return self.claims.next_event_at()
