"""deploy/slack-manifest.yaml stays in step with the code: every command routes, every scope and event is used."""
from __future__ import annotations

from pathlib import Path

import yaml

from adapters.slack.app import BOT_SCOPES, CATCH_ALL_COMMAND, EVENTS_PATH, REDIRECT_PATH
from adapters.slack.conversion import SHORTCUT_CALLBACK
from bot.router import top_level_commands

MANIFEST = yaml.safe_load((Path(__file__).parents[2] / "deploy" / "slack-manifest.yaml").read_text())
ASKED_FOR = {"tz", "time", "when", "standup", "coffee", "holidays", "meet", "away", "profile", "convert"}


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
        "app_home_opened", "app_uninstalled", "tokens_revoked", "user_change", "message.im",
        "message.channels", "message.groups", "reaction_added"}                # time conversion in channels
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True


def test_conversion_asks_for_its_shortcut_events_and_one_scope_and_nothing_more() -> None:
    """Channel messages (message.channels/groups: channels:history, groups:history, already there for
    conversations.history), the clock reaction (reaction_added: reactions:read) and the message shortcut."""
    [shortcut] = MANIFEST["features"]["shortcuts"]
    assert shortcut["type"] == "message" and shortcut["callback_id"] == SHORTCUT_CALLBACK
    assert shortcut["name"] == "Show times in my zone" and len(shortcut["description"]) <= 80
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert {"reactions:read", "channels:history", "groups:history", "channels:read", "groups:read"} <= scopes
    assert not scopes & {"reactions:write", "chat:write.customize", "channels:manage", "users:read.email"}
