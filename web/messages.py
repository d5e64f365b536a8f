"""The messages the dashboard shows: found in its templates and handlers (calls of the underscore function), for the catalogs' test
and for `python -m web.messages`, which lists those a language's catalog (web or bot) lacks."""
from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
_CALL = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def used_messages() -> set[str]:
    found: set[str] = set()
    files = sorted((HERE / "templates").glob("*.html")) + sorted(HERE.glob("*.py"))
    for path in files:
        for match in _CALL.finditer(path.read_text(encoding="utf-8")):
            text = match.group(1) if match.group(1) is not None else match.group(2)
            found.add(text.encode().decode("unicode_escape").encode("latin-1").decode("utf-8") if "\\" in text else text)
    return found


def missing(locale: str) -> list[str]:
    from bot.i18n import Translator
    from web.i18n import catalog

    web_catalog = catalog(locale)
    bot = Translator(locale)._catalog
    return sorted(m for m in used_messages() if m not in web_catalog and bot.gettext(m) == m)


if __name__ == "__main__":  # pragma: no cover
    for code in sys.argv[1:]:
        for message in missing(code):
            print(f"{code}\t{message}")
