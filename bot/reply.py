"""Platform-neutral replies and outbound messages. Adapters render these; the core never formats for a platform.

Text is plain: no Slack mrkdwn, no Discord markdown. Structure (title, sections, fields, buttons,
forms) is data, so each adapter can render it idiomatically (Block Kit, embeds and views, plain text).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Button:
    label: str
    action: str          # routed back to the core as an Action with this id
    value: str = ""
    style: str = ""      # "" | "primary" | "danger"


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    value: str = ""
    multiline: bool = False
    required: bool = True
    max_length: int = 2000


@dataclass(frozen=True)
class Form:
    """A modal (Slack, Discord) or a sequence of prompts (console)."""

    action: str
    title: str
    fields: tuple[FormField, ...]
    value: str = ""           # opaque context handed back with the submission
    submit_label: str = ""


@dataclass(frozen=True)
class Section:
    title: str | None = None
    lines: tuple[str, ...] = ()


@dataclass
class Reply:
    text: str = ""                         # the main text, also the notification/fallback text
    title: str | None = None
    sections: list[Section] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    form: Form | None = None               # when set, the adapter opens it
    image: Path | None = None              # a PNG to upload
    image_alt: str = ""
    ephemeral: bool = True                 # only the asker sees it (where the platform allows)
    error: bool = False
    rtl: bool = False                      # the reader's language runs right to left
    instant: datetime | None = None        # the moment this reply is about: adapters that can show it in
                                           # each reader's own zone do (Discord <t:…:F>)
    instants: list[tuple[str, datetime]] = field(default_factory=list)  # more moments, each with the words
                                           # that named it ("3pm CET"): adapters that can show them in each reader's
                                           # zone do (Discord <t:…:F>); the text already says them for the others
    locale: str | None = None              # the reader's language, set by the core: adapters word what they
                                           # add (a zone question, a form button) in it, never re-reading the member
    zone_known: bool = True                # False while neither the reader nor their platform has told us their
                                           # zone (the core sets it; Discord then asks for it)

    def add(self, title: str | None, lines: list[str] | tuple[str, ...]) -> "Reply":
        self.sections.append(Section(title, tuple(lines)))
        return self

    def as_text(self) -> str:
        """The whole reply as plain text: the console's rendering and every adapter's fallback."""
        parts: list[str] = []
        if self.title:
            parts.append(self.title)
        if self.text:
            parts.append(self.text)
        for section in self.sections:
            block = ([section.title] if section.title else []) + [f"  {line}" for line in section.lines]
            parts.append("\n".join(block))
        if self.buttons:
            parts.append("  ".join(f"[{b.label}]" for b in self.buttons))
        if self.image:
            parts.append(f"{self.image_alt or 'image'}: {self.image}")
        return "\n".join(parts)


@dataclass
class Outbound:
    """A message the scheduler (or a handler) sends without being asked: a DM, a group DM or a channel post."""

    kind: str
    workspace_id: int
    to: str | list[str]                    # member user id, list of user ids (group DM) or "#channel"
    reply: Reply
    local_time: datetime | None = None     # the recipient's local time at sending, for one member
    update_key: str | None = None          # messages with the same update key replace the earlier one
    dedupe_key: str = ""                   # set by the scheduler: occurrence id and part

    def __post_init__(self) -> None:
        # Builders of scheduled messages write in the reader's language but need not remember the
        # direction: a reply written mostly in a right-to-left script is marked so here.
        if not self.reply.rtl:
            self.reply.rtl = mostly_right_to_left(self.reply.as_text())

    @property
    def is_channel(self) -> bool:
        return isinstance(self.to, str) and self.to.startswith("#")


def mostly_right_to_left(text: str) -> bool:
    """True when most strongly directional letters are Arabic, Hebrew or another RTL script."""
    rtl = ltr = 0
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            rtl += 1
        elif direction == "L":
            ltr += 1
    return rtl > ltr
