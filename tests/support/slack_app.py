"""Running the real Slack adapter over real HTTP on 127.0.0.1, against the Web API stand-in."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, AsyncIterator

import aiohttp
from aiohttp import web

from adapters.slack.app import SlackAdapter
from bot.config import Settings
from bot.core import Meridian
from tests.support.slack_requests import SlackRequests
from tests.support.slack_standin import SlackStandIn
from tests.support.http import serve_locally

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@dataclass
class RunningSlack:
    adapter: SlackAdapter
    standin: SlackStandIn
    slack: SlackRequests          # signed requests to POST /slack/events
    http: aiohttp.ClientSession
    origin: str                   # http://127.0.0.1:<port> of the app

    async def settle(self) -> None:
        """Everything acknowledged so far has been fully handled."""
        await self.adapter.drain()

    def hook(self, name: str) -> dict[str, Any]:
        """The one message the app posted to this response_url."""
        found = [body for hook, body in self.standin.hooks if hook == name]
        assert len(found) == 1, f"expected one answer on {name}, got {found}"
        return found[0]


def hook_text(body: dict[str, Any]) -> str:
    """All the text of a posted message's blocks (what a reader sees)."""
    parts = []
    for block in body.get("blocks", []):
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text.get("text", ""))
        for element in block.get("elements", []):
            if isinstance(element.get("text"), dict):
                parts.append(element["text"].get("text", ""))
            elif isinstance(element.get("text"), str):
                parts.append(element["text"])
    return "\n".join(parts)


@contextlib.asynccontextmanager
async def running_slack(core: Meridian, standin: SlackStandIn, **settings: Any) -> AsyncIterator[RunningSlack]:
    """The adapter's routes served by aiohttp on a free port; single-workspace HTTP mode unless told otherwise."""
    values: dict[str, Any] = {"slack_signing_secret": SIGNING_SECRET, "slack_api_url": standin.base_url,
                              "slack_bot_token": standin.team.bot_token, "database_url": core.settings.database_url}
    values.update(settings)
    adapter = SlackAdapter(core, Settings.from_env({}, **values))
    app = web.Application()
    app.add_routes(adapter.routes())
    runner, port = await serve_locally(app)
    origin = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        requests = SlackRequests(http, f"{origin}/slack/events", SIGNING_SECRET, team_id=standin.team.id,
                                 hooks=standin.origin)
        try:
            yield RunningSlack(adapter, standin, requests, http, origin)
        finally:
            await adapter.stop()
            await runner.cleanup()
