"""Dispatch: deliver one claimed occurrence exactly once, record it, and plan what comes next.

For each claimed occurrence: the workspace uninstalled -> `cancelled`; too late for its grace period
-> `missed`; attempted too often -> `failed`; the ritual's `build()` says Skip -> `skipped`;
otherwise each message is sent through the workspace platform's Sender (`scheduler.delivery`) with
the dedupe key `occ<id>.<part>` and recorded in `sent_messages` right after the platform accepted
it (unique per workspace and dedupe key). Then the occurrence is `sent` and the ritual's next
occurrence is stored, in the same transaction (`Planner.plan_next`). A transient error puts the
occurrence back to pending after a backoff; a permanent one, or too many attempts, ends it `failed`.

Crash recovery. A reclaimed occurrence (see `scheduler.claims`) is rebuilt; parts already recorded
in `sent_messages` are never sent again. For a part without a record the platform is asked
`was_delivered(dedupe_key)`: True -> recorded without sending, False -> sent. When the platform
cannot tell (None), the first unrecorded part - the only one that can have been in flight, since
parts are sent in order and each is recorded as soon as it is accepted - is NOT resent (a duplicate
is worse than a gap) and the occurrence ends `failed` with an "uncertain" detail and a warning in
the log; the later parts, never attempted, are sent. A Sender whose platform drops a resend with
the same dedupe key itself (`idempotent_resend = True`, e.g. Discord nonces) gets the part resent
instead. Edits (`update_key`) are idempotent and always retried. A replica that keeps crashing on
the same occurrence gives up after `max_attempts` (failed).

`build()` may be called again for the same occurrence (after a transient error or a crash), so a
ritual's build must be idempotent per occurrence (derive anything random from the occurrence).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.models import Member, Occurrence, OccurrenceStatus, SentMessage, Workspace
from bot.reply import Outbound
from bot.rituals import Ritual, Skip
from bot.time import to_local, to_utc

from scheduler.context import EngineContext, finish
from scheduler.delivery import DeliveryError, WorkspaceRef
from scheduler.planner import Planner

log = logging.getLogger(__name__)


def dedupe_key(occurrence_id: int, part: int) -> str:
    """The platform-visible identity of one message of one occurrence: what makes a resend detectable."""
    return f"occ{occurrence_id}.{part}"


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


class Dispatcher:
    """Builds, sends, records and concludes claimed occurrences; plans each one's successor."""

    def __init__(self, context: EngineContext, planner: Planner) -> None:
        self.context = context
        self.planner = planner

    def grace_for(self, ritual: Ritual) -> timedelta:
        """The ritual's grace period; a ritual naming a Settings field (`grace_setting`) is operator-configurable."""
        setting = getattr(ritual, "grace_setting", None)
        if setting:
            return timedelta(minutes=getattr(self.context.settings, setting))
        return ritual.grace

    async def process(self, occurrence_id: int, *, recovering: bool = False) -> str:
        """Deliver one claimed occurrence; returns its outcome (a status, or 'retry'/'lost')."""
        context = self.context
        now = context.clock.now()
        built: list[Outbound] | Skip | DeliveryError = []
        ended: tuple[OccurrenceStatus, str] | None = None
        with context.db.session() as session:
            found = session.execute(select(Occurrence, Workspace).join(Workspace, Workspace.id == Occurrence.workspace_id)
                                    .where(Occurrence.id == occurrence_id)).first()
            if found is None:
                return "lost"
            occurrence, workspace = found
            if occurrence.status != OccurrenceStatus.CLAIMED or occurrence.claimed_by != context.replica_id:
                return "lost"   # another replica reclaimed it after our lease expired
            if occurrence.lease_until is None or occurrence.lease_until - now < context.lease / 2:
                occurrence.lease_until = now + context.lease   # heartbeat: still ours, for a while longer
            claimed = _Claimed(occurrence.id, occurrence.workspace_id, occurrence.kind, occurrence.recipient,
                               to_utc(occurrence.due_at), workspace)
            context.observer.occurrence_started(claimed.kind, (now - claimed.due_at).total_seconds())
            ritual = context.rituals[occurrence.kind]
            late, grace = now - claimed.due_at, self.grace_for(ritual)
            if workspace.uninstalled_at is not None:
                ended = (OccurrenceStatus.CANCELLED, "workspace uninstalled")
            elif late > grace:
                ended = (OccurrenceStatus.MISSED, f"late by {_minutes(late)} min (grace {_minutes(grace)} min)")
            elif occurrence.attempts > context.max_attempts:   # a replica died on it again and again
                ended = (OccurrenceStatus.FAILED, f"gave up after {occurrence.attempts - 1} attempts")
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
                    ended = (OccurrenceStatus.SKIPPED, built.reason)
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
        sender = self.context.senders[target.platform]
        observer = self.context.observer
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
                observer.message_failed(message.kind, "permanent" if failure.permanent else "transient")
                log.info("delivery of %s to %s failed: %s", claimed.kind, claimed.recipient, failure)
                return self._conclude(claimed, error=failure, record=last_accepted, target=target)
            except Exception as failure:  # an adapter bug: treat as transient, the attempts cap ends it
                observer.message_failed(message.kind, "error")
                log.exception("sender for %s raised", target.platform)
                return self._conclude(claimed, error=DeliveryError(f"sender error: {failure!r}"),
                                      record=last_accepted, target=target)
            observer.message_sent(message.kind)
            last_accepted = (message, delivered.ref or part.replace_ref)
        if uncertain:
            return self._conclude(claimed, status=OccurrenceStatus.FAILED, record=last_accepted, target=target,
                                  detail="uncertain: a crash hid whether the platform accepted it; not resent")
        return self._conclude(claimed, status=OccurrenceStatus.SENT, record=last_accepted, target=target)

    def _conclude(self, claimed: _Claimed, *, status: OccurrenceStatus | None = None,
                  error: DeliveryError | None = None, detail: str | None = None,
                  record: tuple[Outbound, str | None] | None = None, target: WorkspaceRef | None = None) -> str:
        """Record the last accepted message, the outcome and the next occurrence in one transaction.

        Should planning the next occurrence fail (a ritual's bug), the record and the outcome are
        written without it and the workspace is flagged for re-planning: a delivery is never lost
        to a planning error, and a ritual is never silently dropped.
        """
        args = dict(status=status, error=error, detail=detail, record=record, target=target)
        try:
            with self.context.db.session() as session:
                return self._conclude_in(session, claimed, plan=True, **args)  # type: ignore[arg-type]
        except Exception:
            log.exception("planning the next %s for %s failed; the workspace will be re-planned",
                          claimed.kind, claimed.recipient)
        with self.context.db.session() as session:
            outcome = self._conclude_in(session, claimed, plan=False, **args)  # type: ignore[arg-type]
            session.execute(update(Workspace).where(Workspace.id == claimed.workspace_id)
                            .values(needs_replan=True).execution_options(synchronize_session=False))
            return outcome

    def _conclude_in(self, session: Session, claimed: _Claimed, *, plan: bool, status: OccurrenceStatus | None,
                     error: DeliveryError | None, detail: str | None, record: tuple[Outbound, str | None] | None,
                     target: WorkspaceRef | None) -> str:
        context = self.context
        now = context.clock.now()
        if record is not None and target is not None:
            self._add_record(session, target, claimed.id, *record)
            session.flush()
        mine = (Occurrence.id == claimed.id, Occurrence.status == OccurrenceStatus.CLAIMED,
                Occurrence.claimed_by == context.replica_id)
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
            if not error.permanent and occurrence.attempts < context.max_attempts:
                backoff = min(context.retry_base * (2 ** (occurrence.attempts - 1)), context.retry_cap)
                if error.retry_after is not None:
                    backoff = max(backoff, timedelta(seconds=error.retry_after))
                occurrence.status, occurrence.claimed_by = OccurrenceStatus.PENDING, None
                occurrence.lease_until = now + backoff        # pending + lease_until: not before then
                occurrence.detail = f"attempt {occurrence.attempts} failed: {error}"[:2000]
                return "retry"
            why = "permanent" if error.permanent else f"gave up after {occurrence.attempts} attempts"
            status = OccurrenceStatus.FAILED
            finish(occurrence, OccurrenceStatus.FAILED, now, f"{why}: {error}"[:2000])
        if plan:
            workspace = session.merge(claimed.workspace, load=False)
            self.planner.plan_next(session, workspace, claimed.kind, claimed.recipient, claimed.due_at)
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
            with self.context.db.session() as session:
                self._add_record(session, target, occurrence_id, message, ref)
        except IntegrityError:
            log.warning("message %s was already recorded", message.dedupe_key)

    def _add_record(self, session: Session, target: WorkspaceRef, occurrence_id: int, message: Outbound,
                    ref: str | None) -> None:
        recipient = message.to if isinstance(message.to, str) else ",".join(message.to)
        session.add(SentMessage(workspace_id=target.id, occurrence_id=occurrence_id, dedupe_key=message.dedupe_key,
                                kind=message.kind, recipient=recipient[:255], platform_ref=ref,
                                update_key=message.update_key, text=message.reply.as_text(),
                                sent_at=self.context.clock.now()))


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
