"""The clock that drives the engine in a running bot: APScheduler calls `Engine.tick()` every few seconds.

One interval job for the whole process, not one job per member or per ritual: what is due lives in
the database (an indexed query over next-due instants), so a million members cost the same number
of jobs as one. `max_instances=1` and `coalesce` mean a slow tick is never overlapped by the next,
and ticks missed while the process was busy collapse into one.

The first tick runs at once, started by the driver itself; the interval job takes over after
`tick_seconds`. The driver never asks the system clock what time it is: "now" is the engine's
injected clock, and APScheduler only paces the ticks.

Stopping is graceful: the engine finishes the sends in flight, hands unstarted claims back to
pending (so another replica, or this one restarted, takes them at once) and the scheduler shuts down.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import timezone

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
        self._first_tick: asyncio.Task[None] | None = None
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
                                max_instances=1, coalesce=True, misfire_grace_time=None)
        self._scheduler.start()
        self._first_tick = asyncio.create_task(self._tick())   # now; the interval job follows

    async def _tick(self) -> None:
        if self.engine.stopping or not self._idle.is_set():
            return   # stopping, or the previous tick is still running (as max_instances=1 would skip it)
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
        if self._first_tick is not None:
            await self._first_tick
            self._first_tick = None
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
