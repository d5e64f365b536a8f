"""Buttons and modals on Discord: raw component and modal-submit payloads routed to the core."""
from __future__ import annotations

from typing import Iterator

import pytest
from sqlalchemy import select

from adapters.discord import DiscordAdapter, ids
from bot.core import Meridian
from bot.models import Member
from bot.reply import Button, Form, FormField, Reply
from bot.router import ACTIONS, COMMANDS, Args, Context, action, command
from bot.text import user_text
from tests.adapters.fake_discord import (GUILD_ID, FakeDiscord, adapter, answer_text, button_press,  # noqa: F401
                                         callbacks, custom_ids, discord_api, interaction, markdown_source,
                                         modal_submit, slash, sqlite_only)

NOTE_FORM = "discordtest.note"
PRESS = "discordtest.press"


@pytest.fixture(autouse=True)
def test_only_handlers() -> Iterator[None]:
    """A command that opens a form and two actions, registered for these tests only (before the tree is built)."""

    @command("discordtest note", "Write a note (test only)")
    def open_note(ctx: Context, args: Args) -> Reply:
        return Reply(form=Form(NOTE_FORM, "A note", (FormField("note", "Your note", multiline=True),), value="ctx-1"))

    @action(NOTE_FORM)
    def save_note(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
        return Reply(text=f"Saved “{user_text(fields['note'])}” ({value}) for {ctx.member.user_id}")

    @action(PRESS)
    def press(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
        return Reply(text=f"Pressed {value} by {ctx.member.user_id} in {ctx.workspace.external_id}",
                     buttons=[Button("Again", PRESS, value)])

    @command("discordtest announce", "Post for everyone (test only)", admin=True)
    def announce(ctx: Context, args: Args) -> Reply:
        return Reply(text=f"Announced: {user_text(args.raw)}", ephemeral=False)

    yield
    COMMANDS.pop(("discordtest", "note"), None)
    COMMANDS.pop(("discordtest", "announce"), None)
    ACTIONS.pop(NOTE_FORM, None)
    ACTIONS.pop(PRESS, None)


async def deliver(adapter: DiscordAdapter, payload: dict) -> None:  # type: ignore[type-arg]
    """What discord.py does with a gateway INTERACTION_CREATE for a component or modal: our handler runs."""
    await adapter.client.on_interaction(interaction(adapter.client, payload))


@sqlite_only
async def test_a_form_opens_as_a_modal_and_its_submission_reaches_the_action(adapter: DiscordAdapter,
                                                                             discord_api: FakeDiscord) -> None:
    await adapter.tree._call(interaction(adapter.client, slash(adapter.tree, "discordtest note")))  # type: ignore[arg-type]
    opened = callbacks(discord_api)[-1]
    assert opened["type"] == 9                                   # MODAL
    modal = opened["data"]
    assert modal["custom_id"] == f"{NOTE_FORM}|{GUILD_ID}|ctx-1" and modal["title"] == "A note"
    inputs = [c for row in modal["components"] for c in row["components"]]
    assert [(i["custom_id"], i["label"], i["style"]) for i in inputs] == [("note", "Your note", 2)]

    await deliver(adapter, modal_submit(modal["custom_id"], {"note": "ship *it* @everyone"}))
    saved = callbacks(discord_api)[-1]
    assert saved["type"] == 4
    assert "Saved “ship *it* @\u200beveryone” (ctx-1) for 1001" in answer_text(saved)
    assert "ship \\*it\\*" in markdown_source(saved)                  # literal asterisks, not italics
    assert saved["data"]["allowed_mentions"] == {"parse": []}


@sqlite_only
async def test_a_button_press_in_a_dm_reaches_handle_action_in_its_guild(adapter: DiscordAdapter,
                                                                         discord_api: FakeDiscord) -> None:
    custom_id = ids.encode(PRESS, GUILD_ID, "42")
    await deliver(adapter, button_press(custom_id, guild=None))
    reply = callbacks(discord_api)[-1]
    assert reply["type"] == 4
    assert f"Pressed 42 by 1001 in {GUILD_ID}" in answer_text(reply)
    assert custom_id in custom_ids(reply)


async def test_the_zone_button_opens_a_modal_whose_answer_sets_the_zone(core: Meridian, adapter: DiscordAdapter,
                                                                        discord_api: FakeDiscord) -> None:
    await deliver(adapter, button_press(f"{ids.ZONE_ACTION}|{GUILD_ID}|", member_id=4004, name="lucas"))
    opened = callbacks(discord_api)[-1]
    assert opened["type"] == 9
    await deliver(adapter, modal_submit(opened["data"]["custom_id"], {"zone": "São Paulo"}, member_id=4004, name="lucas"))
    answer = callbacks(discord_api)[-1]
    assert "America/Sao_Paulo" in answer_text(answer)
    assert custom_ids(answer) == []                    # the question is answered: no more zone button
    with core.db.session() as session:
        lucas = session.scalar(select(Member).where(Member.user_id == "4004"))
        assert lucas is not None and (lucas.tz, lucas.tz_source, lucas.name) == ("America/Sao_Paulo", "user", "Lucas")


@sqlite_only
async def test_a_form_after_a_defer_waits_behind_a_button(adapter: DiscordAdapter, discord_api: FakeDiscord) -> None:
    adapter.router.defer_after = 0
    await adapter.tree._call(interaction(adapter.client, slash(adapter.tree, "discordtest note")))  # type: ignore[arg-type]
    assert callbacks(discord_api)[-1]["type"] == 5
    (edit,) = discord_api.requests("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    opener = next(i for i in custom_ids(edit.body) if i.startswith(ids.FORM_ACTION))
    await deliver(adapter, button_press(opener))
    assert callbacks(discord_api)[-1]["type"] == 9
    assert callbacks(discord_api)[-1]["data"]["custom_id"] == f"{NOTE_FORM}|{GUILD_ID}|ctx-1"
    await deliver(adapter, button_press(opener))       # used once: now expired, said plainly
    assert "expired" in answer_text(callbacks(discord_api)[-1])


@sqlite_only
async def test_components_we_did_not_make_are_left_alone(adapter: DiscordAdapter, discord_api: FakeDiscord) -> None:
    await deliver(adapter, button_press("someone-elses-button"))
    assert callbacks(discord_api) == []


@sqlite_only
async def test_a_stale_button_says_so_in_the_members_language(adapter: DiscordAdapter,
                                                              discord_api: FakeDiscord) -> None:
    await deliver(adapter, button_press(ids.encode("feature.that.was.removed", GUILD_ID, "1")))
    reply = callbacks(discord_api)[-1]
    assert "no longer active" in answer_text(reply) and reply["data"]["flags"] == 64


@sqlite_only
async def test_admin_commands_follow_the_manage_server_permission(adapter: DiscordAdapter,
                                                                  discord_api: FakeDiscord) -> None:
    await adapter.tree._call(interaction(adapter.client, slash(adapter.tree, "discordtest announce", "hi")))  # type: ignore[arg-type]
    refused = callbacks(discord_api)[-1]
    assert "admins" in answer_text(refused) and refused["data"]["flags"] == 64
    manage_guild = 1 << 5
    await adapter.tree._call(interaction(adapter.client, slash(adapter.tree, "discordtest announce", "hi",  # type: ignore[arg-type]
                                                               permissions=manage_guild)))
    posted = callbacks(discord_api)[-1]
    assert "Announced: hi" in answer_text(posted) and not posted["data"].get("flags")     # public
    assert ids.ZONE_ACTION not in str(custom_ids(posted))                 # the zone question is not for everyone…
    (question,) = discord_api.requests("POST", r"/webhooks/\d+/[^/]+")
    assert question.body["flags"] == 64 and f"{ids.ZONE_ACTION}|{GUILD_ID}|" in custom_ids(question.body)  # …but private


@sqlite_only
async def test_a_slow_public_answer_replaces_the_private_thinking_message(adapter: DiscordAdapter,
                                                                          discord_api: FakeDiscord) -> None:
    adapter.router.defer_after = 0
    await adapter.tree._call(interaction(adapter.client, slash(adapter.tree, "discordtest announce", "hi",  # type: ignore[arg-type]
                                                               permissions=1 << 5)))
    assert callbacks(discord_api)[-1]["type"] == 5
    assert len(discord_api.requests("DELETE", r"/webhooks/\d+/[^/]+/messages/@original")) == 1
    public, question = discord_api.requests("POST", r"/webhooks/\d+/[^/]+")
    assert "Announced: hi" in answer_text(public.body) and not public.body.get("flags")
    assert question.body["flags"] == 64 and "time zone" in answer_text(question.body)
