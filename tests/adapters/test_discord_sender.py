"""The scheduler's Discord sender: DMs, group messages, channel posts and edits, with 429s and failures
answered by the fake Discord HTTP API (discord.py's own HTTP client does the talking)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from adapters.discord import DiscordAdapter
from adapters.pacing import Pacer
from bot.reply import Button, Outbound, Reply
from scheduler.delivery import DeliveryError, WorkspaceRef
from tests.adapters.fake_discord import (GUILD_ID, FakeDiscord, adapter, answer_text, custom_ids,  # noqa: F401
                                         discord_api, sqlite_only)

pytestmark = sqlite_only       # the sender keeps nothing in the database

WORKSPACE = WorkspaceRef(id=1, platform="discord", external_id=str(GUILD_ID), channel="standups")
MESSAGES = r"/channels/\d+/messages"


def prompt(to: str | list[str] = "1001", dedupe_key: str = "occurrence-7:prompt") -> Outbound:
    reply = Reply(title="Standup for Wednesday", text="What did you do yesterday?",
                  buttons=[Button("Answer", "standup.answer", "7", "primary")],
                  instant=datetime(2026, 3, 25, 9, 30, tzinfo=timezone.utc))
    return Outbound(kind="standup_prompt", workspace_id=1, to=to, reply=reply, dedupe_key=dedupe_key)


async def test_a_dm_is_opened_and_sent_with_embed_button_and_nonce(adapter: DiscordAdapter,
                                                                   discord_api: FakeDiscord) -> None:
    delivered = await adapter.sender.send(WORKSPACE, prompt())
    (opened,) = discord_api.requests("POST", "/users/@me/channels")
    assert int(opened.body["recipient_id"]) == 1001
    (post,) = discord_api.requests("POST", MESSAGES)
    assert post.path == "/channels/1002/messages"            # the DM channel Discord returned
    body = post.body
    assert body["content"] == "**Standup for Wednesday**"    # what the DM notification shows
    assert "What did you do yesterday?" in answer_text(body)
    assert "<t:1774431000:F>" in body["embeds"][0]["description"]
    assert custom_ids(body) == [f"standup.answer|{GUILD_ID}|7"]
    assert body["allowed_mentions"] == {"parse": []}
    assert body["enforce_nonce"] is True and len(body["nonce"]) <= 25
    (created,) = discord_api.messages
    assert delivered.ref == f"1002:{created}"


async def test_a_rate_limit_is_waited_out_and_the_message_sent_once(adapter: DiscordAdapter,
                                                                    discord_api: FakeDiscord) -> None:
    discord_api.rate_limit("POST", MESSAGES, retry_after=0.05)
    delivered = await adapter.sender.send(WORKSPACE, prompt())
    first, second = discord_api.requests("POST", MESSAGES)
    assert first.body == second.body                         # the same request, same nonce, retried
    assert len(discord_api.messages) == 1
    assert delivered.ref and delivered.ref.endswith(str(next(iter(discord_api.messages))))


async def test_a_long_rate_limit_is_handed_back_to_the_engine(adapter: DiscordAdapter,
                                                              discord_api: FakeDiscord) -> None:
    discord_api.rate_limit("POST", MESSAGES, retry_after=120)
    with pytest.raises(DeliveryError) as failure:
        await adapter.sender.send(WORKSPACE, prompt())
    assert failure.value.retry_after == 120 and not failure.value.permanent
    assert len(discord_api.requests("POST", MESSAGES)) == 1 and discord_api.messages == {}


async def test_a_server_error_is_a_transient_failure(adapter: DiscordAdapter, discord_api: FakeDiscord) -> None:
    discord_api.fail("POST", MESSAGES, 503, {"message": "upstream unavailable", "code": 0})
    with pytest.raises(DeliveryError) as failure:
        await adapter.sender.send(WORKSPACE, prompt())
    assert not failure.value.permanent and failure.value.retry_after is None
    assert discord_api.messages == {}
    await adapter.sender.send(WORKSPACE, prompt())           # the engine's retry goes through
    assert len(discord_api.messages) == 1


async def test_closed_dms_are_a_permanent_failure(adapter: DiscordAdapter, discord_api: FakeDiscord) -> None:
    discord_api.fail("POST", MESSAGES, 403, {"message": "Cannot send messages to this user", "code": 50007})
    with pytest.raises(DeliveryError) as failure:
        await adapter.sender.send(WORKSPACE, prompt())
    assert failure.value.permanent


async def test_a_group_gets_one_dm_each_and_a_retry_only_reaches_who_was_missed(adapter: DiscordAdapter,
                                                                                discord_api: FakeDiscord) -> None:
    discord_api.fail("POST", r"/channels/2003/messages", 503, {"message": "unavailable", "code": 0})
    with pytest.raises(DeliveryError):
        await adapter.sender.send(WORKSPACE, prompt(["1001", "2002"]))
    delivered = await adapter.sender.send(WORKSPACE, prompt(["1001", "2002"]))
    assert [c.path for c in discord_api.requests("POST", MESSAGES)] == [
        "/channels/1002/messages", "/channels/2003/messages", "/channels/2003/messages"]
    assert len(discord_api.messages) == 2
    assert [ref.split(":")[0] for ref in (delivered.ref or "").split(",")] == ["1002", "2003"]


async def test_a_channel_is_found_by_name_and_a_message_edited_in_place(adapter: DiscordAdapter,
                                                                        discord_api: FakeDiscord) -> None:
    discord_api.guild_channels = [
        {"id": "880", "type": 2, "name": "standups", "guild_id": str(GUILD_ID), "position": 0},   # a voice channel
        {"id": "881", "type": 0, "name": "standups", "guild_id": str(GUILD_ID), "position": 1}]
    summary = Outbound(kind="standup_summary", workspace_id=1, to="#standups",
                       reply=Reply(title="Standup summary", text="1 of 3 answered"), update_key="summary-7",
                       dedupe_key="occurrence-8:summary")
    delivered = await adapter.sender.send(WORKSPACE, summary)
    assert [c.path for c in discord_api.requests("POST", MESSAGES)] == ["/channels/881/messages"]
    summary.reply = Reply(title="Standup summary", text="3 of 3 answered")
    assert (await adapter.sender.send(WORKSPACE, summary, replace_ref=delivered.ref)).ref == delivered.ref
    (edit,) = discord_api.requests("PATCH", MESSAGES + r"/\d+")
    assert edit.path == f"/channels/881/messages/{delivered.ref.split(':')[1]}"  # type: ignore[union-attr]
    assert "3 of 3 answered" in answer_text(edit.body)
    await adapter.sender.send(WORKSPACE, Outbound(kind="digest", workspace_id=1, to="#standups",
                                                  reply=Reply(text="again"), dedupe_key="d-2"))
    assert len(discord_api.requests("GET", r"/guilds/\d+/channels")) == 1      # the name is remembered


async def test_an_unknown_channel_or_user_cannot_be_retried_into_existence(adapter: DiscordAdapter,
                                                                          discord_api: FakeDiscord) -> None:
    for to in ("#nowhere", "amara"):
        with pytest.raises(DeliveryError) as failure:
            await adapter.sender.send(WORKSPACE, Outbound(kind="digest", workspace_id=1, to=to, reply=Reply(text="hi")))
        assert failure.value.permanent
    assert discord_api.messages == {}


async def test_opening_dms_too_fast_pauses_new_dms_and_hands_back_a_retry(adapter: DiscordAdapter,
                                                                          discord_api: FakeDiscord) -> None:
    now, slept = [0.0], []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    adapter.sender.dm_pacer = Pacer(per_key_interval=0, shared_rate=1, shared_burst=10, monotonic=lambda: now[0],
                                    sleep=sleep)
    discord_api.fail("POST", "/users/@me/channels", 400, {"message": "You are opening direct messages too fast.",
                                                          "code": 40003})
    with pytest.raises(DeliveryError) as failure:
        await adapter.sender.send(WORKSPACE, prompt("1001"))
    assert failure.value.retry_after == 60 and not failure.value.permanent
    await adapter.sender.send(WORKSPACE, prompt("2002", dedupe_key="occurrence-9:prompt"))
    assert slept == [60.0] and len(discord_api.messages) == 1
    await adapter.sender.send(WORKSPACE, prompt("2002", dedupe_key="occurrence-10:prompt"))
    assert len(discord_api.requests("POST", "/users/@me/channels")) == 2           # the DM channel is reused
