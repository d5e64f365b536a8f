"""Which chat platforms run, decided from the settings alone: the one factory `meridian serve` asks.

Each entry of PLATFORMS reads the settings and answers None (not configured), raises ConfigError
(half-configured: nothing may start), or returns how to build its adapter once the core exists.

    Slack   SLACK_APP_TOKEN + SLACK_BOT_TOKEN          Socket Mode, one workspace, no public URL
            SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET     HTTP, one workspace
            SLACK_CLIENT_ID/SECRET + SLACK_SIGNING_SECRET + MERIDIAN_SECRET_KEY   HTTP with OAuth, many
    Discord DISCORD_TOKEN

A new platform adds its package under adapters/ (an object that is a `adapters.base.PlatformAdapter`)
and one entry here. A platform's library is imported only when it is configured.
"""
from __future__ import annotations

from typing import Callable

from bot.config import Settings
from bot.core import Meridian

from adapters.base import PlatformAdapter

Build = Callable[[Meridian], PlatformAdapter]


def _slack(settings: Settings) -> Build | None:
    from adapters.slack.app import SlackAdapter, slack_mode

    mode = slack_mode(settings)
    if mode is None:
        return None
    return lambda core: SlackAdapter(core, settings, mode=mode)


def _discord(settings: Settings) -> Build | None:
    if not settings.discord_token:
        return None

    def build(core: Meridian) -> PlatformAdapter:
        from adapters.discord.adapter import DiscordAdapter

        return DiscordAdapter(core, settings)
    return build


PLATFORMS: tuple[Callable[[Settings], Build | None], ...] = (_slack, _discord)   # also the start order


def configured_adapters(settings: Settings) -> list[Build]:
    """A builder for each configured platform; a half-configured one raises ConfigError now, before the
    database is opened or anything started."""
    return [build for platform in PLATFORMS if (build := platform(settings)) is not None]
