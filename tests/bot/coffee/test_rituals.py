"""Coffee rituals: when a round fires, what it enqueues, and the real engine and `meridian simulate`
delivering intros at a member's morning and the "did you meet?" follow-up with buttons."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from operations.cli import main
from adapters.console.sender import ConsoleSender
from bot.time import to_local
from bot.time.clock import SimulatedClock
from bot.core import ActionRequest, Meridian
from bot.models import Member, Occurrence, Workspace
from bot.coffee.models import CoffeeGroup, CoffeeRound
from bot.coffee.rituals import FOLLOWUP, INTRO, POST, ROUND
from scheduler.engine import Engine
from bot.rituals import Skip
from scheduler.simulate import run_until
from tests.conftest import shell_as


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def coffee(demo: Meridian) -> Meridian:
    """The demo team with weekly Monday coffee posting to #coffee."""
    reply = shell_as(demo, "amara").command("/coffee config channel #coffee")
    assert not reply.error, reply.text
    return demo


def workspace_of(session) -> Workspace:  # type: ignore[no-untyped-def]
    found = session.scalar(select(Workspace).where(Workspace.external_id == "default"))
    assert found is not None
    return found


def test_a_round_fires_when_its_day_begins_in_the_earliest_zone(coffee: Meridian) -> None:
    with coffee.db.session() as session:
        workspace = workspace_of(session)
        assert list(ROUND.recipients(session, workspace)) == ["coffee"]
        due = ROUND.next_due(session, workspace, "coffee", utc(2026, 3, 25, 12))
        # Monday Mar 30 begins first in Auckland (still on daylight time, UTC+13): Sunday 11:00 UTC.
        assert due is not None and due.key == "2026-03-30" and due.due_at == utc(2026, 3, 29, 11)
        # Tuesday, once Monday has ended everywhere: the next round is a week later. New Zealand has left
        # daylight time by then (Apr 5): UTC+12, so Sunday 12:00 UTC.
        after_dst = ROUND.next_due(session, workspace, "coffee", utc(2026, 3, 31, 12))
        assert after_dst is not None and after_dst.key == "2026-04-06" and after_dst.due_at == utc(2026, 4, 5, 12)


def test_coffee_set_up_while_its_round_day_is_under_way_runs_that_round_at_once(coffee: Meridian) -> None:
    with coffee.db.session() as session:
        workspace = workspace_of(session)
        # Monday Mar 30, 10:00 UTC: Monday began in Auckland yesterday, but it is still Monday for
        # everyone, and no round has run: the first round is today's, not next week's.
        monday = utc(2026, 3, 30, 10)
        due = ROUND.next_due(session, workspace, "coffee", monday)
        assert due is not None and due.key == "2026-03-30" and monday < due.due_at <= monday + timedelta(minutes=1)
        # Once that round has run, the next one is a week later.
        occurrence = Occurrence(workspace_id=workspace.id, kind=ROUND.kind, recipient="coffee", key=due.key,
                                due_at=due.due_at, status="claimed", attempts=1)
        session.add(occurrence)
        session.flush()
        assert ROUND.build(session, workspace, occurrence, due.due_at) == []
        following = ROUND.next_due(session, workspace, "coffee", due.due_at)
        assert following is not None and following.key == "2026-04-06"


def test_switching_coffee_off_stops_the_rounds(coffee: Meridian) -> None:
    assert not shell_as(coffee, "amara").command("/coffee config off").error
    with coffee.db.session() as session:
        workspace = workspace_of(session)
        assert list(ROUND.recipients(session, workspace)) == []
        assert ROUND.next_due(session, workspace, "coffee", utc(2026, 3, 25, 12)) is None


def test_building_the_round_twice_stores_one_round_and_enqueues_each_message_once(coffee: Meridian) -> None:
    with coffee.db.session() as session:
        workspace = workspace_of(session)
        due = ROUND.next_due(session, workspace, "coffee", utc(2026, 3, 25, 12))
        assert due is not None
        occurrence = Occurrence(workspace_id=workspace.id, kind=ROUND.kind, recipient="coffee", key=due.key,
                                due_at=due.due_at, status="claimed", attempts=1)
        session.add(occurrence)
        session.flush()
        # Running the round sends nothing: its channel post waits for the channel's working hours.
        assert ROUND.build(session, workspace, occurrence, due.due_at) == []
        assert ROUND.build(session, workspace, occurrence, due.due_at + timedelta(minutes=5)) == []
        assert session.scalar(select(CoffeeRound.number)) == 1
        assert list(POST.recipients(session, workspace)) == ["channel"]
        post = session.scalar(select(Occurrence).where(Occurrence.kind == POST.kind))
        assert post is not None and post.key == "2026-03-30" and post.due_at > due.due_at
        built = POST.build(session, workspace, post, post.due_at)
        assert isinstance(built, list) and [m.to for m in built] == ["#coffee"]
        groups = list(session.scalars(select(CoffeeGroup)))
        intros = list(INTRO.recipients(session, workspace))
        assert sorted(intros) == sorted(f"group:{g.id}" for g in groups)
        assert sorted(FOLLOWUP.recipients(session, workspace)) == sorted(intros)
        # The engine re-plans ad-hoc kinds through next_due: it must hand back the stored occurrence.
        stored = session.scalar(select(Occurrence).where(Occurrence.kind == INTRO.kind, Occurrence.recipient == intros[0]))
        again = INTRO.next_due(session, workspace, intros[0], due.due_at)
        assert again is not None and (again.key, again.due_at) == (stored.key, stored.due_at)  # type: ignore[union-attr]
        assert INTRO.next_due(session, workspace, intros[0], stored.due_at) is None  # type: ignore[union-attr]


def test_a_round_on_a_date_the_schedule_no_longer_has_is_skipped(coffee: Meridian) -> None:
    shell_as(coffee, "amara").command("/coffee config day wed")
    with coffee.db.session() as session:
        workspace = workspace_of(session)
        occurrence = Occurrence(workspace_id=workspace.id, kind=ROUND.kind, recipient="coffee", key="2026-03-30",
                                due_at=utc(2026, 3, 29, 11), status="claimed", attempts=1)
        session.add(occurrence)
        session.flush()
        assert isinstance(ROUND.build(session, workspace, occurrence, utc(2026, 3, 29, 11)), Skip)


async def test_the_engine_sends_intros_at_a_members_morning_and_follow_ups_with_buttons(coffee: Meridian) -> None:
    clock = SimulatedClock(utc(2026, 3, 28, 0))
    sender = ConsoleSender(clock=clock)
    engine = Engine(coffee.db, clock, {"console": sender}, settings=coffee.settings, replica_id="test",
                    rituals={r.kind: r for r in (ROUND, INTRO, FOLLOWUP, POST)}, concurrency=1)
    await run_until(engine, clock, utc(2026, 4, 3, 0))
    sent = [(m.message.kind, m.message.to, m.at) for m in sender.messages]
    kinds = [k for k, _, _ in sent]
    assert kinds.count("coffee_round") == 1 and kinds.count("coffee_intro") >= 4
    with coffee.db.session() as session:
        zones = {m.user_id: m.tz for m in session.scalars(select(Member))}
    for kind, to, at in sent:
        if kind == "coffee_intro" and isinstance(to, list):
            local_mornings = [to_local(at, zones[u]) for u in to]   # type: ignore[arg-type]
            assert any((t.hour, t.minute, t.date()) == (9, 0, date(2026, 3, 30)) for t in local_mornings), (to, at)
    followups = [m.message for m in sender.messages if m.message.kind == "coffee_followup"]
    assert followups and all([b.action for b in f.reply.buttons] == ["coffee.met", "coffee.not_met"] for f in followups)
    # Pressing "Yes, we met" is recorded for the group, and a second follow-up would be skipped.
    first = followups[0]
    who = shell_as(coffee, first.to[0]).who  # type: ignore[index]
    assert not coffee.handle_action(ActionRequest(who, "coffee.met", first.reply.buttons[0].value)).error
    with coffee.db.session() as session:
        assert session.get(CoffeeGroup, int(first.reply.buttons[0].value)).met is True  # type: ignore[union-attr]


COFFEE_TEAM = """
[workspace]
name = "Coffee team"

[[members]]
id = "lena"
tz = "Europe/Berlin"
country = "DE"

[[members]]
id = "amara"
tz = "Africa/Lagos"
country = "NG"

[[members]]
id = "priya"
tz = "Asia/Kolkata"
country = "IN"

[[members]]
id = "sofia"
tz = "America/Sao_Paulo"
country = "BR"

[[members]]
id = "omar"
tz = "Asia/Riyadh"
country = "SA"

[coffee]
channel = "coffee"
day = "mon"
"""


def simulate(capsys: pytest.CaptureFixture[str], team: Path, seed: int, start: str = "2026-03-28T00:00Z",
             days: int = 15) -> list[dict]:
    assert main(["simulate", "--team", str(team), "--start", start, "--days", str(days), "--seed", str(seed)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_meridian_simulate_runs_weekly_rounds_and_replays_with_the_same_seed(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = tmp_path / "coffee.toml"
    team.write_text(COFFEE_TEAM, encoding="utf-8")
    records = simulate(capsys, team, 7)
    coffee = [r for r in records if r["kind"].startswith("coffee")]
    rounds = [r for r in coffee if r["kind"] == "coffee_round"]
    assert [r["to"] for r in rounds] == ["#coffee", "#coffee"]                       # Mar 30 and Apr 6
    intros = [r for r in coffee if r["kind"] == "coffee_intro"]
    groups = [frozenset(r["to"]) for r in intros if isinstance(r["to"], list)]
    # Mar 30: five people, so a pair and a trio. Apr 6 is Easter Monday, a holiday for Lena (DE) and
    # Amara (NG), who both work the rest of that week: all five are paired again, nobody sits out,
    # and each group's intro waits for Tuesday so it does not land on anyone's holiday.
    assert sorted(len(g) for g in groups[:2]) == [2, 3]
    assert sorted(len(g) for g in groups[2:]) == [2, 3]
    assert set().union(*groups[2:]) == {"lena", "amara", "priya", "sofia", "omar"}
    assert not [r for r in intros if isinstance(r["to"], str)]                  # no "no partner" note
    easter_intros = [r for r in intros if r["at"] >= "2026-04-05"]
    assert easter_intros and all(r["at"].startswith("2026-04-07") for r in easter_intros)
    assert any("did you meet?" in r["text"] for r in coffee if r["kind"] == "coffee_followup")
    assert simulate(capsys, team, 7) == records


def test_a_simulation_starting_on_the_round_day_gets_its_first_round_that_week(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = tmp_path / "coffee.toml"
    team.write_text(COFFEE_TEAM, encoding="utf-8")
    # Monday Mar 30 began at 18:30 UTC on Sunday in Kolkata, before the simulation starts: the round
    # runs at once all the same, and its intros reach the members that Monday.
    records = simulate(capsys, team, 7, start="2026-03-30T00:00Z", days=7)
    coffee = [r for r in records if r["kind"].startswith("coffee")]
    assert [r["at"][:10] for r in coffee if r["kind"] == "coffee_intro"] == ["2026-03-30", "2026-03-30"]
    # The channel post goes out in working hours: 09:00 in São Paulo is 14:00 in Berlin, 13:00 in
    # Lagos and 15:00 in Riyadh, rather than midnight for the easternmost member.
    posts = [r for r in coffee if r["kind"] == "coffee_round"]
    assert [(p["to"], p["at"]) for p in posts] == [("#coffee", "2026-03-30T12:00:00Z")]
