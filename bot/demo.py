"""The demo team used by `meridian shell --demo`, `make run` and `meridian simulate` examples."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from bot.conversion.models import switch
from bot.members import find_workspace
from bot.models import row_timestamp
from bot.teamfile import ImportResult, import_file

DEMO_TEAM = Path(__file__).with_name("data") / "demo-team.toml"
DEMO_CHANNEL = "console"          # the shell's channel: lines that are not commands are said there


def seed_demo(session: Session, workspace_external_id: str = "default") -> ImportResult:
    """Load (or refresh) the demo team into a console workspace, with time conversion on in the shell's
    channel so that saying "let's sync at 3pm CET tomorrow" shows it. Idempotent."""
    result = import_file(session, DEMO_TEAM, platform="console", workspace_external_id=workspace_external_id)
    workspace = find_workspace(session, "console", workspace_external_id)
    if workspace is not None:
        session.flush()
        switch(session, workspace, DEMO_CHANNEL, True, by=None, at=row_timestamp())
    return result
