"""The ritual engine: plan, claim, build, send and record due work, exactly once, from the database.

The database is the source of truth; the engine keeps nothing between ticks that it could lose.
Each `tick()` does three things:

1. **Plan.** Workspaces flagged `needs_replan` (an import, a changed setting, a new member) get, for
   every registered ritual and each of its `recipients()`, exactly one future pending occurrence:
   `next_due(after=now)`. Overdue pending occurrences are kept (the misfire rule decides them);
   recipients no longer listed have their pending occurrences cancelled.
2. **Claim.** One indexed query over (status, due_at) picks due pending occurrences, oldest first,
   `FOR UPDATE SKIP LOCKED` on PostgreSQL, and marks them claimed by this replica with a lease.
   The UPDATE re-checks `status = 'pending'`, so even a second process on SQLite cannot claim a row
   twice (SQLite serialises writers), but SQLite is still meant for ONE process.
3. **Deliver.** For each claimed occurrence: too late for its grace period -> `missed`; the ritual's
   `build()` says Skip -> `skipped`; otherwise each message is sent through the workspace platform's
   Sender with the dedupe key `occ<id>.<part>` and recorded in `sent_messages` right after the
   platform accepted it (unique per workspace and dedupe key). Then the occurrence is `sent`, and the
   ritual's next occurrence is stored (idempotently: occurrence keys are unique).

State machine of an occurrence::

    pending ──claim──▶ claimed ──▶ sent          all parts accepted (recorded in sent_messages)
       │                  │──────▶ missed        later than the ritual's grace period: not sent
       │                  │──────▶ skipped       build() returned Skip(reason)
       │                  │──────▶ failed        permanent DeliveryError, max attempts reached,
       │                  │                      or an unknowable outcome after a crash (see below)
       │                  │──────▶ cancelled     the workspace was uninstalled
       │                  └──────▶ pending       transient error: retried after a backoff
       │                                         (lease_until then means "not before")
       └──replan──▶ cancelled (recipient gone) / deleted and re-planned (future, not yet due)

Crash recovery. A claim carries a lease (`lease_until`). If a replica dies, its claims expire and
any replica reclaims them (a restarted replica with the same `replica_id` reclaims its own at once,
see `recover_own`). A reclaimed occurrence is rebuilt; parts already recorded in `sent_messages` are
never sent again. For a part without a record the platform is asked `was_delivered(dedupe_key)`:
True -> recorded without sending, False -> sent. When the platform cannot tell (None), the first
unrecorded part - the only one that can have been in flight, since parts are sent in order and each
is recorded as soon as it is accepted - is NOT resent (a duplicate is worse than a gap) and the
occurrence ends `failed` with an "uncertain" detail and a warning in the log; the later parts,
never attempted, are sent. A Sender whose platform drops a resend with the same dedupe key itself
(`idempotent_resend = True`, e.g. Discord nonces) gets the part resent instead. Edits (`update_key`) are idempotent and always retried. A replica that
keeps crashing on the same occurrence gives up after `max_attempts` (failed).

`build()` may be called again for the same occurrence (after a transient error or a crash), so a
ritual's build must be idempotent per occurrence (derive anything random from the occurrence).
"""
from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Iterable, Mapping

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from bot.time.clock import Clock
from bot.config import Settings
from bot.due import enqueue
from bot.models import Member, Occurrence, OccurrenceStatus, SentMessage, Workspace
from bot.observe import NO_OBSERVER, Observer
from bot.privacy import purge_uninstalled
from bot.reply import Outbound
from bot.store import Database
from bot.time import to_local, to_utc

from scheduler.delivery import DeliveryError, Sender, WorkspaceRef
from bot.rituals import Due, Ritual, Skip

log = logging.getLogger(__name__)

PENDING, CLAIMED, SENT, MISSED, SKIPPED, FAILED, CANCELLED = (
    OccurrenceStatus.PENDING, OccurrenceStatus.CLAIMED, OccurrenceStatus.SENT, OccurrenceStatus.MISSED,
    OccurrenceStatus.SKIPPED, OccurrenceStatus.FAILED, OccurrenceStatus.CANCELLED)
FINISHED = frozenset({SENT, MISSED, SKIPPED, FAILED})
# How many already-finished occurrences planning may step over to find the next open one.
_MAX_PLANNING_HOPS = 16
REPLAN_RETRY = timedelta(minutes=5)
PURGE_EVERY = timedelta(hours=1)


def default_replica_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def dedupe_key(occurrence_id: int, part: int) -> str:
    return f"occ{occurrence_id}.{part}"


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


@dataclass(frozen=True)
class _Claimed:
    """What delivery needs of an occurrence once its first transaction has ended."""

    id: int
    workspace_id: int
    kind: str
    recipient: str
    due_at: datetime
    workspace: Workspace      # detached after the first transaction; merged (without a query) to plan next


@dataclass
class _Part:
    message: Outbound
    replace_ref: str | None
    recorded: bool


class Engine:
    """Runs every registered ritual for every workspace whose platform has a Sender here."""

    def __init__(self, db: Database, clock: Clock, senders: Mapping[str, Sender], settings: Settings | None = None,
                 replica_id: str | None = None, rituals: Mapping[str, Ritual] | None = None, *,
                 batch_size: int = 100, lease: timedelta = timedelta(minutes=10), max_attempts: int = 5,
                 retry_base: timedelta = timedelta(seconds=30), retry_cap: timedelta = timedelta(minutes=15),
                 concurrency: int = 8, max_rounds: int = 20, observer: Observer | None = None) -> None:
        self.db = db
        self.clock = clock
        self.senders = dict(senders)
        self.settings = settings or Settings.from_env()
        self.replica_id = replica_id or self.settings.replica_id or default_replica_id()
        if rituals is None:
            import bot.features  # noqa: F401  (registers every ritual kind that exists)
            from bot.rituals import RITUALS
            rituals = RITUALS
        self.rituals = rituals               # live mapping: kinds registered later are picked up
        self.batch_size = batch_size
        self.lease = lease
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.concurrency = max(1, concurrency)
        self.max_rounds = max_rounds
        self.observer = observer or NO_OBSERVER     # told about claims, lag and each send (metrics)
        self._stopping = False
        self._planned_overdue = False        # planning stored work already due: claim another round
        self._replan_retry: dict[int, datetime] = {}   # workspace id -> not before (its planning failed)
        self._next_purge = datetime.min.replace(tzinfo=timezone.utc)   # uninstalled workspaces: first tick

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
            result.replanned = await asyncio.to_thread(self.replan_flagged)
            for _ in range(self.max_rounds):
                if self._stopping:
                    break
                self._planned_overdue = False
                claimed, recovering = await asyncio.to_thread(self.claim)
                result.claimed += len(claimed)
                result.recovered += len(recovering)
                if not claimed:
                    break
                await self._deliver_all(claimed, recovering, result)
                if len(claimed) < self.batch_size and not self._planned_overdue:
                    break
            if self.clock.now() >= self._next_purge:
                await asyncio.to_thread(self.purge_uninstalled)
        except (OperationalError, InterfaceError) as error:
            log.warning("database unavailable; due work waits for the next tick: %s",
                        (str(error.orig or error).strip().splitlines() or ["?"])[0][:300])
        return result

    def purge_uninstalled(self) -> list[tuple[str, str]]:
        """Delete every workspace uninstalled longer ago than MERIDIAN_UNINSTALL_GRACE_DAYS, with all its
        data (ticks do this at most every PURGE_EVERY; `meridian db purge` does it on demand)."""
        now = self.clock.now()
        with self.db.session() as session:
            gone = purge_uninstalled(session, now, timedelta(days=self.settings.uninstall_grace_days))
        self._next_purge = now + PURGE_EVERY
        for platform, external_id in gone:
            log.info("deleted the data of %s workspace %s: uninstalled more than %d days ago",
                     platform, external_id, self.settings.uninstall_grace_days)
        return gone

    async def _deliver_all(self, claimed: list[int], recovering: set[int], result: TickResult) -> None:
        gate = asyncio.Semaphore(self.concurrency)
        unprocessed = set(claimed)

        async def one(occurrence_id: int) -> None:
            async with gate:
                if self._stopping:
                    return
                unprocessed.discard(occurrence_id)
                try:
                    outcome = await self.process(occurrence_id, recovering=occurrence_id in recovering)
                except Exception:  # a bug must not stop the other occurrences; the lease brings it back
                    log.exception("processing occurrence %s failed", occurrence_id)
                    outcome = "error"
                result.count(outcome)

        await asyncio.gather(*(one(i) for i in claimed))
        if unprocessed:
            self.release(unprocessed)

    @property
    def stopping(self) -> bool:
        return self._stopping

    def request_stop(self) -> None:
        """Finish the sends in flight, start no new ones; unstarted claims go back to pending."""
        self._stopping = True

    # --- planning ------------------------------------------------------------------------------
    def replan_flagged(self) -> int:
        """Re-plan every workspace flagged needs_replan; returns how many were planned.

        A workspace whose planning fails (a ritual's bug) stays flagged and is retried after
        REPLAN_RETRY; it never stops the tick or the other workspaces.
        """
        done = 0
        now = self.clock.now()
        with self.db.session() as session:
            flagged = list(session.scalars(select(Workspace.id).where(Workspace.needs_replan.is_(True))))
        for workspace_id in flagged:
            if self._replan_retry.get(workspace_id, now) > now:
                continue
            try:
                with self.db.session() as session:
                    query = select(Workspace).where(Workspace.id == workspace_id, Workspace.needs_replan.is_(True))
                    if self.db.dialect == "postgresql":
                        query = query.with_for_update(skip_locked=True)  # another replica is planning it
                    workspace = session.scalar(query)
                    if workspace is None:
                        continue
                    complete = self.plan_workspace(session, workspace)
                    workspace.needs_replan = not complete
            except Exception:
                log.exception("planning workspace %s failed; retrying in %s", workspace_id, REPLAN_RETRY)
                complete = False
            if complete:
                self._replan_retry.pop(workspace_id, None)
                done += 1
            else:
                self._replan_retry[workspace_id] = now + REPLAN_RETRY
        return done

    def plan_workspace(self, session: Session, workspace: Workspace) -> bool:
        """Give each (ritual, recipient) its next future occurrence; cancel those of recipients gone.

        Returns False when a ritual failed to plan (logged): the others are planned all the same.
        """
        now = self.clock.now()
        complete = True
        open_rows = session.scalars(select(Occurrence).where(
            Occurrence.workspace_id == workspace.id, Occurrence.status == PENDING,
            Occurrence.kind.in_(list(self.rituals))))
        pending: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
        for row in open_rows:
            pending[(row.kind, row.recipient)].append(row)
        if workspace.uninstalled_at is None:
            for kind, ritual in list(self.rituals.items()):
                try:
                    recipients = list(dict.fromkeys(ritual.recipients(session, workspace)))
                except Exception:   # leave this kind as it was planned before
                    log.exception("%s.recipients failed in workspace %s", kind, workspace.id)
                    complete = False
                    for key in [key for key in pending if key[0] == kind]:
                        del pending[key]
                    continue
                for recipient in recipients:
                    rows = pending.pop((kind, recipient), [])
                    try:
                        planned = self._advance(session, workspace, ritual, recipient, now, {r.key: r for r in rows})
                    except Exception:   # keep what was planned before for this recipient
                        log.exception("%s.next_due failed for %s in workspace %s", kind, recipient, workspace.id)
                        complete = False
                        continue
                    for stale in rows:
                        if stale.due_at > now and (planned is None or stale.key != planned.key):
                            session.delete(stale)  # planned under old settings, not due yet: replaced
        for rows in pending.values():
            for row in rows:
                self._finish(row, CANCELLED, now, "no longer a recipient of this ritual")
        session.flush()
        return complete

    def plan_next(self, session: Session, workspace: Workspace, kind: str, recipient: str, after: datetime) -> None:
        """After an occurrence ends, store the ritual's next one for the same recipient."""
        ritual = self.rituals.get(kind)
        if ritual is not None and workspace.uninstalled_at is None:
            self._advance(session, workspace, ritual, recipient, after, {})

    def _advance(self, session: Session, workspace: Workspace, ritual: Ritual, recipient: str, after: datetime,
                 known: dict[str, Occurrence]) -> Due | None:
        """Store the ritual's first occurrence after `after` that is not finished yet; returns it.

        Occurrence keys are unique, so this is idempotent: a key already sent (e.g. today's, before
        the time was changed) is stepped over, a cancelled one revived, a pending one moved.
        """
        for _ in range(_MAX_PLANNING_HOPS):
            due = ritual.next_due(session, workspace, recipient, after)
            if due is None:
                return None
            due_at = to_utc(due.due_at)
            if due_at <= to_utc(after):
                log.error("ritual %s returned %s, not after %s: not planned", ritual.kind, due_at, after)
                return None
            row = known.get(due.key)
            if row is None:
                if enqueue(session, workspace.id, ritual.kind, recipient, due.key, due_at, dict(due.payload) or None):
                    self._planned_overdue |= due_at <= self.clock.now()
                    return due
                row = session.scalar(select(Occurrence).where(
                    Occurrence.workspace_id == workspace.id, Occurrence.kind == ritual.kind,
                    Occurrence.recipient == recipient, Occurrence.key == due.key))
                if row is None:
                    return None
            if row.status == CLAIMED:
                return due          # being delivered right now; its end plans the next one
            if row.status in (PENDING, CANCELLED):
                if row.status == CANCELLED:  # the recipient came back: revive the same key
                    row.status, row.attempts, row.detail, row.finished_at = PENDING, 0, None, None
                    row.claimed_by, row.lease_until = None, None
                if row.due_at != due_at:
                    row.due_at = due_at
                if (row.payload or {}) != dict(due.payload):
                    row.payload = dict(due.payload) or None
                self._planned_overdue |= due_at <= self.clock.now()
                return due
            after = due_at          # finished already: look further
        return None

    # --- claiming ------------------------------------------------------------------------------
    def _mine(self) -> tuple:  # type: ignore[type-arg]
        """Occurrences this engine can deliver: a ritual it knows, a platform it has a Sender for."""
        return (Occurrence.kind.in_(list(self.rituals)), Workspace.platform.in_(list(self.senders)))

    def claim_query(self, now: datetime):  # type: ignore[no-untyped-def]
        """Due pending occurrences, oldest first: a range scan of ix_occurrence_due (status, due_at), no sort."""
        query = (select(Occurrence.id).join(Workspace, Workspace.id == Occurrence.workspace_id)
                 .where(Occurrence.status == PENDING, Occurrence.due_at <= now, *self._mine(),
                        or_(Occurrence.lease_until.is_(None), Occurrence.lease_until <= now))
                 .order_by(Occurrence.due_at, Occurrence.id).limit(self.batch_size))
        return self._locking(query)

    def expired_query(self, now: datetime):  # type: ignore[no-untyped-def]
        """Claims whose lease ran out (their replica died): few rows, found by the index's status prefix."""
        query = (select(Occurrence.id).join(Workspace, Workspace.id == Occurrence.workspace_id)
                 .where(Occurrence.status == CLAIMED, Occurrence.lease_until <= now, *self._mine())
                 .order_by(Occurrence.due_at, Occurrence.id).limit(self.batch_size))
        return self._locking(query)

    def _locking(self, query):  # type: ignore[no-untyped-def]
        if self.db.dialect == "postgresql":   # replicas skip rows another one is claiming right now
            query = query.with_for_update(skip_locked=True, of=Occurrence)
        return query

    def claim(self) -> tuple[list[int], set[int]]:
        """Claim a batch of due occurrences and expired claims; returns (ids, ids being recovered).

        Indexed queries over (status, due_at); FOR UPDATE SKIP LOCKED on PostgreSQL so replicas take
        disjoint batches. The UPDATE re-checks the status, so a row is never claimed twice.
        """
        now = self.clock.now()
        lease_until = now + self.lease
        with self.db.session() as session:
            due_ids = list(session.scalars(self.claim_query(now)))
            expired_ids = list(session.scalars(self.expired_query(now)))
            claimed: list[int] = []
            recovering: set[int] = set()
            if due_ids:
                claimed += session.scalars(
                    update(Occurrence)
                    .where(Occurrence.id.in_(due_ids), Occurrence.status == PENDING)
                    .values(status=CLAIMED, claimed_by=self.replica_id, lease_until=lease_until,
                            attempts=Occurrence.attempts + 1)
                    .returning(Occurrence.id).execution_options(synchronize_session=False)).all()
            if expired_ids:
                taken = session.scalars(
                    update(Occurrence)
                    .where(Occurrence.id.in_(expired_ids), Occurrence.status == CLAIMED,
                           Occurrence.lease_until <= now)
                    .values(claimed_by=self.replica_id, lease_until=lease_until, attempts=Occurrence.attempts + 1)
                    .returning(Occurrence.id).execution_options(synchronize_session=False)).all()
                claimed += taken
                recovering.update(taken)
                if taken:
                    log.warning("recovering %d occurrences whose claim expired", len(taken))
        self.observer.claims("claimed", len(claimed) - len(recovering))
        self.observer.claims("recovered", len(recovering))
        return claimed, recovering

    def recover_own(self) -> int:
        """At start-up: claims under our own replica id belong to a previous, dead process: expire them now."""
        now = self.clock.now()
        with self.db.session() as session:
            result = session.execute(
                update(Occurrence).where(Occurrence.status == CLAIMED, Occurrence.claimed_by == self.replica_id)
                .values(lease_until=now).execution_options(synchronize_session=False))
            return int(result.rowcount or 0)

    def release(self, occurrence_ids: Iterable[int]) -> int:
        """Give unstarted claims back (graceful stop): pending again, the attempt not counted."""
        ids = list(occurrence_ids)
        if not ids:
            return 0
        with self.db.session() as session:
            result = session.execute(
                update(Occurrence).where(Occurrence.id.in_(ids), Occurrence.status == CLAIMED,
                                         Occurrence.claimed_by == self.replica_id)
                .values(status=PENDING, claimed_by=None, lease_until=None, attempts=Occurrence.attempts - 1)
                .execution_options(synchronize_session=False))
            released = int(result.rowcount or 0)
        self.observer.claims("released", released)
        return released

    def next_event_at(self) -> datetime | None:
        """When this engine next has something to do (for a simulated clock): a replan, a due
        occurrence, a retry coming off its backoff or a claim whose lease runs out."""
        with self.db.session() as session:
            if session.scalar(select(Workspace.id).where(Workspace.needs_replan.is_(True)).limit(1)) is not None:
                return self.clock.now()
            # pending: due_at, or lease_until when in backoff; claimed: lease_until
            upcoming = session.scalar(
                select(func.min(func.coalesce(Occurrence.lease_until, Occurrence.due_at)))
                .join(Workspace, Workspace.id == Occurrence.workspace_id)
                .where(*self._mine(), Occurrence.status.in_((PENDING, CLAIMED))))
        return to_utc(upcoming) if upcoming is not None else None

    # --- delivering one occurrence -------------------------------------------------------------
    def grace_for(self, ritual: Ritual) -> timedelta:
        """The ritual's grace period; a ritual naming a Settings field (`grace_setting`) is operator-configurable."""
        setting = getattr(ritual, "grace_setting", None)
        if setting:
            return timedelta(minutes=getattr(self.settings, setting))
        return ritual.grace

    async def process(self, occurrence_id: int, *, recovering: bool = False) -> str:
        """Deliver one claimed occurrence; returns its outcome (a status, or 'retry'/'lost')."""
        now = self.clock.now()
        built: list[Outbound] | Skip | DeliveryError = []
        ended: tuple[str, str] | None = None
        with self.db.session() as session:
            found = session.execute(select(Occurrence, Workspace).join(Workspace, Workspace.id == Occurrence.workspace_id)
                                    .where(Occurrence.id == occurrence_id)).first()
            if found is None:
                return "lost"
            occurrence, workspace = found
            if occurrence.status != CLAIMED or occurrence.claimed_by != self.replica_id:
                return "lost"   # another replica reclaimed it after our lease expired
            if occurrence.lease_until is None or occurrence.lease_until - now < self.lease / 2:
                occurrence.lease_until = now + self.lease   # heartbeat: still ours, for a while longer
            claimed = _Claimed(occurrence.id, occurrence.workspace_id, occurrence.kind, occurrence.recipient,
                               to_utc(occurrence.due_at), workspace)
            self.observer.occurrence_started(claimed.kind, (now - claimed.due_at).total_seconds())
            ritual = self.rituals[occurrence.kind]
            late, grace = now - claimed.due_at, self.grace_for(ritual)
            if workspace.uninstalled_at is not None:
                ended = (CANCELLED, "workspace uninstalled")
            elif late > grace:
                ended = (MISSED, f"late by {_minutes(late)} min (grace {_minutes(grace)} min)")
            elif occurrence.attempts > self.max_attempts:   # a replica died on it again and again
                ended = (FAILED, f"gave up after {occurrence.attempts - 1} attempts")
            else:
                try:
                    built = ritual.build(session, workspace, occurrence, now)
                except Exception as error:
                    log.exception("building %s #%s failed", occurrence.kind, occurrence.id)
                    session.rollback()
                    built = DeliveryError(f"build failed: {error!r}")
                if isinstance(built, DeliveryError):
                    ended = None
                elif isinstance(built, Skip):
                    ended = (SKIPPED, built.reason)
                else:
                    target = WorkspaceRef(workspace.id, workspace.platform, workspace.external_id,
                                          workspace.channel, workspace.locale)
                    parts = self._prepare(session, workspace, occurrence, built, now,
                                          maybe_recorded=recovering or occurrence.attempts > 1)
        if isinstance(built, DeliveryError):
            return self._conclude(claimed, error=built)
        if ended is not None:
            return self._conclude(claimed, status=ended[0], detail=ended[1])
        return await self._send_parts(claimed, target, parts, recovering)

    async def _send_parts(self, claimed: _Claimed, target: WorkspaceRef, parts: list[_Part], recovering: bool) -> str:
        sender = self.senders[target.platform]
        uncertain = False
        first_unrecorded = True
        # Each accepted part is recorded at once; the last one together with the outcome (one commit less).
        last_accepted: tuple[Outbound, str | None] | None = None
        for part in parts:
            if part.recorded:
                continue
            if last_accepted is not None:
                self._record(target, claimed.id, *last_accepted)
                last_accepted = None
            message = part.message
            if recovering and part.replace_ref is None:
                known = await sender.was_delivered(target, message)
                if known is True:
                    last_accepted = (message, None)
                    first_unrecorded = False
                    continue
                if known is None and first_unrecorded and not getattr(sender, "idempotent_resend", False):
                    uncertain = True   # maybe accepted just before the crash: never risk a duplicate
                    log.warning("occurrence %s part %s: delivery unknown after a crash; not resent",
                                claimed.id, message.dedupe_key)
                    first_unrecorded = False
                    continue
            first_unrecorded = False
            try:
                delivered = await sender.send(target, message, replace_ref=part.replace_ref)
            except DeliveryError as failure:
                self.observer.message_failed(message.kind, "permanent" if failure.permanent else "transient")
                log.info("delivery of %s to %s failed: %s", claimed.kind, claimed.recipient, failure)
                return self._conclude(claimed, error=failure, record=last_accepted, target=target)
            except Exception as failure:  # an adapter bug: treat as transient, the attempts cap ends it
                self.observer.message_failed(message.kind, "error")
                log.exception("sender for %s raised", target.platform)
                return self._conclude(claimed, error=DeliveryError(f"sender error: {failure!r}"),
                                      record=last_accepted, target=target)
            self.observer.message_sent(message.kind)
            last_accepted = (message, delivered.ref or part.replace_ref)
        if uncertain:
            return self._conclude(claimed, status=FAILED, record=last_accepted, target=target,
                                  detail="uncertain: a crash hid whether the platform accepted it; not resent")
        return self._conclude(claimed, status=SENT, record=last_accepted, target=target)

    def _conclude(self, claimed: _Claimed, *, status: str | None = None, error: DeliveryError | None = None,
                  detail: str | None = None, record: tuple[Outbound, str | None] | None = None,
                  target: WorkspaceRef | None = None) -> str:
        """Record the last accepted message, the outcome and the next occurrence in one transaction.

        Should planning the next occurrence fail (a ritual's bug), the record and the outcome are
        written without it and the workspace is flagged for re-planning: a delivery is never lost
        to a planning error, and a ritual is never silently dropped.
        """
        args = dict(status=status, error=error, detail=detail, record=record, target=target)
        try:
            with self.db.session() as session:
                return self._conclude_in(session, claimed, plan=True, **args)  # type: ignore[arg-type]
        except Exception:
            log.exception("planning the next %s for %s failed; the workspace will be re-planned",
                          claimed.kind, claimed.recipient)
        with self.db.session() as session:
            outcome = self._conclude_in(session, claimed, plan=False, **args)  # type: ignore[arg-type]
            session.execute(update(Workspace).where(Workspace.id == claimed.workspace_id)
                            .values(needs_replan=True).execution_options(synchronize_session=False))
            return outcome

    def _conclude_in(self, session: Session, claimed: _Claimed, *, plan: bool, status: str | None,
                     error: DeliveryError | None, detail: str | None, record: tuple[Outbound, str | None] | None,
                     target: WorkspaceRef | None) -> str:
        now = self.clock.now()
        if record is not None and target is not None:
            self._add_record(session, target, claimed.id, *record)
            session.flush()
        mine = (Occurrence.id == claimed.id, Occurrence.status == CLAIMED, Occurrence.claimed_by == self.replica_id)
        if error is None:   # the common case in one statement: finish it if it is still ours
            assert status is not None
            done = session.execute(update(Occurrence).where(*mine).values(
                status=status, finished_at=now, lease_until=None, detail=detail)
                .execution_options(synchronize_session=False))
            if not done.rowcount:
                return "lost"   # the record above still stands: the platform did accept that message
        else:
            occurrence = session.scalar(select(Occurrence).where(*mine))
            if occurrence is None:
                return "lost"
            if not error.permanent and occurrence.attempts < self.max_attempts:
                backoff = min(self.retry_base * (2 ** (occurrence.attempts - 1)), self.retry_cap)
                if error.retry_after is not None:
                    backoff = max(backoff, timedelta(seconds=error.retry_after))
                occurrence.status, occurrence.claimed_by = PENDING, None
                occurrence.lease_until = now + backoff        # pending + lease_until: not before then
                occurrence.detail = f"attempt {occurrence.attempts} failed: {error}"[:2000]
                return "retry"
            why = "permanent" if error.permanent else f"gave up after {occurrence.attempts} attempts"
            status = FAILED
            self._finish(occurrence, FAILED, now, f"{why}: {error}"[:2000])
        if plan:
            workspace = session.merge(claimed.workspace, load=False)
            self.plan_next(session, workspace, claimed.kind, claimed.recipient, claimed.due_at)
        return status

    def _prepare(self, session: Session, workspace: Workspace, occurrence: Occurrence, messages: list[Outbound],
                 now: datetime, *, maybe_recorded: bool) -> list[_Part]:
        """Give each message its dedupe key and local time; find what was already sent or is to be edited."""
        keys = [dedupe_key(occurrence.id, index) for index in range(len(messages))]
        recorded: set[str] = set()
        if maybe_recorded:   # a first attempt has nothing recorded yet
            recorded = set(session.scalars(select(SentMessage.dedupe_key).where(
                SentMessage.workspace_id == workspace.id, SentMessage.dedupe_key.in_(keys))))
        parts = []
        for key, message in zip(keys, messages):
            message = replace(message, dedupe_key=key, workspace_id=workspace.id)
            if message.local_time is None and isinstance(message.to, str) and not message.is_channel:
                zone_name = session.scalar(select(Member.tz).where(Member.workspace_id == workspace.id,
                                                                   Member.user_id == message.to))
                if zone_name:
                    message.local_time = to_local(now, zone_name)
            replace_ref = None
            if message.update_key:
                replace_ref = session.scalar(
                    select(SentMessage.platform_ref)
                    .where(SentMessage.workspace_id == workspace.id, SentMessage.update_key == message.update_key,
                           SentMessage.platform_ref.is_not(None))
                    .order_by(SentMessage.id.desc()).limit(1))
            parts.append(_Part(message, replace_ref, key in recorded))
        return parts

    def _record(self, target: WorkspaceRef, occurrence_id: int, message: Outbound, ref: str | None) -> None:
        """Write down an accepted message at once: this row is what makes a retry skip it."""
        try:
            with self.db.session() as session:
                self._add_record(session, target, occurrence_id, message, ref)
        except IntegrityError:
            log.warning("message %s was already recorded", message.dedupe_key)

    def _add_record(self, session: Session, target: WorkspaceRef, occurrence_id: int, message: Outbound,
                    ref: str | None) -> None:
        recipient = message.to if isinstance(message.to, str) else ",".join(message.to)
        session.add(SentMessage(workspace_id=target.id, occurrence_id=occurrence_id, dedupe_key=message.dedupe_key,
                                kind=message.kind, recipient=recipient[:255], platform_ref=ref,
                                update_key=message.update_key, text=message.reply.as_text(),
                                sent_at=self.clock.now()))

    @staticmethod
    def _finish(occurrence: Occurrence, status: str, now: datetime, detail: str | None) -> None:
        occurrence.status = status
        occurrence.finished_at = now
        occurrence.lease_until = None
        occurrence.detail = detail


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
