"""The Slack sender against the Web API stand-in: where messages land, pacing, 429s, 5xx, exactly once."""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.pacing import Pacer
from adapters.slack.sender import SlackSender
from bot.reply import Button, Outbound, Reply
from scheduler.delivery import DeliveryError, WorkspaceRef
from tests.support.slack_standin import SlackStandIn

WORKSPACE = WorkspaceRef(id=1, platform="slack", external_id="T0001", channel="#general")


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as slack:
        for user in ("U1", "U2", "U3"):
            slack.add_user(user)
        slack.add_channel("general")
        yield slack


def sender_for(slack: SlackStandIn, *, per_channel: float = 0.0, rate: float = 1000.0) -> SlackSender:
    client = AsyncWebClient(token=slack.team.bot_token, base_url=slack.base_url, retry_handlers=[])

    async def client_for(team_id: str) -> AsyncWebClient:
        assert team_id == "T0001"
        return client

    return SlackSender(client_for, pacer=Pacer(per_key_interval=per_channel, shared_rate=rate, shared_burst=50),
                       backoff=0.01)


def outbound(to: str | list[str], key: str, text: str = "Standup time", **kw) -> Outbound:  # type: ignore[no-untyped-def]
    return Outbound(kind="standup_prompt", workspace_id=1, to=to, reply=Reply(text=text, **kw), dedupe_key=key)


async def test_dm_group_dm_and_channel_each_land_in_their_conversation(standin: SlackStandIn) -> None:
    sender = sender_for(standin)
    dm = await sender.send(WORKSPACE, outbound("U1", "k-dm"))
    group = await sender.send(WORKSPACE, outbound(["U2", "U1"], "k-group"))
    channel = await sender.send(WORKSPACE, outbound("#general", "k-channel"))

    assert dm.ref and dm.ref.startswith("DU1:")
    assert group.ref and group.ref.startswith("GU1U2:")
    assert channel.ref and channel.ref.startswith("CGENERAL:")
    opened = [c.params["users"] for c in standin.calls_to("conversations.open")]
    assert opened == ["U1", "U1,U2"]
    posted = standin.messages_in("DU1")[0]
    assert posted.metadata == {"event_type": "meridian_message",
                               "event_payload": {"dedupe_key": "k-dm", "kind": "standup_prompt"}}
    assert posted.blocks[0]["text"]["text"] == "Standup time"
    # The DM channel is remembered: a second message does not open it again.
    await sender.send(WORKSPACE, outbound("U1", "k-dm-2"))
    assert len(standin.calls_to("conversations.open")) == 2


async def test_text_is_escaped_so_nothing_becomes_a_mention_or_link(standin: SlackStandIn) -> None:
    sender = sender_for(standin)
    await sender.send(WORKSPACE, outbound("#general", "k", text="<!channel> & <@U2> <https://x.test|click>"))
    message = standin.messages_in("CGENERAL")[0]
    assert message.blocks[0]["text"]["text"] == "&lt;!channel&gt; &amp; &lt;@U2&gt; &lt;https://x.test|click&gt;"
    assert "<" not in message.text


async def test_replace_ref_edits_the_earlier_message_and_a_vanished_one_is_posted_again(standin: SlackStandIn) -> None:
    sender = sender_for(standin)
    first = await sender.send(WORKSPACE, outbound("#general", "summary:1", text="2 answers"))
    edited = await sender.send(WORKSPACE, outbound("#general", "summary:2", text="3 answers"), replace_ref=first.ref)
    assert edited.ref == first.ref
    assert [m.text for m in standin.messages] == ["3 answers"] and standin.messages[0].edits == 1
    gone = await sender.send(WORKSPACE, outbound("#general", "summary:3", text="4 answers"),
                             replace_ref="CGENERAL:1.000000")
    assert gone.ref != first.ref and [m.text for m in standin.messages] == ["3 answers", "4 answers"]


async def test_429_is_waited_out_for_its_retry_after_and_the_message_goes_once(standin: SlackStandIn) -> None:
    standin.fail("chat.postMessage", status=429, times=2, retry_after=0.3)
    sender = sender_for(standin)
    await sender.send(WORKSPACE, outbound("U1", "k1"))
    posts = standin.calls_to("chat.postMessage")
    assert [c.status for c in posts] == [429, 429, 200]
    assert posts[1].at - posts[0].at >= 0.3 and posts[2].at - posts[1].at >= 0.3
    assert standin.dedupe_keys() == ["k1"]


async def test_5xx_before_or_after_slack_posted_still_delivers_each_message_exactly_once(standin: SlackStandIn) -> None:
    sender = sender_for(standin)
    standin.fail("chat.postMessage", status=500, times=1)                       # nothing posted
    standin.fail("chat.postMessage", status=503, times=1, after_effect=True)    # posted, answer lost
    standin.fail("chat.postMessage", status=429, times=1, retry_after=0.1)
    standin.fail("chat.postMessage", status=502, times=2, after_effect=True)
    keys = [f"occ-{n}" for n in range(8)]
    targets = ["U1", "U2", ["U1", "U3"], "#general"]
    results = await asyncio.gather(*(sender.send(WORKSPACE, outbound(targets[n % 4], key))
                                     for n, key in enumerate(keys)))
    assert sorted(standin.dedupe_keys()) == sorted(keys)
    assert len({r.ref for r in results}) == len(keys)
    statuses = [c.status for c in standin.calls_to("chat.postMessage")]
    assert statuses.count(500) + statuses.count(502) + statuses.count(503) == 4 and 429 in statuses
    # Each ambiguous failure was followed by a look-up, not a blind second post.
    assert len(standin.calls_to("conversations.history")) >= 3


async def test_slack_limits_answered_with_429_are_honoured_and_nothing_is_dropped() -> None:
    async with SlackStandIn(channel_interval=0.25, limit_retry_after=0.25) as slack:
        slack.add_channel("general")
        sender = sender_for(slack, per_channel=0.0)  # an unpaced sender: Slack itself must push back
        keys = [f"burst-{n}" for n in range(4)]
        await asyncio.gather(*(sender.send(WORKSPACE, outbound("#general", key)) for key in keys))
        assert slack.limit_violations > 0
        assert sorted(slack.dedupe_keys()) == sorted(keys)


async def test_a_paced_sender_stays_within_the_channel_limit() -> None:
    async with SlackStandIn(channel_interval=0.2, limit_retry_after=5) as slack:
        slack.add_channel("general")
        sender = sender_for(slack, per_channel=0.25)
        keys = [f"paced-{n}" for n in range(4)]
        await asyncio.gather(*(sender.send(WORKSPACE, outbound("#general", key)) for key in keys))
        accepted = [c.at for c in slack.calls_to("chat.postMessage") if c.status == 200]
        assert len(accepted) == 4 and sorted(slack.dedupe_keys()) == sorted(keys)
        assert all(later - earlier >= 0.2 for earlier, later in zip(accepted, accepted[1:]))


async def test_was_delivered_finds_a_message_by_its_dedupe_key(standin: SlackStandIn) -> None:
    sender = sender_for(standin)
    await sender.send(WORKSPACE, outbound("U2", "occ-7:0"))
    assert await sender.was_delivered(WORKSPACE, outbound("U2", "occ-7:0")) is True
    assert await sender.was_delivered(WORKSPACE, outbound("U2", "occ-8:0")) is False
    assert await sender.was_delivered(WORKSPACE, outbound("U2", "")) is None


async def test_permanent_errors_are_marked_permanent(standin: SlackStandIn) -> None:
    sender = sender_for(standin)
    with pytest.raises(DeliveryError) as caught:
        await sender.send(WORKSPACE, outbound("UNKNOWN", "k"))
    assert caught.value.permanent
    with pytest.raises(DeliveryError) as caught:
        await sender.send(WORKSPACE, outbound("#no-such-channel", "k"))
    assert caught.value.permanent
    assert standin.messages == []


async def test_an_image_is_uploaded_into_the_conversation_after_its_message(standin: SlackStandIn, tmp_path: Path) -> None:
    png = tmp_path / "clock.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    sender = sender_for(standin)
    reply = Reply(text="Team clock", image=png, image_alt="Team clock", buttons=[Button("OK", "x.ok")])
    content = png.read_bytes()
    await sender.send(WORKSPACE, Outbound(kind="digest", workspace_id=1, to="#general", reply=reply, dedupe_key="img"))
    [upload] = standin.uploads.values()
    assert upload["channel"] == "CGENERAL" and upload["data"] == content and upload["title"] == "Team clock"
    assert not png.exists()                                   # a one-off rendering is deleted once uploaded


def test_pacer_spaces_one_key_and_shares_a_budget_and_holds_after_retry_after() -> None:
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(per_key_interval=1.0, shared_rate=2.0, shared_burst=2, monotonic=lambda: now[0], sleep=sleep)

    async def run() -> list[float]:
        times = []
        for key in ("a", "a", "b", "c", "d"):
            await pacer.wait("T", key)
            times.append(now[0])
        pacer.hold("T", 10.0)
        await pacer.wait("T", "e")
        times.append(now[0])
        return times

    times = asyncio.run(run())
    assert times[:2] == [0.0, 1.0]                 # one key: a second apart
    assert times[2] == 1.0 and times[3] == 1.5     # other keys: the shared budget (2/s, burst 2)
    assert times[4] == 2.0
    assert times[5] == 12.0                        # Retry-After holds everyone
