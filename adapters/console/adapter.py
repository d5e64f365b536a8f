"""The console as a platform adapter: nothing to connect to, no HTTP routes, a Sender that prints and remembers.

`meridian simulate` runs the scheduler with its sender; `meridian shell` (shell.py) is the console's
way of taking commands, one line at a time.
"""
from __future__ import annotations

from aiohttp import web

from adapters.console.sender import ConsoleSender


class ConsoleAdapter:
    name = "console"
    label = "console"

    def __init__(self, sender: ConsoleSender | None = None) -> None:
        self.sender = sender or ConsoleSender()

    def routes(self) -> list[web.RouteDef]:
        return []

    async def start(self) -> None:
        """Nothing to connect to."""

    async def stop(self) -> None:
        """No requests arrive from outside."""

    async def close(self) -> None:
        self.sender.close()
