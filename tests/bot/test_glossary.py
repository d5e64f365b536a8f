"""The glossary (docs/translating/glossary.toml) holds: one translation per concept, in every message.

A translator who writes "reminder" one way in a help text and another way in a scheduled message, or
brings back a wording the native review rejected ("gepaart", "vosotros", "اقتران"), fails here with the
message named. docs/TRANSLATING.md describes how to change a term.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "translating" / "glossary.toml"
SHIPPED = ("de", "es", "fr", "pt_BR", "ja", "hi", "ar")

# What is not prose in an English message: placeholders, slash commands with their literal words, #channels.
_NOT_PROSE = re.compile(r"\{[^}]*\}|/[a-z][\w-]*(?: (?:[a-z0-9@#][\w@#:.|-]*|<[^>]*>|\[[^\]]*\]|\|))*|#[\w-]+")


@lru_cache(maxsize=1)
def glossary() -> dict:
    with GLOSSARY.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=8)
def catalog(locale: str) -> Catalog:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "meridian.po").open("rb") as handle:
        return read_po(handle)


def prose(message_id: str) -> str:
    return _NOT_PROSE.sub(" ", message_id)


def translations(locale: str) -> list[tuple[str, list[str]]]:
    """(English message id, its translated forms) for every translated entry of the catalog."""
    out = []
    for entry in catalog(locale):
        if not entry.id or not entry.string:
            continue
        english = entry.id if isinstance(entry.id, str) else entry.id[0]
        forms = [entry.string] if isinstance(entry.string, str) else [s for s in entry.string if s]
        out.append((english, forms))
    return out


def test_the_glossary_covers_every_shipped_language() -> None:
    for term in glossary()["term"]:
        assert set(term["translations"]) == set(SHIPPED), term["concept"]
        re.compile(term["english"])
    assert set(glossary()["avoid"]) == set(SHIPPED)


def test_prose_ignores_commands_channels_and_placeholders() -> None:
    assert "reminder" not in prose("Give one delay, for example: /standup config reminder 2h (or off)")
    assert "notes" not in prose("Which channel? For example: /standup config summary #standup-notes")
    assert "summary" not in prose("Team clock: {summary}")
    assert "notes" not in prose("Change one with /profile about name|pronunciation|notes <text>, or remove them")
    assert "reminder" in prose("Set the delay of the one reminder, or turn it off")


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_message_uses_the_glossary_term(locale: str) -> None:
    problems = []
    for term in glossary()["term"]:
        english = re.compile(term["english"], re.IGNORECASE)
        wanted = re.compile(term["translations"][locale], re.IGNORECASE)
        skip = set(term.get("skip", ()))
        for message_id, forms in translations(locale):
            if message_id in skip or not english.search(prose(message_id)):
                continue
            for form in forms:
                if not wanted.search(form):
                    problems.append(f"{term['concept']!r} should be {term['translations'][locale]!r}: "
                                    f"{message_id!r} -> {form!r}")
    assert not problems, f"{locale}: {len(problems)} messages drift from docs/translating/glossary.toml:\n" + \
        "\n".join(problems[:20])


@pytest.mark.parametrize("locale", SHIPPED)
def test_no_message_uses_a_rejected_wording(locale: str) -> None:
    rejected = glossary()["avoid"][locale]
    found = [f"{phrase!r} in {form!r}" for _, forms in translations(locale) for form in forms
             for phrase in rejected if phrase in form]
    assert not found, f"{locale}: wordings the native review rejected are back:\n" + "\n".join(found[:20])
