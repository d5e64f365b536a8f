"""deploy/slack-manifest.yaml stays in step with the code: every command routes, every scope and event is used."""
from __future__ import annotations

import re
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


# What each Web API method and event of the Slack adapter needs (docs.slack.dev, "Required scopes").
METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"}, "chat_update": {"chat:write"}, "users_info": {"users:read"},
    "conversations_open": {"im:write", "mpim:write"}, "conversations_list": {"channels:read", "groups:read"},
    "conversations_history": {"channels:history", "groups:history", "im:history", "mpim:history"},
    "files_upload_v2": {"files:write"}, "views_open": set(), "views_publish": set(), "auth_test": set(),
    "chat_delete": {"chat:write"}, "chat_postEphemeral": {"chat:write"},
    "conversations_members": {"channels:read", "groups:read"},
}
EVENT_SCOPES = {"message.im": {"im:history"}, "user_change": {"users:read"}, "app_home_opened": set(),
                "app_uninstalled": set(), "tokens_revoked": set(), "message.channels": {"channels:history"},
                "message.groups": {"groups:history"}, "reaction_added": {"reactions:read"}}
# Not tied to one call: slash commands, and posting to public channels the bot was not invited to.
DECLARED_BY_FEATURE = {"commands", "chat:write.public"}


def test_the_scopes_are_exactly_what_the_code_calls_and_each_is_explained() -> None:
    """Least privilege: every scope asked for is needed by a Web API call or event in adapters/slack/, and
    every call is covered. Adding a scope means adding the code (and its line in SCOPE_USES) that needs it."""
    from adapters.slack.app import SCOPE_USES

    source = "\n".join(p.read_text() for p in (Path(__file__).parents[2] / "adapters" / "slack").glob("*.py"))
    called = set(re.findall(r"client\.(\w+)\b", source)) & set(METHOD_SCOPES) | {
        m for m in re.findall(r"client\.(\w+)[,(]", source) if not m.startswith("_")}
    assert called <= set(METHOD_SCOPES), f"add the scopes of {called - set(METHOD_SCOPES)} to METHOD_SCOPES"
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    needed = set().union(*(METHOD_SCOPES[m] for m in called), *(EVENT_SCOPES[e] for e in events)) | DECLARED_BY_FEATURE
    assert set(BOT_SCOPES) == needed
    assert set(SCOPE_USES) == set(BOT_SCOPES) and all(len(use) > 20 for use in SCOPE_USES.values())
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for scope in BOT_SCOPES:
        assert f"| `{scope}` |" in readme, f"README's scope table lacks {scope}"
