"""Small helpers every chat adapter needs the same way (Slack and Discord). Keep this module small.

The core expects mentions as '@user_id' (see bot.router.Args); both platforms write them as
'<@ID>' in text, Slack sometimes with a label ('<@U123|amara>'), Discord legacy clients as '<@!123>'.
"""
from __future__ import annotations

import re

_MENTION = re.compile(r"<([@#])!?([A-Za-z0-9]+)(?:\|[^>]*)?>")


def normalize_mentions(text: str) -> str:
    """'<@U123|amara>', '<@!123>' and '<@123>' become '@U123' / '@123', each its own word for the core;
    channel mentions ('<#C123|general>', '<#123>') become '#C123' / '#123', which both platforms post to."""
    def word(match: re.Match[str]) -> str:
        before = " " if match.start() > 0 and not text[match.start() - 1].isspace() else ""
        after = " " if match.end() < len(text) and not text[match.end()].isspace() else ""
        return f"{before}{match.group(1)}{match.group(2)}{after}"

    return _MENTION.sub(word, text)


def command_line(path: tuple[str, ...] | list[str], args: str = "") -> str:
    """The text the core parses for a command chosen from a platform's menu plus its free-text arguments."""
    line = "/" + " ".join(path)
    args = normalize_mentions(args or "").strip()
    return f"{line} {args}" if args else line
