"""A local HTTP server (aiohttp on 127.0.0.1, in a thread) that serves calendar feeds like the real ones.

`CalendarServer.feed(path, body)` publishes a feed with an ETag and Last-Modified and answers
conditional requests with 304 like Google and Outlook do; `slow`, `huge` and `redirect` publish the
misbehaving kinds. `requests` records what each request sent (headers), so tests can check that the
validators were used and that nothing of ours was forwarded.
"""
from __future__ import annotations

import asyncio
import hashlib
import threading
from dataclasses import dataclass, field
from typing import Iterator
from urllib.parse import unquote

from aiohttp import web
from tests.support.http import serve_locally

LAST_MODIFIED = "Wed, 25 Mar 2026 08:00:00 GMT"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    delay: float = 0.0
    location: str | None = None
    stream_bytes: int = 0                   # > 0: send this many bytes in chunks, without Content-Length


@dataclass
class CalendarServer:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def feed(self, path: str, body: bytes) -> str:
        self.routes[unquote(path)] = Route(body=body)
        return self.url(path)

    def slow(self, path: str, seconds: float) -> str:
        self.routes[unquote(path)] = Route(body=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", delay=seconds)
        return self.url(path)

    def huge(self, path: str, size: int) -> str:
        self.routes[unquote(path)] = Route(stream_bytes=size)
        return self.url(path)

    def redirect(self, path: str, location: str) -> str:
        self.routes[unquote(path)] = Route(status=302, location=location)
        return self.url(path)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.path, dict(request.headers)))
        route = self.routes.get(request.path)
        if route is None:
            return web.Response(status=404)
        if route.delay:
            await asyncio.sleep(route.delay)
        if route.location:
            return web.Response(status=route.status, headers={"Location": route.location})
        if route.stream_bytes:
            response = web.StreamResponse(headers={"Content-Type": "text/calendar"})
            await response.prepare(request)
            sent = 0
            try:
                while sent < route.stream_bytes:
                    await response.write(b"X" * 65536)
                    sent += 65536
            except (ConnectionError, RuntimeError):
                pass
            return response
        etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=route.body, status=route.status,
                            headers={"ETag": etag, "Last-Modified": LAST_MODIFIED, "Content-Type": "text/calendar"})


def serve() -> Iterator[CalendarServer]:
    """Run a CalendarServer for the duration of a fixture."""
    server = CalendarServer()
    loop = asyncio.new_event_loop()
    started = threading.Event()
    runner_box: list[web.AppRunner] = []

    async def start() -> None:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", server._handle)
        runner, server.port = await serve_locally(app, shutdown_timeout=0.1)
        runner_box.append(runner)
        started.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(runner_box[0].cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
