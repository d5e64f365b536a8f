"""Compare the packages installed in this Python with the pins in requirements.lock.

`make test-latest` runs it in a throwaway venv holding the newest versions pyproject.toml allows, before
and after the suite, so an upgrade is one step with a clear report: which packages would move, and whether
the suite still passes on them. Exit code 0 always: the suite's result is the verdict.
"""
from __future__ import annotations

import argparse
import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker

# Build tools are pinned for `make test`'s editable install; test-latest lets pip pick its own.
BUILD_TOOLS = {"pip", "setuptools", "wheel"}
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions(lock: Path) -> dict[str, str]:
    """Package -> version as pinned in a pip/uv requirements lock."""
    pins: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match and (match[3] is None or Marker(match[3]).evaluate()):   # only what this Python installs
            pins[canonical(match[1])] = match[2]
    return pins


def installed_versions() -> dict[str, str]:
    return {canonical(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
            if dist.metadata["Name"]}


def changes(locked: dict[str, str], installed: dict[str, str]) -> list[tuple[str, str, str]]:
    """(package, locked, installed) for every locked package whose installed version differs."""
    return sorted((name, version, installed.get(name, "absent")) for name, version in locked.items()
                  if installed.get(name, "absent") != version and name not in BUILD_TOOLS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", type=Path)
    parser.add_argument("--brief", action="store_true", help="one line per change, for the end of a run")
    args = parser.parse_args(argv)
    moved = changes(locked_versions(args.lock), installed_versions())
    if not moved:
        print(f"test-latest: every package is at the version {args.lock} pins")
        return 0
    print(f"test-latest: {len(moved)} package(s) newer (or different) than {args.lock}:")
    for name, locked, now in moved:
        print(f"  {name:<24} {locked:>12} -> {now}")
    if not args.brief:
        print("If the suite passes on these, `make lock` takes them; otherwise the failures below show what changes.")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
