"""Serving a stand-in's aiohttp app on loopback, one way for every test server (Slack, Discord, calendars, web)."""
from __future__ import annotations

from aiohttp import web


async def serve_locally(app: web.Application, host: str = "127.0.0.1", port: int = 0,
                        **runner_options: object) -> tuple[web.AppRunner, int]:
    """Start `app` on host:port (0: a free port) and return its runner (to clean up) and the port bound."""
    runner = web.AppRunner(app, access_log=None, **runner_options)  # type: ignore[arg-type]
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner, int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
