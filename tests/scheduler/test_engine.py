"""The engine's promises: misfires by grace period, exactly-once delivery under retries and crashes,
re-planning when settings change, edits through update keys, and a graceful stop."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from sqlalchemy import func, select, update

from adapters.console.sender import ConsoleSender
from bot.time.clock import SimulatedClock
from bot.config import Settings
from bot.models import Member, Occurrence, SentMessage, Workspace
from bot.reply import Outbound
from scheduler.delivery import Delivered, DeliveryError, WorkspaceRef
from scheduler.engine import Engine
from scheduler.simulate import run_until
from tests.scheduler.rituals_for_tests import DailyAt, make_team

UTC = timezone.utc
# Monday 2026-03-23; 09:30 in Berlin (+01:00) is 08:30Z
MONDAY = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 23, 8, 30, tzinfo=UTC)


class FlakySender:
    """A platform that fails the first `failures` sends (429-like unless `permanent`), then accepts."""

    def __init__(self, failures: int = 0, *, permanent: bool = False, retry_after: float | None = None) -> None:
        self.failures = failures
        self.permanent = permanent
        self.retry_after = retry_after
        self.calls = 0
        self.accepted: list[tuple[Outbound, str | None]] = []

    async def send(self, workspace: WorkspaceRef, message: Outbound, *, replace_ref: str | None = None) -> Delivered:
        self.calls += 1
        if self.calls <= self.failures:
            raise DeliveryError("rate limited" if not self.permanent else "user not found",
                                permanent=self.permanent, retry_after=self.retry_after)
        self.accepted.append((message, replace_ref))
        return Delivered(replace_ref or f"ref-{len(self.accepted)}")

    async def was_delivered(self, workspace: WorkspaceRef, message: Outbound) -> bool | None:
        return any(m.dedupe_key == message.dedupe_key for m, _ in self.accepted)


def engine_for(db, clock, sender, *rituals, **options) -> Engine:  # type: ignore[no-untyped-def]
    return Engine(db, clock, {"console": sender}, rituals={r.kind: r for r in rituals}, replica_id="test",
                  concurrency=1, **options)


def statuses(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return {f"{o.recipient}/{o.key}": o.status for o in session.scalars(select(Occurrence))}


async def at(engine: Engine, clock: SimulatedClock, instant: datetime) -> None:
    clock.set(instant)
    await engine.tick()


# --- misfires --------------------------------------------------------------------------------------

async def test_after_downtime_a_late_occurrence_within_grace_is_sent_late(db) -> None:  # type: ignore[no-untyped-def]
    make_team(db, {"lena": "Europe/Berlin"})
    clock = SimulatedClock(MONDAY)
    sender = ConsoleSender(clock=clock)
    engine = engine_for(db, clock, sender, DailyAt("prompt", time(9, 30), grace=timedelta(hours=2)))
    await engine.tick()                                   # plans Monday 09:30 local
    await at(engine, clock, DUE + timedelta(minutes=110))  # we were down from before 09:30 to 11:20
    assert [(m.at, m.message.to) for m in sender.messages] == [(DUE + timedelta(minutes=110), "lena")]
    assert statuses(db) == {"lena/2026-03-23": "sent", "lena/2026-03-24": "pending"}


async def test_after_downtime_beyond_grace_the_occurrence_is_recorded_missed(db) -> None:  # type: ignore[no-untyped-def]
    make_team(db, {"lena": "Europe/Berlin"})
    clock = SimulatedClock(MONDAY)
    sender = ConsoleSender(clock=clock)
    engine = engine_for(db, clock, sender, DailyAt("prompt", time(9, 30), grace=timedelta(hours=2)))
    await engine.tick()
    # down for two and a half days: Monday and Tuesday are missed, Wednesday's is due at once and on time
    await at(engine, clock, datetime(2026, 3, 25, 8, 40, tzinfo=UTC))
    assert [m.message.reply.text for m in sender.messages] == ["prompt 2026-03-25 part 0"]
    assert statuses(db) == {"lena/2026-03-23": "missed", "lena/2026-03-24": "missed",
                            "lena/2026-03-25": "sent", "lena/2026-03-26": "pending"}
    with db.session() as session:
        detail = session.scalar(select(Occurrence.detail).where(Occurrence.key == "2026-03-23"))
    assert detail is not None and "late by" in detail


async def test_grace_comes_from_settings_when_the_ritual_names_one(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    make_team(db, {"lena": "Europe/Berlin"})
    ritual = DailyAt("standup_prompt", time(9, 30), grace=timedelta(hours=2))
    ritual.grace_setting = "standup_grace_minutes"  # type: ignore[attr-defined]
    clock = SimulatedClock(MONDAY)
    sender = ConsoleSender(clock=clock)
    engine = engine_for(db, clock, sender, ritual, settings=Settings.from_env({}, standup_grace_minutes=30))
    await engine.tick()
    await at(engine, clock, DUE + timedelta(minutes=45))
    assert sender.messages == []
    assert statuses(db)["lena/2026-03-23"] == "missed"


# --- exactly once ----------------------------------------------------------------------------------

async def test_transient_errors_are_retried_with_backoff_and_sent_once(db) -> None:  # type: ignore[no-untyped-def]
    make_team(db, {"lena": "Europe/Berlin"})
    clock = SimulatedClock(DUE)
    sender = FlakySender(failures=2, retry_after=90)
    engine = engine_for(db, clock, sender, DailyAt("prompt", time(9, 30), parts=2),
                        retry_base=timedelta(seconds=10))
    clock.set(DUE - timedelta(hours=1))
    await engine.tick()
    await at(engine, clock, DUE)
    assert sender.accepted == [] and statuses(db)["lena/2026-03-23"] == "pending"
    await at(engine, clock, DUE + timedelta(seconds=60))        # Retry-After (90 s) not over yet
    assert sender.calls == 1
    await run_until(engine, clock, DUE + timedelta(hours=1))
    assert [m.dedupe_key for m, _ in sender.accepted] == [f"occ{_occurrence_id(db)}.0", f"occ{_occurrence_id(db)}.1"]
    assert sender.calls == 4
    assert statuses(db)["lena/2026-03-23"] == "sent"
    with db.session() as session:
        occurrence = session.scalar(select(Occurrence).where(Occurrence.key == "2026-03-23"))
        assert occurrence is not None and occurrence.attempts == 3
        assert session.scalar(select(func.count()).select_from(SentMessage)) == 2


async def test_a_failure_after_the_first_part_never_repeats_that_part(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    make_team(db, {"lena": "Europe/Berlin"})
    clock = SimulatedClock(DUE - timedelta(hours=1))
    sender = FlakySender()
    engine = engine_for(db, clock, sender, DailyAt("prompt", time(9, 30), parts=3), retry_base=timedelta(seconds=1))
    await engine.tick()
    original_send = sender.send

    async def fail_on_second(workspace, message, *, replace_ref=None):  # type: ignore[no-untyped-def]
        if message.dedupe_key.endswith(".1") and sender.calls == 1:
            sender.calls += 1
            raise DeliveryError("429")
        return await original_send(workspace, message, replace_ref=replace_ref)

    sender.send = fail_on_second  # type: ignore[method-assign]
    await run_until(engine, clock, DUE + timedelta(minutes=5))
    keys = [m.dedupe_key.rsplit(".", 1)[1] for m, _ in sender.accepted]
    assert keys == ["0", "1", "2"]
    assert statuses(db)["lena/2026-03-23"] == "sent"


class Refusing(FlakySender):
    """'gone' left the platform (permanent); everybody else hits a rate limit that never lifts."""

    async def send(self, workspace, message, *, replace_ref=None):  # type: ignore[no-untyped-def]
        self.calls += 1
        raise DeliveryError("refused", permanent=message.to == "gone")


async def test_permanent_errors_fail_at_once_and_max_attempts_end_transient_ones(db) -> None:  # type: ignore[no-untyped-def]
    make_team(db, {"gone": "Europe/Berlin", "slow": "Europe/Berlin"})
    clock = SimulatedClock(DUE - timedelta(hours=1))
    sender = Refusing()
    engine = engine_for(db, clock, sender, DailyAt("prompt", time(9, 30)),
                        retry_base=timedelta(seconds=1), max_attempts=3)
    await run_until(engine, clock, DUE + timedelta(minutes=30))
    assert sender.calls == 1 + 3
    with db.session() as session:
        rows = {o.recipient: o for o in session.scalars(select(Occurrence).where(Occurrence.key == "2026-03-23"))}
        # the ritual goes on: tomorrow is planned for both
        tomorrow = set(session.scalars(select(Occurrence.status).where(Occurrence.key == "2026-03-24")))
    assert rows["gone"].status == "failed" and rows["gone"].attempts == 1
    assert (rows["gone"].detail or "").startswith("permanent")
    assert rows["slow"].status == "failed" and "gave up after 3 attempts" in (rows["slow"].detail or "")
    assert tomorrow == {"pending"}


async def test_a_crash_between_acceptance_and_record_is_recovered_without_a_duplicate(db) -> None:  # type: ignore[no-untyped-def]
    """In-process version of the crash: the claim is left behind as a dead replica would leave it."""
    make_team(db, {"a": "UTC", "b": "UTC", "c": "UTC"})
    clock = SimulatedClock(datetime(2026, 3, 23, 9, 0, tzinfo=UTC))
    ritual = DailyAt("prompt", time(9, 30))
    sender = FlakySender()
    dead = engine_for(db, clock, sender, ritual)
    dead.replica_id = "dead"
    await dead.tick()
    clock.set(datetime(2026, 3, 23, 9, 30, tzinfo=UTC))
    claimed, _ = dead.claim()
    assert len(claimed) == 3
    # the dead replica got "a" accepted by the platform, then died before recording anything
    with db.session() as session:
        first = session.get(Occurrence, claimed[0])
        assert first is not None
        ref = WorkspaceRef(first.workspace_id, "console", "team", None)
        message = Outbound("prompt", first.workspace_id, first.recipient, reply=ritual.build(
            session, session.get(Workspace, first.workspace_id), first, clock.now())[0].reply,  # type: ignore[index]
            dedupe_key=f"occ{first.id}.0")
    await sender.send(ref, message)
    survivor = engine_for(db, clock, sender, ritual)
    await survivor.tick()
    assert len(sender.accepted) == 1      # the lease (10 min) has not expired: nothing taken over yet
    await at(survivor, clock, clock.now() + timedelta(minutes=11))
    assert sorted(m.to for m, _ in sender.accepted) == ["a", "b", "c"]   # "a" not sent twice
    assert set(statuses(db).values()) == {"sent", "pending"}
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SentMessage)) == 3


class UnknowingSender(FlakySender):
    async def was_delivered(self, workspace: WorkspaceRef, message: Outbound) -> bool | None:
        return None


async def test_when_the_platform_cannot_tell_the_uncertain_part_is_not_resent_and_marked(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    make_team(db, {"a": "UTC"})
    clock = SimulatedClock(datetime(2026, 3, 23, 9, 0, tzinfo=UTC))
    ritual = DailyAt("prompt", time(9, 30), parts=2)
    sender = UnknowingSender()
    engine = engine_for(db, clock, sender, ritual)
    await engine.tick()
    clock.set(datetime(2026, 3, 23, 9, 30, tzinfo=UTC))
    claimed, _ = engine.claim()           # ...and the process dies here
    assert engine.recover_own() == 1      # restarted with the same replica id: its own claims expire at once
    await engine.tick()
    assert [m.dedupe_key for m, _ in sender.accepted] == [f"occ{claimed[0]}.1"]
    with db.session() as session:
        occurrence = session.get(Occurrence, claimed[0])
        assert occurrence is not None and occurrence.status == "failed"
        assert (occurrence.detail or "").startswith("uncertain")


def _occurrence_id(db) -> int:  # type: ignore[no-untyped-def]
    with db.session() as session:
        found = session.scalar(select(Occurrence.id).where(Occurrence.key == "2026-03-23"))
        assert found is not None
        return found


# --- planning --------------------------------------------------------------------------------------

async def test_replan_follows_a_zone_change_drops_leavers_and_skips_what_was_sent(db) -> None:  # type: ignore[no-untyped-def]
    make_team(db, {"lena": "Europe/Berlin", "sam": "America/Los_Angeles"})
    clock = SimulatedClock(MONDAY)
    sender = ConsoleSender(clock=clock)
    ritual = DailyAt("prompt", time(9, 30))
    engine = engine_for(db, clock, sender, ritual)
    await engine.tick()
    await at(engine, clock, DUE)                      # lena's Monday prompt goes out at 09:30 Berlin
    with db.session() as session:
        lena = session.scalar(select(Member).where(Member.user_id == "lena"))
        assert lena is not None
        lena.tz = "Asia/Tokyo"                        # she moves: 09:30 Tokyo is 00:30Z
        session.delete(session.scalar(select(Member).where(Member.user_id == "sam")))
        session.execute(update(Workspace).values(needs_replan=True))
    await at(engine, clock, DUE + timedelta(hours=1))
    with db.session() as session:
        rows = {(o.recipient, o.key): (o.status, o.due_at) for o in session.scalars(select(Occurrence))}
    # Monday was already sent (key = local date): never again today; Tuesday is Tokyo's 09:30
    assert rows[("lena", "2026-03-23")][0] == "sent"
    assert rows[("lena", "2026-03-24")] == ("pending", datetime(2026, 3, 24, 0, 30, tzinfo=UTC))
    assert rows[("sam", "2026-03-23")][0] == "cancelled"
    assert len(rows) == 3


async def test_skip_is_recorded_and_the_ritual_goes_on(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    make_team(db, {"lena": "Europe/Berlin"})
    clock = SimulatedClock(MONDAY)
    sender = ConsoleSender(clock=clock)
    engine = engine_for(db, clock, sender, DailyAt("prompt", time(9, 30), skip=frozenset({"lena"})))
    await run_until(engine, clock, MONDAY + timedelta(days=2))
    assert sender.messages == []
    assert statuses(db) == {"lena/2026-03-23": "skipped", "lena/2026-03-24": "skipped", "lena/2026-03-25": "pending"}


async def test_an_update_key_edits_the_earlier_message(db) -> None:  # type: ignore[no-untyped-def]
    make_team(db, {"lena": "Europe/Berlin"})
    clock = SimulatedClock(MONDAY)
    sender = FlakySender()
    engine = engine_for(db, clock, sender, DailyAt("summary", time(9, 30), update_key="summary-thread"))
    await run_until(engine, clock, MONDAY + timedelta(days=2))
    assert [ref for _, ref in sender.accepted] == [None, "ref-1"]
    with db.session() as session:
        assert list(session.scalars(select(SentMessage.platform_ref).order_by(SentMessage.id))) == ["ref-1", "ref-1"]


async def test_only_workspaces_of_platforms_with_a_sender_are_served(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    make_team(db, {"lena": "Europe/Berlin"}, platform="slack", external_id="T1")
    clock = SimulatedClock(MONDAY)
    sender = ConsoleSender(clock=clock)
    engine = engine_for(db, clock, sender, DailyAt("prompt", time(9, 30)))
    await run_until(engine, clock, MONDAY + timedelta(days=1))
    assert sender.messages == []
    assert statuses(db) == {"lena/2026-03-23": "pending"}   # planned, left for the replica that runs Slack


async def test_a_graceful_stop_gives_unstarted_claims_back(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    make_team(db, {f"m{i}": "UTC" for i in range(5)})
    clock = SimulatedClock(datetime(2026, 3, 23, 9, 0, tzinfo=UTC))
    engine = engine_for(db, clock, FlakySender(), DailyAt("prompt", time(9, 30)))
    await engine.tick()
    clock.set(datetime(2026, 3, 23, 9, 30, tzinfo=UTC))

    class StopAfterTwo(FlakySender):
        async def send(self, workspace, message, *, replace_ref=None):  # type: ignore[no-untyped-def]
            delivered = await super().send(workspace, message, replace_ref=replace_ref)
            if len(self.accepted) == 2:
                engine.request_stop()
            return delivered

    stopping = StopAfterTwo()
    engine.senders = {"console": stopping}
    await engine.tick()
    assert len(stopping.accepted) == 2
    with db.session() as session:
        rows = list(session.scalars(select(Occurrence).where(Occurrence.key == "2026-03-23")))
    assert sorted(o.status for o in rows) == ["pending", "pending", "pending", "sent", "sent"]
    assert all(o.attempts == 0 and o.claimed_by is None for o in rows if o.status == "pending")


async def test_a_sender_with_idempotent_resends_gets_the_uncertain_part_again(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    make_team(db, {"a": "UTC"})
    clock = SimulatedClock(datetime(2026, 3, 23, 9, 0, tzinfo=UTC))
    sender = UnknowingSender()
    sender.idempotent_resend = True  # type: ignore[attr-defined]  (the platform drops a same-key resend)
    engine = engine_for(db, clock, sender, DailyAt("prompt", time(9, 30), parts=2))
    await engine.tick()
    clock.set(datetime(2026, 3, 23, 9, 30, tzinfo=UTC))
    claimed, _ = engine.claim()
    engine.recover_own()
    await engine.tick()
    assert [m.dedupe_key for m, _ in sender.accepted] == [f"occ{claimed[0]}.0", f"occ{claimed[0]}.1"]
    assert statuses(db)["a/2026-03-23"] == "sent"


class BrokenPlanning(DailyAt):
    """next_due raises for one member, as a ritual's bug would."""

    def next_due(self, session, workspace, recipient, after):  # type: ignore[no-untyped-def]
        if recipient == "bug" and self.broken:
            raise RuntimeError("ritual bug")
        return super().next_due(session, workspace, recipient, after)


async def test_a_ritual_that_fails_to_plan_loses_no_delivery_and_blocks_nobody(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    make_team(db, {"ok": "UTC", "bug": "UTC"})
    clock = SimulatedClock(datetime(2026, 3, 23, 9, 0, tzinfo=UTC))
    ritual = BrokenPlanning("prompt", time(9, 30))
    ritual.broken = False  # type: ignore[attr-defined]
    sender = FlakySender()
    engine = engine_for(db, clock, sender, ritual)
    await engine.tick()                                       # both planned for today
    ritual.broken = True  # type: ignore[attr-defined]
    await at(engine, clock, datetime(2026, 3, 23, 9, 30, tzinfo=UTC))
    assert sorted(m.to for m, _ in sender.accepted) == ["bug", "ok"]   # both delivered and recorded
    assert statuses(db) == {"ok/2026-03-23": "sent", "ok/2026-03-24": "pending", "bug/2026-03-23": "sent"}
    with db.session() as session:
        assert session.scalar(select(Workspace.needs_replan)) is True   # planning is retried, not dropped
        assert session.scalar(select(func.count()).select_from(SentMessage)) == 2
    ritual.broken = False  # type: ignore[attr-defined]
    await at(engine, clock, datetime(2026, 3, 23, 9, 36, tzinfo=UTC))  # retried after a back-off
    assert statuses(db)["bug/2026-03-24"] == "pending"
