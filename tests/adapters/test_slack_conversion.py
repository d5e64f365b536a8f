"""Time conversion on Slack end to end: signed events in, what the Slack stand-in received out.

Channel messages get one thread reply where /convert is on (and none where it is off), edits update
it, deletes delete it; the message shortcut and a clock reaction answer one reader privately.
"""
from __future__ import annotations

from typing import Any, AsyncIterator

import pytest

from adapters.slack.conversion import SHORTCUT_CALLBACK
from bot.core import Meridian
from tests.conftest import plain
from tests.support.slack_app import RunningSlack, hook_text, running_slack
from tests.support.slack_standin import Message, SlackStandIn

SAID = "let's sync at 3pm CET tomorrow"
SENT = 1774257300          # 2026-03-23 09:15 UTC, a Monday: "tomorrow" is the 24th, Europe still on winter time


def posted(standin: SlackStandIn, user: str, channel: str, text: str) -> Message:
    """A member's message, sent at a fixed moment (its ts says when), so the expected times never drift."""
    message = standin.post_as(user, channel, text)
    message.ts = f"{SENT}.{len(standin.messages):06d}"
    return message


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as slack:
        slack.add_user("U1", "amara", tz="Africa/Lagos", locale="en-GB")
        slack.add_user("U2", "hana", tz="Asia/Tokyo", locale="ja-JP")
        slack.add_user("U3", "sam", tz="America/Los_Angeles", locale="en-US")
        slack.add_user("U4", "outsider", tz="Asia/Kolkata", locale="en-IN")
        general = slack.add_channel("general")
        slack.add_channel("random")
        slack.channel_members[general] = ["U1", "U2", "U3"]
        yield slack


@pytest.fixture
async def running(core: Meridian, standin: SlackStandIn) -> AsyncIterator[RunningSlack]:
    async with running_slack(core, standin) as app:
        for user in ("U1", "U2", "U3", "U4"):          # first contact: zones from users.info
            await app.slack.command("/tz", user=user, channel=standin.channel_id("general"))
        await app.settle()
        yield app


async def convert(running: RunningSlack, word: str, channel: str = "general") -> str:
    answer, hook = await running.slack.command("/convert", word, channel=running.standin.channel_id(channel))
    await running.settle()
    return hook_text(running.hook(hook))


async def say(running: RunningSlack, text: str, *, user: str = "U1", channel: str = "general") -> Message:
    message = posted(running.standin, user, channel, text)
    await running.slack.event({"type": "message", "channel": message.channel, "channel_type": "channel",
                               "user": user, "text": text, "ts": message.ts})
    await running.settle()
    return message


def replies(standin: SlackStandIn, message: Message) -> list[str]:
    return [plain(hook_text({"blocks": m.blocks})) for m in standin.thread_replies(message.channel, message.ts)]


async def test_a_channel_where_it_is_off_never_sees_a_conversion(running: RunningSlack, standin: SlackStandIn) -> None:
    await convert(running, "on", channel="random")
    message = await say(running, SAID)
    assert replies(standin, message) == [] and standin.calls_to("chat.postMessage") == []
    assert "off" in await convert(running, "status")


async def test_a_time_said_gets_one_quiet_thread_reply_in_the_channel_members_zones(
        running: RunningSlack, standin: SlackStandIn) -> None:
    assert "on in this channel" in await convert(running, "on")
    message = await say(running, SAID)
    [reply] = replies(standin, message)
    assert "3pm CET tomorrow" in reply
    assert "3:00 PM · Lagos" in reply and "11:00 PM · Tokyo" in reply and "7:00 AM · Los Angeles" in reply
    assert "Kolkata" not in reply                       # U4 is in the workspace, not in the channel
    [post] = standin.calls_to("chat.postMessage")
    assert post.params["thread_ts"] == message.ts
    await say(running, "the build took 15 minutes; v3.2.1 is out, see 10.0.0.15:30")
    assert len(standin.calls_to("chat.postMessage")) == 1   # nothing to convert: nothing said


async def test_editing_updates_the_reply_and_deleting_deletes_it(running: RunningSlack, standin: SlackStandIn) -> None:
    await convert(running, "on")
    message = await say(running, SAID)
    channel = message.channel

    async def edit(text: str, previous: str) -> None:
        await running.slack.event({"type": "message", "subtype": "message_changed", "channel": channel,
                                   "channel_type": "channel", "message": {"user": "U1", "text": text, "ts": message.ts},
                                   "previous_message": {"user": "U1", "text": previous, "ts": message.ts}})
        await running.settle()

    await edit("let's sync at 4pm CET tomorrow", SAID)
    [reply] = replies(standin, message)
    assert "4pm CET tomorrow" in reply and "4:00 PM · Lagos" in reply
    assert standin.thread_replies(channel, message.ts)[0].edits == 1
    await edit("let's sync tomorrow, time to be decided", "let's sync at 4pm CET tomorrow")
    assert replies(standin, message) == [] and len(standin.deleted) == 1
    await edit(SAID, "let's sync tomorrow, time to be decided")
    assert len(replies(standin, message)) == 1
    await running.slack.event({"type": "message", "subtype": "message_deleted", "channel": channel,
                               "channel_type": "channel", "deleted_ts": message.ts, "hidden": True})
    await running.settle()
    assert replies(standin, message) == [] and len(standin.deleted) == 2


async def test_the_shortcut_answers_the_reader_privately_in_their_zone_and_language(
        running: RunningSlack, standin: SlackStandIn) -> None:
    message = posted(standin, "U1", "general", SAID)         # conversion is off here: asking still works
    payload: dict[str, Any] = {
        "type": "message_action", "callback_id": SHORTCUT_CALLBACK, "trigger_id": "trigger-1",
        "team": {"id": standin.team.id}, "user": {"id": "U2", "team_id": standin.team.id},
        "channel": {"id": message.channel}, "message_ts": message.ts,
        "message": {"type": "message", "user": "U1", "text": SAID, "ts": message.ts},
        "response_url": f"{standin.origin}/hooks/shortcut"}
    assert (await running.slack.interaction(payload)).status == 200
    await running.settle()
    body = running.hook("shortcut")
    assert body["response_type"] == "ephemeral"
    assert "23:00" in plain(hook_text(body)) and "東京" in hook_text(body)     # Tokyo, in Japanese
    assert standin.calls_to("chat.postMessage") == []


async def test_a_clock_reaction_gets_an_ephemeral_answer_for_whoever_reacted(
        running: RunningSlack, standin: SlackStandIn) -> None:
    message = posted(standin, "U1", "general", SAID)
    for reaction in ("thumbsup", "clock3"):
        await running.slack.event({"type": "reaction_added", "user": "U3", "reaction": reaction, "item_user": "U1",
                                   "item": {"type": "message", "channel": message.channel, "ts": message.ts}})
    await running.settle()
    [ephemeral] = standin.ephemeral
    assert ephemeral["user"] == "U3" and ephemeral["channel"] == message.channel
    assert "7:00 AM" in plain(ephemeral["text"]) and "Los Angeles" in ephemeral["text"]
    assert standin.calls_to("chat.postMessage") == []


async def test_bots_and_our_own_replies_are_never_converted(running: RunningSlack, standin: SlackStandIn) -> None:
    await convert(running, "on")
    channel = standin.channel_id("general")
    await running.slack.event({"type": "message", "channel": channel, "channel_type": "channel", "bot_id": "B0001",
                               "text": SAID, "ts": "1774257300.000100"})
    await running.slack.event({"type": "message", "subtype": "channel_join", "channel": channel,
                               "channel_type": "channel", "user": "U1", "text": "joined at 3pm CET", "ts": "1774257301.000100"})
    await running.settle()
    assert standin.calls_to("chat.postMessage") == []
