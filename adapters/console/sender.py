"""The console's Sender: scheduled messages "delivered" to a terminal, a list and, optionally, a log file.

`meridian simulate` and the console shell send through it, and the crash tests rely on it: with a
`log_path`, each accepted message is appended to a JSON-lines file and fsync'ed *before* `send`
returns, exactly like a platform that has accepted a message. A restarted process reads that log, so
`was_delivered` can tell the engine for certain whether a killed process's last message went out.
"""
from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Callable

from bot.time.clock import Clock
from bot.reply import Outbound
from bot.time import iso_z
from scheduler.delivery import Delivered, WorkspaceRef

from adapters.console.render import render_outbound


@dataclass(frozen=True)
class ConsoleMessage:
    """One message as the console "platform" accepted it."""

    workspace_id: int
    ref: str
    dedupe_key: str
    message: Outbound
    at: datetime | None                   # the clock's instant at acceptance (None without a clock)
    replaces: str | None = None           # the ref of the message this one edits


class ConsoleSender:
    """Accepts every message (in order) and remembers it by dedupe key."""

    platform = "console"

    def __init__(self, *, clock: Clock | None = None, log_path: Path | None = None, out: IO[str] | None = None,
                 on_send: Callable[[ConsoleMessage], None] | None = None, delay: float = 0.0) -> None:
        self.clock = clock
        self.log_path = log_path
        self.out = out
        self.on_send = on_send
        self.delay = delay                # seconds per message: lets tests catch a fan-out in the middle
        self.messages: list[ConsoleMessage] = []
        self._delivered: dict[tuple[int, str], str] = {}
        self._log: IO[str] | None = None
        if log_path is not None:
            self._load(log_path)
            self._log = open(log_path, "a", encoding="utf-8")

    def _load(self, path: Path) -> None:
        if not path.exists():
            return
        with open(path, encoding="utf-8") as log:
            for line in log:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line torn by a crash was never acknowledged: it was not accepted
                if entry.get("dedupe_key"):
                    self._delivered[(entry["workspace_id"], entry["dedupe_key"])] = entry["ref"]

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    async def send(self, workspace: WorkspaceRef, message: Outbound, *, replace_ref: str | None = None) -> Delivered:
        if self.delay:
            await asyncio.sleep(self.delay)
        ref = replace_ref or f"console:{workspace.id}:{len(self._delivered) + 1}:{os.getpid()}"
        at = self.clock.now() if self.clock is not None else None
        accepted = ConsoleMessage(workspace.id, ref, message.dedupe_key, message, at, replace_ref)
        if self._log is not None:
            entry = {"workspace_id": workspace.id, "dedupe_key": message.dedupe_key, "ref": ref,
                     "kind": message.kind, "to": message.to, "at": iso_z(at) if at else None,
                     "replaces": replace_ref, "text": message.reply.as_text()}
            self._log.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._log.flush()
            os.fsync(self._log.fileno())
        if message.dedupe_key:
            self._delivered[(workspace.id, message.dedupe_key)] = ref
        self.messages.append(accepted)
        if self.out is not None:
            print(render_outbound(message), file=self.out, flush=True)
        if self.on_send is not None:
            self.on_send(accepted)
        return Delivered(ref)

    async def was_delivered(self, workspace: WorkspaceRef, message: Outbound) -> bool | None:
        if message.dedupe_key and (workspace.id, message.dedupe_key) in self._delivered:
            return True
        # With a log we know everything ever accepted; without one, an earlier process's sends are unknown.
        return False if self.log_path is not None else None
