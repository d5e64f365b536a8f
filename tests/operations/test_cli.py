"""The `meridian` command as a user runs it: real processes, real pipes."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from operations.cli import build_parser


def run(args: list[str], tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MERIDIAN_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    return subprocess.run([sys.executable, "-m", "operations.cli", *args], input=stdin, text=True,
                          capture_output=True, env=env, timeout=120)


def all_subcommand_paths() -> list[list[str]]:
    parser = build_parser()
    paths: list[list[str]] = []

    def walk(p, prefix: list[str]) -> None:  # type: ignore[no-untyped-def]
        for action in p._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                for name, child in action.choices.items():
                    paths.append(prefix + [name])
                    walk(child, prefix + [name])

    walk(parser, [])
    return paths


def test_every_subcommand_has_help() -> None:
    paths = all_subcommand_paths()
    assert ["shell"] in paths and ["db", "upgrade"] in paths and ["import"] in paths
    for path in paths:
        with pytest.raises(SystemExit) as caught:
            build_parser().parse_args([*path, "--help"])
        assert caught.value.code == 0


def test_piped_shell_demo_answers_time(tmp_path: Path) -> None:
    result = run(["shell", "--demo"], tmp_path, stdin="/time\n/tz set Kathmandu\n/tz\n")
    assert result.returncode == 0, result.stderr
    assert "Ravi Shrestha" in result.stdout and "UTC+05:45" in result.stdout
    assert "Your time zone is Asia/Kathmandu" in result.stdout


def test_import_then_shell_as_member(tmp_path: Path) -> None:
    sample = Path(__file__).parents[2] / "examples" / "team.toml"
    imported = run(["import", str(sample)], tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "10 members created" in imported.stdout
    result = run(["shell", "--user", "omar"], tmp_path, stdin="/tz\n")
    assert "Asia/Riyadh" in result.stdout


def test_import_error_exits_nonzero_and_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[members]]\nid = 'a'\ntz = 'Nowhere'\n")
    result = run(["import", str(bad)], tmp_path)
    assert result.returncode == 2
    assert "members[0].tz" in result.stderr and "Nothing was imported" in result.stderr


def test_db_upgrade(tmp_path: Path) -> None:
    result = run(["db", "upgrade"], tmp_path)
    assert result.returncode == 0 and "up to date" in result.stdout


UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/meridian"     # port 1: refused at once


@pytest.mark.parametrize("args", [
    ["import", "examples/team.toml", "--db", UNREACHABLE], ["shell", "--db", UNREACHABLE], ["db", "upgrade", "--db", UNREACHABLE],
    ["db", "copy", "--to", UNREACHABLE],
])
def test_cli_says_what_to_do_when_the_database_is_unreachable(tmp_path: Path, args: list[str]) -> None:
    result = run(args, tmp_path, stdin="/time\n")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "127.0.0.1:1" in line and "does not answer" in line and "Fix: is PostgreSQL running" in line


@pytest.mark.parametrize("args", [
    ["import", "examples/team.toml", "--db", "not a url"], ["shell", "--db", "nonsense://"],
    ["db", "copy", "--to", "zzz"],
])
def test_cli_says_what_to_do_with_a_malformed_database_url(tmp_path: Path, args: list[str]) -> None:
    result = run(args, tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "is not a database URL" in line and args[-1] in line and "Fix: use sqlite:///" in line


def test_cli_says_what_to_do_with_a_database_from_a_newer_meridian(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    assert run(["db", "upgrade"], tmp_path).returncode == 0
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'from_the_future' WHERE rowid = 1"))
    engine.dispose()
    result = run(["import", "examples/team.toml"], tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "newer" in result.stderr and "Fix:" in result.stderr
