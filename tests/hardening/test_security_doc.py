"""SECURITY.md names the tests behind each promise: every file and test it names must exist."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_security_md_names_exists() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    missing = []
    named_files = 0
    for line in re.split(r"\n(?=- )", text):
        files = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", line)
        for path, name in files:
            named_files += 1
            source = ROOT / path
            if not source.exists():
                missing.append(path)
            elif name and f"def {name}(" not in source.read_text(encoding="utf-8"):
                missing.append(f"{path}::{name}")
        if len(files) == 1:   # "`tests/x.py`: `test_a`, `test_b`" names tests of that one file
            source = ROOT / files[0][0]
            for name in re.findall(r"`(test_\w+)`", line):
                if source.exists() and f"def {name}(" not in source.read_text(encoding="utf-8"):
                    missing.append(f"{files[0][0]}::{name}")
    assert named_files >= 15 and missing == []
