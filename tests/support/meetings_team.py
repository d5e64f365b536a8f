"""The six-zone team with meetings (tests/data/meetings-team.toml), loaded into the console workspace.

Import the fixture into a test module: `from tests.support.meetings_team import TEAM, team  # noqa: F401`.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import Meridian
from bot.teamfile import import_file

TEAM = Path(__file__).parents[1] / "data" / "meetings-team.toml"


@pytest.fixture
def team(core: Meridian) -> Meridian:
    """The core with the meetings team imported (members, two meetings)."""
    with core.db.session() as session:
        import_file(session, TEAM, platform="console", workspace_external_id="default")
    return core
