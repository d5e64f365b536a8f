"""The six-zone team with meetings (tests/data/meetings-team.toml), loaded into the console workspace,
and a simulated week of it (the meetings and holidays ritual tests share that one run).

Import the fixtures into a test module: `from tests.support.meetings_team import TEAM, team, week  # noqa: F401`.
"""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from operations.cli import main
from bot.core import Meridian
from bot.teamfile import import_file

TEAM = Path(__file__).parents[1] / "data" / "meetings-team.toml"


@pytest.fixture
def team(core: Meridian) -> Meridian:
    """The core with the meetings team imported (members, two meetings)."""
    with core.db.session() as session:
        import_file(session, TEAM, platform="console", workspace_external_id="default")
    return core


@pytest.fixture(scope="session")
def week() -> list[dict]:
    """The real `meridian simulate` over 22-31 March 2026 (the EU clocks change on the 29th), as JSON lines."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["simulate", "--team", str(TEAM), "--start", "2026-03-22T00:00Z", "--days", "9"]) == 0
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
