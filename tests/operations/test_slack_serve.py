"""`meridian serve`: one HTTP server with /healthz and Slack's routes, the scheduler running beside it."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from operations.cli import main
from operations.serve import Server
from bot.config import Settings
from tests.support.slack_app import SIGNING_SECRET, hook_text
from tests.support.slack_requests import SlackRequests
from tests.support.slack_standin import SlackStandIn


async def test_serve_answers_healthz_and_slack_and_runs_the_scheduler(db_url: str) -> None:
    async with SlackStandIn() as standin:
        standin.add_user("U1", tz="Asia/Kathmandu")
        settings = Settings.from_env({}, database_url=db_url, http_host="127.0.0.1", http_port=0, metrics_port=0, tick_seconds=0.05,
                                     slack_bot_token=standin.team.bot_token, slack_signing_secret=SIGNING_SECRET,
                                     slack_api_url=standin.base_url)
        server = Server(settings)
        await server.start()
        try:
            origin = f"http://127.0.0.1:{server.port}"
            async with aiohttp.ClientSession() as http:
                async with http.get(f"{origin}/healthz") as response:
                    assert response.status == 200
                    assert await response.json() == {"status": "ok", "database": "ok", "scheduler": "running",
                                                     "adapters": ["slack (http)"]}
                slack = SlackRequests(http, f"{origin}/slack/events", SIGNING_SECRET, hooks=standin.origin)
                answer, hook = await slack.command("/tz")
                assert answer.status == 200
                await standin.wait_for(lambda: standin.hooks)
                assert "Asia/Kathmandu" in hook_text(standin.hooks[0][1])
                async with http.post(f"{origin}/slack/events", data=b"command=/tz") as unsigned:
                    assert unsigned.status == 401
            await standin.wait_for(lambda: server.ticks >= 2)
        finally:
            await server.stop()
        assert server.engine._stopping


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_meridian_serve_process_is_healthy_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "MERIDIAN_"))},
           "MERIDIAN_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "MERIDIAN_HTTP_HOST": "127.0.0.1",
           "MERIDIAN_HTTP_PORT": str(port), "MERIDIAN_METRICS_PORT": "0", "MERIDIAN_TICK_SECONDS": "0.2"}
    process = subprocess.Popen([sys.executable, "-m", "operations.cli", "serve"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                import urllib.request

                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    status = response.status
                    break
            except OSError:
                time.sleep(0.2)
        assert status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("env, complaint", [
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
    ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": "x"}, "MERIDIAN_SECRET_KEY"),
])
def test_half_configured_slack_is_a_clear_configuration_error(
        env: dict[str, str], complaint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name in list(os.environ):
        if name.startswith(("SLACK_", "DISCORD_", "MERIDIAN_")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["serve", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--host", "127.0.0.1", "--port", "0"]) == 2
    assert complaint in capsys.readouterr().err
