"""`meridian simulate`: the real scheduler over simulated days, one JSON object a line, in time order."""
from __future__ import annotations

import json
import tomllib
from datetime import datetime, time, timezone
from pathlib import Path

import pytest

from operations.cli import main
from adapters.console.sender import ConsoleSender
from bot.time import to_local
from scheduler.simulate import simulate
from tests.scheduler.rituals_for_tests import DailyAt

ROOT = Path(__file__).resolve().parents[2]
TEAM = ROOT / "examples" / "team.toml"
START = datetime(2026, 3, 23, tzinfo=timezone.utc)


def member_zones() -> dict[str, str]:
    return {m["id"]: m["tz"] for m in tomllib.loads(TEAM.read_text())["members"]}


def parse_lines(output: str) -> list[dict]:  # type: ignore[type-arg]
    records = [json.loads(line) for line in output.splitlines()]   # every line is one JSON object
    assert all(isinstance(record, dict) for record in records)
    return records


def check_record(record: dict, zones: dict[str, str]) -> None:  # type: ignore[type-arg]
    assert {"at", "kind", "to", "text"} <= set(record)
    assert record["at"].endswith("Z")
    instant = datetime.fromisoformat(record["at"].replace("Z", "+00:00"))
    assert isinstance(record["kind"], str) and record["kind"]
    assert isinstance(record["text"], str) and record["text"].strip()
    to = record["to"]
    if isinstance(to, list):
        assert to and all(member in zones for member in to)
    elif to.startswith("#"):
        assert "local_time" not in record
    else:
        assert to in zones
        # the same instant, written in the recipient's own offset at that instant
        assert record["local_time"] == to_local(instant, zones[to]).isoformat()


def test_meridian_simulate_prints_valid_json_lines_in_time_order(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["simulate", "--team", str(TEAM), "--start", "2026-03-23T00:00Z", "--days", "14", "--seed", "7"])
    assert code == 0
    records = parse_lines(capsys.readouterr().out)
    zones = member_zones()
    for record in records:
        check_record(record, zones)
    instants = [record["at"] for record in records]
    assert instants == sorted(instants)
    assert all("2026-03-23T00:00:00Z" <= at < "2026-04-06T00:00:00Z" for at in instants)


def test_the_same_seed_gives_the_same_simulation(capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for _ in range(2):
        assert main(["simulate", "--team", str(TEAM), "--start", "2026-03-23T00:00Z", "--days", "2", "--seed", "3"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


def test_bad_arguments_and_bad_team_files_simulate_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--team", str(TEAM), "--start", "next monday"]) == 2
    assert "ISO 8601" in capsys.readouterr().err
    broken = tmp_path / "team.toml"
    broken.write_text('[[members]]\nid = "x"\ntz = "Mars/Olympus"\n')
    assert main(["simulate", "--team", str(broken), "--start", "2026-03-23T00:00Z", "--days", "1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Mars/Olympus" in captured.err


async def test_simulation_runs_each_ritual_at_each_members_local_time(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    records: list[dict] = []  # type: ignore[type-arg]
    result = await simulate(sqlite_db, TEAM, START, 2, ConsoleSender(), records.append,
                            rituals={"hello": DailyAt("hello", time(9, 30))})
    zones = member_zones()
    assert result.messages == len(records)
    for record in records:
        check_record(record, zones)
        assert record["local_time"][11:19] == "09:30:00"
    # ten members, each on the two or three local dates whose 09:30 falls in the 48 hours
    assert {r["to"] for r in records} == set(zones)
    assert 20 <= len(records) <= 30
    assert [r["at"] for r in records] == sorted(r["at"] for r in records)
