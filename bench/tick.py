"""Benchmark 1: the scheduler tick (find and claim due work) at 1,000 to 100,000 members.

Meridian keeps due work in the `occurrences` table and claims it with one indexed range scan per
batch (`Engine.claim`, the engine's own code). The baseline is what most bots do: APScheduler with
one CronTrigger job per member in a MemoryJobStore, its real `_process_jobs` wakeup (finding due
jobs, submitting them to a no-op executor, computing each next fire time) driven by the same clock.

The workload: every member has one daily ritual at a local time between 08:00 and 10:55 on
five-minute marks in their own zone (35 zones), i.e. one pending occurrence, plus `history_days`
finished ones (a table that has been running for a while; the claim's index range never reads them). The clock then walks through two busy
hours (06:00-08:00 UTC: Europe's and Africa's mornings) one tick every 15 s, as `meridian serve`
does. A tick claims everything due, batch after batch, exactly like `Engine.tick` before delivery;
claimed rows are then marked sent outside the timed part (delivery is benchmark 4).

Two figures per size and database: one claim of the due batch (`Engine.claim()`, at most
`batch_size` = 100 rows: the engine's unit of work, what the target is about), against the same
share of APScheduler's wakeup (its wakeup is linear in the due jobs, so a wakeup that ran 1,000
due jobs counts a tenth); and everything due in a tick at once (at 100,000 members a busy tick has
about a thousand standups due at the same five-minute mark), against APScheduler's whole wakeup.

Each side runs in its own subprocess, so start-up time and memory are its own: the engine's
start-up is opening the database, building the Engine and recovering its own claims (a restart:
the due work is already in the database); APScheduler's is adding one job per member.

    python -m bench.tick --sizes 1000 10000
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time as timer
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any, Sequence

from bench.databases import DIALECTS, analyze, bulk_insert, postgres_version, scratch_url
from bench.population import Person, people
from bench.procstat import peak_rss_mb, rss_mb
from bench.report import Figure, Result, Target, log

START = datetime(2026, 3, 25, 6, 0, tzinfo=timezone.utc)    # a Wednesday; the window covers Europe's morning
WINDOW = timedelta(hours=2)
TICK_SECONDS = 15.0
MEMBERS_PER_WORKSPACE = 1000
KIND = "standup_prompt"
TARGET_SECONDS = 0.050                                       # tick at 100,000 members on PostgreSQL


@lru_cache(maxsize=None)
def _next_due(zone: str, at: time, after: datetime) -> tuple[str, datetime]:
    from bot.rituals import daily_local_due

    due = daily_local_due(after, zone, at)
    assert due is not None
    return due.key, due.due_at


def build(url: str, persons: Sequence[Person], *, history_days: int, start: datetime = START) -> int:
    """Members in workspaces of 1,000, each with its next occurrence pending and `history_days` finished ones.

    Returns how many occurrence rows were written."""
    from sqlalchemy import select

    from bot.models import Member, Occurrence, OccurrenceStatus, Workspace
    from bot.store import Database

    db = Database(url)
    try:
        count = -(-len(persons) // MEMBERS_PER_WORKSPACE)
        bulk_insert(db, Workspace.__table__, [
            {"platform": "slack", "external_id": f"T{i:06d}", "name": f"Team {i}", "locale": "en",
             "channel": "general", "needs_replan": False} for i in range(count)])
        with db.session() as session:
            ids = dict(session.execute(select(Workspace.external_id, Workspace.id)).all())
        workspace_of = [ids[f"T{i // MEMBERS_PER_WORKSPACE:06d}"] for i in range(len(persons))]
        bulk_insert(db, Member.__table__, [p.member_row(w) for p, w in zip(persons, workspace_of)])
        rows: list[dict[str, Any]] = []
        for person, workspace_id in zip(persons, workspace_of):
            key, due_at = _next_due(person.tz, person.ritual_at, start)
            base = {"workspace_id": workspace_id, "kind": KIND, "recipient": person.user_id}
            rows.append({**base, "key": key, "due_at": due_at, "status": OccurrenceStatus.PENDING, "attempts": 0})
            day = datetime.fromisoformat(key).date()
            for back in range(1, history_days + 1):
                past = due_at - timedelta(days=back)
                rows.append({**base, "key": (day - timedelta(days=back)).isoformat(), "due_at": past,
                             "status": OccurrenceStatus.SENT, "attempts": 1, "claimed_by": "bench",
                             "finished_at": past + timedelta(seconds=2)})
        bulk_insert(db, Occurrence.__table__, rows)
        if db.dialect == "postgresql":
            analyze(db)
        return len(rows)
    finally:
        db.dispose()


# --------------------------------------------------------------------------- the two workers

def _ticks(start: datetime, window: timedelta, every: float) -> list[datetime]:
    steps = int(window.total_seconds() // every)
    return [start + timedelta(seconds=every * (k + 1)) for k in range(steps)]


def engine_worker(url: str, start: datetime, window: timedelta, every: float) -> dict[str, Any]:
    """Meridian's engine on a simulated clock: open, recover, then claim at every tick."""
    from sqlalchemy import update

    import bot.features  # noqa: F401  (the real ritual kinds: the claim filters on them)
    from bot.time.clock import SimulatedClock
    from bot.models import Occurrence, OccurrenceStatus
    from bot.store import Database
    from scheduler.engine import Engine

    rss_before = rss_mb()
    began = timer.perf_counter()
    clock = SimulatedClock(start)
    db = Database(url)
    engine = Engine(db, clock, {"slack": object()}, replica_id="bench")   # the claim never sends
    engine.recover_own()
    startup = timer.perf_counter() - began
    ticks, claims = [], []
    for now in _ticks(start, window, every):
        clock.set(now)
        began = timer.perf_counter()
        claimed: list[int] = []
        while True:                      # Engine.tick's loop, without delivery
            claim_began = timer.perf_counter()
            batch, _recovering = engine.claim()
            claims.append((len(batch), timer.perf_counter() - claim_began))
            claimed += batch
            if len(batch) < engine.batch_size:
                break
        ticks.append((len(claimed), timer.perf_counter() - began))
        if claimed:                      # delivered, as far as the next tick is concerned
            with db.session() as session:
                session.execute(update(Occurrence).where(Occurrence.id.in_(claimed))
                                .values(status=OccurrenceStatus.SENT, finished_at=now, lease_until=None)
                                .execution_options(synchronize_session=False))
    rss_after = rss_mb()
    db.dispose()
    return {"startup_s": startup, "ticks": ticks, "claims": claims, "batch_size": engine.batch_size,
            "rss_before_mb": rss_before, "rss_after_mb": rss_after, "peak_rss_mb": peak_rss_mb()}


def apscheduler_worker(n: int, seed: int, start: datetime, window: timedelta, every: float) -> dict[str, Any]:
    """APScheduler 3 with one CronTrigger job per member in a MemoryJobStore; its own wakeup code."""
    import apscheduler.schedulers.base as aps_base
    from apscheduler.executors.base import BaseExecutor
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.base import BaseScheduler
    from apscheduler.triggers.cron import CronTrigger

    clock = {"now": start}

    class _Clock(datetime):
        """APScheduler reads `datetime.now(tz)`; here it reads the benchmark's clock."""

        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            return clock["now"].astimezone(tz) if tz is not None else clock["now"]

    aps_base.datetime = _Clock  # type: ignore[misc]

    class NullExecutor(BaseExecutor):
        """Counts as run at once: the benchmark times finding and rescheduling, not the job bodies."""

        def _do_submit_job(self, job, run_times):  # type: ignore[no-untyped-def]
            self._run_job_success(job.id, [])

    class ManualScheduler(BaseScheduler):
        """A scheduler whose wakeups the benchmark triggers (BlockingScheduler's loop, by hand)."""

        def wakeup(self) -> None:
            pass

        def shutdown(self, wait: bool = True) -> None:
            super().shutdown(wait)

    persons = list(people(n, seed))
    rss_before = rss_mb()
    began = timer.perf_counter()
    scheduler = ManualScheduler(jobstores={"default": MemoryJobStore()}, executors={"default": NullExecutor()},
                                timezone=timezone.utc)
    scheduler.start()
    for person in persons:
        scheduler.add_job(_noop, CronTrigger(hour=person.ritual_at.hour, minute=person.ritual_at.minute,
                                             timezone=person.tz),
                          id=person.user_id, coalesce=True, misfire_grace_time=None)
    startup = timer.perf_counter() - began
    store = scheduler._lookup_jobstore("default")
    ticks = []
    for now in _ticks(start, window, every):
        clock["now"] = now
        due = len(store.get_due_jobs(now))     # untimed: only to report how much each tick found
        began = timer.perf_counter()
        scheduler._process_jobs()
        ticks.append((due, timer.perf_counter() - began))
    rss_after = rss_mb()
    scheduler.shutdown(wait=False)
    return {"startup_s": startup, "ticks": ticks, "rss_before_mb": rss_before, "rss_after_mb": rss_after,
            "peak_rss_mb": peak_rss_mb()}


def _noop() -> None:
    pass


def _run_worker(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "bench.tick", "worker", *args], capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(f"tick worker {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- figures

def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] if ordered else 0.0


def busy_p95(ticks: Sequence[Sequence[float]]) -> float:
    """95th percentile of the ticks that found due work (an idle tick is one empty index probe)."""
    busy = [seconds for found, seconds in ticks if found]
    return p95(busy or [seconds for _, seconds in ticks])


def batch_p95(claims: Sequence[Sequence[float]]) -> float:
    """95th percentile of the engine's claim() calls that claimed something: one due batch each."""
    return p95([seconds for found, seconds in claims if found])


def batch_share_p95(ticks: Sequence[Sequence[float]], batch: int) -> float:
    """APScheduler's time for a batch-sized share of each busy wakeup: all of it when at most `batch` jobs
    were due, else wakeup x batch / due (its wakeup is linear in the due jobs: one pass over a sorted list,
    then per job its run times, a next fire time and a reinsert)."""
    return p95([seconds * min(1.0, batch / found) for found, seconds in ticks if found])


def summary(ticks: Sequence[Sequence[float]]) -> dict[str, Any]:
    busy = [s for found, s in ticks if found]
    idle = [s for found, s in ticks if not found]
    return {"ticks": len(ticks), "busy_ticks": len(busy), "due_total": int(sum(f for f, _ in ticks)),
            "due_max": int(max((f for f, _ in ticks), default=0)),
            "busy_p50_s": statistics.median(busy) if busy else None, "busy_p95_s": busy_p95(ticks),
            "busy_max_s": max(busy) if busy else None, "idle_p50_s": statistics.median(idle) if idle else None}


NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
APS = "APScheduler"


def run(sizes: Sequence[int], *, dialects: Sequence[str] = DIALECTS, history_days: int = 3,
        window: timedelta = WINDOW, every: float = TICK_SECONDS, seed: int = 1) -> Result:
    began = timer.perf_counter()
    if "postgresql" in dialects and postgres_version() is None:
        log("tick: PostgreSQL is not reachable; SQLite only")
        dialects = [d for d in dialects if d != "postgresql"]
    common = [START.isoformat(), str(window.total_seconds()), str(every)]
    figures: list[Figure] = []
    details: dict[str, Any] = {}
    for n in sizes:
        log(f"tick: APScheduler, {n:,} jobs")
        aps = _run_worker(["apscheduler", str(n), str(seed), *common])
        details[f"apscheduler.{n}"] = {**summary(aps["ticks"]), **{k: v for k, v in aps.items() if k != "ticks"}}
        aps_memory = aps["rss_after_mb"] - aps["rss_before_mb"]
        for dialect in dialects:
            with scratch_url(dialect, f"tick{n}") as url:
                log(f"tick: building {n:,} members on {dialect}")
                built = timer.perf_counter()
                rows = build(url, list(people(n, seed)), history_days=history_days)
                build_s = timer.perf_counter() - built
                log(f"tick: {rows:,} occurrences in {build_s:.1f} s; ticking")
                eng = _run_worker(["engine", url, *common])
            name = NAMES[dialect]
            batches = [c for c in eng["claims"] if c[0]]
            details[f"{dialect}.{n}"] = {**summary(eng["ticks"]), "occurrence_rows": rows, "build_s": build_s,
                                         "claims": len(batches),
                                         "batch_p50_s": statistics.median(c[1] for c in batches) if batches else None,
                                         "batch_p95_s": batch_p95(eng["claims"]),
                                         **{k: v for k, v in eng.items() if k not in ("ticks", "claims")}}
            target = Target("<", TARGET_SECONDS) if dialect == "postgresql" and n >= 100_000 else None
            figures.append(Figure(f"tick.{dialect}.{n}", f"Tick, {name}, {n:,} members: claim the due batch (p95)",
                                  batch_p95(eng["claims"]), "s", batch_share_p95(aps["ticks"], eng["batch_size"]),
                                  f"{APS}, same share of its wakeup", target))
            figures.append(Figure(f"tick.all_due.{dialect}.{n}",
                                  f"Tick, {name}, {n:,} members: everything due at once (p95 of busy ticks)",
                                  busy_p95(eng["ticks"]), "s", busy_p95(aps["ticks"]), f"{APS} wakeup"))
            figures.append(Figure(f"tick.startup.{dialect}.{n}", f"Scheduler start-up, {name}, {n:,} members",
                                  eng["startup_s"], "s", aps["startup_s"], APS))
            figures.append(Figure(f"tick.memory.{dialect}.{n}", f"Scheduler memory, {name}, {n:,} members",
                                  eng["rss_after_mb"] - eng["rss_before_mb"], "MB", aps_memory, APS,
                                  note="RSS growth of the process over start-up and two hours of ticks"))
    params = {"sizes": list(sizes), "dialects": list(dialects), "history_days": history_days,
              "window_s": window.total_seconds(), "tick_seconds": every, "start": START.isoformat(),
              "members_per_workspace": MEMBERS_PER_WORKSPACE, "seed": seed}
    return Result("tick", params, figures, timer.perf_counter() - began, details)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    worker = sub.add_parser("worker", help="internal: one measured side, prints JSON")
    worker.add_argument("side", choices=("engine", "apscheduler"))
    worker.add_argument("rest", nargs="*")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    args = parser.parse_args(argv)
    if args.command == "worker":
        if args.side == "engine":
            url, start, window, every = args.rest
            out = engine_worker(url, datetime.fromisoformat(start), timedelta(seconds=float(window)), float(every))
        else:
            n, seed, start, window, every = args.rest
            out = apscheduler_worker(int(n), int(seed), datetime.fromisoformat(start),
                                     timedelta(seconds=float(window)), float(every))
        print(json.dumps(out))
        return 0
    from bench.report import text_table

    print(text_table(run(args.sizes).figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
