"""Plain-text rendering of replies and outbound messages for the terminal."""
from __future__ import annotations

from bot.reply import Outbound, Reply

RTL_MARK = "\u200f"


def render_reply(reply: Reply) -> str:
    text = reply.as_text()
    if reply.error:
        text = "✗ " + text
    if reply.rtl:
        text = "\n".join(RTL_MARK + line for line in text.splitlines())
    return text


def render_outbound(message: Outbound) -> str:
    to = message.to if isinstance(message.to, str) else ", ".join(message.to)
    return f"[{message.kind} → {to}]\n{render_reply(message.reply)}"
