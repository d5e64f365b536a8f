"""From a Discord interaction to the core and back: slash commands, button presses and modal submissions.

The core is synchronous (one database unit of work per request), so it runs in a worker thread.
Discord wants an answer within 3 seconds: when the core has not finished after `defer_after`
seconds, the interaction is deferred ("Meridian is thinking…") and the reply edits that message.
A Form can only open as a modal in the first response; after a defer it becomes a button that
opens it. Discord tells us no time zone, so while a member's zone is unknown (the core says so on
the Reply, with the reader's language) every answer also asks for it (the /tz set command with
autocomplete, or a button that opens a one-field modal).
"""
from __future__ import annotations

import asyncio
import logging
import secrets
from collections import OrderedDict
from dataclasses import replace
from typing import Callable

import discord

from bot.core import ActionRequest, CommandRequest, Meridian
from bot.i18n import Translator
from bot.members import Identity
from bot.reply import Button, Form, FormField, Reply

from adapters.common import command_line
from adapters.discord import ids, render

log = logging.getLogger(__name__)

PLATFORM = "discord"
ZONE_COMMAND = ("tz", "set")
ZONE_FIELD = "zone"
DEFER_AFTER_SECONDS = 2.0       # Discord's limit is 3 s, including the round trip of our answer
MAX_PENDING_FORMS = 1000


def identity(interaction: discord.Interaction, guild_id: str | int | None) -> Identity | None:
    """The member as the core sees them. `guild_id` comes from the interaction, or from a DM button's custom id."""
    if not guild_id:
        return None
    in_guild = interaction.guild_id is not None and str(interaction.guild_id) == str(guild_id)
    guild = interaction.guild if in_guild else None
    user = interaction.user
    return Identity(platform=PLATFORM, workspace_id=str(guild_id), user_id=str(user.id),
                    workspace_name=(guild.name or "") if guild is not None else "",
                    user_name=user.display_name, locale=str(interaction.locale),
                    is_admin=in_guild and interaction.permissions.manage_guild,
                    channel=str(interaction.channel_id) if in_guild and interaction.channel_id else None)


class InteractionRouter:
    def __init__(self, core: Meridian, *, defer_after: float = DEFER_AFTER_SECONDS) -> None:
        self.core = core
        self.defer_after = defer_after
        self.command_ids: dict[str, int] = {}            # top-level command name → id, known after sync
        self._forms: OrderedDict[str, tuple[Form, str]] = OrderedDict()

    # --- entry points -----------------------------------------------------------------------------
    async def command(self, interaction: discord.Interaction, path: tuple[str, ...], args: str) -> None:
        """A slash command from the tree: '/tz set' with args 'Kathmandu' → CommandRequest('/tz set Kathmandu')."""
        who = identity(interaction, interaction.guild_id)
        if who is None:
            await self._outside_guild(interaction)
            return
        text = command_line(path, args)
        await self.answer(interaction, who, lambda: self.core.handle(CommandRequest(who, text)))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Buttons and modals we sent (any message, any age, any shard); slash commands go through the tree."""
        if interaction.type is discord.InteractionType.component:
            await self.press(interaction)
        elif interaction.type is discord.InteractionType.modal_submit:
            await self.submit(interaction)

    async def press(self, interaction: discord.Interaction) -> None:
        target = ids.decode(str((interaction.data or {}).get("custom_id", "")))
        if target is None:
            return
        guild_id = str(interaction.guild_id or target.guild_id)
        who = identity(interaction, guild_id)
        if who is None:
            await self._outside_guild(interaction)
            return
        if target.action == ids.ZONE_ACTION:
            await interaction.response.send_modal(render.modal(zone_form(Translator(who.locale)), guild_id))
            return
        if target.action == ids.FORM_ACTION:
            kept = self._forms.pop(target.value, None)
            if kept is None:
                await say_error(interaction, Translator(who.locale)._("This form has expired. Please run the command again."))
                return
            await interaction.response.send_modal(render.modal(kept[0], kept[1]))
            return
        await self.answer(interaction, who, lambda: self.core.handle_action(ActionRequest(who, target.action, target.value)))

    async def submit(self, interaction: discord.Interaction) -> None:
        target = ids.decode(str((interaction.data or {}).get("custom_id", "")))
        if target is None:
            return
        who = identity(interaction, interaction.guild_id or target.guild_id)
        if who is None:
            await self._outside_guild(interaction)
            return
        fields = render.submitted_fields(interaction.data)
        if target.action == ids.ZONE_ACTION:
            text = command_line(ZONE_COMMAND, fields.get(ZONE_FIELD, ""))
            await self.answer(interaction, who, lambda: self.core.handle(CommandRequest(who, text)))
            return
        request = ActionRequest(who, target.action, target.value, fields)
        await self.answer(interaction, who, lambda: self.core.handle_action(request))

    # --- answering ----------------------------------------------------------------------------------
    async def answer(self, interaction: discord.Interaction, who: Identity, call: Callable[[], Reply]) -> None:
        """Run the core off the event loop; defer if it takes longer than Discord will wait."""
        work = asyncio.ensure_future(asyncio.to_thread(call))
        done, _ = await asyncio.wait({work}, timeout=self.defer_after)
        deferred = not done
        if deferred:
            await interaction.response.defer(ephemeral=True, thinking=True)
        await self.respond(interaction, who, await work, deferred=deferred)

    async def respond(self, interaction: discord.Interaction, who: Identity, reply: Reply, *, deferred: bool) -> None:
        """Show the core's reply; what the adapter adds is in the reader's language, which the reply carries."""
        tr, guild_id, needs_zone = Translator(reply.locale), who.workspace_id, not reply.zone_known
        if reply.form is not None:
            can_open = not deferred and interaction.type is not discord.InteractionType.modal_submit
            try:
                window = render.modal(reply.form, guild_id)
            except ValueError:
                log.exception("form %r cannot be shown on Discord", reply.form.action)
                reply = Reply(text=tr._("This form does not fit in a Discord window. Please use the command's text options instead."),
                              error=True, rtl=reply.rtl)
            else:
                if can_open:
                    await interaction.response.send_modal(window)
                    return
                reply = self._form_button(reply, tr, guild_id)
        # The zone question goes with private answers; after a public one it follows privately.
        ask_after = needs_zone and not reply.ephemeral
        notes: tuple[str, ...] = ()
        if needs_zone and reply.ephemeral:
            reply, notes = self.with_zone_question(reply, tr), self.zone_notes(tr)
        rendered = render.render(reply, guild_id=guild_id, notes=notes)
        if not deferred:
            await interaction.response.send_message(**rendered.send_kwargs(), ephemeral=reply.ephemeral)
        elif reply.ephemeral:
            await interaction.edit_original_response(**rendered.edit_kwargs())
        else:
            # The "thinking" message was private; a public answer replaces it with a new message.
            await interaction.delete_original_response()
            await interaction.followup.send(**rendered.send_kwargs(), ephemeral=False)
        if ask_after:
            question = render.render(self.with_zone_question(Reply(), tr), guild_id=guild_id, notes=self.zone_notes(tr))
            await interaction.followup.send(**question.send_kwargs(), ephemeral=True)

    def _form_button(self, reply: Reply, tr: Translator, guild_id: str) -> Reply:
        """A Form that cannot open now (after a defer, or in answer to a modal) waits behind a button."""
        form = reply.form
        assert form is not None
        token = secrets.token_hex(8)
        self._forms[token] = (form, guild_id)
        while len(self._forms) > MAX_PENDING_FORMS:
            self._forms.popitem(last=False)
        label = form.title or form.submit_label or tr._("Open the form")
        return replace(reply, form=None, text=reply.text or tr._("Press the button to open the form."),
                       buttons=[Button(label, ids.FORM_ACTION, token, "primary"), *reply.buttons])

    def zone_notes(self, tr: Translator) -> tuple[str, ...]:
        """Asking for the zone Discord does not give us, with a clickable /tz set (it autocompletes cities)."""
        command_id = self.command_ids.get(ZONE_COMMAND[0])
        name = " ".join(ZONE_COMMAND)
        command = f"</{name}:{command_id}>" if command_id else f"`/{name}`"
        return ("🌍 " + tr._("What is your time zone? Until you tell me, I show your times in UTC. "
                             "Use {command} (start typing your city) or the button below.", command=command),)

    @staticmethod
    def with_zone_question(reply: Reply, tr: Translator) -> Reply:
        return replace(reply, buttons=[*reply.buttons, Button(tr._("Set my time zone"), ids.ZONE_ACTION, "", "primary")])

    async def _outside_guild(self, interaction: discord.Interaction) -> None:
        tr = Translator(str(interaction.locale))
        await say_error(interaction, tr._("Meridian works inside a server: each server is its own team."))


async def say_error(interaction: discord.Interaction, text: str) -> None:
    """A short private error, as the first response (or after a defer) to an interaction."""
    rendered = render.render(Reply(text=text, error=True))
    if interaction.response.is_done():
        await interaction.followup.send(**rendered.send_kwargs(), ephemeral=True)
    else:
        await interaction.response.send_message(**rendered.send_kwargs(), ephemeral=True)


def zone_form(tr: Translator) -> Form:
    return Form(action=ids.ZONE_ACTION, title=tr._("Your time zone"),
                fields=(FormField(ZONE_FIELD, tr._("Zone, city or country"), max_length=100),))
