"""Planning: each (ritual, recipient) has exactly one open occurrence, the next one not finished yet.

Workspaces flagged `needs_replan` (an import, a changed setting, a new member) get, for every
registered ritual and each of its `recipients()`, one future pending occurrence:
`next_due(after=now)`. Overdue pending occurrences are kept (the misfire rule decides them when
they are claimed); future ones planned under old settings are replaced; recipients no longer listed
have their pending occurrences cancelled. After an occurrence ends, `plan_next` stores the ritual's
next one for the same recipient.

Occurrence keys are unique, so planning is idempotent: a key already sent (e.g. today's, before the
time was changed) is stepped over, a cancelled one revived, a pending one moved.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.due import enqueue
from bot.models import Occurrence, OccurrenceStatus, Workspace
from bot.rituals import Due, Ritual
from bot.time import to_utc

from scheduler.context import EngineContext, finish

log = logging.getLogger(__name__)

# How many already-finished occurrences planning may step over to find the next open one.
_MAX_PLANNING_HOPS = 16
REPLAN_RETRY = timedelta(minutes=5)


class Planner:
    """Stores the next occurrence of every ritual for every recipient of a workspace."""

    def __init__(self, context: EngineContext) -> None:
        self.context = context
        # Set when planning stored work that is already due: the tick then claims another round.
        self.planned_overdue = False
        self._replan_retry: dict[int, datetime] = {}   # workspace id -> not before (its planning failed)

    def replan_flagged(self) -> int:
        """Re-plan every workspace flagged needs_replan; returns how many were planned.

        A workspace whose planning fails (a ritual's bug) stays flagged and is retried after
        REPLAN_RETRY; it never stops the tick or the other workspaces.
        """
        db = self.context.db
        done = 0
        now = self.context.clock.now()
        with db.session() as session:
            flagged = list(session.scalars(select(Workspace.id).where(Workspace.needs_replan.is_(True))))
        for workspace_id in flagged:
            if self._replan_retry.get(workspace_id, now) > now:
                continue
            try:
                with db.session() as session:
                    query = select(Workspace).where(Workspace.id == workspace_id, Workspace.needs_replan.is_(True))
                    if db.dialect == "postgresql":
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
        rituals = self.context.rituals
        now = self.context.clock.now()
        complete = True
        open_rows = session.scalars(select(Occurrence).where(
            Occurrence.workspace_id == workspace.id, Occurrence.status == OccurrenceStatus.PENDING,
            Occurrence.kind.in_(list(rituals))))
        pending: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
        for row in open_rows:
            pending[(row.kind, row.recipient)].append(row)
        if workspace.uninstalled_at is None:
            for kind, ritual in list(rituals.items()):
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
                finish(row, OccurrenceStatus.CANCELLED, now, "no longer a recipient of this ritual")
        session.flush()
        return complete

    def plan_next(self, session: Session, workspace: Workspace, kind: str, recipient: str, after: datetime) -> None:
        """After an occurrence ends, store the ritual's next one for the same recipient."""
        ritual = self.context.rituals.get(kind)
        if ritual is not None and workspace.uninstalled_at is None:
            self._advance(session, workspace, ritual, recipient, after, {})

    def _advance(self, session: Session, workspace: Workspace, ritual: Ritual, recipient: str, after: datetime,
                 known: dict[str, Occurrence]) -> Due | None:
        """Store the ritual's first occurrence after `after` that is not finished yet; returns it.

        Occurrence keys are unique, so this is idempotent: a key already sent (e.g. today's, before
        the time was changed) is stepped over, a cancelled one revived, a pending one moved.
        """
        clock = self.context.clock
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
                    self.planned_overdue |= due_at <= clock.now()
                    return due
                row = session.scalar(select(Occurrence).where(
                    Occurrence.workspace_id == workspace.id, Occurrence.kind == ritual.kind,
                    Occurrence.recipient == recipient, Occurrence.key == due.key))
                if row is None:
                    return None
            if row.status == OccurrenceStatus.CLAIMED:
                return due          # being delivered right now; its end plans the next one
            if row.status in (OccurrenceStatus.PENDING, OccurrenceStatus.CANCELLED):
                if row.status == OccurrenceStatus.CANCELLED:  # the recipient came back: revive the same key
                    row.status, row.attempts, row.detail, row.finished_at = OccurrenceStatus.PENDING, 0, None, None
                    row.claimed_by, row.lease_until = None, None
                if row.due_at != due_at:
                    row.due_at = due_at
                if (row.payload or {}) != dict(due.payload):
                    row.payload = dict(due.payload) or None
                self.planned_overdue |= due_at <= clock.now()
                return due
            after = due_at          # finished already: look further
        return None
