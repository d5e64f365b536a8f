"""The demo team used by `meridian shell --demo`, `make run` and `meridian simulate` examples."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from bot.teamfile import ImportResult, import_file

DEMO_TEAM = Path(__file__).with_name("data") / "demo-team.toml"


def seed_demo(session: Session, workspace_external_id: str = "default") -> ImportResult:
    """Load (or refresh) the demo team into a console workspace. Idempotent."""
    return import_file(session, DEMO_TEAM, platform="console", workspace_external_id=workspace_external_id)
