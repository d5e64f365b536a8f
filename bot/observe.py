"""What the core and the scheduler report about their work, for whoever runs them to measure.

The process (`meridian serve`) turns these reports into Prometheus metrics (`operations/metrics.py`);
the core and the scheduler only call an `Observer`, so they never depend on a metrics library or
on the process around them. This base class ignores every report: tests, the shell and `simulate`
run without one.
"""
from __future__ import annotations


class Observer:
    """Reports from the core and the scheduler. Every method is a no-op here; override what you measure.

    Labels must stay few: `command` is a registered top-level command or action name (else
    "unknown"), `kind` a ritual or message kind, never anything a member typed.
    """

    def command_handled(self, kind: str, command: str, seconds: float, outcome: str) -> None:
        """A command or action was answered: kind "command" | "action"; outcome "ok", "rejected" (bad
        input), "unavailable" (the database could not be reached) or "error" (a bug)."""

    def claims(self, event: str, count: int) -> None:
        """Occurrences were "claimed" (due work), "recovered" (an expired claim taken over) or "released"."""

    def occurrence_started(self, kind: str, lag_seconds: float) -> None:
        """Delivery of an occurrence began `lag_seconds` after it was due (the scheduler's lag)."""

    def message_sent(self, kind: str) -> None:
        """The platform accepted one scheduled message."""

    def message_failed(self, kind: str, reason: str) -> None:
        """Sending one scheduled message failed: reason "transient" (retried later), "permanent" or "error"."""


NO_OBSERVER = Observer()
