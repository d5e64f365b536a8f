"""Benchmark 3: how fast a slash command is acknowledged, over real HTTP, in a 5,000-member workspace.

`meridian serve` runs as its own process in Slack HTTP mode (single workspace), on PostgreSQL
(SQLite when no server answers), with its scheduler ticking; the Slack Web API it calls back
(users.info, response_url) is the stand-in, in a third process. Clients send signed slash
commands (`tests/support/slack_requests.py` signs them as Slack does) from 1, 10 and 50
concurrent connections, each sending its next command as soon as the previous one was
acknowledged, and time each request until the HTTP 200 arrives. That acknowledgement is what
Slack waits for (3 s at most); the answer itself follows on the response_url.

Commands are the everyday per-member ones (/tz, /profile, /coffee, /whois, /help, /culture),
by randomly chosen members. The baseline is a bare aiohttp server answering 200 at once, hit by
the same client with the same requests: the cost of HTTP itself on this machine.

Between concurrency levels the benchmark waits until every acknowledged command has been
answered on its response_url, so one level's backlog does not slow the next.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import sys
import time as timer
from typing import Any, Sequence

import aiohttp

from bench.databases import bulk_insert, postgres_version, scratch_url
from bench.population import Person, people
from bench.processes import child, clean_env, free_port
from bench.report import Figure, Result, Target, log
from bench.standin import Running, running

SIGNING_SECRET = "bench-signing-secret-5b1a9d0e"
TEAM_ID = "T0001"
COMMANDS = ("/tz", "/profile", "/coffee", "/whois", "/help", "/culture DE")
SLOW_COMMANDS = ("/time", "/holidays", "/home")     # whole-team answers: timed in-process, not in the mix
LEVELS = (1, 10, 50)
P99_TARGET = 0.100                                  # seconds, at 50 concurrent clients


def populate(url: str, persons: Sequence[Person], *, external_id: str = TEAM_ID, needs_replan: bool = False) -> int:
    """One Slack workspace with these members; returns its id. Planned already unless `needs_replan`."""
    from sqlalchemy import select

    from bot.models import Member, Workspace
    from bot.store import Database

    db = Database(url)
    try:
        bulk_insert(db, Workspace.__table__, [{"platform": "slack", "external_id": external_id, "name": "Acme",
                                               "locale": "en", "channel": "general", "needs_replan": needs_replan}])
        with db.session() as session:
            workspace_id = session.scalar(select(Workspace.id).where(Workspace.external_id == external_id))
        assert workspace_id is not None
        bulk_insert(db, Member.__table__, [p.member_row(workspace_id) for p in persons])
        return int(workspace_id)
    finally:
        db.dispose()


def serve_env(url: str, port: int, standin: Running, **extra: str) -> dict[str, str]:
    """`meridian serve` in Slack HTTP mode (one workspace) on `url`, talking to the stand-in."""
    return clean_env(MERIDIAN_DATABASE_URL=url, MERIDIAN_HTTP_HOST="127.0.0.1", MERIDIAN_HTTP_PORT=str(port), MERIDIAN_METRICS_PORT="0",
                     MERIDIAN_LOG_LEVEL="WARNING", SLACK_BOT_TOKEN=standin.token,
                     SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=standin.api_url, **extra)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


async def load(url: str, hooks_origin: str, persons: Sequence[Person], concurrency: int, total: int,
               seed: int) -> list[float]:
    """`concurrency` clients sending signed slash commands back to back until `total` were acknowledged."""
    from tests.support.slack_requests import SlackRequests

    latencies: list[float] = []
    failures: list[int] = []
    issued = itertools.count()
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as http:
        slack = SlackRequests(http, url, SIGNING_SECRET, team_id=TEAM_ID, hooks=hooks_origin)

        async def client(number: int) -> None:
            rng = random.Random(seed * 1000 + number)
            while next(issued) < total:
                person = rng.choice(persons)
                name, _, text = rng.choice(COMMANDS).partition(" ")
                body, _hook = slack.command_body(name, text, user=person.user_id)
                request = slack.signed(body, "application/x-www-form-urlencoded")
                began = timer.perf_counter()
                answer = await slack.send(request)
                latencies.append(timer.perf_counter() - began)
                if answer.status != 200:
                    failures.append(answer.status)

        await asyncio.gather(*(client(k) for k in range(concurrency)))
    if failures:
        raise RuntimeError(f"{len(failures)} commands were not acknowledged with 200: {sorted(set(failures))}")
    return latencies


async def wait_answered(standin: Running, expected: int, timeout: float) -> float:
    """Until the stand-in received `expected` response_url answers; returns how long that took."""
    began = timer.perf_counter()
    while (answered := (await asyncio.to_thread(standin.stats))["hooks"]) < expected:
        if timer.perf_counter() - began > timeout:
            raise TimeoutError(f"only {answered} of {expected} commands answered")
        await asyncio.sleep(0.25)
    return timer.perf_counter() - began


def core_costs(url: str, persons: Sequence[Person], commands: Sequence[str]) -> dict[str, dict[str, float]]:
    """Seconds the core takes to answer each command once in this workspace (no HTTP, no Slack), and the
    length of the answer's text."""
    from bot.core import CommandRequest, Meridian
    from bot.members import Identity
    from bot.store import Database

    db = Database(url)
    core = Meridian(db)
    out = {}
    try:
        asker = persons[0]
        core.handle(CommandRequest(Identity("slack", TEAM_ID, asker.user_id, tz=asker.tz), "/tz"))  # warm caches
        for command in commands:
            began = timer.perf_counter()
            reply = core.handle(CommandRequest(Identity("slack", TEAM_ID, asker.user_id), command))
            out[command] = {"seconds": timer.perf_counter() - began, "chars": len(reply.as_text())}
    finally:
        db.dispose()
    return out


async def measure(origin: str, standin: Running, persons: Sequence[Person], requests: dict[int, int], seed: int, *,
                  answered: bool = True) -> dict[int, list[float]]:
    """Latencies per concurrency level; with `answered`, each level starts once every earlier command was
    answered on its response_url (the bare baseline answers nothing)."""
    url = f"{origin}/slack/events"
    sent = 0
    out = {}
    await load(url, standin.origin, persons, 4, 20, seed)          # warm-up: connections, caches
    sent += 20
    for concurrency, total in requests.items():
        if answered:
            await wait_answered(standin, sent, timeout=600)
        out[concurrency] = await load(url, standin.origin, persons, concurrency, total, seed + concurrency)
        sent += total
    if answered:
        await wait_answered(standin, sent, timeout=600)
    return out


def run(*, members: int = 5000, requests: dict[int, int] | None = None, seed: int = 1,
        core_commands: Sequence[str] = ()) -> Result:
    began = timer.perf_counter()
    requests = requests or {1: 300, 10: 1000, 50: 2500}
    dialect = "postgresql" if postgres_version() is not None else "sqlite"
    persons = list(people(members, seed))
    details: dict[str, Any] = {"dialect": dialect}
    with scratch_url(dialect, "ack") as url:
        log(f"ack: {members:,} members on {dialect}")
        populate(url, persons)
        if core_commands:
            log("ack: core time per command")
            details["core"] = core_costs(url, persons, list(COMMANDS) + list(core_commands))
        with running(members, seed) as standin:
            port = free_port()
            env = serve_env(url, port, standin)
            with child(["-m", "operations.cli", "serve"], env=env, healthz=f"http://127.0.0.1:{port}/healthz"):
                log(f"ack: meridian serve is up; {sum(requests.values()):,} signed commands")
                ours = asyncio.run(measure(f"http://127.0.0.1:{port}", standin, persons, requests, seed))
            bare_port = free_port()
            with child(["-m", "bench.ack", "bare", "--port", str(bare_port)],
                       healthz=f"http://127.0.0.1:{bare_port}/healthz"):
                log("ack: bare aiohttp baseline")
                bare = asyncio.run(measure(f"http://127.0.0.1:{bare_port}", standin, persons, requests, seed,
                                           answered=False))
    figures = []
    for concurrency in requests:
        for q in (50, 99):
            target = Target("<", P99_TARGET) if q == 99 and concurrency == 50 else None
            figures.append(Figure(f"ack.p{q}.{concurrency}", f"Slash-command ack p{q}, {concurrency} concurrent clients",
                                  percentile(ours[concurrency], q), "s", percentile(bare[concurrency], q),
                                  "bare aiohttp", target))
        details[f"c{concurrency}"] = {"requests": len(ours[concurrency]), "mean_s": sum(ours[concurrency]) / len(ours[concurrency]),
                                      "max_s": max(ours[concurrency]), "bare_max_s": max(bare[concurrency])}
    params = {"members": members, "requests": {str(k): v for k, v in requests.items()}, "commands": list(COMMANDS),
              "seed": seed, "dialect": dialect}
    return Result("ack", params, figures, timer.perf_counter() - began, details)


# --------------------------------------------------------------------------- the baseline server

def bare_server(port: int) -> None:
    """HTTP and nothing else: reads the request and answers 200 (what an ack costs at the very least)."""
    from aiohttp import web

    async def events(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=200, text="")

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.add_routes([web.post("/slack/events", events), web.get("/healthz", healthz)])
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    bare = sub.add_parser("bare", help="internal: the baseline server")
    bare.add_argument("--port", type=int, required=True)
    parser.add_argument("--members", type=int, default=5000)
    args = parser.parse_args(argv)
    if args.command == "bare":
        bare_server(args.port)
        return 0
    from bench.report import text_table

    print(text_table(run(members=args.members).figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
