"""Benchmark 5: peak memory (RSS) of `meridian serve` with 10,000 members.

A team file with 10,000 members, a daily standup for everyone and weekly coffee pairing is
imported with `meridian import` (the real CLI) into a SQLite file, the embedded default, whose
page cache then counts in the bot's own memory. Then `meridian serve` starts in Slack HTTP mode
against the stand-in (which knows all 10,000 users). The benchmark waits until the scheduler's
first tick has planned the whole workspace (tens of thousands of occurrences), sends a few dozen
slash commands, lets it settle for two more ticks, and reads the kernel's high-water mark of
the process's resident set (VmHWM in /proc/<pid>/status). If the first tick has not finished
planning within `plan_timeout`, the peak so far is reported as a lower bound (the tick runs on
the event loop, so until it ends the server answers no HTTP request either).

The baseline is a bare `python -c "import bot.core"` (the interpreter and the core's imports),
so the ratio says how much the running bot adds on top of loading its code.
"""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time as timer
from pathlib import Path
from typing import Any, Sequence

from bench.population import Person, people
from bench.procstat import peak_rss_mb, rss_mb
from bench.processes import Child, child, clean_env, free_port, healthy
from bench.report import Figure, Result, Target, log
from bench.standin import running

TARGET_MB = 250.0
TICK_SECONDS = 5.0
TEAM_ID = "T0001"


def team_file(persons: Sequence[Person]) -> str:
    """A team file (TOML) as an admin would write it: members, a standup for all, coffee for all."""
    lines = ['[workspace]', 'name = "Acme Worldwide"', 'locale = "en"', 'channel = "general"', '',
             '[standup]', 'channel = "standup"', 'time = "09:30"', 'reminder = "2h"', '',
             '[coffee]', 'channel = "coffee"', 'day = "mon"', 'cadence = "weekly"', 'min_overlap_hours = 1', '']
    for person in persons:
        lines += ['[[members]]', f'id = "{person.user_id}"', f'name = "{person.name}"', f'tz = "{person.tz}"',
                  f'country = "{person.country}"', f'locale = "{person.locale}"',
                  f'hours = "{person.hours_start:%H:%M}-{person.hours_end:%H:%M}"']
        if person.work_days:
            lines.append("days = [" + ", ".join(f'"{d}"' for d in person.work_days.split(",")) + "]")
        lines.append("")
    return "\n".join(lines)


def bare_import_rss() -> float:
    """Peak RSS of a process that only imports the core."""
    code = "import bot.core; from bench.procstat import peak_rss_mb; print(peak_rss_mb())"
    out = subprocess.run([sys.executable, "-c", code], env=clean_env(), capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _settle(serve: Child, healthz: str, url: str, started: float, timeout: float, details: dict[str, Any]) -> bool:
    """Wait until the server answers /healthz and its first tick has planned the workspace (the tick runs
    on the event loop, so HTTP waits for it); records when each happened. False after `timeout`."""
    while timer.perf_counter() - started < timeout:
        if serve.process.poll() is not None:
            raise RuntimeError(f"meridian serve exited with {serve.process.returncode}")
        elapsed = timer.perf_counter() - started
        if "healthy_after_s" not in details and healthy(healthz):
            details["healthy_after_s"] = elapsed
        if "planned_after_s" not in details:
            planned, occurrences = _planned(url)
            if planned:
                details.update(planned_after_s=elapsed, occurrences=occurrences)
        if "healthy_after_s" in details and "planned_after_s" in details:
            return True
        timer.sleep(0.5)
    details["occurrences"] = _planned(url)[1]
    return False


def _planned(url: str) -> tuple[bool, int]:
    """(the workspace has been planned, how many occurrences exist)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            pending = connection.execute(text("SELECT count(*) FROM workspaces WHERE needs_replan")).scalar()
            count = connection.execute(text("SELECT count(*) FROM occurrences")).scalar()
        return not pending, int(count or 0)
    finally:
        engine.dispose()


async def _commands(origin: str, hooks: str, persons: Sequence[Person], count: int) -> None:
    import aiohttp

    from bench.ack import SIGNING_SECRET
    from tests.support.slack_requests import SlackRequests

    async with aiohttp.ClientSession() as http:
        slack = SlackRequests(http, f"{origin}/slack/events", SIGNING_SECRET, team_id=TEAM_ID, hooks=hooks)
        for index in range(count):
            person = persons[(index * 7919) % len(persons)]
            answer, _ = await slack.command(("/tz", "/coffee", "/profile", "/standup")[index % 4], user=person.user_id)
            if answer.status != 200:
                raise RuntimeError(f"command answered {answer.status}")


def run(*, members: int = 10_000, commands: int = 40, seed: int = 1, plan_timeout: float = 900.0,
        tick_seconds: float = TICK_SECONDS) -> Result:
    from bench.ack import serve_env

    began = timer.perf_counter()
    persons = list(people(members, seed))
    details: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="meridian-bench-rss-") as directory:
        url = f"sqlite:///{Path(directory) / 'meridian.db'}"
        path = Path(directory) / "team.toml"
        path.write_text(team_file(persons))
        log(f"rss: importing {members:,} members with `meridian import`")
        imported = timer.perf_counter()
        subprocess.run([sys.executable, "-m", "operations.cli", "import", str(path), "--platform", "slack",
                        "--workspace", TEAM_ID, "--db", url], env=clean_env(MERIDIAN_LOG_LEVEL="WARNING"),
                       check=True, capture_output=True, text=True)
        details["import_s"] = timer.perf_counter() - imported
        with running(members, seed) as standin:
            port = free_port()
            env = serve_env(url, port, standin, MERIDIAN_TICK_SECONDS=str(tick_seconds))
            started = timer.perf_counter()
            with child(["-m", "operations.cli", "serve"], env=env) as serve:
                log("rss: serving; waiting for the first tick to plan the workspace")
                settled = _settle(serve, f"http://127.0.0.1:{port}/healthz", url, started, plan_timeout, details)
                if settled:
                    asyncio.run(_commands(f"http://127.0.0.1:{port}", standin.origin, persons, commands))
                    timer.sleep(2 * tick_seconds + 1)
                else:
                    log(f"rss: the first tick had not planned {members:,} members after {plan_timeout:.0f} s")
                peak, now = peak_rss_mb(serve.pid), rss_mb(serve.pid)
        database_mb = (Path(directory) / "meridian.db").stat().st_size / 2**20
        details.update(settled=settled, rss_now_mb=now, db_file_mb=database_mb)
    baseline = bare_import_rss()
    label = f"Peak RSS of meridian serve, {members:,} members"
    if not settled:
        label += f" (first tick unfinished after {plan_timeout:.0f} s: a lower bound)"
    figures = [Figure(f"rss.serve.{members}", label, peak, "MB", baseline, "python -c 'import bot.core'",
                      Target("<", TARGET_MB))]
    params = {"members": members, "database": "sqlite", "tick_seconds": tick_seconds, "commands": commands,
              "seed": seed}
    return Result("rss", params, figures, timer.perf_counter() - began, details)


def main(argv: Sequence[str] | None = None) -> int:
    from bench.report import text_table

    result = run()
    print(text_table(result.figures))
    print(json.dumps(result.details, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
