"""Requests as Slack sends them to an app: slash commands, interactions and events, signed like Slack signs.

Slack signs `v0:{timestamp}:{raw body}` with HMAC-SHA256 and the app's signing secret, and sends
X-Slack-Request-Timestamp and X-Slack-Signature: v0=<hex>. Used by the Slack adapter tests and bench/.
"""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp

_ids = itertools.count(1)


def signature(secret: str, timestamp: int | str, body: str) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


@dataclass
class Sent:
    """A request as it went out, so a test can send exactly the same bytes again (a replay)."""

    body: str
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Answer:
    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


class SlackRequests:
    def __init__(self, session: aiohttp.ClientSession, url: str, secret: str, *, team_id: str = "T0001",
                 hooks: str = "") -> None:
        self.session, self.url, self.secret, self.team_id = session, url, secret, team_id
        self.hooks = hooks                     # the stand-in's origin, for response_urls

    # --- building --------------------------------------------------------------------------------
    def signed(self, body: str, content_type: str, *, timestamp: int | None = None, secret: str | None = None,
               extra: dict[str, str] | None = None) -> Sent:
        ts = int(time.time()) if timestamp is None else timestamp
        headers = {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": signature(secret or self.secret, ts, body),
                   **(extra or {})}
        return Sent(body, content_type, headers)

    def command_body(self, command: str, text: str = "", *, user: str = "U1", channel: str = "C0GENERAL",
                     hook: str | None = None) -> tuple[str, str]:
        hook = hook or f"cmd{next(_ids)}"
        body = urlencode({"token": "legacy", "team_id": self.team_id, "team_domain": "acme", "channel_id": channel,
                          "channel_name": "general", "user_id": user, "user_name": user.lower(), "command": command,
                          "text": text, "api_app_id": "A0001", "is_enterprise_install": "false",
                          "response_url": f"{self.hooks}/hooks/{hook}", "trigger_id": f"trigger-{next(_ids)}"})
        return body, hook

    def interaction_body(self, payload: dict[str, Any]) -> str:
        return urlencode({"payload": json.dumps(payload)})

    def event_body(self, event: dict[str, Any], *, event_id: str | None = None) -> str:
        return json.dumps({"token": "legacy", "team_id": self.team_id, "api_app_id": "A0001", "type": "event_callback",
                           "event": event, "event_id": event_id or f"Ev{next(_ids):08d}",
                           "event_time": int(time.time()), "authorizations": [
                               {"team_id": self.team_id, "user_id": "UBOT", "is_bot": True}]})

    # --- sending ---------------------------------------------------------------------------------
    async def send(self, sent: Sent) -> Answer:
        headers = {"Content-Type": sent.content_type, **sent.headers}
        async with self.session.post(self.url, data=sent.body.encode(), headers=headers) as response:
            return Answer(response.status, await response.text())

    async def command(self, command: str, text: str = "", **kw: Any) -> tuple[Answer, str]:
        """Send a signed slash command; returns the answer and the response_url hook name."""
        body, hook = self.command_body(command, text, **kw)
        return await self.send(self.signed(body, "application/x-www-form-urlencoded")), hook

    async def interaction(self, payload: dict[str, Any]) -> Answer:
        return await self.send(self.signed(self.interaction_body(payload), "application/x-www-form-urlencoded"))

    async def event(self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None) -> Answer:
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return await self.send(self.signed(self.event_body(event, event_id=event_id), "application/json", extra=extra))

    def block_actions(self, action_id: str, value: str, *, user: str = "U1", channel: str = "C0GENERAL",
                      hook: str | None = None, container: dict[str, Any] | None = None) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "type": "block_actions", "team": {"id": self.team_id, "domain": "acme"},
            "user": {"id": user, "username": user.lower(), "team_id": self.team_id}, "api_app_id": "A0001",
            "trigger_id": f"trigger-{next(_ids)}", "channel": {"id": channel, "name": "general"},
            "container": container or {"type": "message", "message_ts": "1.000001", "channel_id": channel},
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b1", "value": value,
                         "action_ts": str(time.time())}]}
        if hook is not None:
            payload["response_url"] = f"{self.hooks}/hooks/{hook}"
        return payload

    def view_submission(self, view: dict[str, Any], values: dict[str, str], *, user: str = "U1") -> dict[str, Any]:
        """Submit a modal the app opened (as recorded by views.open), with these field values."""
        state = {"values": {block["block_id"]: {block["element"]["action_id"]: {"type": "plain_text_input",
                                                                                 "value": values.get(block["block_id"])}}
                            for block in view["blocks"] if block.get("type") == "input"}}
        return {"type": "view_submission", "team": {"id": self.team_id, "domain": "acme"},
                "user": {"id": user, "username": user.lower(), "team_id": self.team_id}, "api_app_id": "A0001",
                "trigger_id": f"trigger-{next(_ids)}",
                "view": {**view, "id": "V1", "team_id": self.team_id, "state": state}}
