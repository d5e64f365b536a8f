"""bench/conversion.py produces well-formed figures beside its baseline (never timing limits here)."""
from __future__ import annotations

import json
import math
from pathlib import Path

from bench import conversion
from bench.report import text_table, write_results


def test_the_conversion_benchmark_reports_precision_recall_and_time(tmp_path: Path) -> None:
    result = conversion.run(rounds=1)
    names = {f.name for f in result.figures}
    assert names == {"conversion.precision", "conversion.recall", "conversion.holdout.precision",
                     "conversion.holdout.recall", "conversion.p50", "conversion.p99"}
    for figure in result.figures:
        assert figure.value is not None and math.isfinite(figure.value)
        assert figure.baseline is not None and figure.baseline_label == "bare regex scan"
        if figure.target is not None:
            assert figure.verdict() == "met" or figure.verdict().startswith("MISSED by ")
    by_name = {f.name: f for f in result.figures}
    assert by_name["conversion.precision"].met and by_name["conversion.recall"].met
    assert by_name["conversion.precision"].value > by_name["conversion.precision"].baseline
    write_results([result], {"nproc": 2}, "smoke", tmp_path)
    data = json.loads((tmp_path / "conversion.json").read_text())
    assert data["details"]["messages"] >= 400
    assert all("text" not in m for m in data["details"]["mistakes"])
    assert "Time detection: recall" in text_table(result.figures)


def test_the_baseline_is_a_bare_regex() -> None:
    item = {"text": "sync at 3pm, not in 15 minutes; v1.2.3 and 10:30", "zone": "Europe/Berlin", "locale": "en",
            "at": "2026-03-23T09:15:00Z"}
    assert [d["text"] for d in conversion.regex_detector(item)] == ["3pm", "10:30"]
