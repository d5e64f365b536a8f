"""deploy/slack-manifest.yaml stays in step with the code: every command routes, every scope and event is used."""
from __future__ import annotations

from pathlib import Path

import yaml

from adapters.slack.app import BOT_SCOPES, CATCH_ALL_COMMAND, EVENTS_PATH, REDIRECT_PATH
from bot.router import top_level_commands

MANIFEST = yaml.safe_load((Path(__file__).parents[2] / "deploy" / "slack-manifest.yaml").read_text())
ASKED_FOR = {"tz", "time", "when", "standup", "coffee", "holidays", "meet", "away", "profile"}


def test_every_slash_command_is_a_core_command_and_all_the_issue_asks_for_are_there() -> None:
    commands = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    assert {f"/{name}" for name in ASKED_FOR} | {CATCH_ALL_COMMAND} == commands
    assert ASKED_FOR <= set(top_level_commands())
    for command in MANIFEST["features"]["slash_commands"]:
        assert command["url"].endswith(EVENTS_PATH) and command["should_escape"] is True   # mentions as <@U…>
        assert len(command["description"]) <= 100 and len(command.get("usage_hint", "")) <= 100


def test_scopes_events_and_interactivity_match_what_the_adapter_uses() -> None:
    assert tuple(MANIFEST["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
    assert all(url.endswith(REDIRECT_PATH) for url in MANIFEST["oauth_config"]["redirect_urls"])
    settings = MANIFEST["settings"]
    assert settings["interactivity"]["is_enabled"] and settings["interactivity"]["request_url"].endswith(EVENTS_PATH)
    assert settings["event_subscriptions"]["request_url"].endswith(EVENTS_PATH)
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_home_opened", "app_uninstalled", "tokens_revoked", "user_change", "message.im"}
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
