"""Child processes the benchmarks measure or talk to: started, waited for, and always stopped (by pid)."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from typing import Iterator, Sequence

from bench.report import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any platform or Meridian settings the caller's shell may carry."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "MERIDIAN_"))}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


@dataclass
class Child:
    process: subprocess.Popen[str]
    ready_line: str = ""

    @property
    def pid(self) -> int:
        return self.process.pid


@contextlib.contextmanager
def child(args: Sequence[str], *, env: dict[str, str] | None = None, ready_prefix: str | None = None,
          healthz: str | None = None, timeout: float = 180.0) -> Iterator[Child]:
    """Run `python <args>`; ready when it prints a line starting with `ready_prefix` or `healthz` answers 200.

    Its stderr goes to a temporary file (a pipe nobody reads would block a chatty child), quoted on failure."""
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen([sys.executable, *args], env=env or clean_env(), cwd=ROOT, text=True,
                                   stdout=subprocess.PIPE if ready_prefix else subprocess.DEVNULL, stderr=errors)
        found = Child(process)

        def failure(why: str) -> RuntimeError:
            errors.seek(0)
            return RuntimeError(f"{' '.join(args)} {why}:\n{errors.read()[-3000:]}")

        try:
            deadline = time.monotonic() + timeout
            if ready_prefix:
                assert process.stdout is not None
                for line in process.stdout:
                    if line.startswith(ready_prefix):
                        found.ready_line = line.strip()
                        break
                if not found.ready_line:
                    raise failure("exited before it was ready")
            while healthz and not healthy(healthz):
                if process.poll() is not None:
                    raise failure(f"exited with {process.returncode}")
                if time.monotonic() > deadline:
                    raise failure(f"was not healthy within {timeout:.0f} s")
                time.sleep(0.1)
            yield found
        finally:
            stop(process)


def healthy(url: str) -> bool:
    """GET `url` answers 200 within 2 s."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def stop(process: subprocess.Popen[str], grace: float = 30.0) -> None:
    """SIGTERM (graceful), then SIGKILL if it does not stop in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
