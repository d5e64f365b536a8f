"""Claims: which replica delivers which due occurrence, for how long, and what happens when it dies.

One indexed query over (status, due_at) picks due pending occurrences, oldest first,
`FOR UPDATE SKIP LOCKED` on PostgreSQL, and marks them claimed by this replica with a lease
(`lease_until`) and one more attempt. The UPDATE re-checks `status = 'pending'`, so even a second
process on SQLite cannot claim a row twice (SQLite serialises writers), but SQLite is still meant
for ONE process.

If a replica dies, its claims expire and any replica reclaims them (they come back "recovering",
so the dispatcher asks the platform what was already delivered). A restarted replica with the same
`replica_id` expires its own claims at once (`recover_own`). A graceful stop gives unstarted
claims back (`release`).
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Iterable

from sqlalchemy import Select, func, or_, select, update

from bot.models import Occurrence, OccurrenceStatus, Workspace
from bot.time import to_utc

from scheduler.context import EngineContext

log = logging.getLogger(__name__)


class Claims:
    """Claims due work for one replica, recovers expired claims and releases unstarted ones."""

    def __init__(self, context: EngineContext) -> None:
        self.context = context

    def mine(self) -> tuple:  # type: ignore[type-arg]
        """Occurrences this engine can deliver: a ritual it knows, a platform it has a Sender for."""
        return (Occurrence.kind.in_(list(self.context.rituals)), Workspace.platform.in_(list(self.context.senders)))

    def claim_query(self, now: datetime) -> Select:  # type: ignore[type-arg]
        """Due pending occurrences, oldest first: a range scan of ix_occurrence_due (status, due_at), no sort."""
        query = (select(Occurrence.id).join(Workspace, Workspace.id == Occurrence.workspace_id)
                 .where(Occurrence.status == OccurrenceStatus.PENDING, Occurrence.due_at <= now, *self.mine(),
                        or_(Occurrence.lease_until.is_(None), Occurrence.lease_until <= now))
                 .order_by(Occurrence.due_at, Occurrence.id).limit(self.context.batch_size))
        return self._locking(query)

    def expired_query(self, now: datetime) -> Select:  # type: ignore[type-arg]
        """Claims whose lease ran out (their replica died): few rows, found by the index's status prefix."""
        query = (select(Occurrence.id).join(Workspace, Workspace.id == Occurrence.workspace_id)
                 .where(Occurrence.status == OccurrenceStatus.CLAIMED, Occurrence.lease_until <= now, *self.mine())
                 .order_by(Occurrence.due_at, Occurrence.id).limit(self.context.batch_size))
        return self._locking(query)

    def _locking(self, query: Select) -> Select:  # type: ignore[type-arg]
        if self.context.db.dialect == "postgresql":   # replicas skip rows another one is claiming right now
            query = query.with_for_update(skip_locked=True, of=Occurrence)
        return query

    def claim(self) -> tuple[list[int], set[int]]:
        """Claim a batch of due occurrences and expired claims; returns (ids, ids being recovered).

        Indexed queries over (status, due_at); FOR UPDATE SKIP LOCKED on PostgreSQL so replicas take
        disjoint batches. The UPDATE re-checks the status, so a row is never claimed twice.
        """
        context = self.context
        now = context.clock.now()
        lease_until = now + context.lease
        with context.db.session() as session:
            due_ids = list(session.scalars(self.claim_query(now)))
            expired_ids = list(session.scalars(self.expired_query(now)))
            claimed: list[int] = []
            recovering: set[int] = set()
            if due_ids:
                claimed += session.scalars(
                    update(Occurrence)
                    .where(Occurrence.id.in_(due_ids), Occurrence.status == OccurrenceStatus.PENDING)
                    .values(status=OccurrenceStatus.CLAIMED, claimed_by=context.replica_id, lease_until=lease_until,
                            attempts=Occurrence.attempts + 1)
                    .returning(Occurrence.id).execution_options(synchronize_session=False)).all()
            if expired_ids:
                taken = session.scalars(
                    update(Occurrence)
                    .where(Occurrence.id.in_(expired_ids), Occurrence.status == OccurrenceStatus.CLAIMED,
                           Occurrence.lease_until <= now)
                    .values(claimed_by=context.replica_id, lease_until=lease_until, attempts=Occurrence.attempts + 1)
                    .returning(Occurrence.id).execution_options(synchronize_session=False)).all()
                claimed += taken
                recovering.update(taken)
                if taken:
                    log.warning("recovering %d occurrences whose claim expired", len(taken))
        context.observer.claims("claimed", len(claimed) - len(recovering))
        context.observer.claims("recovered", len(recovering))
        return claimed, recovering

    def recover_own(self) -> int:
        """At start-up: claims under our own replica id belong to a previous, dead process: expire them now."""
        now = self.context.clock.now()
        with self.context.db.session() as session:
            result = session.execute(
                update(Occurrence).where(Occurrence.status == OccurrenceStatus.CLAIMED,
                                         Occurrence.claimed_by == self.context.replica_id)
                .values(lease_until=now).execution_options(synchronize_session=False))
            return int(result.rowcount or 0)

    def release(self, occurrence_ids: Iterable[int]) -> int:
        """Give unstarted claims back (graceful stop): pending again, the attempt not counted."""
        ids = list(occurrence_ids)
        if not ids:
            return 0
        with self.context.db.session() as session:
            result = session.execute(
                update(Occurrence).where(Occurrence.id.in_(ids), Occurrence.status == OccurrenceStatus.CLAIMED,
                                         Occurrence.claimed_by == self.context.replica_id)
                .values(status=OccurrenceStatus.PENDING, claimed_by=None, lease_until=None,
                        attempts=Occurrence.attempts - 1)
                .execution_options(synchronize_session=False))
            released = int(result.rowcount or 0)
        self.context.observer.claims("released", released)
        return released

    def next_event_at(self) -> datetime | None:
        """When this engine next has something to do (for a simulated clock): a replan, a due
        occurrence, a retry coming off its backoff or a claim whose lease runs out."""
        with self.context.db.session() as session:
            if session.scalar(select(Workspace.id).where(Workspace.needs_replan.is_(True)).limit(1)) is not None:
                return self.context.clock.now()
            # pending: due_at, or lease_until when in backoff; claimed: lease_until
            upcoming = session.scalar(
                select(func.min(func.coalesce(Occurrence.lease_until, Occurrence.due_at)))
                .join(Workspace, Workspace.id == Occurrence.workspace_id)
                .where(*self.mine(), Occurrence.status.in_((OccurrenceStatus.PENDING, OccurrenceStatus.CLAIMED))))
        return to_utc(upcoming) if upcoming is not None else None
