"""Replies as Discord sees them: an embed, buttons, a modal for a Form, an attachment for an image.

The core's text is plain and already free of mention tricks (bot.text); here it is escaped for
Discord markdown, cut to Discord's limits, and given Discord-only extras: a <t:…:F> timestamp
beside every stated moment, so each reader also sees it in their own zone, and mention pills
for '@user_id'. Mentions never ping: every message goes out with AllowedMentions.none().
Content that does not fit is reported through adapters.limits (an error in tests): the features
summarise, page or split; this layer never cuts silently.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import discord
from discord.utils import escape_markdown

from bot.reply import Button, Form, Reply

from adapters.discord import ids
from adapters.limits import overflow

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
RTL_MARK = "\u200f"
BLANK = "\u200b"
COLOUR = discord.Colour(0x3B82F6)
ERROR_COLOUR = discord.Colour(0xD9534F)

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_MAX, DESCRIPTION_MAX, FIELDS_MAX, FIELD_NAME_MAX, FIELD_VALUE_MAX = 256, 4096, 25, 256, 1024
CONTENT_MAX, BUTTON_LABEL_MAX, BUTTONS_MAX = 2000, 80, 25          # 25 buttons: 5 action rows of 5
EMBED_TOTAL_MAX = 6000                                             # title + description + fields, per embed
MODAL_TITLE_MAX, MODAL_FIELDS_MAX, INPUT_LABEL_MAX, INPUT_MAX = 45, 5, 45, 4000

_USER_ID = re.compile(r"(?<![<\w])@(\d{15,21})\b")
_CHANNEL_ID = re.compile(r"(?<![<\w])\\?#(\d{15,21})\b")
_STYLES = {"primary": discord.ButtonStyle.primary, "danger": discord.ButtonStyle.danger}


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fit(text: str, limit: int, what: str) -> str:
    """`text` cut to `limit`, reporting the cut (adapters.limits): content a reader would lose."""
    if len(text) > limit:
        overflow("discord", what, len(text), limit)
    return cut(text, limit)


def markdown(text: str, rtl: bool = False) -> str:
    """Plain core text made literal for Discord; '@123…' and '#123…' (Discord ids, as the core writes
    members and channels it knows only by id) become a silent mention pill and a channel link."""
    text = _CHANNEL_ID.sub(r"<#\1>", _USER_ID.sub(r"<@\1>", escape_markdown(text)))
    if rtl:
        text = "\n".join(RTL_MARK + line for line in text.split("\n"))
    return text


def timestamp(instant: datetime) -> str:
    """The moment in every reader's own zone and language, rendered by their Discord client."""
    seconds = int(instant.timestamp())
    return f"🕒 <t:{seconds}:F> (<t:{seconds}:R>)"


@dataclass
class Rendered:
    """Keyword arguments for send_message / channel.send / edit, built fresh for each send (files are streams)."""

    content: str | None
    embeds: list[discord.Embed]
    buttons: list[discord.ui.Button[Any]] = field(default_factory=list)
    image: Path | None = None
    image_alt: str = ""

    def view(self) -> discord.ui.View | None:
        if not self.buttons:
            return None
        # Clicks are routed statelessly by custom id (adapters.discord.interactions); the view store only
        # needs to remember these briefly, so a short timeout keeps it from growing.
        view = discord.ui.View(timeout=60)
        for button in self.buttons:
            view.add_item(button)
        return view

    def file(self) -> discord.File | None:
        if self.image is None:
            return None
        return discord.File(self.image, filename=self.image.name, description=self.image_alt[:1024] or None)

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"embeds": self.embeds, "allowed_mentions": NO_MENTIONS}
        if self.content:
            kwargs["content"] = self.content
        view, file = self.view(), self.file()
        if view is not None:
            kwargs["view"] = view
        if file is not None:
            kwargs["file"] = file
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        """For editing a message in place: everything is replaced, including buttons and attachments."""
        file = self.file()
        return {"content": self.content, "embeds": self.embeds, "view": self.view(),
                "attachments": [file] if file else [], "allowed_mentions": NO_MENTIONS}


def render(reply: Reply, *, guild_id: str | int | None = None, headline: bool = False,
           notes: tuple[str, ...] = ()) -> Rendered:
    """A Reply as an embed with buttons. `headline` puts the title in the message text (DM notifications
    show it); `notes` are adapter-written markdown lines (e.g. the time-zone question) in a second embed."""
    rtl = reply.rtl
    content: str | None = None
    title = reply.title
    if headline and title:
        content = fit("**" + markdown(title, rtl) + "**", CONTENT_MAX, "the message text")
        title = None
    description_parts = []
    if reply.instant is not None:
        description_parts.append(timestamp(reply.instant))
    for words, instant in reply.instants[:FIELDS_MAX]:
        description_parts.append(f"**{markdown(cut(words, FIELD_NAME_MAX), rtl)}** {timestamp(instant)}")
    if reply.text:
        description_parts.append(markdown(reply.text, rtl))
    embed = discord.Embed(title=fit(markdown(title, rtl), TITLE_MAX, "the embed title") if title else None,
                          description=fit("\n".join(description_parts), DESCRIPTION_MAX, "the embed description") or None,
                          colour=ERROR_COLOUR if reply.error else COLOUR)
    for section in reply.sections[:FIELDS_MAX]:
        value = markdown("\n".join(section.lines), rtl) if section.lines else BLANK
        embed.add_field(name=fit(markdown(section.title, rtl), FIELD_NAME_MAX, "a field name") if section.title else BLANK,
                        value=fit(value, FIELD_VALUE_MAX, "a field value"), inline=False)
    if len(reply.sections) > FIELDS_MAX:
        overflow("discord", "the number of embed fields", len(reply.sections), FIELDS_MAX)
    if len(embed) > EMBED_TOTAL_MAX:
        overflow("discord", "the characters of an embed", len(embed), EMBED_TOTAL_MAX)
    if reply.image is not None:
        embed.set_image(url=f"attachment://{reply.image.name}")
    embeds = [embed] if (embed.title or embed.description or embed.fields or embed.image) else []
    if notes:
        embeds.append(discord.Embed(description=fit("\n".join(notes), DESCRIPTION_MAX, "the notes"), colour=COLOUR))
    if len(reply.buttons) > BUTTONS_MAX:
        overflow("discord", "the number of buttons", len(reply.buttons), BUTTONS_MAX)
    buttons = [b for b in (button(item, guild_id) for item in reply.buttons[:BUTTONS_MAX]) if b is not None]
    return Rendered(content, embeds, buttons, reply.image, reply.image_alt)


def button(item: Button, guild_id: str | int | None) -> discord.ui.Button[Any] | None:
    try:
        custom_id = ids.encode(item.action, guild_id, item.value)
    except ids.CustomIdTooLong:
        log.error("button %r dropped: its action and value do not fit Discord's custom id", item.action)
        return None
    return discord.ui.Button(label=fit(item.label, BUTTON_LABEL_MAX, "a button label"), custom_id=custom_id,
                             style=_STYLES.get(item.style, discord.ButtonStyle.secondary))


def modal(form: Form, guild_id: str | int | None) -> discord.ui.Modal:
    """A core Form as a Discord modal; its submission comes back with the same custom id."""
    if len(form.fields) > MODAL_FIELDS_MAX:
        raise ValueError(f"form {form.action!r} has {len(form.fields)} fields; a Discord modal holds {MODAL_FIELDS_MAX}")
    view = discord.ui.Modal(title=cut(form.title, MODAL_TITLE_MAX), custom_id=ids.encode(form.action, guild_id, form.value),
                            timeout=600)
    for item in form.fields:
        view.add_item(discord.ui.TextInput(
            label=cut(item.label, INPUT_LABEL_MAX), custom_id=item.name, default=item.value or None,
            required=item.required, max_length=min(item.max_length, INPUT_MAX),
            style=discord.TextStyle.paragraph if item.multiline else discord.TextStyle.short))
    return view


def submitted_fields(data: Any) -> dict[str, str]:
    """{custom_id: value} of every text input in a modal submission, whatever rows or labels wrap them."""
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == discord.ComponentType.text_input.value and "custom_id" in node:
                found[str(node["custom_id"])] = str(node.get("value") or "")
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk((data or {}).get("components", []))
    return found
