"""Slash commands on Discord: the real CommandTree, raw interaction payloads, answers read at the HTTP boundary."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone

import discord
from sqlalchemy import select

from adapters.discord import DiscordAdapter
from adapters.discord.__main__ import sync as sync_tool
from adapters.discord.ids import ZONE_ACTION
from bot.core import Meridian
from bot.models import Member, Workspace
from bot.router import COMMANDS
from tests.adapters.fake_discord import (GUILD_ID, FakeDiscord, adapter, answer_text, callbacks, custom_ids,  # noqa: F401
                                         discord_api, find_command, interaction, slash, sqlite_only)

EPHEMERAL = 64
DISCORD_NAME = re.compile(r"^[-_\w]{1,32}$")


async def run(adapter: DiscordAdapter, path: str, args: str | None = None, **options: object) -> None:
    await adapter.tree._call(interaction(adapter.client, slash(adapter.tree, path, args, **options)))  # type: ignore[arg-type]


def workspace(core: Meridian) -> Workspace:
    with core.db.session() as session:
        found = session.scalar(select(Workspace).where(Workspace.external_id == str(GUILD_ID)))
        assert found is not None
        session.expunge(found)
        return found


def member(core: Meridian, user_id: str) -> Member:
    with core.db.session() as session:
        found = session.scalar(select(Member).where(Member.user_id == user_id))
        assert found is not None
        session.expunge(found)
        return found


@sqlite_only
async def test_every_core_command_is_a_slash_command_with_a_valid_name(adapter: DiscordAdapter,
                                                                       discord_api: FakeDiscord) -> None:
    for path in COMMANDS:
        command = find_command(adapter.tree, " ".join(path))
        assert all(DISCORD_NAME.match(part) and part == part.lower() for part in command.qualified_name.split())
    # Groups cannot be invoked bare on Discord: the bare handlers become subcommands.
    assert find_command(adapter.tree, "tz").qualified_name == "tz show"
    assert find_command(adapter.tree, "tz set").qualified_name == "tz set"
    assert find_command(adapter.tree, "away").qualified_name == "away add"
    uploaded = discord_api.requests("PUT", r"/applications/\d+/commands")
    assert len(uploaded) == 1
    tz = next(c for c in uploaded[0].body if c["name"] == "tz")
    tz_set = next(o for o in tz["options"] if o["name"] == "set")
    assert tz_set["options"][0]["name"] == "args" and tz_set["options"][0]["autocomplete"] is True
    assert tz["contexts"] == [0]           # guild only: a guild is a workspace


@sqlite_only
async def test_commands_are_uploaded_again_only_when_they_change(core: Meridian, discord_api: FakeDiscord,
                                                                 adapter: DiscordAdapter) -> None:
    second = DiscordAdapter(core, replace(core.settings, discord_token="test-token"))
    await second.login()
    await second.client.close()
    assert len(discord_api.requests("PUT", r"/applications/\d+/commands")) == 1
    assert len(discord_api.requests("GET", r"/applications/\d+/commands")) == 2


async def test_the_sync_tool_registers_in_one_guild_and_clears_it_again(discord_api: FakeDiscord) -> None:
    await sync_tool("test-token", GUILD_ID, clear=False)
    names = {c["name"] for c in discord_api.guild_commands[GUILD_ID]}
    assert {"tz", "time", "when"} <= names and discord_api.commands == []
    await sync_tool("test-token", GUILD_ID, clear=True)
    assert discord_api.guild_commands[GUILD_ID] == []


async def test_tz_set_answers_privately_in_the_members_language_and_stores_the_zone(
        core: Meridian, adapter: DiscordAdapter, discord_api: FakeDiscord) -> None:
    await run(adapter, "tz set", "Kathmandu", locale="de")
    await run(adapter, "time", locale="de")
    set_reply, time_reply = callbacks(discord_api)
    assert set_reply["type"] == 4 and set_reply["data"]["flags"] == EPHEMERAL
    assert "Asia/Kathmandu" in answer_text(set_reply)
    assert "Mi. 17:45" in answer_text(time_reply)           # German weekday, 24-hour clock
    assert set_reply["data"]["allowed_mentions"] == {"parse": []}
    stored = member(core, "1001")
    assert (stored.tz, stored.tz_source, stored.locale) == ("Asia/Kathmandu", "user", "de")
    assert ZONE_ACTION + f"|{GUILD_ID}|" not in custom_ids(set_reply)   # the zone is known: no question


@sqlite_only
async def test_a_new_member_is_asked_for_their_zone_until_they_set_it(adapter: DiscordAdapter,
                                                                      discord_api: FakeDiscord) -> None:
    await run(adapter, "time", member_id=2002, name="ravi")
    first = callbacks(discord_api)[-1]
    tz_id = next(c["id"] for c in discord_api.commands if c["name"] == "tz")
    assert f"</tz set:{tz_id}>" in answer_text(first)
    assert f"{ZONE_ACTION}|{GUILD_ID}|" in custom_ids(first)
    await run(adapter, "tz set", "Europe/Berlin", member_id=2002, name="ravi")
    await run(adapter, "time", member_id=2002, name="ravi")
    assert "</tz set:" not in answer_text(callbacks(discord_api)[-1])
    assert custom_ids(callbacks(discord_api)[-1]) == []


@sqlite_only
async def test_zone_autocomplete_offers_zones_for_a_city_prefix(adapter: DiscordAdapter,
                                                                discord_api: FakeDiscord) -> None:
    await run(adapter, "tz set", "kathm", focused=True)
    response = callbacks(discord_api)[-1]
    assert response["type"] == 8                      # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert {"name": "Asia/Kathmandu", "value": "Asia/Kathmandu"} in response["data"]["choices"]


@sqlite_only
async def test_when_shows_the_moment_as_a_discord_timestamp_beside_the_zone(adapter: DiscordAdapter,
                                                                            discord_api: FakeDiscord) -> None:
    await run(adapter, "when", "15:00 tomorrow Asia/Tokyo")
    text = answer_text(callbacks(discord_api)[-1])
    moment = int(datetime(2026, 3, 26, 6, 0, tzinfo=timezone.utc).timestamp())
    assert "Asia/Tokyo" in text
    assert f"<t:{moment}:F>" in text and f"<t:{moment}:R>" in text


@sqlite_only
async def test_mentions_in_arguments_reach_the_core_as_user_ids(adapter: DiscordAdapter,
                                                                discord_api: FakeDiscord) -> None:
    await run(adapter, "tz set", "UTC", member_id=3003, name="hana")
    await run(adapter, "time", "<@3003>")
    text = answer_text(callbacks(discord_api)[-1])
    assert "Hana" in text and "UTC" in text


async def test_bad_input_gets_a_clear_error_and_changes_nothing(core: Meridian, adapter: DiscordAdapter,
                                                                discord_api: FakeDiscord) -> None:
    await run(adapter, "tz set", "Kathmandu")
    await run(adapter, "tz set", "Atlantis")
    reply = callbacks(discord_api)[-1]
    assert "Atlantis" in answer_text(reply) and reply["data"]["flags"] == EPHEMERAL
    assert member(core, "1001").tz == "Asia/Kathmandu"


@sqlite_only
async def test_a_slow_answer_is_deferred_then_edited_in(core: Meridian, adapter: DiscordAdapter,
                                                        discord_api: FakeDiscord) -> None:
    adapter.router.defer_after = 0
    await run(adapter, "tz set", "Kathmandu")
    (deferred,) = callbacks(discord_api)
    assert deferred["type"] == 5 and deferred["data"]["flags"] == EPHEMERAL
    (edit,) = discord_api.requests("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert "Asia/Kathmandu" in answer_text(edit.body)


@sqlite_only
async def test_an_interaction_response_that_hits_a_rate_limit_is_retried_once(adapter: DiscordAdapter,
                                                                              discord_api: FakeDiscord) -> None:
    discord_api.rate_limit("POST", r"/interactions/\d+/[^/]+/callback", retry_after=0.05)
    await run(adapter, "tz set", "Kathmandu")
    attempts = callbacks(discord_api)
    assert len(attempts) == 2 and attempts[0] == attempts[1]


async def test_leaving_a_server_stops_its_rituals_and_rejoining_resumes_them(core: Meridian, adapter: DiscordAdapter,
                                                                            discord_api: FakeDiscord) -> None:
    await run(adapter, "tz set", "Kathmandu")
    await adapter.client.on_guild_remove(discord.Object(GUILD_ID))
    assert workspace(core).uninstalled_at == core.now()
    await adapter.client.on_guild_join(discord.Object(GUILD_ID))
    assert workspace(core).uninstalled_at is None and workspace(core).needs_replan
