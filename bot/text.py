"""Keeping what members type safe to show: no mention injection, no markup breakage, on any platform.

Anything a member wrote (names, notes, standup answers, meeting titles) passes through `user_text`
before it is put into a reply. Adapters still escape for their own syntax; this is the
platform-neutral half: mass mentions and control characters are neutralised here.
"""
from __future__ import annotations

import re
import unicodedata

MAX_INPUT = 2000
ZERO_WIDTH_SPACE = "\u200b"
_MASS_MENTION = re.compile(r"@(?=(everyone|here|channel)\b)", re.IGNORECASE)
_PLATFORM_MENTION = re.compile(r"<(?=[@#!])")
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None)


def clean_input(text: str) -> str:
    """Normalise typed input: NFC, no control characters (tabs become spaces), trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if c in "\t\r" else c for c in text
                   if c == "\n" or c == "\t" or unicodedata.category(c) not in ("Cc", "Cs", "Co", "Cn"))
    return text.strip()


def user_text(text: str | None, limit: int = 500) -> str:
    """A member's own words made safe to display anywhere: no @everyone, no <@…> links, no bidi tricks."""
    if not text:
        return ""
    text = clean_input(text).translate(_BIDI_CONTROLS)
    text = _MASS_MENTION.sub("@" + ZERO_WIDTH_SPACE, text)
    text = _PLATFORM_MENTION.sub("<" + ZERO_WIDTH_SPACE, text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def one_line(text: str | None, limit: int = 200) -> str:
    return user_text((text or "").replace("\n", " "), limit)


_CHANNEL_NAME = re.compile(r"^[^\s#<>@]{1,80}$")


def channel_name(text: str) -> str | None:
    """'#general', 'general' or Slack's 'C0123' -> 'general' / 'C0123'; None when it cannot be a channel."""
    name = text.strip().lstrip("#").strip()
    return name if _CHANNEL_NAME.match(name) else None
