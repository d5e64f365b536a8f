"""Discord: the message command "Show times in my zone", from a raw interaction payload to the API call.

The payload carries the message (content included), as Discord sends it to an app without the
Message Content intent; the answer is private and shows each time as `<t:UNIX:F>`.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import discord

from adapters.discord import DiscordAdapter
from adapters.discord.adapter import intents
from adapters.discord.conversion import SHOW_TIMES
from bot.core import Meridian
from tests.adapters.fake_discord import (CHANNEL_ID, GUILD_ID, FakeDiscord, _base, adapter, answer_text,  # noqa: F401
                                         callbacks, discord_api, interaction, markdown_source, slash, sqlite_only,
                                         user)

EPHEMERAL = 64
MESSAGE_ID = 1485567531417600000     # a snowflake: Discord (and discord.py's created_at) read the send time from it
AUTHOR_ID = 1002
SENT = "2026-03-23T09:15:00.000000+00:00"      # the same moment, a Monday
SAID = "let's sync at 3pm CET tomorrow"


def message_command(text: str, *, member_id: int = 1001, locale: str = "en-US") -> dict[str, Any]:
    """An APPLICATION_COMMAND interaction of type MESSAGE, as Discord sends it when a member picks the app."""
    payload = _base(2, member_id, "amara", guild=GUILD_ID, locale=locale, permissions=0)
    message = {"id": str(MESSAGE_ID), "channel_id": str(CHANNEL_ID), "author": user(AUTHOR_ID, "lena"),
               "content": text, "timestamp": SENT, "edited_timestamp": None, "tts": False,
               "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
               "pinned": False, "type": 0, "components": []}
    payload["data"] = {"id": "600000000000000001", "name": SHOW_TIMES, "type": 3, "target_id": str(MESSAGE_ID),
                       "resolved": {"messages": {str(MESSAGE_ID): message}}}
    return payload


async def use(adapter: DiscordAdapter, payload: dict[str, Any]) -> None:  # noqa: F811
    await adapter.tree._call(interaction(adapter.client, payload))  # type: ignore[arg-type]


@sqlite_only
async def test_the_message_command_is_registered_and_guild_only(adapter: DiscordAdapter,  # noqa: F811
                                                                discord_api: FakeDiscord) -> None:  # noqa: F811
    [uploaded] = discord_api.requests("PUT", r"/applications/\d+/commands")
    [menu] = [c for c in uploaded.body if c["name"] == SHOW_TIMES]
    assert menu["type"] == 3 and menu["contexts"] == [0]


@sqlite_only
async def test_it_answers_privately_with_timestamps_every_client_shows_in_its_readers_zone(
        adapter: DiscordAdapter, discord_api: FakeDiscord) -> None:  # noqa: F811
    await use(adapter, message_command("let's sync at 3pm CET tomorrow, or 4pm UTC on Wednesday"))
    [response] = callbacks(discord_api)
    assert response["type"] == 4 and response["data"]["flags"] & EPHEMERAL
    text = answer_text(response)
    sync = int(datetime(2026, 3, 24, 14, 0, tzinfo=timezone.utc).timestamp())
    wednesday = int(datetime(2026, 3, 25, 16, 0, tzinfo=timezone.utc).timestamp())
    assert f"**3pm CET tomorrow** 🕒 <t:{sync}:F>" in response["data"]["embeds"][0]["description"]
    assert f"<t:{wednesday}:F>" in text
    assert "In UTC (I don't know your time zone yet" in text     # and the usual zone question follows


@sqlite_only
async def test_a_message_without_times_says_so(adapter: DiscordAdapter, discord_api: FakeDiscord) -> None:  # noqa: F811
    await use(adapter, message_command("v3.2.1 is out, the build took 15 minutes"))
    [response] = callbacks(discord_api)
    assert "I found no time to convert in that message." in answer_text(response)


# --- passive replies, with the Message Content intent (DISCORD_MESSAGE_CONTENT=1) ------------------

def gateway_message(text: str, *, message_id: int = MESSAGE_ID, bot: bool = False) -> dict[str, Any]:
    """A MESSAGE_CREATE payload as the gateway sends it to a bot holding the Message Content intent."""
    author = {**user(AUTHOR_ID, "lena"), **({"bot": True} if bot else {})}
    return {"id": str(message_id), "channel_id": str(CHANNEL_ID), "guild_id": str(GUILD_ID), "author": author,
            "content": text, "timestamp": SENT, "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": [], "mention_roles": [], "attachments": [], "embeds": [], "pinned": False, "type": 0,
            "components": []}


async def post(adapter: DiscordAdapter, payload: dict[str, Any]) -> None:  # noqa: F811
    state = adapter.client._connection
    channel = discord.PartialMessageable(state=state, id=CHANNEL_ID, guild_id=GUILD_ID)
    await adapter.client.on_message(discord.Message(state=state, channel=channel, data=payload))  # type: ignore[arg-type]


def channel_posts(api: FakeDiscord) -> list[Any]:
    return api.requests("POST", rf"/channels/{CHANNEL_ID}/messages")


@sqlite_only
async def test_the_intent_is_asked_for_only_when_configured(core: Meridian) -> None:
    assert not intents().message_content and not intents().guild_messages
    assert intents(True).message_content and intents(True).guild_messages and not intents(True).members


@sqlite_only
async def test_where_convert_is_on_a_time_gets_a_reply_with_timestamps_edits_update_it_deletes_delete_it(
        adapter: DiscordAdapter, discord_api: FakeDiscord) -> None:  # noqa: F811
    await post(adapter, gateway_message(SAID))
    assert channel_posts(discord_api) == []                       # off: never a conversion
    await use(adapter, slash(adapter.tree, "convert on"))
    await post(adapter, gateway_message(SAID, message_id=MESSAGE_ID + 1, bot=True))
    assert channel_posts(discord_api) == []                       # bots are never converted
    await post(adapter, gateway_message(SAID))
    [sent] = channel_posts(discord_api)
    sync = int(datetime(2026, 3, 24, 14, 0, tzinfo=timezone.utc).timestamp())
    assert f"<t:{sync}:F>" in markdown_source(sent.body)
    assert int(sent.body["message_reference"]["message_id"]) == MESSAGE_ID
    reply_id = max(discord_api.messages)
    edited = {**gateway_message("let's sync at 4pm CET tomorrow"), "edited_timestamp": SENT}
    state = adapter.client._connection
    channel = discord.PartialMessageable(state=state, id=CHANNEL_ID, guild_id=GUILD_ID)
    edit = discord.RawMessageUpdateEvent(data=edited,  # type: ignore[arg-type]
                                         message=discord.Message(state=state, channel=channel, data=edited))  # type: ignore[arg-type]
    await adapter.client.on_raw_message_edit(edit)
    [patched] = discord_api.requests("PATCH", rf"/channels/{CHANNEL_ID}/messages/{reply_id}")
    assert f"<t:{sync + 3600}:F>" in markdown_source(patched.body)
    gone = discord.RawMessageDeleteEvent(data={"id": str(MESSAGE_ID), "channel_id": str(CHANNEL_ID),  # type: ignore[arg-type]
                                               "guild_id": str(GUILD_ID)})
    await adapter.client.on_raw_message_delete(gone)
    assert discord_api.requests("DELETE", rf"/channels/{CHANNEL_ID}/messages/{reply_id}")
