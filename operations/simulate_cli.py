"""`meridian simulate`: composition code that runs the platform-free simulation (scheduler/simulate.py)
with the console adapter's Sender. It lives in operations/ because only the composition root picks a platform.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.store import Database
from bot.teamfile import ImportError_
from bot.time import TimeError, parse_instant
from scheduler.simulate import simulate

from adapters.console.adapter import ConsoleAdapter

MAX_DAYS = 366


def register(sub: argparse._SubParsersAction, db_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    simulate = sub.add_parser(
        "simulate", help="Run the team's rituals over simulated days and print every message as JSON lines",
        description="Import a team file, run the real scheduler on a simulated clock and print each message "
                    "the bot would send as one JSON object a line (at, kind, to, local_time, text), in time order.")
    simulate.add_argument("--team", required=True, type=Path, metavar="FILE", help="team file (.toml or .csv)")
    simulate.add_argument("--start", required=True, metavar="INSTANT",
                          help="first simulated instant, ISO 8601 with a zone, e.g. 2026-03-23T00:00Z")
    simulate.add_argument("--days", type=int, default=14, help="how many days to simulate (default: %(default)s)")
    simulate.add_argument("--seed", type=int, default=0, help="seed for everything random, e.g. pairings "
                          "(default: %(default)s)")
    simulate.add_argument("--workspace", default=None, help="console workspace id (default: the file's, else 'default')")
    simulate.add_argument("--db", metavar="URL", help="database URL to simulate in (default: a temporary SQLite file)")
    simulate.set_defaults(func=cmd_simulate)


def cmd_simulate(args: argparse.Namespace) -> int:

    try:
        start = parse_instant(args.start)
    except TimeError:
        print(f"--start must be an ISO 8601 instant with a zone, like 2026-03-23T00:00Z: {args.start!r}",
              file=sys.stderr)
        return 2
    if not 1 <= args.days <= MAX_DAYS:
        print(f"--days must be between 1 and {MAX_DAYS}", file=sys.stderr)
        return 2
    out = sys.stdout

    def emit(record: dict[str, Any]) -> None:
        try:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        except BrokenPipeError:
            # `meridian simulate | head`: the reader has what it wanted; stop quietly. SystemExit is not
            # an Exception, so the engine's per-send error handling does not swallow it.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0) from None

    with tempfile.TemporaryDirectory(prefix="meridian-simulate-") as scratch:
        url = args.db or f"sqlite:///{Path(scratch) / 'simulation.db'}"
        settings = Settings.from_env(database_url=url)
        db = Database(url)
        try:
            asyncio.run(simulate(db, args.team, start, args.days, ConsoleAdapter().sender, emit, seed=args.seed,
                                 workspace=args.workspace, settings=settings, scratch=not args.db))
        except ImportError_ as error:
            print(f"Nothing was simulated: {args.team} cannot be imported:", file=sys.stderr)
            for line in error.errors:
                print(f"  {line}", file=sys.stderr)
            return 2
        finally:
            db.dispose()
    out.flush()
    return 0
