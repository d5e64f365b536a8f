"""`meridian db copy`: SQLite to PostgreSQL with every row of every table accounted for.

The source is built the way a team would fill it: two team files, coffee and standup commands, a
standup answered through its form, a Slack installation, and two simulated days of the real
scheduler (occurrences, sent messages, coffee rounds, meeting reminders).
"""
from __future__ import annotations

import asyncio
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlalchemy import JSON, create_engine, func, select, text
from sqlalchemy.engine import Engine

from operations.cli import main
from adapters.console.sender import ConsoleSender
from adapters.console.shell import ConsoleShell
from bot.calendars.models import BusyBlock, CalendarFeed
from bot.time.clock import SimulatedClock
from bot.config import Settings
from bot.core import ActionRequest, Meridian
from bot.crypto import Cipher
from bot.installations import first_seen, issue_state, save_installation
from bot.members import ensure_workspace
from bot.models import Member, Workspace
from bot.reports.models import SettingsChange
from bot.schema import metadata
from bot.store import Database
from bot.teamfile import import_file
from scheduler.simulate import simulate
from web.auth import create_api_token, create_session

DATA = Path(__file__).parents[1] / "data"
START = datetime(2026, 3, 23, tzinfo=timezone.utc)          # a Monday: coffee round, weekly sync, standups


def build_source(path: Path) -> None:
    db = Database(f"sqlite:///{path}")
    with db.session() as session:
        import_file(session, DATA / "standup-team.toml", platform="console", workspace_external_id="standup")
        slack = ensure_workspace(session, "slack", "T0001", "Acme")
        save_installation(session, slack, secret=Cipher("a passphrase for the test").encrypt('{"bot_token": "x"}'),
                          installed_at=START, bot_user_id="UBOT")
        issue_state(session, "slack", "state-123", START + timedelta(minutes=10))
        first_seen(session, "slack", "event:Ev123", START)
        # A calendar feed with a busy interval read from it (bot/calendars), so every table has rows.
        mia_member = session.scalar(select(Member).where(Member.user_id == "mia"))
        assert mia_member is not None
        session.add(CalendarFeed(workspace_id=mia_member.workspace_id, member_id=mia_member.id, url_hint="cal.example/….ics",
                                 url_secret=Cipher("a passphrase for the test").encrypt("https://cal.example/p/x.ics")))
        session.add(BusyBlock(workspace_id=mia_member.workspace_id, member_id=mia_member.id,
                              start_at=START + timedelta(hours=1), end_at=START + timedelta(hours=2)))
    core = Meridian(db, clock=SimulatedClock(START - timedelta(days=3)), settings=Settings.from_env({}))  # a Friday
    mia, ravi = ConsoleShell(core, "mia", workspace="standup"), ConsoleShell(core, "ravi", workspace="standup")
    for shell, line in ((mia, "/coffee config on"), (mia, "/coffee join"), (mia, "/coffee block @ravi"),
                        (ravi, "/coffee join"), (mia, "/convert on")):
        assert not shell.command(line).error, line
    core.conversion_replied(mia.who, "console-1", "console-reply-1")     # conversion_replies has a row
    form = ravi.command("/standup answer").form
    assert form is not None
    answered = core.handle_action(ActionRequest(ravi.who, form.action, form.value,
                                                {f.name: "Shipping the copy" for f in form.fields}))
    assert not answered.error, answered.text
    with db.session() as session:   # the dashboard's rows: a signed-in session, an API token, a logged change
        workspace = session.scalar(select(Workspace).where(Workspace.external_id == "standup"))
        mia_row = session.scalar(select(Member).where(Member.workspace_id == workspace.id, Member.user_id == "mia"))
        create_session(session, workspace, mia_row, is_admin=True, via="demo", now=START, hours=8)
        create_api_token(session, workspace, mia_row, "reports", START)
        session.add(SettingsChange(workspace_id=workspace.id, member_id=mia_row.id, area="standup", target="#eng",
                                   setting="time", old_value="09:30", new_value="10:00", changed_at=START))
    # From Sunday: the coffee round falls when Monday begins in Auckland (Sunday 11:00 UTC)
    asyncio.run(simulate(db, DATA / "meetings-team.toml", START - timedelta(days=1), 2, ConsoleSender(), lambda _: None,
                         workspace="across", scratch=True))
    db.dispose()


@pytest.fixture(scope="module")
def source_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("copy-source") / "source.db"
    build_source(path)
    return path


@pytest.fixture
def source_url(source_file: Path, tmp_path: Path) -> str:
    path = tmp_path / "source.db"
    shutil.copy(source_file, path)
    return f"sqlite:///{path}"


@pytest.fixture
def target_url(postgres_database: str) -> Iterator[str]:
    """The worker's private PostgreSQL database, emptied, sequences reset."""
    engine = create_engine(postgres_database)
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
                                + " RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield postgres_database


def rows(engine: Engine, table_name: str, where: Any = None) -> list[tuple[Any, ...]]:
    table = metadata.tables[table_name]
    query = select(table).order_by(*table.primary_key.columns)
    if where is not None:
        query = query.where(where(table))
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def sql_nulls(engine: Engine, table_name: str) -> dict[str, int]:
    """How many rows hold SQL NULL (not a JSON null) in each JSON column."""
    table = metadata.tables[table_name]
    with engine.connect() as connection:
        return {c.name: int(connection.scalar(select(func.count()).select_from(table).where(c.is_(None))) or 0)
                for c in table.columns if isinstance(c.type, JSON)}


def copy(*args: str) -> int:
    return main(["db", "copy", *args])


def test_copy_to_postgresql_accounts_for_every_row_of_every_table(
        source_url: str, target_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert copy("--db", source_url, "--to", target_url) == 0
    printed = {line.split()[0]: int(line.split()[1]) for line in capsys.readouterr().out.splitlines()
               if line.startswith("  ") and line.split()[-1].isdigit()}
    source, target = create_engine(source_url), create_engine(target_url)
    try:
        for table in metadata.sorted_tables:
            expected = rows(source, table.name)
            assert expected, f"the source fixture should fill {table.name}"
            assert rows(target, table.name) == expected, table.name
            assert printed[table.name] == len(expected)
            assert sql_nulls(target, table.name) == sql_nulls(source, table.name), table.name
        assert set(printed) == set(metadata.tables)
    finally:
        source.dispose()
        target.dispose()

    # New rows in the target continue after the copied ids (its sequences were moved on).
    db = Database(target_url, migrate=False)
    try:
        with db.session() as session:
            highest = session.scalar(select(func.max(Member.id)))
            newcomer = Member(workspace_id=1, user_id="newcomer", tz="UTC")
            session.add(newcomer)
            session.flush()
            assert newcomer.id == highest + 1
    finally:
        db.dispose()


def test_workspaces_copied_one_at_a_time_and_never_twice(
        source_url: str, target_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    source, target = create_engine(source_url), create_engine(target_url)
    try:
        with source.connect() as connection:
            across = connection.scalar(text("SELECT id FROM workspaces WHERE external_id = 'across'"))
        assert copy("--db", source_url, "--to", target_url, "--workspace", "console:across") == 0
        out = capsys.readouterr().out
        assert "console:across" in out and "not copied (no workspace data" in out
        for table in metadata.sorted_tables:
            scope = table.c.id if table.name == "workspaces" else table.c.get("workspace_id")
            copied = rows(target, table.name)
            if scope is None:
                assert copied == [], table.name          # platform plumbing moves only with the whole database
            else:
                assert copied == rows(source, table.name, lambda t: (t.c.id if t.name == "workspaces"
                                                                     else t.c.workspace_id) == across), table.name
        before = {t.name: len(rows(target, t.name)) for t in metadata.sorted_tables}

        assert copy("--db", source_url, "--to", target_url, "--workspace", "across") == 1
        assert "already has workspace console:across" in capsys.readouterr().err
        assert {t.name: len(rows(target, t.name)) for t in metadata.sorted_tables} == before   # nothing written

        assert copy("--db", source_url, "--to", target_url, "--workspace", "standup") == 0       # same source: no clash
        assert len(rows(target, "members")) == len(rows(source, "members", lambda t: t.c.workspace_id.in_(
            select(metadata.tables["workspaces"].c.id).where(metadata.tables["workspaces"].c.platform == "console"))))
    finally:
        source.dispose()
        target.dispose()


def test_a_target_holding_other_data_is_refused_and_left_as_it_was(
        source_url: str, target_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database(target_url, migrate=False)              # Meridian already ran here, with its own team
    with db.session() as session:
        own = ensure_workspace(session, "discord", "42", "Elsewhere")
        session.add(Member(workspace_id=own.id, user_id="someone", tz="UTC"))
    db.dispose()
    assert copy("--db", source_url, "--to", target_url, "--workspace", "standup") == 1
    err = capsys.readouterr().err
    assert "Nothing was copied" in err and "workspaces (1)" in err and "members (1)" in err
    target = create_engine(target_url)
    try:
        assert [r[1:3] for r in rows(target, "workspaces")] == [("discord", "42")]
        assert len(rows(target, "members")) == 1
    finally:
        target.dispose()


def test_an_unknown_or_ambiguous_workspace_says_which_there_are(
        source_url: str, target_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert copy("--db", source_url, "--to", target_url, "--workspace", "nope") == 1
    err = capsys.readouterr().err
    assert "no workspace 'nope'" in err and "console:standup" in err and "slack:T0001" in err
