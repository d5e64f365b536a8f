"""The contract between the scheduler and the platforms: a Sender delivers one Outbound message.

Each adapter (console, Slack, Discord) provides a Sender. The engine picks one by the workspace's
platform. Senders pace themselves to platform limits and honour Retry-After; they raise
`DeliveryError` for failures, saying whether a retry can help.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.reply import Outbound


@dataclass(frozen=True)
class WorkspaceRef:
    """What a sender needs to know of a workspace, without the ORM."""

    id: int
    platform: str            # slack | discord | console
    external_id: str         # Slack team id, Discord guild id, console workspace id
    channel: str | None      # the workspace's default channel
    locale: str = "en"


@dataclass(frozen=True)
class Delivered:
    ref: str | None          # the platform's reference to the message (Slack "channel:ts"), for later edits


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent       # e.g. user not found, bot removed: retrying cannot help
        self.retry_after = retry_after   # seconds, from a 429's Retry-After


class Sender(Protocol):
    # Optional attribute: `idempotent_resend = True` when the platform itself drops a resend carrying
    # the same dedupe key (Discord's enforce_nonce). The engine then resends a part whose fate a
    # crash hid (was_delivered -> None) instead of marking the occurrence failed.

    async def send(self, workspace: WorkspaceRef, message: Outbound, *, replace_ref: str | None = None) -> Delivered:
        """Deliver `message`; with `replace_ref`, edit that earlier message instead (e.g. a growing summary)."""
        ...

    async def was_delivered(self, workspace: WorkspaceRef, message: Outbound) -> bool | None:
        """After a crash between claim and record: did the platform accept this message (by its
        `dedupe_key`)? None when the platform cannot tell; the engine then follows its documented policy."""
        ...
