"""Every page in the eight languages: each message the dashboard shows is translated in every catalog
(the dashboard's own, or the bot's for the words they share), with the same placeholders."""
from __future__ import annotations

import re
import string

import pytest

from web.i18n import LOCALES, WebTranslator, catalog, supported
from web.messages import missing, used_messages


@pytest.mark.parametrize("locale", [code for code in LOCALES if code != "en"])
def test_every_message_is_translated(locale: str) -> None:
    assert missing(locale) == []


@pytest.mark.parametrize("locale", [code for code in LOCALES if code != "en"])
def test_translations_keep_their_placeholders(locale: str) -> None:
    fields = lambda text: {name for _, name, _, _ in string.Formatter().parse(text) if name}  # noqa: E731
    used = used_messages()
    for msgid, msgstr in catalog(locale).items():
        assert fields(msgid) == fields(msgstr), (locale, msgid)
        assert msgid in used, f"{locale}: {msgid!r} is no longer used"


def test_direction_and_fallbacks() -> None:
    assert [code for code in LOCALES if WebTranslator(code).rtl] == ["ar"]
    assert WebTranslator("ar").dir == "rtl" and WebTranslator("ar").lang == "ar"
    assert supported("pt-PT") == "pt_BR" and supported("es_MX") == "es" and supported("sv") == "en"
    assert WebTranslator("de")._("Settings") == "Einstellungen"
    assert re.match(r"^\d", WebTranslator("en")._("{n} off", n=3))
