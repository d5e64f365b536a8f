"""Tenant isolation: two workspaces with the same user ids and the same names never see or touch each other.

"acme" and "rival" hold the same ten people (same ids, same names), each with data in every table;
every free text carries its workspace's marker (ACME or RIVAL). Then:

- storage and commands: every registered command (with a spread of arguments) and every button,
  including buttons carrying the *other* workspace's row ids, run in acme; rival's rows stay
  exactly as they were and no acme reply ever shows RIVAL;
- rituals: the engine runs both workspaces for days; every message goes to its own workspace's
  sender target and speaks only of its own workspace's data;
- end to end through the Slack adapter: two installed teams with the same user ids.
"""
from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, AsyncIterator

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.console.sender import ConsoleSender
from bot.coffee.models import CoffeeGroup
from bot.time.clock import SimulatedClock
from bot.core import Meridian
from bot.meetings import Meeting
from bot.models import Member, Occurrence, Workspace
from bot.privacy import workspace_rows
from bot.reply import Outbound, Reply
from bot.router import ACTIONS, COMMANDS
from bot.standups import Standup
from scheduler.engine import Engine
from bot.rituals import daily_local_due
from bot.rituals import Due
from scheduler.simulate import run_until
from tests.adapters.test_slack_oauth import install
from tests.hardening.team import load_rich_team, ok, press, say
from tests.support.slack_app import hook_text, running_slack
from tests.support.slack_standin import SlackStandIn

ACME, RIVAL = "acme", "rival"
PEOPLE = ["amara", "ravi", "lena", "sofia", "hana", "omar", "mia", "jack", "sam", "priya"]

# Commands that should work in a well-used workspace; each top-level command succeeds at least once.
SCRIPT = [
    ("amara", "/time"), ("amara", "/time @ravi @lena"), ("amara", "/time chart"), ("ravi", "/tz"),
    ("ravi", "/tz set Asia/Tokyo"), ("amara", "/when 3pm tomorrow @hana"), ("lena", "/profile"),
    ("lena", "/profile country AT"), ("lena", "/profile hours 08:00-16:00"), ("lena", "/profile days mon-thu"),
    ("hana", "/profile about notes Async first ACME"), ("hana", "/profile about"), ("amara", "/whois @ravi"),
    ("amara", "/whois @hana"), ("amara", "/culture @omar"), ("amara", "/culture JP"), ("amara", "/holidays"),
    ("amara", "/holidays DE-BY 2026"), ("amara", "/home"), ("ravi", "/home"),
    ("sam", "/away 2026-05-01 2026-05-04 Trip ACME"), ("sam", "/away list"), ("sofia", "/away list"),
    ("sam", "/away cancel 1"), ("amara", "/standup"), ("amara", "/standup status"),
    ("amara", "/standup report 2026-03-24"), ("amara", "/standup report"), ("lena", "/standup answer"),
    ("priya", "/standup skip"), ("amara", "/standup config"), ("amara", "/standup config reminder 3h"),
    ("amara", "/standup config participants remove @sam"), ("amara", "/coffee"), ("ravi", "/coffee history"),
    ("amara", "/coffee stats"), ("mia", "/coffee status"), ("lena", "/coffee block @sofia"),
    ("lena", "/coffee unblock @sofia"), ("sam", "/coffee leave"), ("sam", "/coffee join"),
    ("amara", "/coffee config"), ("amara", "/coffee config size 3"), ("amara", "/meet"), ("amara", "/meet list"),
    ("lena", "/meet list"), ("amara", "/meet find @ravi @lena 30m within 5 days"),
    ('amara', '/meet add "Retro ACME" 2026-04-01 10:00 Europe/Berlin 30m @lena @sam'), ("amara", "/meet cancel 1"),
    ("amara", "/meet import"), ("amara", "/help"), ("amara", "/help coffee"),
    ("amara", "/convert on"), ("lena", "/convert status"), ("lena", "/convert sync at 3pm CET ACME"),
    ("lena", "/convert off"), ("mia", "/forget-me"),
]
ARGUMENTS = ["", "@ravi", "@lena @hana", "2026-03-30", "#standup", "1", "all", "Planning", '"Weekly sync"']


def rival_rows(core: Meridian, workspace_id: int) -> dict[str, list[dict[str, Any]]]:
    with core.db.session() as session:
        found = workspace_rows(session, workspace_id)
    found["workspaces"] = [{k: v for k, v in row.items() if k != "needs_replan"} for row in found["workspaces"]]
    return found


def row_ids(core: Meridian, workspace_id: int) -> dict[str, list[int]]:
    """The other workspace's standup, coffee group, meeting and occurrence ids: what a forged button carries."""
    with core.db.session() as session:
        def ids(model: Any) -> list[int]:
            return list(session.scalars(select(model.id).where(model.workspace_id == workspace_id)))
        return {"standup": ids(Standup), "group": ids(CoffeeGroup), "meeting": ids(Meeting),
                "occurrence": ids(Occurrence)}


@pytest.fixture
def two(core: Meridian, tmp_path: Path) -> tuple[Meridian, int, int]:
    acme = load_rich_team(core, tmp_path, "ACME", workspace=ACME)
    rival = load_rich_team(core, tmp_path, "RIVAL", workspace=RIVAL)
    return core, acme, rival


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)     # queries filter the same way on both engines
def test_every_command_and_button_in_one_workspace_leaves_the_other_untouched(two) -> None:  # type: ignore[no-untyped-def]
    core, acme, rival = two
    before = rival_rows(core, rival)
    assert all(before[table] for table in ("members", "standup_answers", "coffee_seats", "meetings", "away"))
    replies: list[tuple[str, str]] = []

    def run(user: str, line: str) -> Reply:
        reply = say(core, user, line, ACME)
        replies.append((line, reply.as_text()))
        return reply

    succeeded = set()
    for user, line in SCRIPT:
        reply = ok(run(user, line))
        succeeded.add(line.split()[0])
    form = ok(run("lena", "/standup answer")).form
    assert form is not None
    ok(press(core, "lena", form.action, form.value, {f.name: "Shipped ACME" for f in form.fields}, ACME))
    assert succeeded == {"/" + top for top in {path[0] for path in COMMANDS}}, "a top-level command never ran"

    for path in sorted(COMMANDS):
        for words in ARGUMENTS:
            for user in ("amara", "ravi"):
                run(user, f"/{' '.join(path)} {words}")

    theirs = row_ids(core, rival)
    ours = row_ids(core, acme)
    for name in sorted(ACTIONS):
        values = [str(i) for ids in theirs.values() for i in ids]
        values += [f"{i}:2026-03-25" for i in theirs["standup"] + ours["standup"]]
        for value in values:
            reply = press(core, "ravi", name, value, {"a0": "forged", "ics": "", "title": "x"}, ACME)
            replies.append((f"{name} {value}", reply.as_text()))
    ok(press(core, "ravi", "privacy.forget", "ravi", workspace=ACME))          # ravi leaves acme, not rival

    assert rival_rows(core, rival) == before
    leaks = [(line, text) for line, text in replies if "RIVAL" in text and "RIVAL" not in line]
    assert leaks == []
    with core.db.session() as session:
        assert session.scalar(select(Member.id).where(Member.workspace_id == rival, Member.user_id == "ravi"))
        assert session.scalar(select(Member.id).where(Member.workspace_id == acme, Member.user_id == "ravi")) is None


def test_rituals_of_each_workspace_go_to_it_and_speak_only_of_it(two) -> None:  # type: ignore[no-untyped-def]
    core, acme, rival = two
    clock = SimulatedClock(datetime(2026, 3, 25, 12, 0, tzinfo=timezone.utc))
    sender = ConsoleSender(clock=clock)
    engine = Engine(core.db, clock, {"console": sender}, core.settings, replica_id="isolation")

    asyncio.run(run_until(engine, clock, clock.now() + timedelta(days=6)))   # through Monday's round and meeting

    by_workspace: dict[int, list[str]] = {acme: [], rival: []}
    with core.db.session() as session:
        members = {(m.workspace_id, m.user_id) for m in session.scalars(select(Member))}
    for message in sender.messages:
        text = message.message.reply.as_text()
        assert message.message.workspace_id == message.workspace_id
        by_workspace[message.workspace_id].append(text)
        other = "RIVAL" if message.workspace_id == acme else "ACME"
        assert other not in text, f"{message.message.kind} in workspace {message.workspace_id} shows {other}"
        to = message.message.to
        for user in ([to] if isinstance(to, str) else to):
            assert user.startswith("#") or (message.workspace_id, user) in members
    kinds = {m.message.kind for m in sender.messages}
    assert {"standup_prompt", "standup_summary", "coffee_intro", "meeting_reminder"} <= kinds
    for workspace_id, marker in ((acme, "ACME"), (rival, "RIVAL")):
        texts = "\n".join(by_workspace[workspace_id])
        assert f"Planning {marker}" in texts or f"Weekly sync {marker}" in texts     # its own meetings
        assert f"the {marker} release" in texts                                     # its own standup answers


# --- end to end through Slack ------------------------------------------------------------------------------

SECRET_KEY = Fernet.generate_key().decode()


class Hello:
    """A ritual that greets each member in their own local time, with their workspace's name."""

    kind = "hello"
    grace = timedelta(hours=2)

    def recipients(self, session: Session, workspace: Workspace) -> list[str]:
        return list(session.scalars(select(Member.user_id).where(Member.workspace_id == workspace.id)))

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        zone = session.scalar(select(Member.tz).where(Member.workspace_id == workspace.id, Member.user_id == recipient))
        return daily_local_due(after, zone, time(9, 0)) if zone else None

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence, now: datetime) -> list[Outbound]:
        zone = session.scalar(select(Member.tz).where(Member.workspace_id == workspace.id,
                                                      Member.user_id == occurrence.recipient))
        return [Outbound(self.kind, workspace.id, to=occurrence.recipient,
                         reply=Reply(text=f"Good morning from {workspace.name} ({zone})"))]


@pytest.fixture
async def two_teams() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as slack:
        slack.oauth_codes.update({"code-alpha": "T0001", "code-beta": "T0002"})
        for user in ("U1", "U2"):
            slack.add_user(user, user.lower())
        yield slack


async def test_two_slack_teams_with_the_same_user_ids_stay_apart(core: Meridian, two_teams: SlackStandIn) -> None:
    standin = two_teams
    async with running_slack(core, standin, slack_bot_token="", slack_client_id=standin.client_id,
                             slack_client_secret=standin.client_secret, secret_key=SECRET_KEY) as app:
        assert (await install(app, "code-alpha"))[0] == 200
        assert (await install(app, "code-beta"))[0] == 200

        async def command(team: str, user: str, name: str, text: str = "") -> str:
            app.slack.team_id = team
            _, hook = await app.slack.command(name, text, user=user)
            await app.settle()
            return hook_text(app.hook(hook))

        await command("T0001", "U1", "/tz", "set Asia/Tokyo")
        await command("T0002", "U1", "/tz", "set Europe/Berlin")
        await command("T0001", "U1", "/away", "2026-12-01 2026-12-02 Alpha trip")
        await command("T0002", "U1", "/away", "2026-12-08 2026-12-09 Beta trip")
        await command("T0001", "U2", "/profile", "about notes Alpha notes")     # U2 uses Meridian in T0001 only
        assert "Asia/Tokyo" in await command("T0001", "U1", "/tz")
        assert "Europe/Berlin" in await command("T0002", "U1", "/tz")
        alpha, beta = await command("T0001", "U1", "/away", "list"), await command("T0002", "U1", "/away", "list")
        assert "Alpha trip" in alpha and "Beta" not in alpha and "Beta trip" in beta and "Alpha" not in beta
        assert "Alpha notes" not in await command("T0002", "U1", "/whois", "<@U2>")

        with core.db.session() as session:
            zones = {(w.external_id, m.user_id): m.tz for m, w in session.execute(
                select(Member, Workspace).join(Workspace, Workspace.id == Member.workspace_id))}
        assert zones[("T0001", "U1")] == "Asia/Tokyo" and zones[("T0002", "U1")] == "Europe/Berlin"

        clock = SimulatedClock(datetime(2026, 3, 25, 0, 30, tzinfo=timezone.utc))
        engine = Engine(core.db, clock, {"slack": app.adapter.sender}, core.settings, replica_id="isolation",
                        rituals={"hello": Hello()})
        for _ in range(25):
            await engine.tick()
            clock.advance(timedelta(hours=1))
        installed = {team.id: token for token, team in standin.teams.items() if token.startswith("xoxb-oauth-")}
        posts = sorted((c.params["text"], c.token) for c in standin.calls_to("chat.postMessage"))
        assert posts == [("Good morning from Team T0001 (Asia/Tokyo)", installed["T0001"]),    # U1 in T0001
                         ("Good morning from Team T0001 (UTC)", installed["T0001"]),           # U2, only in T0001
                         ("Good morning from Team T0002 (Europe/Berlin)", installed["T0002"])]  # U1 in T0002

        app.slack.team_id = "T0001"
        assert (await app.slack.event({"type": "app_uninstalled", "event_ts": "1.1"})).status == 200
        await app.settle()
        with core.db.session() as session:
            state = {w.external_id: w.uninstalled_at for w in session.scalars(select(Workspace))}
        assert state["T0001"] is not None and state["T0002"] is None
        assert "Europe/Berlin" in await command("T0002", "U1", "/tz")   # the other team is served as before
