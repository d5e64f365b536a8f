"""A 10,000-member workspace: every team-wide answer fits each platform, reads in a minute, and adds up.

Members are inserted in bulk (bench.population, SQLAlchemy core) so the workspace builds in seconds.
Each reply is rendered by every adapter's renderer in strict mode (tests/conftest.py): a reply over
a limit raises adapters.limits.LimitExceeded instead of being cut.
"""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import select

from adapters.discord import render as discord_render
from adapters.slack import blocks
from bench.databases import bulk_insert
from bench.population import people
from bot.core import CommandRequest, Meridian
from bot.members import Identity
from bot.holidays.messages import weekly_digest
from bot.models import Member, Workspace
from bot.reply import Reply
from bot.standups.models import Standup, StandupAnswer
from bot.store import Database
from bot.time.clock import SimulatedClock
from tests.conftest import DEFAULT_NOW

TEAM = "T0LARGE"
SIZE = 10_000
READABLE_LINES = 40          # what a person takes in within a minute: totals, a screen of groups, a hint
READABLE_CHARACTERS = 4_000


def build_team(db: Database, size: int) -> str:
    """A Slack workspace of `size` members across the population's 35 zones; returns the asker's user id."""
    bulk_insert(db, Workspace.__table__, [{"platform": "slack", "external_id": TEAM, "name": "Acme",
                                          "locale": "en", "channel": "general", "needs_replan": False}])
    with db.session() as session:
        workspace_id = session.scalar(select(Workspace.id).where(Workspace.external_id == TEAM))
    persons = list(people(size))
    bulk_insert(db, Member.__table__, [p.member_row(workspace_id) for p in persons])
    with db.session() as session:     # a standup of everyone, a third of whom answered today
        standup = Standup(workspace_id=workspace_id, channel="general")
        session.add(standup)
        session.flush()
        member_ids = session.scalars(select(Member.id).where(Member.workspace_id == workspace_id)).all()
        standup_id = standup.id
    bulk_insert(db, StandupAnswer.__table__, [
        {"workspace_id": workspace_id, "standup_id": standup_id, "member_id": member_id, "day": DEFAULT_NOW.date(),
         "answers": ["Shipped the export", "Reviews", "Nothing"], "submitted_at": DEFAULT_NOW}
        for member_id in member_ids[::3]])
    return persons[0].user_id


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[tuple[Meridian, str]]:
    path = tmp_path_factory.mktemp("large") / "meridian.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}", migrate=False)
    asker = build_team(db, SIZE)
    yield Meridian(db, clock=SimulatedClock(DEFAULT_NOW)), asker
    db.dispose()


def ask(core: Meridian, user: str, text: str) -> Reply:
    return core.handle(CommandRequest(Identity("slack", TEAM, user), text))


def render_everywhere(reply: Reply) -> None:
    """Every adapter's rendering; strict mode turns any cut into a failure."""
    blocks.message(reply)
    discord_render.render(reply)
    reply.as_text()


def counts(line: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", line)]


def assert_groups_add_up(text: str, total: int) -> None:
    """The totals line sums to `total`, and so do the group lines plus the folded ones."""
    lines = text.split("\n")
    totals = next(line for line in lines if line.startswith("Of "))
    assert counts(totals)[0] == total and sum(counts(totals)[1:]) == total
    grouped = [int(m.group(1).replace(",", "")) for line in lines
               if (m := re.search(r"· ([\d,]+) (?:person|people): ", line) or re.search(r"… and ([\d,]+) (?:person|people) in", line))]
    assert sum(grouped) == total


def assert_readable(reply: Reply) -> None:
    text = reply.as_text()
    assert len(text.split("\n")) <= READABLE_LINES and len(text) <= READABLE_CHARACTERS, text[:500]


@pytest.mark.parametrize("command", ["/time", "/time America", "/when 3pm tomorrow", "/home", "/holidays 30",
                                     "/standup status"])
def test_team_wide_answers_fit_every_platform_and_add_up(large: tuple[Meridian, str], command: str) -> None:
    core, asker = large
    reply = ask(core, asker, command)
    assert not reply.error, reply.text
    render_everywhere(reply)
    assert_readable(reply)
    if command in ("/time", "/when 3pm tomorrow"):
        assert_groups_add_up(reply.as_text(), SIZE)


def test_the_standup_status_counts_everyone_once(large: tuple[Meridian, str]) -> None:
    core, asker = large
    text = ask(core, asker, "/standup status").text
    answered, pending, off = counts(text.split("\n")[0])
    assert answered + pending + off == SIZE and answered == -(-SIZE // 3)
    assert sum(int(m.group(1).replace(",", "")) for m in re.finditer(r"· ([\d,]+) (?:person|people): ", text)) == off


def test_the_weekly_holiday_digest_fits_and_adds_up(large: tuple[Meridian, str]) -> None:
    core, _ = large
    with core.db.session() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.external_id == TEAM))
        digest = weekly_digest(session, workspace, date(2026, 3, 30))      # Good Friday and Easter Monday week
    assert digest is not None
    render_everywhere(digest)
    assert_readable(digest)
    lines = digest.text.split("\n")
    holiday_periods = counts(lines[0])[1]
    assert sum(int(m.group(1).replace(",", "")) for line in lines
               if (m := re.search(r"· ([\d,]+) (?:person|people): ", line) or re.search(r"… and ([\d,]+) (?:person|people) in", line))) \
        == holiday_periods + counts(lines[0])[2]


def test_the_when_verdict_comes_first(large: tuple[Meridian, str]) -> None:
    core, asker = large
    reply = ask(core, asker, "/when 3pm tomorrow")
    assert reply.title and "is:" in reply.title
    assert reply.text.split("\n")[0].endswith("would be outside working hours, on a weekend, a holiday or away.")


def test_filters_narrow_the_answer_down_to_exact_lines(large: tuple[Meridian, str]) -> None:
    core, asker = large
    with core.db.session() as session:
        in_nepal = session.scalars(select(Member.user_id).where(Member.tz == "Asia/Kathmandu")).all()
    zone = ask(core, asker, "/time Kathmandu")
    render_everywhere(zone)
    assert_groups_add_up(zone.text, len(in_nepal))
    chosen = in_nepal[:3]
    people_reply = ask(core, asker, "/time " + " ".join(f"@{user}" for user in chosen))
    assert [line.split(" — ")[0] for line in people_reply.text.split("\n")] == \
        [f"Person {int(user[1:])}" for user in sorted(chosen, key=lambda u: f"Person {int(u[1:])}".casefold())]
    assert ask(core, asker, "/time Atlantis").error
