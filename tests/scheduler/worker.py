"""A real scheduler process for the crash and replica tests: driver + engine + file-backed console sender.

    python -m tests.scheduler.worker --db URL --log FILE --replica NAME --now 2026-03-23T09:31Z

Runs until no due work is left, then stops gracefully and exits 0. `--crash-after N` makes the
process SIGKILL itself right after the platform (the console log, fsync'ed) accepted its N-th
message and before the engine could record it: the worst moment to die.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time as wall
from datetime import time
from pathlib import Path

from sqlalchemy import func, select

from adapters.console.sender import ConsoleSender
from bot.time.clock import SimulatedClock
from bot.config import Settings
from bot.models import Occurrence, OccurrenceStatus
from bot.store import Database
from bot.time import parse_instant
from scheduler.driver import SchedulerDriver
from scheduler.engine import Engine
from tests.scheduler.rituals_for_tests import DailyAt

KIND = "crash_test"
RITUAL = DailyAt(KIND, time(9, 30))


class CrashingSender(ConsoleSender):
    def __init__(self, crash_after: int, **options) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**options)
        self.crash_after = crash_after
        self.sent_here = 0

    async def send(self, workspace, message, *, replace_ref=None):  # type: ignore[no-untyped-def]
        delivered = await super().send(workspace, message, replace_ref=replace_ref)
        self.sent_here += 1
        if self.sent_here == self.crash_after:
            os.kill(os.getpid(), signal.SIGKILL)
        return delivered


def remaining(db: Database, clock: SimulatedClock) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Occurrence).where(
            Occurrence.status.in_((OccurrenceStatus.PENDING, OccurrenceStatus.CLAIMED)), Occurrence.due_at <= clock.now())) or 0)


async def main(args: argparse.Namespace) -> int:
    db = Database(args.db, migrate=False)
    clock = SimulatedClock(parse_instant(args.now))
    options = dict(clock=clock, log_path=Path(args.log), delay=args.delay)
    sender = CrashingSender(args.crash_after, **options) if args.crash_after else ConsoleSender(**options)
    engine = Engine(db, clock, {"console": sender}, Settings.from_env({}, database_url=args.db),
                    replica_id=args.replica, rituals={KIND: RITUAL}, batch_size=args.batch,
                    concurrency=args.concurrency)
    if args.start_file:
        Path(args.start_file + "." + args.replica).touch()      # ready: imported, connected
        while not Path(args.start_file).exists():
            wall.sleep(0.01)
    driver = SchedulerDriver(engine, tick_seconds=0.05)
    await driver.start()
    while remaining(db, clock):
        await asyncio.sleep(0.05)
    await driver.stop()
    sender.close()
    db.dispose()
    print(f"done: {len(sender.messages)} sent by {args.replica}", flush=True)
    return 0


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--replica", required=True)
    parser.add_argument("--now", required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--crash-after", type=int, default=0)
    parser.add_argument("--start-file", default="")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse(sys.argv[1:]))))
