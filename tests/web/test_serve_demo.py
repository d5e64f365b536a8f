"""`meridian serve --demo`: the demo team on 127.0.0.1 in a throwaway database, with the demo sign-in."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_demo_lists_the_demo_members_and_never_touches_the_configured_database(tmp_path: Path) -> None:
    port = _free_port()
    configured = tmp_path / "real.db"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "MERIDIAN_"))},
           "MERIDIAN_DATABASE_URL": f"sqlite:///{configured}", "MERIDIAN_TICK_SECONDS": "3600",
           "MERIDIAN_HTTP_HOST": "0.0.0.0"}
    process = subprocess.Popen([sys.executable, "-m", "operations.cli", "serve", "--demo", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/signin", timeout=5) as response:
                    page = response.read().decode()
                    break
            except OSError:
                time.sleep(0.3)
        assert "Amara Okafor (admin)" in page and 'action="/signin/demo"' in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not configured.exists()          # the demo ran in a throwaway database
