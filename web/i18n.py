"""The dashboard's words in the reader's language: `web/locales/<locale>.po` first, then the bot's catalogs.

The .po files are read directly (babel), so there is no compile step and nothing to get out of date;
a test checks that every message the templates and handlers use is translated in every language.
Formatting of dates, times, numbers and lists is the bot's `Translator` (babel, CLDR).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from bot.i18n import Translator, normalize_locale

LOCALES_DIR = Path(__file__).with_name("locales")
# The languages of the dashboard, in the order the language menu lists them.
LOCALES = ("en", "ar", "de", "es", "fr", "hi", "ja", "pt_BR")


@lru_cache(maxsize=None)
def catalog(locale: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{locale}.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=locale)
    return {str(m.id): str(m.string) for m in parsed if m.id and m.string and not m.fuzzy}


def supported(locale: str | None) -> str:
    """The dashboard language for a wanted locale: itself, its language, or English."""
    wanted = normalize_locale(locale)
    if wanted in LOCALES:
        return wanted
    language = wanted.split("_")[0]
    return next((code for code in LOCALES if code.split("_")[0] == language), "en")


class WebTranslator(Translator):
    """A `Translator` whose messages come from the dashboard's catalog before the bot's."""

    def __init__(self, locale: str | None = None) -> None:
        super().__init__(supported(locale))
        self._web = catalog(self.locale_id)

    def _(self, message: str, /, **params: object) -> str:
        text = self._web.get(message) or self._catalog.gettext(message)
        return text.format(**params) if params else text

    @property
    def dir(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def lang(self) -> str:
        return self.locale_id.replace("_", "-")
