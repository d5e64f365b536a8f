"""The APScheduler driver: one interval job for everything, ticks that find due work in the database
through an index, and a graceful stop."""
from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import func, select, text

from adapters.console.sender import ConsoleSender
from bot.time.clock import SimulatedClock
from bot.models import Occurrence
from scheduler.driver import SchedulerDriver
from scheduler.engine import Engine
from tests.scheduler.rituals_for_tests import DailyAt, make_team

UTC = timezone.utc


async def test_the_driver_ticks_one_job_for_all_members_and_stops_cleanly(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    make_team(db, {f"m{i}": "UTC" for i in range(30)})
    clock = SimulatedClock(datetime(2026, 3, 23, 9, 0, tzinfo=UTC))
    sender = ConsoleSender(clock=clock)
    engine = Engine(db, clock, {"console": sender}, rituals={"p": DailyAt("p", time(9, 30))}, replica_id="d")
    driver = SchedulerDriver(engine, tick_seconds=0.02)
    await driver.start()
    try:
        assert driver._scheduler is not None and len(driver._scheduler.get_jobs()) == 1
        for _ in range(500):                     # the first tick plans everyone's 09:30
            await asyncio.sleep(0.01)
            with db.session() as session:
                if session.scalar(select(func.count()).select_from(Occurrence)) == 30:
                    break
        clock.set(datetime(2026, 3, 23, 9, 30, tzinfo=UTC))
        for _ in range(500):
            await asyncio.sleep(0.01)
            if len(sender.messages) == 30:
                break
        assert sorted(m.message.to for m in sender.messages) == sorted(f"m{i}" for i in range(30))
    finally:
        await driver.stop()
    ticks = driver.ticks
    await asyncio.sleep(0.1)
    assert driver.ticks == ticks                 # stopped means stopped


def test_due_work_is_found_through_the_due_index(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    engine = Engine(db, SimulatedClock(datetime(2026, 3, 23, tzinfo=UTC)), {"console": ConsoleSender()},
                    rituals={"p": DailyAt("p", time(9, 30))}, replica_id="d")
    query = engine.claim_query(datetime(2026, 3, 23, tzinfo=UTC) + timedelta(hours=1))
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as connection:
        plan = " ".join(str(row[-1]) for row in connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "USING INDEX ix_occurrence_due (status=? AND due_at<?)" in plan and "TEMP B-TREE" not in plan
