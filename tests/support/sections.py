"""Reading a Reply's titled sections as plain text, for the culture-card and /whois tests."""
from __future__ import annotations

from bot.reply import Reply
from tests.conftest import plain


def section(reply: Reply, title: str) -> list[str]:
    found = [s for s in reply.sections if s.title == title]
    assert found, f"no section {title!r} in {[s.title for s in reply.sections]}"
    return [plain(line) for line in found[0].lines]
