"""GET /metrics of a running `meridian serve`: sends, failures, lag, command latency and claims."""
from __future__ import annotations

import shutil
from datetime import time, timedelta
from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from operations.serve import Server
from bot.time.clock import SystemClock
from bot.config import Settings
from bot.due import enqueue
from bot.models import Member, Occurrence, Workspace
from tests.scheduler.rituals_for_tests import DailyAt
from tests.support.slack_app import SIGNING_SECRET
from tests.support.slack_requests import SlackRequests
from tests.support.slack_standin import SlackStandIn

RITUAL = DailyAt("metrics_check", time(9, 0))
LATE = timedelta(seconds=90)


def samples(exposition: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(exposition) for s in family.samples}


def value(found: dict, name: str, **labels: str) -> float | None:
    return found.get((name, frozenset(labels.items())))


async def test_metrics_count_what_the_bot_did(tmp_path: Path, sqlite_template: Path) -> None:
    shutil.copy(sqlite_template, tmp_path / "m.db")
    async with SlackStandIn() as slack:
        slack.add_user("U1", tz="Asia/Kathmandu")
        settings = Settings.from_env({}, database_url=f"sqlite:///{tmp_path / 'm.db'}", http_host="127.0.0.1",
                                     http_port=0, metrics_port=0, tick_seconds=0.05, slack_bot_token=slack.team.bot_token,
                                     slack_signing_secret=SIGNING_SECRET, slack_api_url=slack.base_url)
        server = Server(settings, rituals={RITUAL.kind: RITUAL})
        await server.start()
        try:
            origin = f"http://127.0.0.1:{server.port}"
            async with aiohttp.ClientSession() as http:
                requests = SlackRequests(http, f"{origin}/slack/events", SIGNING_SECRET, hooks=slack.origin)
                await requests.command("/tz")
                await requests.command("/meridian", "frobnicate everything")     # not a command: rejected
                await slack.wait_for(lambda: len(slack.hooks) == 2)
                with server.core.db.session() as session:  # type: ignore[union-attr]
                    workspace = session.scalar(select(Workspace).where(Workspace.external_id == slack.team.id))
                    session.add(Member(workspace_id=workspace.id, user_id="UGONE", tz="UTC"))   # left Slack since
                    for user in ("U1", "UGONE"):
                        enqueue(session, workspace.id, RITUAL.kind, user, "late", SystemClock().now() - LATE)
                await slack.wait_for(lambda: finished(server) == 2)
                async with http.get(f"http://127.0.0.1:{server.metrics_port}/metrics") as response:
                    assert response.status == 200
                    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
                    found = samples(await response.text())
                async with http.get(f"http://127.0.0.1:{server.metrics_port}/metrics", headers={"Accept": "application/openmetrics-text"}) as response:
                    assert response.headers["Content-Type"].startswith("application/openmetrics-text")
                    assert (await response.text()).rstrip().endswith("# EOF")
        finally:
            await server.stop()

    kind = RITUAL.kind
    assert value(found, "meridian_messages_sent_total", kind=kind) == 1
    assert value(found, "meridian_messages_failed_total", kind=kind, reason="permanent") == 1   # user_not_found
    assert value(found, "meridian_scheduler_lag_seconds_count", kind=kind) == 2
    assert value(found, "meridian_scheduler_lag_seconds_sum", kind=kind) >= 2 * LATE.total_seconds()
    assert value(found, "meridian_scheduler_lag_seconds_bucket", kind=kind, le="60.0") == 0       # both were late
    assert value(found, "meridian_claims_total", event="claimed") == 2
    assert value(found, "meridian_claims_total", event="recovered") == 0
    assert value(found, "meridian_claims_total", event="released") == 0
    assert value(found, "meridian_command_latency_seconds_count", kind="command", command="tz") == 1
    assert value(found, "meridian_command_latency_seconds_sum", kind="command", command="tz") > 0
    assert value(found, "meridian_commands_total", kind="command", command="tz", outcome="ok") == 1
    assert value(found, "meridian_commands_total", kind="command", command="unknown", outcome="rejected") == 1
    assert not any("frobnicate" in str(labels) for _, labels in found)       # typed text never becomes a label


def finished(server: Server) -> int:
    with server.core.db.session() as session:  # type: ignore[union-attr]
        return len(session.scalars(select(Occurrence.id).where(
            Occurrence.key == "late", Occurrence.status.in_(("sent", "failed")))).all())


def test_metrics_exist_before_anything_happened() -> None:
    from operations.metrics import Metrics

    found = samples(Metrics().exposition().decode())
    assert {value(found, "meridian_claims_total", event=e) for e in ("claimed", "recovered", "released")} == {0.0}


async def test_metrics_have_their_own_listener_and_no_response_names_the_server_version(
        tmp_path: Path, sqlite_template: Path) -> None:
    """/metrics is not on the public listener (it reveals command names and volumes); it is on its own
    address and port, loopback by default. No response carries a Server banner with a version."""
    assert Settings.from_env({}).metrics_host == "127.0.0.1"
    shutil.copy(sqlite_template, tmp_path / "m.db")
    settings = Settings.from_env({}, database_url=f"sqlite:///{tmp_path / 'm.db'}", http_host="127.0.0.1",
                                 http_port=0, metrics_port=0, tick_seconds=0.05)
    server = Server(settings)
    await server.start()
    try:
        public, private = f"http://127.0.0.1:{server.port}", f"http://127.0.0.1:{server.metrics_port}"
        assert server.metrics_port != server.port
        async with aiohttp.ClientSession() as http:
            answers = {}
            for url in (f"{public}/metrics", f"{public}/healthz", f"{private}/metrics", f"{public}/nowhere"):
                async with http.get(url) as response:
                    answers[url] = response.status
                    server_header = response.headers.get("Server", "")
                    assert "aiohttp" not in server_header and "Python" not in server_header
                    assert not any(ch.isdigit() for ch in server_header)
    finally:
        await server.stop()
    assert answers == {f"{public}/metrics": 404, f"{public}/healthz": 200, f"{private}/metrics": 200,
                       f"{public}/nowhere": 404}
