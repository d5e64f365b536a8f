"""A workspace with something in every table: the subject of the hardening tests.

The demo team's ten members (Lagos to Lord Howe) plus a standup, coffee rounds, a weekly meeting and time off from the team file, then
what members do through the core: answers, notes about themselves, a coffee round with a block and
a "we met", a booked meeting. `marker` is written into every free text, so a test can tell whose
data a reply or a row shows.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.coffee.models import CoffeeGroup
from bot.coffee.rounds import group_members, run_round
from bot.core import ActionRequest, CommandRequest, Meridian
from bot.members import Identity
from bot.models import Workspace
from bot.reply import Reply
from bot.schema import metadata
from bot.store import Database
from bot.teamfile import import_file

ROUND_DAY = date(2026, 3, 23)          # a Monday before the tests' "now" (2026-03-25 12:00Z)

MEMBERS = """
[workspace]
name = "Acme Global"
locale = "en"
channel = "general"

[[members]]
id = "amara"
name = "Amara Okafor"
tz = "Africa/Lagos"
country = "NG"
locale = "en"
admin = true

[[members]]
id = "ravi"
name = "Ravi Shrestha"
tz = "Asia/Kathmandu"
country = "NP"
hours = "10:00-18:00"

[[members]]
id = "lena"
name = "Lena Huber"
tz = "Europe/Berlin"
country = "DE"
subdivision = "BY"
locale = "de"

[[members]]
id = "sofia"
name = "Sofia Almeida"
tz = "America/Sao_Paulo"
country = "BR"
subdivision = "SP"
locale = "pt_BR"

[[members]]
id = "hana"
name = "Hana Sato"
tz = "Asia/Tokyo"
country = "JP"
locale = "ja"

[[members]]
id = "omar"
name = "Omar Al-Harbi"
tz = "Asia/Riyadh"
country = "SA"
locale = "ar"

[[members]]
id = "mia"
name = "Mia Parata"
tz = "Pacific/Auckland"
country = "NZ"
subdivision = "AUK"

[[members]]
id = "jack"
name = "Jack Wilson"
tz = "Australia/Lord_Howe"
country = "AU"
subdivision = "NSW"
hours = "08:00-16:00"

[[members]]
id = "sam"
name = "Sam Rivera"
tz = "America/Los_Angeles"
country = "US"
subdivision = "CA"
locale = "es"

[[members]]
id = "priya"
name = "Priya Nair"
tz = "Asia/Kolkata"
country = "IN"
subdivision = "KA"
locale = "hi"
"""

SECTIONS = """
[standup]
channel = "standup"
time = "09:30"
reminder = "2h"

[coffee]
day = "mon"
cadence = "weekly"
channel = "coffee"

[[meetings]]
title = "Weekly sync {marker}"
start = "2026-03-16T15:00"
tz = "Europe/Berlin"
duration = "45m"
attendees = ["lena", "priya", "amara", "hana"]
repeat = "weekly"

[[away]]
member = "sofia"
from = "2026-03-30"
to = "2026-04-03"
note = "Family visit {marker}"
"""


def team_file(directory: Path, marker: str) -> Path:
    path = directory / f"team-{marker}.toml"
    path.write_text(MEMBERS + SECTIONS.format(marker=marker), encoding="utf-8")
    return path


def who(user: str, workspace: str = "default", platform: str = "console", *, channel: str = "standup") -> Identity:
    return Identity(platform=platform, workspace_id=workspace, user_id=user, user_name=user, channel=channel)


def say(core: Meridian, user: str, line: str, workspace: str = "default", platform: str = "console") -> Reply:
    return core.handle(CommandRequest(who(user, workspace, platform), line))


def press(core: Meridian, user: str, action: str, value: str = "", fields: dict[str, str] | None = None,
          workspace: str = "default", platform: str = "console") -> Reply:
    return core.handle_action(ActionRequest(who(user, workspace, platform), action, value, fields or {}))


def ok(reply: Reply) -> Reply:
    assert not reply.error, reply.as_text()
    return reply


def load_rich_team(core: Meridian, directory: Path, marker: str, workspace: str = "default",
                   platform: str = "console") -> int:
    """Import the team into `workspace` and use every feature once; returns the workspace's row id."""
    with core.db.session() as session:
        workspace_id = import_file(session, team_file(directory, marker), platform=platform,
                                   workspace_external_id=workspace).workspace_id

    def act(user: str, line: str) -> Reply:
        return ok(say(core, user, line, workspace, platform))

    act("ravi", f"/profile about notes Ask me about momos {marker}")
    act("lena", f"/profile about pronunciation LAY-na {marker}")
    act("hana", f"/away 2026-04-06 2026-04-07 Dentist {marker}")
    form = act("ravi", "/standup answer").form
    assert form is not None
    ok(press(core, "ravi", form.action, form.value,
             {f.name: f"Worked on the {marker} release" for f in form.fields}, workspace, platform))
    act("omar", "/standup skip")
    act("mia", "/coffee block @sam")
    act("jack", "/coffee pause until 2026-05-01")
    act("amara", f'/meet add "Planning {marker}" 2026-03-27 14:00 Africa/Lagos 30m @ravi @lena')
    with core.db.session() as session:
        found = session.get(Workspace, workspace_id)
        assert found is not None
        coffee_round = run_round(session, found, ROUND_DAY, core.now())
        group = session.scalar(select(CoffeeGroup).where(CoffeeGroup.round_id == coffee_round.id))
        assert group is not None
        member = group_members(session, group)[0]
        group_id, first = group.id, member.user_id
    ok(press(core, first, "coffee.met", str(group_id), workspace=workspace, platform=platform))
    return workspace_id


def everything(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order: what 'nothing changed' is checked against."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows = connection.execute(select(table)).all()
            out[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return out


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)
