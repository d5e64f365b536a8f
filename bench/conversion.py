"""The time detector on the labelled corpus: precision, recall, and time per message (p50, p99).

Baseline, measured in the same run on the same messages: a bare regex scan for clock times ("3pm",
"15:30") read in the author's zone, the first thing one would write. Its precision and recall say what
the detector's rules are worth; its time per message is the floor for touching every message at all.
Detector and baseline run interleaved, message by message, so a busy machine slows both alike.

Targets (issue #20): precision >= 0.98, recall >= 0.90, under 2 ms per message at p99. The corpus has a
`holdout` split written after the rules and scored separately, so the figures are not only what the
rules were tuned on.
"""
from __future__ import annotations

import gc
import re
import statistics
import time
from datetime import datetime

from bench.report import Figure, Result, Target, log
from bot.time import TimeError, iso_z, local_date, localize, parse_clock, parse_instant
from tests.support.conversion_corpus import evaluate, load, meridian_detector

_BARE = re.compile(r"(?<![\w:.])(\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}:\d{2})(?![\w:])", re.I)


def regex_detector(item: dict) -> list[dict]:
    """The baseline: every "3pm" or "15:30", read today in the author's zone."""
    out = []
    at = parse_instant(item["at"])
    for m in _BARE.finditer(item["text"]):
        utc = None
        try:
            clock = parse_clock(m.group(1).replace(" ", ""))
            if item["zone"]:
                day = local_date(at, item["zone"])
                utc = iso_z(localize(datetime.combine(day, clock), item["zone"]))
        except TimeError:
            utc = None
        out.append({"text": m.group(0), "start": m.start(), "end": m.end(), "utc": utc, "zone": item["zone"],
                    "note": None})
    return out


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def timings(items: list[dict], rounds: int) -> tuple[list[float], list[float], list[float]]:
    """Seconds per message for the detector and the baseline: each message's median over `rounds` runs,
    detector and baseline interleaved; plus every single run of the detector (the raw samples).

    The machine is shared (docs/PERFORMANCE.md): one run of one message measures the neighbours as much as
    the detector, so a message's time is the median of its runs, and p99 is taken over messages.
    """
    for item in items:                      # warm up: compiled patterns, zone data
        meridian_detector(item)
        regex_detector(item)
    gc.collect()
    ours: list[list[float]] = [[] for _ in items]
    base: list[list[float]] = [[] for _ in items]
    for _ in range(rounds):
        for index, item in enumerate(items):
            began = time.perf_counter()
            meridian_detector(item)
            ours[index].append(time.perf_counter() - began)
            began = time.perf_counter()
            regex_detector(item)
            base[index].append(time.perf_counter() - began)
    raw = [t for runs in ours for t in runs]
    return [statistics.median(r) for r in ours], [statistics.median(r) for r in base], raw


def run(rounds: int = 20) -> Result:
    began = time.perf_counter()
    items = load()
    holdout = [i for i in items if i.get("split") == "holdout"]
    ours, per_locale = evaluate(meridian_detector, items)
    regex, _ = evaluate(regex_detector, items)
    ours_holdout, _ = evaluate(meridian_detector, holdout)
    regex_holdout, _ = evaluate(regex_detector, holdout)
    log(f"conversion: {len(items)} messages; precision {ours.precision:.3f} (regex {regex.precision:.3f}), "
        f"recall {ours.recall:.3f} (regex {regex.recall:.3f})")
    mine, theirs, raw = timings(items, rounds)
    log(f"conversion: {len(raw)} timed runs; p99 per message {_percentile(mine, 0.99) * 1000:.3f} ms, "
        f"of single runs {_percentile(raw, 0.99) * 1000:.3f} ms")
    label = "bare regex scan"
    figures = [
        Figure("conversion.precision", f"Time detection: precision ({len(items)} messages, 8 languages)",
               ours.precision, "share", regex.precision, label, Target(">=", 0.98),
               note=f"{ours.right} of {ours.detections} detections right"),
        Figure("conversion.recall", "Time detection: recall", ours.recall, "share", regex.recall, label,
               Target(">=", 0.90), note=f"{ours.found} of {ours.expected} labelled times found"),
        Figure("conversion.holdout.precision", f"Time detection: precision, held-out split ({len(holdout)} messages)",
               ours_holdout.precision, "share", regex_holdout.precision, label, Target(">=", 0.98)),
        Figure("conversion.holdout.recall", "Time detection: recall, held-out split", ours_holdout.recall, "share",
               regex_holdout.recall, label, Target(">=", 0.90)),
        Figure("conversion.p50", "Time detection: time per message, p50", statistics.median(mine), "s",
               statistics.median(theirs), label, note=f"median of {rounds} runs per message"),
        Figure("conversion.p99", "Time detection: time per message, p99", _percentile(mine, 0.99), "s",
               _percentile(theirs, 0.99), label, Target("<", 0.002),
               note=f"single runs: p99 {_percentile(raw, 0.99) * 1000:.2f} ms on a shared machine"),
    ]
    details = {
        "messages": len(items), "timed_runs": len(raw), "wrong_instant": ours.wrong_instant,
        "single_run_p99_ms": round(_percentile(raw, 0.99) * 1000, 3), "single_run_max_ms": round(max(raw) * 1000, 3),
        "per_locale": {k: {"precision": round(v.precision, 4), "recall": round(v.recall, 4)}
                       for k, v in per_locale.items()},
        "max_ms": round(max(mine) * 1000, 3),
        "mistakes": [_describe(m) for m in ours.mistakes][:50],
    }
    return Result("conversion", {"rounds": rounds, "messages": len(items)}, figures,
                  seconds=time.perf_counter() - began, details=details)


def _describe(mistake: dict) -> dict:
    """A mistake without the message text (the corpus is public, but results files stay small)."""
    return {"id": mistake["id"], "kind": mistake["kind"]}

