"""`meridian serve`: the long-running bot. Starts whichever chat adapters are configured, the scheduler,
and one public HTTP server (the routes the adapters mount, e.g. Slack's requests and OAuth pages; GET /healthz).
GET /metrics has its own listener (MERIDIAN_METRICS_HOST:MERIDIAN_METRICS_PORT, loopback by default), so the
public address reveals nothing about usage; no response names the server software or its version.

Which platforms run, and which settings each needs, is `adapters.platforms`' business: this module
only knows `adapters.base.PlatformAdapter`s.

SIGTERM or Ctrl-C stops it gracefully: no new requests, the acknowledged ones are finished, the
scheduler finishes the sends in flight (for up to MERIDIAN_SHUTDOWN_SECONDS) and hands unstarted
claims back, then the adapters close and the process exits 0. Logs are JSON lines without secrets
(`operations/logs.py`); the metrics listener serves Prometheus metrics (`operations/metrics.py`).
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import Any, Callable

from aiohttp import web
from sqlalchemy import text

from adapters.base import PlatformAdapter
from adapters.platforms import Build, configured_adapters
from operations.cli import add_db_option
from operations.logs import configure_logging
from operations.metrics import Metrics
from bot.time.clock import Clock, SystemClock
from bot.config import Settings
from bot.core import Meridian
from bot.store import Database

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction, db_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = sub.add_parser(
        "serve", help="Run the bot: configured chat adapters, the scheduler and the HTTP server",
        description="Start every chat adapter whose settings are present (Slack: Socket Mode, HTTP, or HTTP "
                    "with OAuth; Discord), the scheduler, and an HTTP server with POST /slack/events, "
                    "GET /slack/install, GET /slack/oauth_redirect and GET /healthz. Stops cleanly on SIGTERM.")
    serve.add_argument("--host", default=None, help="address to bind (default: MERIDIAN_HTTP_HOST, else 0.0.0.0)")
    serve.add_argument("--port", type=int, default=None, help="port to bind (default: MERIDIAN_HTTP_PORT, else 8080)")
    serve.add_argument("--demo", action="store_true", help="serve the web dashboard with the demo team on 127.0.0.1, "
                       "in a throwaway database, with a sign-in that lists the demo members")
    add_db_option(serve)
    serve.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    if getattr(args, "demo", False):
        from web.demo import demo_settings

        with demo_settings(args) as settings:
            configure_logging(settings, level=args.log_level)
            return asyncio.run(serve_forever(settings, demo=True))
    settings = Settings.from_env(database_url=args.db, http_host=args.host, http_port=args.port)
    configure_logging(settings, level=args.log_level)   # JSON lines by default; never a secret
    return asyncio.run(serve_forever(settings))


async def serve_forever(settings: Settings, *, demo: bool = False) -> int:
    server = Server(settings, demo=demo)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await server.start()
    log.info("Meridian is serving on %s:%s, metrics on %s:%s (adapters: %s)", settings.http_host, server.port,
             settings.metrics_host, server.metrics_port, ", ".join(server.adapter_modes) or "none")
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        await server.stop()
    return 0


async def _without_version_banner(request: web.Request, response: web.StreamResponse) -> None:
    """aiohttp would send `Server: Python/3.x aiohttp/3.y`, a free hint about which advisories apply."""
    response.headers["Server"] = "Meridian"


class Server:
    """Everything `meridian serve` runs, startable and stoppable in-process (the tests do)."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None, rituals: Any = None,
                 demo: bool = False) -> None:
        self.settings = settings
        self.demo = demo                            # the web dashboard's demo sign-in (throwaway database only)
        self.clock = clock or SystemClock()
        self.rituals = rituals                      # None: every registered ritual kind
        self.db: Database | None = None
        self.core: Meridian | None = None
        self.adapters: dict[str, PlatformAdapter] = {}    # by platform name
        self.adapter_modes: list[str] = []
        self.engine: Any = None
        self.port: int = settings.http_port
        self.metrics_port: int = settings.metrics_port
        self.driver: Any = None
        self.metrics = Metrics()                    # GET /metrics; the core and the engine report to it
        self._runners: list[web.AppRunner] = []
        self._stopping = asyncio.Event()

    # --- start -------------------------------------------------------------------------------------
    async def start(self) -> None:
        builders = configured_adapters(self.settings)   # a half-configured platform fails before anything starts
        self.db = await asyncio.to_thread(Database, self.settings.database_url)   # applies migrations
        self.core = Meridian(self.db, clock=self.clock, settings=self.settings, observer=self.metrics)
        try:
            await self._start_adapters(builders)
            await self._start_http()
        except BaseException:
            await self.stop()
            raise
        await self._start_scheduler()

    async def _start_adapters(self, builders: list[Build]) -> None:
        assert self.core is not None
        for build in builders:
            adapter = build(self.core)
            await adapter.start()
            self.adapters[adapter.name] = adapter
            self.adapter_modes.append(adapter.label)
        if not self.adapters:
            log.warning("no chat platform is configured (see `meridian serve --help` and the README); "
                        "serving /healthz and the scheduler only")

    async def _start_http(self) -> None:
        public = [web.get("/healthz", self._healthz)]
        for adapter in self.adapters.values():
            public += adapter.routes()
        from web.app import mount
        assert self.core is not None
        if self.demo:
            from web.demo import seed_demo_history
            await asyncio.to_thread(self._seed_demo, seed_demo_history)
        s = self.settings
        self.port = await self._listen(public, s.http_host, s.http_port,   # the web dashboard and /api/v1 too
                                       mount=lambda app: mount(app, self.core, s, demo=self.demo))
        self.metrics_port = await self._listen([web.get("/metrics", self.metrics.handle)], s.metrics_host, s.metrics_port)

    async def _listen(self, routes: list[web.RouteDef], host: str, port: int, *,
                      mount: Callable[[web.Application], None] | None = None) -> int:
        """Serve `routes` (and whatever `mount` adds) on host:port; the port actually bound (0 picks a free one)."""
        app = web.Application()
        app.add_routes(routes)
        if mount is not None:
            mount(app)
        app.on_response_prepare.append(_without_version_banner)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        self._runners.append(runner)
        site = web.TCPSite(runner, host, port)
        await site.start()
        return int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]

    async def _start_scheduler(self) -> None:
        from scheduler.driver import SchedulerDriver
        from scheduler.engine import Engine

        assert self.db is not None
        senders = {platform: adapter.sender for platform, adapter in self.adapters.items()}
        self.engine = Engine(self.db, self.clock, senders, self.settings, rituals=self.rituals, observer=self.metrics)
        self.driver = SchedulerDriver(self.engine, self.settings.tick_seconds)
        await self.driver.start()

    def _seed_demo(self, seed) -> None:  # type: ignore[no-untyped-def]
        assert self.db is not None
        with self.db.session() as session:
            seed(session, self.clock.now())

    @property
    def ticks(self) -> int:
        return self.driver.ticks if self.driver is not None else 0

    # --- health ------------------------------------------------------------------------------------
    async def _healthz(self, request: web.Request) -> web.Response:
        database = "ok"
        try:
            await asyncio.to_thread(self._ping_database)
        except Exception as error:  # the probe reports it; details go to the log
            log.warning("health check: database unreachable: %s", error)
            database = "unreachable"
        scheduler = "running" if self.driver is not None and not self._stopping.is_set() else "stopped"
        healthy = database == "ok" and scheduler == "running" and not self._stopping.is_set()
        body = {"status": "ok" if healthy else "unhealthy", "database": database, "scheduler": scheduler,
                "adapters": self.adapter_modes}
        return web.json_response(body, status=200 if healthy else 503)

    def _ping_database(self) -> None:
        assert self.db is not None
        with self.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    # --- stop --------------------------------------------------------------------------------------
    async def stop(self) -> None:
        """No new requests or sends; the sends in flight finish while the platform clients are still
        open (each adapter finishing the requests it acknowledged), unstarted claims go back to pending;
        then the adapters close."""
        self._stopping.set()
        if self.engine is not None:
            self.engine.request_stop()          # no new sends; the driver waits for those in flight below
        for runner in self._runners:
            await runner.cleanup()                  # no new HTTP requests
        draining = [self._drain_scheduler()]
        draining += [self._stop_adapter(name, adapter.stop()) for name, adapter in self.adapters.items()]
        await asyncio.gather(*draining)             # adapters stop taking requests while the sends finish
        for name, adapter in self.adapters.items():
            await self._stop_adapter(name, adapter.close())   # the platform connections, after the last send
        if self.db is not None:
            self.db.dispose()

    async def _drain_scheduler(self) -> None:
        if self.driver is None:
            return
        try:
            await asyncio.wait_for(self.driver.stop(), self.settings.shutdown_seconds)
        except asyncio.TimeoutError:
            log.warning("sends still in flight after %s s (MERIDIAN_SHUTDOWN_SECONDS); their claims expire "
                        "and are recovered without duplicates", self.settings.shutdown_seconds)

    @staticmethod
    async def _stop_adapter(name: str, stopping: Any) -> None:
        try:
            await stopping
        except Exception:
            log.exception("stopping the %s adapter failed", name)

