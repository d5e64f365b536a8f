"""What the engine's parts share: one replica's database, clock, identity, rituals, senders and limits.

The planner, the claims, the dispatcher and the purge each hold the same `EngineContext`, so a
change made through the `Engine` (a test renaming the replica, swapping the senders) reaches all of
them at once. Also here: `finish`, the one way an occurrence row ends, used by planning (cancelled)
and by the dispatcher (failed).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

from bot.config import Settings
from bot.models import Occurrence, OccurrenceStatus
from bot.observe import Observer
from bot.rituals import Ritual
from bot.store import Database
from bot.time.clock import Clock

from scheduler.delivery import Sender


@dataclass
class EngineContext:
    """One replica's engine: where the work lives, what time it is, who it is and what it may do."""

    db: Database
    clock: Clock                      # the only "now" the engine knows
    settings: Settings
    replica_id: str                   # written into claimed_by; a restart under the same id recovers its claims
    rituals: Mapping[str, Ritual]     # live mapping: kinds registered later are picked up
    senders: dict[str, Sender]        # platform -> Sender; only workspaces of these platforms are served here
    observer: Observer                # told about claims, lag and each send (metrics)
    batch_size: int = 100
    lease: timedelta = timedelta(minutes=10)
    max_attempts: int = 5
    retry_base: timedelta = timedelta(seconds=30)
    retry_cap: timedelta = timedelta(minutes=15)


def finish(occurrence: Occurrence, status: OccurrenceStatus, now: datetime, detail: str | None) -> None:
    """End an occurrence for good: its status, when, and why (no claim, no lease left on it)."""
    occurrence.status = status
    occurrence.finished_at = now
    occurrence.lease_until = None
    occurrence.detail = detail
