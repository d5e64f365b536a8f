"""Data rights: /forget-me leaves nothing that names the member, `meridian export` hands a workspace its
data and nothing else, and uninstalling (Slack, Discord) drops tokens at once and the data after the
grace period."""
from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import JSON, String, Text, func, select, update

from operations.cli import main as meridian
from adapters.console.sender import ConsoleSender
from adapters.discord import DiscordAdapter
from bot import installations
from bot.coffee.models import CoffeeSeat
from bot.time.clock import SimulatedClock, SystemClock
from bot.core import Meridian
from bot.i18n import Translator
from bot.meetings import Meeting, MeetingRotation
from bot.models import Member, Workspace
from bot.privacy import workspace_tables
from bot.schema import metadata
from bot.standups import Standup
from scheduler.delivery import DeliveryError
from scheduler.engine import Engine
from scheduler.simulate import run_until
from tests.adapters.fake_discord import GUILD_ID, FakeDiscord, adapter, discord_api  # noqa: F401
from tests.adapters.test_slack_oauth import install, standin  # noqa: F401  (the stand-in with team T0002)
from tests.hardening.team import load_rich_team, ok, press, say
from tests.support.slack_app import running_slack
from tests.support.slack_standin import SlackStandIn

FORGOTTEN_WORDS = ("ravi", "shrestha", "momos")    # his id, his name, what he wrote about himself


# --- /forget-me ----------------------------------------------------------------------------------------------

def member_id_of(core: Meridian, user: str) -> int:
    with core.db.session() as session:
        found = session.scalar(select(Member.id).where(Member.user_id == user))
        assert found is not None
        return found


def mentions(core: Meridian, member_id: int) -> list[str]:
    """Every place in the database that still points at the member or holds their id, name or words."""
    found = []
    with core.db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            member_keys = [c for c in table.columns if any(fk.column.table.name == "members" for fk in c.foreign_keys)]
            if table.name == "members":
                member_keys.append(table.c.id)
            texts = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
            for row in connection.execute(select(table)):
                values = row._mapping
                found += [f"{table.name}.{c.name} = member {member_id}" for c in member_keys if values[c.name] == member_id]
                for column in texts:
                    shown = json.dumps(values[column.name], default=str).casefold()
                    found += [f"{table.name}.{column.name}: {shown[:120]}" for word in FORGOTTEN_WORDS if word in shown]
    return found


async def deliver_a_day(core: Meridian) -> ConsoleSender:
    clock = SimulatedClock(core.now())
    sender = ConsoleSender(clock=clock)
    engine = Engine(core.db, clock, {"console": sender}, core.settings, replica_id="rights")
    await run_until(engine, clock, clock.now() + timedelta(days=1))
    return sender


async def test_forget_me_leaves_nothing_that_names_the_member_and_colleagues_keep_their_history(
        core: Meridian, tmp_path: Path) -> None:
    load_rich_team(core, tmp_path, "M")
    ok(say(core, "ravi", "/coffee block @lena"))
    ok(say(core, "hana", "/coffee block @ravi"))
    ok(say(core, "amara", "/standup config participants @amara @ravi @lena @hana"))
    ok(say(core, "amara", '/meet add "Late sync" 2026-04-01 18:00 Europe/Berlin 30m @ravi @lena weekly'))
    ok(say(core, "ravi", '/meet add "Ravi focus time" 2026-04-02 11:00 Asia/Kathmandu 30m'))
    ok(say(core, "ravi", "/away 2026-06-01 2026-06-05 Trekking"))
    sender = await deliver_a_day(core)
    assert any(m.message.to == "ravi" for m in sender.messages)                         # prompts went to him
    assert any("Ravi Shrestha" in m.message.reply.as_text() and m.message.to != "ravi" for m in sender.messages)
    ravi = member_id_of(core, "ravi")
    with core.db.session() as session:
        assert any("ravi" in rotation.burden for rotation in session.scalars(select(MeetingRotation)))
        group = session.scalar(select(CoffeeSeat.group_id).where(CoffeeSeat.member_id == ravi))
        partner = session.scalar(select(Member.user_id).join(CoffeeSeat, CoffeeSeat.member_id == Member.id)
                                 .where(CoffeeSeat.group_id == group, Member.id != ravi))
        seats = session.scalar(select(func.count()).select_from(CoffeeSeat))
    assert mentions(core, ravi), "the test must start with the member all over the database"
    stats = say(core, "amara", "/coffee stats").as_text()
    history = say(core, partner, "/coffee history").as_text()
    assert "Ravi" in history

    warning = ok(say(core, "ravi", "/forget-me"))
    assert "standup answers" in warning.as_text() and warning.buttons
    ok(press(core, "ravi", warning.buttons[0].action, warning.buttons[0].value))

    assert mentions(core, ravi) == []
    assert say(core, "amara", "/coffee stats").as_text() == stats                 # the round still counts the pair
    after = say(core, partner, "/coffee history").as_text()
    with core.db.session() as session:
        locale = session.scalar(select(Member.locale).where(Member.user_id == partner))
    assert "Ravi" not in after and Translator(locale)._("someone who has since left") in after
    with core.db.session() as session:
        assert session.scalar(select(func.count()).select_from(CoffeeSeat)) == seats
        titles = set(session.scalars(select(Meeting.title)))
        standup = session.scalar(select(Standup))
        assert standup is not None and standup.participants == ["amara", "lena", "hana"]
    assert "Late sync" in titles and "Planning M" in titles and "Ravi focus time" not in titles
    assert "Late sync" in say(core, "lena", "/meet list").as_text()
    fresh = say(core, "ravi", "/profile").as_text()                                 # he starts afresh
    assert "UTC" in fresh and "Kathmandu" not in fresh


def test_forget_me_asks_first_and_only_the_member_can_confirm(core: Meridian, tmp_path: Path) -> None:
    load_rich_team(core, tmp_path, "M")
    assert say(core, "ravi", "/forget-me now").error
    button = ok(say(core, "ravi", "/forget-me")).buttons[0]
    assert press(core, "lena", button.action, button.value).error                  # lena presses ravi's button
    assert member_id_of(core, "ravi")


# --- export --------------------------------------------------------------------------------------------------

def test_export_writes_every_row_of_the_workspace_and_nothing_else(core: Meridian, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    acme = load_rich_team(core, tmp_path, "ACME", workspace="acme")
    rival = load_rich_team(core, tmp_path, "RIVAL", workspace="rival")
    with core.db.session() as session:
        installations.save_installation(session, session.get(Workspace, acme), secret="gAAAA-CIPHERTEXT-OF-A-TOKEN",
                                        installed_at=core.now(), bot_user_id="UBOT")
    out = tmp_path / "export" / "acme.json"
    url = core.settings.database_url
    assert meridian(["export", "--workspace", "acme", "--db", url, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    document = json.loads(text)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600                  # personal data: the owner's eyes only
    assert document["workspace"]["external_id"] == "acme" and document["format"] == "meridian-export/1"
    assert "RIVAL" not in text and "gAAAA-CIPHERTEXT-OF-A-TOKEN" not in text

    with core.db.engine.connect() as connection:
        for table, scope in workspace_tables():
            exported = document["tables"][table.name]
            key = list(table.primary_key.columns)[0].name
            ours = sorted(connection.scalars(select(table.c[key]).where(scope == acme)))
            theirs = set(connection.scalars(select(table.c[key]).where(scope == rival)))
            assert sorted(row[key] for row in exported) == ours, table.name
            assert all(row.get("workspace_id", acme) == acme for row in exported)
            assert not theirs & {row[key] for row in exported}
    assert all(document["tables"][name] for name in ("members", "away", "standup_answers", "coffee_seats",
                                                     "meetings", "meeting_attendees", "occurrences", "installations"))
    member = document["tables"]["members"][0]
    assert member["created_at"].endswith("Z") and datetime.fromisoformat(member["created_at"])
    away = document["tables"]["away"][0]
    assert len(away["start_date"]) == 10 and datetime.fromisoformat(away["start_date"])

    assert meridian(["export", "--workspace", "nowhere", "--db", url]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert meridian(["export", "--workspace", "rival", "--db", url]) == 0          # to standard output
    assert json.loads(capsys.readouterr().out)["workspace"]["external_id"] == "rival"


# --- uninstalling ------------------------------------------------------------------------------------------------

SECRET_KEY = Fernet.generate_key().decode()


def rows_of(core: Meridian, workspace_id: int) -> dict[str, int]:
    with core.db.engine.connect() as connection:
        return {table.name: int(connection.scalar(select(func.count()).select_from(table).where(scope == workspace_id)))
                for table, scope in workspace_tables()}


def workspace(core: Meridian, platform: str, external_id: str) -> Workspace | None:
    with core.db.session() as session:
        return session.scalar(select(Workspace).where(Workspace.platform == platform,
                                                      Workspace.external_id == external_id))


def stored_anywhere(core: Meridian, needle: str) -> list[str]:
    """Every table and column whose stored text contains `needle`."""
    found = []
    with core.db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                found += [f"{table.name}.{k}" for k, v in row._mapping.items() if needle in json.dumps(v, default=str)]
    return found


async def purge_at(core: Meridian, instant: datetime) -> None:
    """One scheduler tick at `instant` (the engine purges uninstalled workspaces as part of its ticks)."""
    await Engine(core.db, SimulatedClock(instant), {}, core.settings, replica_id="purge").tick()


@pytest.mark.parametrize("event", [{"type": "app_uninstalled"},
                                   {"type": "tokens_revoked", "tokens": {"oauth": ["U7"], "bot": ["UBOT"]}}],
                         ids=["app_uninstalled", "tokens_revoked"])
async def test_slack_uninstall_drops_the_token_at_once_and_the_data_after_the_grace_period(
        core: Meridian, standin: SlackStandIn, tmp_path: Path, event: dict[str, Any]) -> None:
    async with running_slack(core, standin, slack_bot_token="", slack_client_id=standin.client_id,
                             slack_client_secret=standin.client_secret, secret_key=SECRET_KEY) as app:
        assert (await install(app))[0] == 200
        app.slack.team_id = "T0002"
        await app.slack.command("/away", "2026-12-01 2026-12-02 Holiday", user="U7")
        await app.settle()
        token = await app.adapter._bot_token("T0002")
        await app.adapter.client_for_team("T0002")
        assert stored_anywhere(core, token) == []                          # at rest: ciphertext only
        other = load_rich_team(core, tmp_path, "OTHER", workspace="T0009", platform="slack")   # not uninstalled

        assert (await app.slack.event({**event, "event_ts": "1.1"})).status == 200
        await app.settle()
        with core.db.session() as session:
            assert installations.find_installation(session, "slack", "T0002") is None    # the stored token
        assert token not in app.adapter._clients                                      # and every copy in memory
        with pytest.raises(DeliveryError) as refused:
            await app.adapter.client_for_team("T0002")
        assert refused.value.permanent
    gone = workspace(core, "slack", "T0002")
    assert gone is not None and gone.uninstalled_at is not None
    kept = rows_of(core, gone.id)
    assert kept["away"] == 1                                              # data waits out the grace period
    grace = timedelta(days=core.settings.uninstall_grace_days)

    await purge_at(core, gone.uninstalled_at + grace - timedelta(minutes=1))
    assert rows_of(core, gone.id) == kept
    await purge_at(core, gone.uninstalled_at + grace + timedelta(minutes=1))
    assert workspace(core, "slack", "T0002") is None
    assert set(rows_of(core, gone.id).values()) == {0}                      # every table, every row
    assert rows_of(core, other)["members"] == 10                          # another workspace: untouched


async def test_a_revoked_user_token_alone_uninstalls_nothing(core: Meridian, standin: SlackStandIn) -> None:
    async with running_slack(core, standin, slack_bot_token="", slack_client_id=standin.client_id,
                             slack_client_secret=standin.client_secret, secret_key=SECRET_KEY) as app:
        assert (await install(app))[0] == 200
        app.slack.team_id = "T0002"
        revoked = {"type": "tokens_revoked", "tokens": {"oauth": ["UINSTALLER"]}, "event_ts": "1.1"}
        assert (await app.slack.event(revoked)).status == 200
        await app.settle()
        assert await app.adapter.client_for_team("T0002")
    found = workspace(core, "slack", "T0002")
    assert found is not None and found.uninstalled_at is None


async def test_discord_guild_removal_then_purge_and_a_rejoin_within_grace_keeps_everything(
        core: Meridian, adapter: DiscordAdapter, discord_api: FakeDiscord, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    guild = str(GUILD_ID)
    ok(say(core, "1001", "/away 2026-12-01 2026-12-02", guild, "discord"))
    found = workspace(core, "discord", guild)
    assert found is not None
    grace = timedelta(days=core.settings.uninstall_grace_days)

    await adapter.client.on_guild_remove(discord.Object(GUILD_ID))
    removed = workspace(core, "discord", guild)
    assert removed is not None and removed.uninstalled_at == core.now()
    await adapter.client.on_guild_join(discord.Object(GUILD_ID))                  # back within the grace period
    await purge_at(core, core.now() + grace + timedelta(days=1))
    assert rows_of(core, found.id)["away"] == 1

    await adapter.client.on_guild_remove(discord.Object(GUILD_ID))
    with core.db.session() as session:       # `meridian db purge` reads the real clock: removed long enough ago
        session.execute(update(Workspace).where(Workspace.id == found.id)
                        .values(uninstalled_at=SystemClock().now() - grace - timedelta(days=1)))
    assert meridian(["db", "purge", "--db", core.settings.database_url]) == 0
    assert f"Deleted discord workspace {guild}" in capsys.readouterr().out
    assert workspace(core, "discord", guild) is None
    assert set(rows_of(core, found.id).values()) == {0}
