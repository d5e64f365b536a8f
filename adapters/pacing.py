"""Pacing outgoing platform calls so the platform never has to refuse them (and a refusal is waited out).

Chat platforms limit posting per conversation (Slack: about one message a second per channel) and
per workspace or bot. A `Pacer` gives each caller a time slot that respects both: a minimum gap
per key (the channel) and a shared rate with a small burst per scope (the workspace), plus a hold
when the platform answered 429 with Retry-After. Slots are reserved without awaiting, so
concurrent senders on one event loop never take the same slot. Shared by the Slack and Discord
adapters; time here is the real monotonic clock, because the platform's limits are real.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Awaitable, Callable


@dataclass
class _Scope:
    tat: float = 0.0                                    # GCRA "theoretical arrival time" of the shared budget
    hold_until: float = 0.0                             # nobody in this scope sends before this (Retry-After)
    next_by_key: dict[str, float] = field(default_factory=dict)


class Pacer:
    def __init__(self, *, per_key_interval: float, shared_rate: float, shared_burst: int = 1,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        """`per_key_interval` seconds between two calls on one key; `shared_rate` calls a second per scope."""
        self.per_key_interval = per_key_interval
        self.shared_interval = 1.0 / shared_rate if shared_rate > 0 else 0.0
        self.shared_burst = max(1, shared_burst)
        self._monotonic = monotonic
        self._sleep = sleep
        self._scopes: dict[str, _Scope] = {}

    def _reserve(self, scope: _Scope, key: str, now: float) -> float:
        earliest_shared = scope.tat - (self.shared_burst - 1) * self.shared_interval
        slot = max(now, scope.hold_until, scope.next_by_key.get(key, 0.0), earliest_shared)
        scope.next_by_key[key] = slot + self.per_key_interval
        scope.tat = max(scope.tat, slot) + self.shared_interval
        if len(scope.next_by_key) > 10_000:  # forget keys whose gap is long over
            scope.next_by_key = {k: t for k, t in scope.next_by_key.items() if t > now}
        return slot

    async def wait(self, scope: str, key: str) -> None:
        """Return when a call on `key` within `scope` may go out."""
        state = self._scopes.setdefault(scope, _Scope())
        while True:
            now = self._monotonic()
            slot = self._reserve(state, key, now)
            if slot > now:
                await self._sleep(slot - now)
            if state.hold_until <= self._monotonic():
                return  # a hold set while we slept (someone got a 429) sends us back for a new slot

    def hold(self, scope: str, seconds: float) -> None:
        """The platform said "retry after `seconds`": pause the whole scope that long."""
        state = self._scopes.setdefault(scope, _Scope())
        state.hold_until = max(state.hold_until, self._monotonic() + max(0.0, seconds))
