"""The README is part of the product: its configuration table must list every setting there is."""
from __future__ import annotations

from pathlib import Path

from bot.config import environment_table

ROOT = Path(__file__).parents[1]


def test_readme_lists_every_environment_variable() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name, _, _ in environment_table() if f"`{name}`" not in readme]
    assert missing == []


def test_readme_shows_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
