"""Every example in README.md and docs/ that a reader would copy runs as written.

The docs are part of the product: a team file that does not import, or a shell line that fails, is a bug a
new user meets first. Each code block is taken from the Markdown itself, so an edit to the docs is tested
the moment it is made:
- every ```toml block is a team file: it must import into a fresh workspace without an error;
- every `printf … | …meridian shell …` line runs for real and must answer without an error;
- every other `meridian …`, `python -m adapters.discord …` and `make …` line must be accepted by its parser
  (they need tokens or a server to run; the words must still be right);
- the commands the Quick start suggests trying answer in the demo shell without an error.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from operations.cli import build_parser
from bot.config import Settings
from bot.core import Meridian
from bot.demo import seed_demo
from bot.store import Database
from bot.teamfile import import_file
from bot.time import SimulatedClock
from tests.conftest import DEFAULT_NOW, shell_as

ROOT = Path(__file__).parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
# Commands in shell blocks that belong to other tools (the operating system, PostgreSQL): not ours to test.
_FOREIGN = {"systemctl", "createdb", "export", "kubectl", "docker", "curl"}
_BIN = Path(sys.executable).parent


def blocks(language: str) -> list[tuple[str, str]]:
    """(where, text) of every fenced block of `language` in the docs."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in _BLOCK.finditer(text):
            if match[1] == language:
                line = text[:match.start()].count("\n") + 1
                found.append((f"{path.relative_to(ROOT)}:{line}", match[2]))
    return found


def shell_lines() -> list[tuple[str, str]]:
    """Each command of the sh blocks: comments and line continuations folded, `a && b` as two commands."""
    lines = []
    for where, text in blocks("sh"):
        for line in text.replace("\\\n", " ").splitlines():
            for command in re.split(r"\s&&\s|\s;\s", line.split(" #", 1)[0]):
                if command.strip():
                    lines.append((where, command.strip()))
    return lines


def test_the_docs_have_examples_to_check() -> None:
    assert blocks("toml") and any("meridian shell" in line for _, line in shell_lines())


@pytest.mark.parametrize("team", [pytest.param(text, id=where) for where, text in blocks("toml")])
def test_team_file_examples_import(team: str, tmp_path: Path, sqlite_db: Database) -> None:
    path = tmp_path / "team.toml"
    path.write_text(team, encoding="utf-8")
    with sqlite_db.session() as session:
        result = import_file(session, path, workspace_external_id="docs")
    assert result.created == len(tomllib.loads(team).get("members", []))


def _piped_shell_lines() -> list[tuple[str, str]]:
    return [(where, line) for where, line in shell_lines() if line.startswith("printf") and "meridian shell" in line]


@pytest.mark.parametrize(("where", "line"), _piped_shell_lines())
def test_piped_shell_examples_run(where: str, line: str) -> None:
    command = line.replace(".venv/bin/meridian", str(_BIN / "meridian"))
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "MERIDIAN_LOG_LEVEL": "WARNING"})
    assert done.returncode == 0, f"{where}: {line}\n{done.stderr}"
    assert done.stdout.strip() and "Traceback" not in done.stderr + done.stdout


def _words(line: str) -> list[str]:
    """The command's words, with the docs' placeholders ('…') made concrete and leading VAR=… dropped."""
    words = shlex.split(line.replace("…", "0"))
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        words.pop(0)
    return words


def _other_command_lines() -> list[tuple[str, str]]:
    return [(where, line) for where, line in shell_lines()
            if not line.startswith("printf") and _words(line) and _words(line)[0] not in _FOREIGN]


@pytest.mark.parametrize(("where", "line"), _other_command_lines())
def test_documented_commands_parse(where: str, line: str, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    words = _words(line)
    if words[0] == "meridian":
        build_parser().parse_args(words[1:])          # exits (SystemExit) on a word the CLI does not know
    elif words[:3] == ["python", "-m", "adapters.discord"]:
        from adapters.discord.__main__ import main as discord_main

        monkeypatch.delenv("DISCORD_TOKEN", raising=False)
        assert discord_main(words[3:]) == 2            # parsed; then stops for want of a token
        assert "DISCORD_TOKEN is not set" in capsys.readouterr().err, f"{where}: {line}"
    elif words[0] == "make":
        done = subprocess.run(["make", "-n", *words[1:]], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"{where}: {line}\n{done.stderr}"
    else:
        pytest.fail(f"{where}: no check for {line!r}; add one here or to _FOREIGN")


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    suggestion = next(line for line in readme.splitlines() if line.startswith("Try `/"))
    return re.findall(r"`(/[^`]+)`", suggestion)


@pytest.mark.parametrize("command", _quick_start_commands())
def test_quick_start_suggestions_answer_in_the_demo(sqlite_db: Database, command: str) -> None:
    core = Meridian(sqlite_db, clock=SimulatedClock(DEFAULT_NOW), settings=Settings.from_env({}))
    with sqlite_db.session() as session:
        seed_demo(session)
    reply = shell_as(core, "amara").command(command)
    assert not reply.error, f"{command}: {reply.text}"
