"""The Slack stand-in (tests/support/slack_standin.py) in its own process, for benchmarks over real HTTP.

Running it apart keeps its work (answering users.info, taking response_url posts, counting
messages) off the benchmark's own event loop and off the app's. A second small HTTP server on
`--control-port` lets the benchmark ask what the stand-in saw (GET /stats) and reset it
(POST /reset). It can also answer a share of chat.postMessage calls with a random 429
(`--random-429`), Slack's way of saying "slow down" that no pacing can prevent.

    python -m bench.standin --users 5000 --workspace-rate 50 --channel-interval 1 --random-429 0.01
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import random
import sys
import time
import urllib.request
from dataclasses import dataclass
from typing import Any, Iterator

from aiohttp import web

from bench.population import people
from tests.support.slack_standin import Fault, SlackStandIn


class BenchStandIn(SlackStandIn):
    """The stand-in plus random 429s: each chat.postMessage is refused with probability `random_429`.

    An injected 429 carries `retry_after` seconds and is never injected again while an earlier
    one's Retry-After is still running, so the pauses Slack demands add up to exactly
    (number injected) x retry_after: the floor the benchmark compares against."""

    def __init__(self, *, random_429: float = 0.0, retry_after: float = 1.0, seed: int = 7, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.random_429 = random_429
        self.random_retry_after = retry_after
        self.random_429_count = 0
        self._rng = random.Random(seed)
        self._quiet_until = 0.0

    def _take_fault(self, method: str) -> Fault | None:
        fault = super()._take_fault(method)
        if fault is None and method == "chat.postMessage" and self.random_429 > 0:
            now = time.monotonic()
            if now >= self._quiet_until and self._rng.random() < self.random_429:
                self.random_429_count += 1
                self._quiet_until = now + self.random_retry_after
                return Fault(status=429, times=0, retry_after=self.random_retry_after, after_effect=False)
        return fault

    def stats(self) -> dict[str, Any]:
        keys = self.dedupe_keys()
        counts = collections.Counter(keys)
        posts = self.calls_to("chat.postMessage")
        accepted = [c.at for c in posts if c.status == 200 and c.error is None]
        return {"messages": len(self.messages), "hooks": len(self.hooks), "calls": len(self.calls),
                "post_calls": len(posts), "limit_violations": self.limit_violations,
                "random_429": self.random_429_count, "dedupe_keys": sorted(counts),
                "duplicates": sum(n - 1 for n in counts.values() if n > 1),
                "first_post_at": min(accepted) if accepted else None, "last_post_at": max(accepted) if accepted else None,
                "users_info_calls": len(self.calls_to("users.info"))}

    def reset(self) -> None:
        self.calls.clear()
        self.messages.clear()
        self.hooks.clear()
        self.limit_violations = 0
        self.random_429_count = 0
        self._quiet_until = 0.0
        self._last_post.clear()
        self._recent_posts.clear()


async def serve(args: argparse.Namespace) -> None:
    standin = BenchStandIn(port=args.port, channel_interval=args.channel_interval, workspace_rate=args.workspace_rate,
                           random_429=args.random_429, retry_after=args.retry_after, seed=args.seed)
    for person in people(args.users, args.population_seed):
        standin.add_user(person.user_id, person.name, tz=person.tz)
    await standin.start()

    async def stats(_request: web.Request) -> web.Response:
        return web.json_response(standin.stats())

    async def reset(_request: web.Request) -> web.Response:
        standin.reset()
        return web.json_response({"ok": True})

    control = web.Application()
    control.add_routes([web.get("/stats", stats), web.post("/reset", reset)])
    runner = web.AppRunner(control, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.control_port)
    await site.start()
    control_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"ready {standin.port} {control_port} {standin.team.bot_token}", flush=True)
    await asyncio.Event().wait()


@dataclass(frozen=True)
class Running:
    """A stand-in process as the benchmarks see it."""

    origin: str                  # http://127.0.0.1:<port>: the Web API under /api/, response_urls under /hooks/
    control: str                 # the control server
    token: str                   # the bot token it accepts

    @property
    def api_url(self) -> str:
        """What to put in SLACK_API_URL."""
        return f"{self.origin}/api/"

    def stats(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.control}/stats", timeout=30) as response:
            return dict(json.loads(response.read()))


@contextlib.contextmanager
def running(users: int, population_seed: int = 1, *, channel_interval: float | None = None,
            workspace_rate: float | None = None, random_429: float = 0.0, retry_after: float = 1.0,
            seed: int = 7) -> Iterator[Running]:
    """The stand-in in its own process, knowing the first `users` people of `bench.population`."""
    from bench.processes import child

    args = ["-m", "bench.standin", "--users", str(users), "--population-seed", str(population_seed),
            "--random-429", str(random_429), "--retry-after", str(retry_after), "--seed", str(seed)]
    if channel_interval is not None:
        args += ["--channel-interval", str(channel_interval)]
    if workspace_rate is not None:
        args += ["--workspace-rate", str(workspace_rate)]
    with child(args, ready_prefix="ready") as process:
        _, api_port, control_port, token = process.ready_line.split()
        yield Running(f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{control_port}", token)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--control-port", type=int, default=0)
    parser.add_argument("--users", type=int, default=0, help="members of bench.population to know (users.info)")
    parser.add_argument("--population-seed", type=int, default=1)
    parser.add_argument("--channel-interval", type=float, default=None)
    parser.add_argument("--workspace-rate", type=float, default=None)
    parser.add_argument("--random-429", type=float, default=0.0)
    parser.add_argument("--retry-after", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
