"""slack_sdk's installation and OAuth state stores, kept in Meridian's own database.

Installations are saved whole (slack_sdk's Installation as JSON), encrypted with
MERIDIAN_SECRET_KEY before they reach the core, one per workspace (a reinstall replaces it).
Bolt calls these from the event loop; the core's methods run in a thread, because the core is
synchronous SQLAlchemy.
"""
from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from datetime import datetime, timedelta
from typing import Any, Optional

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.core import Meridian
from bot.crypto import Cipher, SecretError
from bot.time import to_utc
from bot.time.clock import Clock, SystemClock

log = logging.getLogger(__name__)
PLATFORM = "slack"
OUTAGE_TTL = 600          # seconds an installation read before a database outage still serves


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.timestamp()
    return value


def installation_to_json(installation: Installation) -> str:
    data = {k: _jsonable(v) for k, v in installation.to_dict_for_copying().items()}
    return json.dumps(data, separators=(",", ":"))


def installation_from_json(text: str) -> Installation:
    data = json.loads(text)
    return Installation(**data)


class SlackInstallationStore(AsyncInstallationStore):
    def __init__(self, core: Meridian, cipher: Cipher, clock: Clock | None = None) -> None:
        self.core = core
        self.cipher = cipher
        self.clock = clock or SystemClock()
        self._logger = log
        # The last stored secret read per team, for a short database outage only: Bolt reads the
        # installation before anything else, and would otherwise tell people to reinstall the app.
        self._recent: dict[str, tuple[float, str]] = {}

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    # --- writes --------------------------------------------------------------------------------------
    async def async_save(self, installation: Installation) -> None:
        if not installation.team_id:
            raise ValueError("organisation-wide (Enterprise Grid) installs are not supported; install per workspace")
        secret = self.cipher.encrypt(installation_to_json(installation))
        await asyncio.to_thread(
            self.core.save_installation, PLATFORM, installation.team_id or "", installation.team_name or "",
            secret=secret, installed_at=self.clock.now(), enterprise_id=installation.enterprise_id,
            bot_user_id=installation.bot_user_id)

    async def async_save_bot(self, bot: Bot) -> None:
        """Bolt saves the bot part of the installation too; `async_save` already stored all of it."""

    async def async_delete_bot(self, *, enterprise_id: Optional[str], team_id: Optional[str]) -> None:
        await self._delete(team_id)

    async def async_delete_installation(self, *, enterprise_id: Optional[str], team_id: Optional[str],
                                        user_id: Optional[str] = None) -> None:
        if user_id is None:
            await self._delete(team_id)

    async def _delete(self, team_id: Optional[str]) -> None:
        if not team_id:
            return
        self._recent.pop(team_id, None)
        await asyncio.to_thread(self.core.delete_installation, PLATFORM, team_id)

    # --- reads ---------------------------------------------------------------------------------------
    async def async_find_installation(self, *, enterprise_id: Optional[str], team_id: Optional[str],
                                      user_id: Optional[str] = None,
                                      is_enterprise_install: Optional[bool] = False) -> Optional[Installation]:
        if not team_id:
            return None
        try:
            secret = await asyncio.to_thread(self.core.installation_secret, PLATFORM, team_id)
        except (OperationalError, InterfaceError):
            recent = self._recent.get(team_id)
            if recent is None or recent[0] < time.monotonic():
                raise
            log.warning("database unreachable; using the installation read before the outage", extra={"team": team_id})
            secret = recent[1]
        if secret is None:
            self._recent.pop(team_id, None)
            return None
        self._recent[team_id] = (time.monotonic() + OUTAGE_TTL, secret)
        try:
            installation = installation_from_json(self.cipher.decrypt(secret))
        except SecretError:
            log.error("the stored Slack installation cannot be decrypted: was MERIDIAN_SECRET_KEY changed?",
                      extra={"team": team_id})
            return None
        if user_id is not None and installation.user_id != user_id:
            # Meridian only uses the bot token: the workspace's installation serves every user.
            installation.user_token = None
        return installation

    async def async_find_bot(self, *, enterprise_id: Optional[str], team_id: Optional[str],
                             is_enterprise_install: Optional[bool] = False) -> Optional[Bot]:
        installation = await self.async_find_installation(enterprise_id=enterprise_id, team_id=team_id)
        return installation.to_bot() if installation is not None and installation.bot_token else None

    async def bot_token(self, team_id: str) -> str | None:
        bot = await self.async_find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot is not None else None


class SlackStateStore(AsyncOAuthStateStore):
    """One-time OAuth `state` values, so an install redirect cannot be forged or replayed."""

    def __init__(self, core: Meridian, *, expiration_seconds: int = 600, clock: Clock | None = None) -> None:
        self.core = core
        self.expiration = timedelta(seconds=expiration_seconds)
        self.clock = clock or SystemClock()

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(32)
        now = to_utc(self.clock.now())
        await asyncio.to_thread(self.core.issue_oauth_state, PLATFORM, state, now + self.expiration, now=now)
        return state

    async def async_consume(self, state: str) -> bool:
        if not state or len(state) > 128:
            return False
        return await asyncio.to_thread(self.core.consume_oauth_state, PLATFORM, state, self.clock.now())
