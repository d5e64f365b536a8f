"""Real processes: a scheduler SIGKILLed in the middle of a fan-out and restarted loses nothing and
repeats nothing; two scheduler processes on one PostgreSQL database never send an occurrence twice.

The platform is the console sender's fsync'ed log: a line in it is a message the platform accepted.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from adapters.console.sender import ConsoleSender
from bot.time.clock import SimulatedClock
from bot.models import Occurrence, SentMessage
from scheduler.engine import Engine
from tests.scheduler.rituals_for_tests import make_team
from tests.scheduler.worker import KIND, RITUAL

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow     # real processes: a few seconds each
PLANNED_AT = datetime(2026, 3, 23, 9, 0, tzinfo=timezone.utc)
NOW = "2026-03-23T09:31Z"                      # every member's 09:30 (UTC) is due


def plan(db, members: int) -> set[int]:  # type: ignore[no-untyped-def]
    """A team whose members all get the crash_test ritual at 09:30Z; returns the due occurrence ids."""
    make_team(db, {f"m{i:03d}": "UTC" for i in range(members)})
    engine = Engine(db, SimulatedClock(PLANNED_AT), {"console": ConsoleSender()}, rituals={KIND: RITUAL},
                    replica_id="planner")
    engine.replan_flagged()
    with db.session() as session:
        return set(session.scalars(select(Occurrence.id).where(Occurrence.key == "2026-03-23")))


def worker(db_url: str, log: Path, replica: str, *extra: str, now: str = NOW) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.scheduler.worker", "--db", db_url, "--log", str(log), "--replica", replica,
         "--now", now, *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})


def accepted(*logs: Path) -> list[dict]:  # type: ignore[type-arg]
    entries = []
    for log in logs:
        if log.exists():
            for line in log.read_text().splitlines():
                try:
                    entries.append(json.loads(line))
                except json.JSONDecodeError:
                    pass   # torn by the kill: never acknowledged
    return entries


def wait_for_lines(log: Path, count: int, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and len(log.read_text().splitlines()) >= count:
            return
        if process.poll() is not None:
            raise AssertionError(f"worker ended early: {process.communicate()}")
        time.sleep(0.005)
    raise AssertionError("worker sent too little in time")


def finish(process: subprocess.Popen[str], timeout: float = 90) -> str:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return out


def assert_exactly_once(db, due: set[int], entries: list[dict]) -> None:  # type: ignore[no-untyped-def,type-arg]
    keys = [entry["dedupe_key"] for entry in entries]
    assert len(keys) == len(set(keys)), "a message was delivered twice"
    assert {int(key[3:].split(".")[0]) for key in keys} == due, "an occurrence was never delivered"
    with db.session() as session:
        states = dict(session.execute(select(Occurrence.status, func.count()).where(Occurrence.id.in_(due))
                                      .group_by(Occurrence.status)).all())
        recorded = session.scalar(select(func.count()).select_from(SentMessage))
    assert states == {"sent": len(due)}
    assert recorded == len(due)


def test_sigkill_in_the_middle_of_a_fan_out_then_restart(sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """On SQLite, the default deployment (PostgreSQL gets the two-replica race below and, in-process,
    the same recovery in test_engine.py)."""
    db = sqlite_db
    db_url = str(db.engine.url)
    due = plan(db, 60)
    log = tmp_path / "platform.jsonl"
    first = worker(db_url, log, "replica-a", "--delay", "0.02", "--batch", "10", "--concurrency", "4")
    wait_for_lines(log, 15, first)
    first.kill()                                   # SIGKILL: no cleanup, claims and sends in flight
    first.wait()
    assert first.returncode == -9
    sent_before = len(accepted(log))
    assert 15 <= sent_before < 60
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Occurrence).where(Occurrence.status == "claimed"))
    finish(worker(db_url, log, "replica-a"))       # same replica id: recovers its own claims at once
    assert_exactly_once(db, due, accepted(log))


def test_sigkill_between_platform_acceptance_and_record(sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    db_url = str(db.engine.url)
    due = plan(db, 20)
    log = tmp_path / "platform.jsonl"
    dying = worker(db_url, log, "replica-a", "--crash-after", "7", "--concurrency", "1")
    dying.wait(timeout=90)
    assert dying.returncode == -9
    assert len(accepted(log)) == 7
    with db.session() as session:      # the 7th was accepted by the platform but never recorded
        assert session.scalar(select(func.count()).select_from(SentMessage)) == 6
    # another replica takes over once the dead one's lease (10 minutes) has run out
    later = (datetime(2026, 3, 23, 9, 31, tzinfo=timezone.utc) + timedelta(minutes=11)).isoformat()
    finish(worker(db_url, log, "replica-b", now=later))
    assert_exactly_once(db, due, accepted(log))


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_scheduler_processes_on_one_postgresql_never_send_twice(db, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    due = plan(db, 120)
    go = tmp_path / "go"
    logs = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    processes = [worker(db_url, logs[i], f"replica-{i}", "--batch", "5", "--concurrency", "2", "--delay", "0.003",
                        "--start-file", str(go)) for i in range(2)]
    deadline = time.monotonic() + 60
    while not all(Path(f"{go}.replica-{i}").exists() for i in range(2)) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()                                     # both are ready: start them at the same moment
    for process in processes:
        finish(process)
    per_replica = [len(accepted(log)) for log in logs]
    assert all(count > 0 for count in per_replica), per_replica   # both really raced for the same rows
    assert_exactly_once(db, due, accepted(*logs))
