"""SIGTERM in the middle of a fan-out: the sends in flight finish, the rest go back to pending, exit 0.

A real `meridian serve` process, a real SQLite file, the real standup ritual and the Slack sender
against the local Web API stand-in, which holds every chat.postMessage until the test lets go: so
the signal surely arrives while messages are in flight.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.time.clock import SystemClock
from bot.due import enqueue
from bot.models import Member, Occurrence, Workspace
from bot.standups import Standup
from bot.standups.messages import PROMPT_KIND
from bot.store import Database
from bot.time import to_local
from tests.support.slack_standin import SlackStandIn

ROOT = Path(__file__).parents[2]
MEMBERS = [f"U{n:02d}" for n in range(1, 13)]       # more than the engine sends at once (8)
BOT_TOKEN = "xoxb-2847561234-5829301847562-Zk8PqR3sT7uVwX1yA4bC6dE9"
SIGNING_SECRET = "a3f1c9e7b5d2048f6e1a9c3b7d5f2e80"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed_due_prompts(url: str, team_id: str) -> dict[int, str]:
    """A Slack workspace whose twelve standup prompts fell due a minute ago; returns {occurrence id: member}."""
    now = SystemClock().now()
    db = Database(url, migrate=False)
    try:
        with db.session() as session:
            workspace = Workspace(platform="slack", external_id=team_id, name="Acme", channel="general",
                                  needs_replan=False)
            session.add(workspace)
            session.flush()
            for user in MEMBERS:
                member = Member(workspace_id=workspace.id, user_id=user, name=user.lower(), tz="UTC")
                member.set_work_days(tuple(range(7)))     # whatever weekday the test runs on
                session.add(member)
            standup = Standup(workspace_id=workspace.id, channel="standup", prompt_time=to_local(now, "UTC").time())
            session.add(standup)
            session.flush()
            day = to_local(now, "UTC").date().isoformat()
            for user in MEMBERS:
                enqueue(session, workspace.id, PROMPT_KIND, user, f"{day}#{standup.id}", now - timedelta(minutes=1),
                        {"day": day, "standups": [standup.id]})
        with db.session() as session:
            return {o.id: o.recipient for o in session.scalars(select(Occurrence))}
    finally:
        db.dispose()


async def test_sigterm_finishes_sends_in_flight_releases_the_rest_and_exits_0(
        tmp_path: Path, sqlite_template: Path) -> None:
    path = tmp_path / "serve.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    secret_key = Fernet.generate_key().decode()
    async with SlackStandIn(bot_token=BOT_TOKEN) as slack:
        for user in MEMBERS:
            slack.add_user(user)
        due = seed_due_prompts(url, slack.team.id)
        release = slack.hold("chat.postMessage")
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "MERIDIAN_"))},
               "MERIDIAN_DATABASE_URL": url, "MERIDIAN_HTTP_HOST": "127.0.0.1", "MERIDIAN_HTTP_PORT": str(_free_port()), "MERIDIAN_METRICS_PORT": "0",
               "MERIDIAN_TICK_SECONDS": "0.2", "MERIDIAN_SHUTDOWN_SECONDS": "60", "MERIDIAN_SECRET_KEY": secret_key,
               "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack.base_url}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "operations.cli", "--log-level", "DEBUG", "serve", env=env, cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        output = asyncio.gather(process.stdout.read(), process.stderr.read())  # type: ignore[union-attr]
        try:
            await slack.wait_for(lambda: len(slack.calls_to("chat.postMessage")) >= 1, timeout=60)
            await asyncio.sleep(0.5)                        # let the rest of the first batch reach the hold
            in_flight = len(slack.calls_to("chat.postMessage"))
            process.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.5)
            assert process.returncode is None, "serve must wait for the sends it started"
            release.set()
            exit_code = await asyncio.wait_for(process.wait(), timeout=60)
        finally:
            release.set()
            if process.returncode is None:
                process.kill()
                await process.wait()
        stdout, stderr = await output
        delivered = Counter(slack.dedupe_keys())

    assert exit_code == 0, stderr.decode()[-3000:]
    db = Database(url, migrate=False)
    try:
        with db.session() as session:
            today = {o.id: o for o in session.scalars(select(Occurrence).where(Occurrence.id.in_(list(due))))}
            claimed = session.scalars(select(Occurrence.id).where(Occurrence.status == "claimed")).all()
    finally:
        db.dispose()
    assert claimed == []                                   # nothing left stuck in a claim
    sent = {i for i, o in today.items() if o.status == "sent"}
    pending = {i for i, o in today.items() if o.status == "pending"}
    assert sent | pending == set(due)
    assert len(sent) >= in_flight >= 1                     # the sends under way were finished, not cut off
    assert pending                                         # the unstarted ones were handed back...
    assert all(today[i].attempts == 0 and today[i].claimed_by is None for i in pending)   # ...as if never claimed
    assert delivered == Counter({f"occ{i}.0": 1 for i in sent})                          # each sent exactly once

    # The whole run logged JSON lines at DEBUG, and not one of them holds a secret.
    lines = [line for line in stderr.decode().splitlines() if line.strip()]
    assert lines and all(isinstance(json.loads(line), dict) for line in lines)
    everything = stdout.decode() + stderr.decode()
    for secret in (BOT_TOKEN, SIGNING_SECRET, secret_key):
        assert secret not in everything
