"""bench/ runs: each benchmark at a toy size produces well-formed figures and results (never timing limits).

The real sizes run with `make bench`; here every benchmark goes through the same code paths (its
subprocesses, the stand-in, `meridian serve`, the JSON and the table) with a handful of members.
"""
from __future__ import annotations

import json
import math
from datetime import timedelta
from pathlib import Path

import pytest

from bench import ack, fanout, pairing, rss, tick
from bench.population import people
from bench.report import (TABLE_BEGIN, TABLE_END, Figure, Result, Target, markdown_table, text_table,
                          update_performance_doc, write_results)


def well_formed(result: Result, benchmark: str, tmp_path: Path) -> dict[str, Figure]:
    assert result.benchmark == benchmark
    assert result.figures
    names = [f.name for f in result.figures]
    assert len(names) == len(set(names)), "figure names are unique"
    for figure in result.figures:
        assert figure.name.startswith(benchmark + ".")
        assert figure.value is not None and math.isfinite(figure.value), figure
        assert figure.baseline is not None and math.isfinite(figure.baseline), figure
        assert figure.baseline_label, figure
        if figure.target is not None:
            assert figure.verdict() == "met" or figure.verdict().startswith("MISSED by "), figure.verdict()
    written = write_results([result], {"nproc": 2}, "smoke", tmp_path)
    data = json.loads((tmp_path / f"{benchmark}.json").read_text())
    assert [f["name"] for f in data["figures"]] == names
    assert json.loads((tmp_path / "latest.json").read_text())["benchmarks"][0]["benchmark"] == benchmark
    assert len(written) == 2
    table = text_table(result.figures)
    assert all(f.label in table for f in result.figures)
    return {f.name: f for f in result.figures}


def test_tick_claims_the_same_due_work_as_apscheduler(tmp_path: Path) -> None:
    result = tick.run([60], dialects=("sqlite",), history_days=1, window=timedelta(hours=2), every=120.0)
    figures = well_formed(result, "tick", tmp_path)
    assert "tick.sqlite.60" in figures and "tick.startup.sqlite.60" in figures and "tick.memory.sqlite.60" in figures
    for dialect in result.params["dialects"]:
        engine, aps = result.details[f"{dialect}.60"], result.details["apscheduler.60"]
        # Both sides found the same due work in the same ticks: the engine claimed exactly what APScheduler ran.
        assert engine["due_total"] == aps["due_total"] > 0
        assert engine["busy_ticks"] == aps["busy_ticks"]
        assert engine["occurrence_rows"] == 60 * 2


def test_pairing_beats_a_shuffle_and_reaches_the_optimum(tmp_path: Path) -> None:
    result = pairing.run([24], optimum_up_to=24)
    figures = well_formed(result, "pairing", tmp_path)
    assert figures["pairing.optimum.24"].ratio == pytest.approx(1.0)
    assert figures["pairing.under_overlap.24"].value == 0
    detail = result.details["24"]
    assert detail["meridian"]["groups"] >= 11 and detail["shuffle"]["groups"] == 12


def test_pairing_judges_groups_the_same_way_for_both_sides() -> None:
    cands = pairing.candidates(list(people(4, 3)))
    by_id = {c.id: c for c in cands}
    a, b, c, d = (x.id for x in cands)
    judged = pairing.judge([(a, b), (c, d)], by_id, {frozenset((a, b)): 5})
    assert judged["groups"] == 2 and judged["repeats"] == 1
    assert [len(g) for g in pairing.shuffle_round([a, b, c], seed=1)] == [3]   # the odd one out joins the pair


def test_ack_latency_over_real_http(tmp_path: Path) -> None:
    result = ack.run(members=40, requests={1: 5, 3: 9}, core_commands=("/time",))
    figures = well_formed(result, "ack", tmp_path)
    assert set(figures) == {"ack.p50.1", "ack.p99.1", "ack.p50.3", "ack.p99.3"}
    assert result.details["c3"]["requests"] == 9
    assert result.details["core"]["/time"]["chars"] > 0


def test_fanout_delivers_every_dm_once_under_limits_and_random_429s(tmp_path: Path) -> None:
    result = fanout.run(messages=20, rate=60.0, random_429=0.03, retry_after=1.0)
    figures = well_formed(result, "fanout", tmp_path)
    assert figures["fanout.lost.20"].value == 0
    assert figures["fanout.duplicated.20"].value == 0
    assert result.details["statuses"] == {"sent": 20}
    assert result.details["random_429"] >= 1       # seeded: the stand-in did refuse some posts


def test_rss_of_meridian_serve(tmp_path: Path) -> None:
    result = rss.run(members=30, commands=4, plan_timeout=120.0, tick_seconds=0.5)
    figures = well_formed(result, "rss", tmp_path)
    assert figures["rss.serve.30"].value > figures["rss.serve.30"].baseline > 0
    assert result.details["occurrences"] > 30


def test_targets_say_by_how_much_they_were_missed() -> None:
    slow = Figure("x.a", "A", 0.07, "s", 0.01, "base", Target("<", 0.05))
    assert slow.ratio == pytest.approx(7.0)
    assert slow.verdict() == "MISSED by 20.0 ms (40%)"
    assert Figure("x.b", "B", 0.04, "s", 0.01, "base", Target("<", 0.05)).verdict() == "met"
    close = Figure("x.c", "C", 98.0, "weight", 100.0, "optimum", Target(">=", 0.99, on="ratio"))
    assert close.verdict() == "MISSED by 0.010 (1%)"
    assert Figure("x.d", "D", 3.0, "count", None, "none").verdict() == ""
    assert "ratio >= 0.990" in markdown_table([close])


def test_the_performance_doc_keeps_its_prose_and_replaces_the_table(tmp_path: Path) -> None:
    doc = tmp_path / "PERFORMANCE.md"
    doc.write_text(f"# Performance\n\nWhy.\n\n{TABLE_BEGIN}\nold table\n{TABLE_END}\n\n## Notes\nKept.\n")
    result = Result("tick", {}, [Figure("tick.a", "Tick A", 0.002, "s", 0.001, "APScheduler", Target("<", 0.05))])
    write_results([result], {"nproc": 2, "cpu": "Test CPU", "loadavg": [1.0, 1.0, 1.0]}, "full", tmp_path / "results")
    update_performance_doc(tmp_path / "results", doc)
    text = doc.read_text()
    assert "old table" not in text and "Why." in text and "Kept." in text
    assert "| Tick A | 2.0 ms | 1.0 ms (APScheduler) | 2.00× | < 50.0 ms | met |" in text
    assert "Test CPU" in text
