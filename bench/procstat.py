"""Process memory from /proc (Linux): resident set now (VmRSS) and its peak (VmHWM), in MB."""
from __future__ import annotations

from pathlib import Path


def _field(pid: int | str, name: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1]) / 1024.0   # kB -> MB
    except (OSError, ValueError, IndexError):
        return None
    return None


def rss_mb(pid: int | str = "self") -> float | None:
    return _field(pid, "VmRSS")


def peak_rss_mb(pid: int | str = "self") -> float | None:
    return _field(pid, "VmHWM")
