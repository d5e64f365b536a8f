"""Prometheus metrics of one `meridian serve` process, served on GET /metrics.

Metrics belong to the process, so they live here: the core and the scheduler only report to a
`bot.observe.Observer`, and `Metrics` is the observer `meridian serve` hands them. Each `Metrics`
has its own CollectorRegistry (no process-global state), so several servers in one test process
never mix their numbers.

    meridian_messages_sent_total{kind}                 scheduled messages the platform accepted
    meridian_messages_failed_total{kind,reason}        sends that failed: transient (retried), permanent, error
    meridian_scheduler_lag_seconds{kind}               how late delivery of an occurrence began (histogram)
    meridian_command_latency_seconds{kind,command}     time the core took to answer (histogram)
    meridian_commands_total{kind,command,outcome}      answers by outcome: ok, rejected (bad input), error
    meridian_claims_total{event}                       occurrences claimed, recovered (expired claim) or released
"""
from __future__ import annotations

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import choose_encoder

from bot.observe import Observer

# Lag: on time is well under a tick; minutes mean a backlog; hours mean downtime (grace periods apply).
LAG_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600)
# The core answers from the database: milliseconds normally, seconds when something is wrong.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Metrics(Observer):
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.sent = Counter("meridian_messages_sent", "Scheduled messages the platform accepted.",
                            ["kind"], registry=r)
        self.failed = Counter("meridian_messages_failed", "Scheduled message sends that failed "
                              "(reason: transient = retried later, permanent, error = adapter bug).",
                              ["kind", "reason"], registry=r)
        self.lag = Histogram("meridian_scheduler_lag_seconds", "Seconds between an occurrence's due time "
                             "and the start of its delivery.", ["kind"], buckets=LAG_BUCKETS, registry=r)
        self.latency = Histogram("meridian_command_latency_seconds", "Seconds the core took to answer a "
                                 "command or action.", ["kind", "command"], buckets=LATENCY_BUCKETS, registry=r)
        self.commands = Counter("meridian_commands", "Commands and actions answered, by outcome "
                                "(ok, rejected = bad input, error = a bug).", ["kind", "command", "outcome"],
                                registry=r)
        self.claims_total = Counter("meridian_claims", "Occurrences claimed for delivery, recovered from an "
                                    "expired claim, or released unstarted at shutdown.", ["event"], registry=r)
        for event in ("claimed", "recovered", "released"):   # present from the first scrape, at 0
            self.claims_total.labels(event)

    # --- Observer ----------------------------------------------------------------------------------
    def command_handled(self, kind: str, command: str, seconds: float, outcome: str) -> None:
        self.latency.labels(kind, command).observe(seconds)
        self.commands.labels(kind, command, outcome).inc()

    def claims(self, event: str, count: int) -> None:
        if count:
            self.claims_total.labels(event).inc(count)

    def occurrence_started(self, kind: str, lag_seconds: float) -> None:
        self.lag.labels(kind).observe(max(0.0, lag_seconds))

    def message_sent(self, kind: str) -> None:
        self.sent.labels(kind).inc()

    def message_failed(self, kind: str, reason: str) -> None:
        self.failed.labels(kind, reason).inc()

    # --- exposition --------------------------------------------------------------------------------
    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    async def handle(self, request: web.Request) -> web.Response:
        """GET /metrics: Prometheus' text format, or OpenMetrics when the scraper asks for it (Accept)."""
        encode, content_type = choose_encoder(request.headers.get("Accept", ""))
        response = web.Response(body=encode(self.registry))
        response.headers["Content-Type"] = content_type
        return response
