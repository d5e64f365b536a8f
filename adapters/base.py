"""The one shape every chat platform has, so `meridian serve` runs them all without knowing any.

An adapter turns platform events into `bot.core.Meridian` calls and the core's replies into platform
messages; to the process it is only this: a name, a scheduler `Sender` for the messages nobody asked
for, the HTTP routes it needs on the shared aiohttp server (Slack's webhooks; none for a platform that
connects out, like Discord's gateway), and a start and a two-step stop. Which adapters run is decided
from the settings by `adapters.platforms.configured_adapters`.
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable

from aiohttp import web

from scheduler.delivery import Sender


@runtime_checkable
class PlatformAdapter(Protocol):
    name: str         # the platform key: `Workspace.platform` and the engine's senders ("slack", "discord", "console")
    label: str        # how the start log and GET /healthz name it: "slack (socket)", "discord"
    sender: Sender    # the scheduler delivers rituals through it

    def routes(self) -> list[web.RouteDef]:
        """The routes to mount on serve's HTTP server (registered before it starts); [] for none."""
        ...

    async def start(self) -> None:
        """Connect or get ready to take requests; a bad credential fails here, before the scheduler starts."""
        ...

    async def stop(self) -> None:
        """Stop taking requests and finish the ones already acknowledged. Runs while the scheduler finishes
        its sends in flight, so the platform connection must stay usable for them."""
        ...

    async def close(self) -> None:
        """Release the platform connection, after the scheduler's last send."""
        ...
