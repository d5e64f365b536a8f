"""Slack's side of time conversion (docs/CONVERSION.md): events in, thread replies and ephemerals out.

Thin on purpose: the core decides whether a channel gets a reply and what it says
(`Meridian.message_said`, `read_times_for`); this module only turns Slack's events into those calls
and the answers into Web API calls.

- a message in a channel (`message.channels`, `message.groups`) gets one quiet thread reply, where
  conversion is on; an edit (`message_changed`) updates or removes it, a delete (`message_deleted`)
  deletes it;
- the message shortcut "Show times in my zone" and a clock reaction (🕐 `:clock3:` and the other clock
  faces, `reaction_added`) answer the one reader, ephemerally, in their zone and language.

Message text is passed to the core and dropped: nothing here stores or logs it.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from slack_bolt.context.async_context import AsyncBoltContext

from adapters.slack import blocks
from adapters.slack.teams import installed_team
from bot.members import Identity
from bot.reply import Reply

if TYPE_CHECKING:
    from adapters.slack.app import SlackAdapter

log = logging.getLogger(__name__)

SHORTCUT_CALLBACK = "show_times_in_my_zone"       # deploy/slack-manifest.yaml, features.shortcuts
CLOCK_REACTION = re.compile(r"^(clock(1[0-2]|[1-9])(30)?|mantelpiece_clock)$")   # 🕐 … 🕧, 🕰️
CHANNEL_TYPES = ("channel", "group")              # public and private channels; never DMs (those are commands)
MEMBERS_TTL = 15 * 60                             # seconds a channel's member list is trusted
MAX_READERS = 1000                                # one conversations.members page: enough to group zones


def sent_at(ts: str) -> datetime:
    """A Slack message ts ("1774257300.000100") as the instant it was sent."""
    return datetime.fromtimestamp(float(ts), tz=timezone.utc)


class SlackConversion:
    def __init__(self, adapter: "SlackAdapter") -> None:
        self.adapter = adapter
        self._members: dict[tuple[str, str], tuple[float, list[str]]] = {}

    def register(self) -> None:
        app = self.adapter.app
        app.event("reaction_added")(self.on_reaction)
        app.shortcut(SHORTCUT_CALLBACK)(self.on_shortcut)

    # --- messages in channels ------------------------------------------------------------------------
    async def on_channel_message(self, event: dict[str, Any], team: str, client: AsyncWebClient) -> None:
        """Called by the adapter's `message` listener for channel messages (new, edited, deleted), with the
        workspace Bolt authorised (`installed_team`)."""
        channel = event.get("channel", "")
        subtype = event.get("subtype")
        if subtype == "message_deleted":
            who = Identity(platform="slack", workspace_id=team, user_id="", channel=channel)
            reply_ts = await asyncio.to_thread(self.adapter.core.message_deleted, who, str(event.get("deleted_ts", "")))
            if reply_ts:
                await self._delete(client, channel, reply_ts)
            return
        message = (event.get("message") or {}) if subtype == "message_changed" else event
        if subtype not in (None, "message_changed", "thread_broadcast") or message.get("bot_id") or not message.get("user"):
            return                                   # joins, topics, bots (our own replies included)
        if subtype == "message_changed" and (event.get("previous_message") or {}).get("text") == message.get("text"):
            return                                   # an unfurl or a reaction, not an edit of the words
        text, ts = message.get("text") or "", str(message.get("ts", ""))
        if not ts:
            return
        person = await self.adapter._person(client, team, message["user"])
        who = Identity(platform="slack", workspace_id=team, user_id=message["user"], tz=person.tz,
                       locale=person.locale, channel=channel)
        readers = await self._readers(client, team, channel)
        answer = await asyncio.to_thread(self.adapter.core.message_said, who, text, sent_at=sent_at(ts),
                                         message_ref=ts, readers=readers)
        if answer.reply is None:
            if answer.previous_ref:                  # edited: no time any more
                await self._delete(client, channel, answer.previous_ref)
                await asyncio.to_thread(self.adapter.core.conversion_replied, who, ts, None)
            return
        payload = blocks.message(answer.reply)
        if answer.previous_ref:
            try:
                await client.chat_update(channel=channel, ts=answer.previous_ref, **payload)
                return
            except SlackApiError as error:           # our reply was removed by hand: post a new one
                log.info("chat.update of a conversion failed: %s", error.response.get("error"))
        posted = await client.chat_postMessage(channel=channel, thread_ts=message.get("thread_ts") or ts,
                                               unfurl_links=False, unfurl_media=False, **payload)
        await asyncio.to_thread(self.adapter.core.conversion_replied, who, ts, str(posted["ts"]))

    async def _delete(self, client: AsyncWebClient, channel: str, ts: str) -> None:
        try:
            await client.chat_delete(channel=channel, ts=ts)
        except SlackApiError as error:               # already gone
            log.info("chat.delete of a conversion failed: %s", error.response.get("error"))

    async def _readers(self, client: AsyncWebClient, team: str, channel: str) -> list[str] | None:
        """The channel's members (cached a while); None when Slack does not say (then the whole workspace)."""
        cached = self._members.get((team, channel))
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            answer = await client.conversations_members(channel=channel, limit=MAX_READERS)
        except SlackApiError as error:
            log.info("conversations.members failed: %s", error.response.get("error"))
            return None
        members = [str(user) for user in answer.get("members") or []]
        self._members[(team, channel)] = (time.monotonic() + MEMBERS_TTL, members)
        return members

    # --- one reader asks -------------------------------------------------------------------------------
    async def on_shortcut(self, ack: Any, body: dict[str, Any], client: AsyncWebClient,
                          context: AsyncBoltContext) -> None:
        """The message shortcut: Slack hands us the message; the answer goes to the reader only."""
        async with self.adapter._work():
            await ack()
            team = installed_team(context)
            channel = (body.get("channel") or {}).get("id")
            message = body.get("message") or {}
            who = await self.adapter._identity(client, team, (body.get("user") or {}).get("id", ""), channel=channel)
            reply = await self._reading(client, who, message)
            await self.adapter._answer(reply, who, client, response_url=body.get("response_url"))

    async def on_reaction(self, event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
        """A clock reaction on a message: its times, privately, for whoever reacted."""
        async with self.adapter._work():
            item = event.get("item") or {}
            if not CLOCK_REACTION.match(event.get("reaction", "")) or item.get("type") != "message":
                return
            team, channel = installed_team(context), str(item.get("channel", ""))
            message = await self._message(client, channel, str(item.get("ts", "")))
            if message is None:
                return
            who = await self.adapter._identity(client, team, event.get("user", ""), channel=channel)
            reply = await self._reading(client, who, message)
            await client.chat_postEphemeral(channel=channel, user=who.user_id, **blocks.message(reply))

    async def _reading(self, client: AsyncWebClient, who: Identity, message: dict[str, Any]) -> Reply:
        author = message.get("user")
        author_tz = (await self.adapter._person(client, who.workspace_id, author)).tz if author else None
        return await asyncio.to_thread(self.adapter.core.read_times_for, who, message.get("text") or "",
                                       sent_at=sent_at(str(message.get("ts") or "0")), author_id=author,
                                       author_tz=author_tz)

    @staticmethod
    async def _message(client: AsyncWebClient, channel: str, ts: str) -> dict[str, Any] | None:
        """One message by its ts (conversations.history up to and including it)."""
        try:
            answer = await client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)
        except SlackApiError as error:
            log.info("conversations.history failed: %s", error.response.get("error"))
            return None
        found = [m for m in answer.get("messages") or [] if str(m.get("ts")) == ts]
        return found[0] if found else None
