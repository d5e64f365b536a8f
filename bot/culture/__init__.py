"""Culture cards: what `/culture <country>` shows about a colleague's country, from maintained data only.

Every fact has a source (the IANA time-zone database, python-holidays, Unicode CLDR through babel,
and one small sourced table of "hello" translations in bot/data/greetings.toml); the card makes no
claims about people. What a person wants colleagues to know they write themselves (bot.people).

`day_span` ("Sun–Thu") is the one way a working week is written; the people feature uses it too.
"""
from bot.culture.cards import MISSING, day_span

__all__ = ["MISSING", "day_span"]
