"""The labelled corpus of chat messages for the time detector, and how detections are scored against it.

tests/data/conversion/corpus.jsonl holds one message per line: `text`, `zone` (the author's), `locale`,
`at` (when it was sent, UTC) and `expected`, the times a careful reader finds in it, each with its words
and offsets, `local` (the wall-clock time read, for people checking the label), `utc` (null when the
instant cannot be known: `note` says why) and `zone`. Messages without expected times are hard negatives
(durations, versions, addresses, scores, code, quotes...).

A detection is right when it overlaps an expected time's words and gives the same instant (or, like
the label, none). Precision: right detections / detections. Recall: expected times found / expected.
Used by tests/bot/conversion/test_corpus.py and bench/conversion.py.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

CORPUS = Path(__file__).resolve().parent.parent / "data" / "conversion" / "corpus.jsonl"

Detector = Callable[[dict], list[dict]]   # a corpus item -> its detections in the CLI contract's form


def load(path: Path = CORPUS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class Score:
    detections: int = 0
    right: int = 0
    expected: int = 0
    found: int = 0
    wrong_instant: int = 0                      # overlapped an expected time but read another instant
    mistakes: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.detections if self.detections else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    def add(self, other: "Score") -> None:
        self.detections += other.detections
        self.right += other.right
        self.expected += other.expected
        self.found += other.found
        self.wrong_instant += other.wrong_instant
        self.mistakes += other.mistakes


def score_item(item: dict, detections: list[dict]) -> Score:
    s = Score(detections=len(detections), expected=len(item["expected"]))
    used: set[int] = set()
    for d in detections:
        match = None
        overlapping = False
        for index, e in enumerate(item["expected"]):
            if index in used or d["start"] >= e["end"] or e["start"] >= d["end"]:
                continue
            overlapping = True
            if d.get("utc") == e["utc"]:
                match = index
                break
        if match is not None:
            used.add(match)
            s.right += 1
        else:
            s.wrong_instant += int(overlapping)
            s.mistakes.append({"id": item["id"], "text": item["text"], "got": d, "kind": "wrong instant"
                               if overlapping else "false positive"})
    s.found = len(used)
    for index, e in enumerate(item["expected"]):
        if index not in used:
            s.mistakes.append({"id": item["id"], "text": item["text"], "missed": e, "kind": "missed"})
    return s


def evaluate(detector: Detector, items: Iterable[dict]) -> tuple[Score, dict[str, Score]]:
    """The overall score and one per locale."""
    total = Score()
    per_locale: dict[str, Score] = {}
    for item in items:
        s = score_item(item, detector(item))
        total.add(s)
        per_locale.setdefault(item["locale"], Score()).add(s)
    return total, per_locale


def meridian_detector(item: dict) -> list[dict]:
    """The detector under test, through its public API, in the contract's JSON form."""
    from bot.conversion import detect_times
    from bot.time import parse_instant

    found = detect_times(item["text"], zone=item["zone"], locale=item["locale"], at=parse_instant(item["at"]))
    return [t.to_json() for t in found]
