"""The clock that drives the engine in a running bot: APScheduler calls `Engine.tick()` every few seconds.

One interval job for the whole process, not one job per member or per ritual: what is due lives in
the database (an indexed query over next-due instants), so a million members cost the same number
of jobs as one. `max_instances=1` and `coalesce` mean a slow tick is never overlapped by the next,
and ticks missed while the process was busy collapse into one.

Stopping is graceful: the engine finishes the sends in flight, hands unstarted claims back to
pending (so another replica, or this one restarted, takes them at once) and the scheduler shuts down.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.engine import Engine

log = logging.getLogger(__name__)


class SchedulerDriver:
    def __init__(self, engine: Engine, tick_seconds: float) -> None:
        self.engine = engine
        self.tick_seconds = tick_seconds
        self._scheduler: AsyncIOScheduler | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self.ticks = 0

    async def start(self) -> None:
        """Recover this replica's own claims from a previous life, then tick now and every tick_seconds."""
        recovered = self.engine.recover_own()
        if recovered:
            log.warning("replica %s restarted with %d claims outstanding: recovering them",
                        self.engine.replica_id, recovered)
        # A tick still running when the next one is due is normal (a long fan-out): that next one is
        # skipped. APScheduler would warn about each; only its errors are worth a log line.
        logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
        self._scheduler = AsyncIOScheduler(timezone=timezone.utc)
        self._scheduler.add_job(self._tick, "interval", seconds=self.tick_seconds, id="meridian-tick",
                                max_instances=1, coalesce=True, next_run_time=datetime.now(timezone.utc),
                                misfire_grace_time=None)
        self._scheduler.start()

    async def _tick(self) -> None:
        if self.engine.stopping:
            return
        self._idle.clear()
        try:
            await self.engine.tick()
        except Exception:  # the next tick tries again; the database still holds everything
            log.exception("scheduler tick failed")
        finally:
            self.ticks += 1
            self._idle.set()

    async def stop(self) -> None:
        """Finish in-flight sends, release unstarted claims, stop ticking.

        The tick in flight is awaited BEFORE APScheduler shuts down: its asyncio executor cancels
        the jobs still running, which would cut the sends off and leave their claims behind.
        A tick starting meanwhile returns at once (the engine is stopping).
        """
        self.engine.request_stop()
        await self._idle.wait()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None


async def run_forever(engine: Engine, tick_seconds: float, stop: asyncio.Event) -> None:
    """Run the driver until `stop` is set (e.g. by SIGTERM in `meridian serve`)."""
    driver = SchedulerDriver(engine, tick_seconds)
    await driver.start()
    try:
        await stop.wait()
    finally:
        await driver.stop()
