"""`meridian detect-times` through a real process: JSON lines in, one JSON line out for each, in order."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from bot.conversion.cli_contract import run

ROOT = Path(__file__).resolve().parents[3]
MESSAGES = [
    {"text": "let's sync at 3pm CET tomorrow", "zone": "America/New_York", "locale": "en", "at": "2026-03-23T09:15:00Z"},
    {"text": "Back in 15 minutes", "zone": "Europe/Berlin", "locale": "en", "at": "2026-03-23T09:15:00Z"},
    {"text": "call at 3pm IST", "zone": "Europe/Berlin", "locale": "en", "at": "2026-03-23T09:15:00Z"},
    {"text": "von 14 bis 15 Uhr", "zone": "Europe/Berlin", "locale": "de", "at": "2026-03-23T09:15:00Z"},
]


def detect(stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "operations.cli", "detect-times"], input=stdin, text=True,
                          capture_output=True, cwd=ROOT, timeout=120)


def test_json_lines_in_json_lines_out() -> None:
    done = detect("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in MESSAGES))
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(MESSAGES)
    assert out[0] == {"times": [{"text": "3pm CET tomorrow", "start": 14, "end": 30, "utc": "2026-03-24T14:00:00Z",
                                 "zone": "Europe/Berlin", "note": None}]}
    assert out[1] == {"times": []}
    (ist,) = out[2]["times"]
    assert ist["utc"] is None and ist["zone"] is None and ist["note"].startswith("ambiguous_zone")
    assert [(t["text"], t["utc"]) for t in out[3]["times"]] == [("14", "2026-03-23T13:00:00Z"),
                                                                ("15 Uhr", "2026-03-23T14:00:00Z")]
    for answer in out:
        for t in answer["times"]:
            assert set(t) == {"text", "start", "end", "utc", "zone", "note"}
    assert "CET" not in done.stderr and "sync" not in done.stderr      # nothing of the messages is logged


def test_a_bad_line_is_answered_in_place_and_fails_the_run() -> None:
    lines = [json.dumps(MESSAGES[0]), "not json", json.dumps({"text": 3, "at": "x"}), "",
             json.dumps({"text": "3pm", "zone": "Europe/Berlin", "at": "yesterday"}), json.dumps(MESSAGES[1])]
    done = detect("\n".join(lines) + "\n")
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["times"] and out[5] == {"times": []} and out[3] == {"times": []}
    assert [("error" in o) for o in out] == [False, True, True, False, True, False]


def test_zone_and_locale_may_be_left_out() -> None:
    stdout = io.StringIO()
    code = run(io.StringIO(json.dumps({"text": "3pm CET and 4pm", "at": "2026-03-23T09:15:00Z"}) + "\n"), stdout)
    assert code == 0
    cet, bare = json.loads(stdout.getvalue())["times"]
    assert cet["utc"] == "2026-03-23T14:00:00Z"
    assert bare["utc"] is None and bare["note"].startswith("no_zone")


def test_the_subcommand_has_help() -> None:
    done = subprocess.run([sys.executable, "-m", "operations.cli", "detect-times", "--help"], text=True,
                          capture_output=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0 and "JSON lines" in done.stdout
