"""Figures, targets, the machine, and where results go (bench/results/*.json, the table, docs/PERFORMANCE.md).

Every figure is measured beside a baseline in the same run and reported as a ratio to it, so a
slow or busy machine shifts both and the ratio stays meaningful. A target applies either to the
figure itself ("under 50 ms") or to its ratio ("within 1.1 times the floor"); when it is missed the
table says by how much.
"""
from __future__ import annotations

import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"          # full runs; quick runs go to results/quick
PERFORMANCE_DOC = ROOT / "docs" / "PERFORMANCE.md"
TABLE_BEGIN, TABLE_END = "<!-- bench:table:begin -->", "<!-- bench:table:end -->"

_OPS = {"<": lambda v, t: v < t, "<=": lambda v, t: v <= t, ">=": lambda v, t: v >= t, ">": lambda v, t: v > t}


@dataclass(frozen=True)
class Target:
    """A goal: `on` the figure's value or its ratio to the baseline, compared with `limit`."""

    op: str                       # "<", "<=", ">", ">="
    limit: float
    on: str = "value"             # "value" | "ratio"

    def __post_init__(self) -> None:
        if self.op not in _OPS or self.on not in ("value", "ratio"):
            raise ValueError(f"bad target {self}")

    def holds(self, value: float) -> bool:
        return bool(_OPS[self.op](value, self.limit))


@dataclass
class Figure:
    """One measured number beside its baseline."""

    name: str                     # stable id, e.g. "tick.postgresql.100000"
    label: str                    # what a reader sees in the table
    value: float | None
    unit: str                     # "s", "MB", "share", "count", "x" (a plain ratio)
    baseline: float | None = None
    baseline_label: str = ""
    target: Target | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        measured = self.ratio if self.target.on == "ratio" else self.value
        return None if measured is None else self.target.holds(measured)

    def verdict(self) -> str:
        """'met', 'missed by …', or '' when there is no target."""
        if self.target is None:
            return ""
        measured = self.ratio if self.target.on == "ratio" else self.value
        if measured is None:
            return "not measured"
        if self.met:
            return "met"
        unit = "x" if self.target.on == "ratio" else self.unit
        gap = abs(measured - self.target.limit)
        relative = gap / abs(self.target.limit) if self.target.limit else 0.0
        return f"MISSED by {format_value(gap, unit)} ({relative:.0%})"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Figure":
        known = {k: data[k] for k in ("name", "label", "value", "unit", "baseline", "baseline_label", "note", "extra")
                 if k in data}
        target = data.get("target")
        return cls(**known, target=Target(**target) if target else None)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["target"] = asdict(self.target) if self.target else None
        out["ratio"] = self.ratio
        out["met"] = self.met
        out["verdict"] = self.verdict()
        return out


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        if value < 1e-3:
            return f"{value * 1e6:.0f} µs"
        if value < 1:
            return f"{value * 1e3:.1f} ms" if value < 0.1 else f"{value * 1e3:.0f} ms"
        return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
    if unit == "MB":
        return f"{value:.1f} MB" if value < 100 else f"{value:.0f} MB"
    if unit == "share":
        return f"{value:.1%}"
    if unit in ("count", "weight"):
        return f"{value:,.0f}"
    if unit == "x":
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return f"{value:g} {unit}"


def format_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    if ratio >= 100:
        return f"{ratio:,.0f}×"
    if ratio >= 10:
        return f"{ratio:.1f}×"
    return f"{ratio:.3f}×" if 0.9 < ratio < 1.2 else f"{ratio:.2f}×"


def format_target(figure: Figure) -> str:
    target = figure.target
    if target is None:
        return ""
    limit = format_value(target.limit, "x" if target.on == "ratio" else figure.unit)
    return f"{'ratio ' if target.on == 'ratio' else ''}{target.op} {limit}"


# --------------------------------------------------------------------------- the machine

def machine() -> dict[str, Any]:
    """What the numbers were measured on; the machine is shared, so the load average is part of it."""
    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform(), "sqlite": sqlite3.sqlite_version}
    try:
        text = Path("/proc/cpuinfo").read_text()
        found = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
        info["cpu"] = found.group(1).strip() if found else platform.processor()
    except OSError:
        info["cpu"] = platform.processor()
    try:
        meminfo = Path("/proc/meminfo").read_text()
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
        info["ram_gb"] = round(int(found.group(1)) / 1024 / 1024, 1) if found else None
    except OSError:
        info["ram_gb"] = None
    try:
        info["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        info["loadavg"] = None
    info["postgresql"] = _postgres_version()
    info["commit"] = _git_commit()
    return info


def _postgres_version() -> str | None:
    from bench.databases import postgres_version

    return postgres_version()


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=5)
        commit = out.stdout.strip()
        return (commit + ("+dirty" if dirty.stdout.strip() else "")) if commit else None
    except (OSError, subprocess.SubprocessError):
        return None


def machine_line(info: dict[str, Any]) -> str:
    load, after = info.get("loadavg"), info.get("loadavg_after")
    return (f"{info.get('cpu')}, {info.get('nproc')} cores, {info.get('ram_gb')} GB RAM; Python {info.get('python')}; "
            f"SQLite {info.get('sqlite')}; PostgreSQL {info.get('postgresql') or 'not available'}; "
            f"load average {load[0] if load else '?'} at the start" + (f", {after[0]} at the end" if after else "")
            + f"; commit {info.get('commit')}")


# --------------------------------------------------------------------------- results

@dataclass
class Result:
    """One benchmark's run: its parameters, its figures, and anything worth keeping beside them."""

    benchmark: str
    params: dict[str, Any]
    figures: list[Figure]
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)
    finished_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def to_json(self, info: dict[str, Any], mode: str) -> dict[str, Any]:
        return {"benchmark": self.benchmark, "mode": mode, "finished_at": self.finished_at,
                "machine": info, "params": self.params, "seconds": round(self.seconds, 2),
                "figures": [f.to_json() for f in self.figures], "details": self.details}


ORDER = ("tick", "pairing", "ack", "fanout", "rss", "conversion")


def write_results(results: Iterable[Result], info: dict[str, Any], mode: str, directory: Path) -> list[Path]:
    """<directory>/<benchmark>.json for each result; latest.json then combines every benchmark's latest file
    (so a partial run, `--only ack`, keeps the others' last results beside it)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for result in results:
        path = directory / f"{result.benchmark}.json"
        path.write_text(json.dumps(result.to_json(info, mode), indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    latest = directory / "latest.json"
    combined = load_results(directory)
    latest.write_text(json.dumps({"mode": mode, "machine": info, "benchmarks": combined}, indent=2,
                                 ensure_ascii=False) + "\n")
    return written + [latest]


def load_results(directory: Path) -> list[dict[str, Any]]:
    """Every benchmark's latest JSON in `directory`, in the table's order."""
    found = {p.stem: json.loads(p.read_text()) for p in directory.glob("*.json") if p.stem != "latest"}
    return [found[name] for name in sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))]


# --------------------------------------------------------------------------- the table

COLUMNS = ("Figure", "Measured", "Baseline", "Ratio", "Target", "Result")


def rows(figures: Iterable[Figure]) -> list[tuple[str, ...]]:
    out = []
    for f in figures:
        baseline = format_value(f.baseline, f.unit)
        if f.baseline_label:
            baseline = f"{baseline} ({f.baseline_label})" if f.baseline is not None else f.baseline_label
        out.append((f.label, format_value(f.value, f.unit), baseline, format_ratio(f.ratio), format_target(f),
                    f.verdict()))
    return out


def text_table(figures: Iterable[Figure]) -> str:
    body = rows(figures)
    widths = [max(len(r[i]) for r in [COLUMNS, *body]) for i in range(len(COLUMNS))]
    line = "  ".join("-" * w for w in widths)
    render = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([render(COLUMNS), line, *(render(r) for r in body)])


def markdown_table(figures: Iterable[Figure]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows(figures)]
    return "\n".join(lines)


def update_performance_doc(directory: Path, doc: Path = PERFORMANCE_DOC) -> None:
    """Replace the table between the markers in docs/PERFORMANCE.md with every benchmark's latest results
    (the prose around it is kept)."""
    runs = load_results(directory)
    if not runs:
        return
    lines = [TABLE_BEGIN]
    machines = {machine_line(r["machine"]) for r in runs}
    if len(machines) == 1:
        took = ", ".join(f"{r['benchmark']} {r['seconds']:.0f} s" for r in runs)
        lines += [f"Run in {runs[0]['mode']} mode, finished {max(r['finished_at'] for r in runs)} ({took}).", "",
                  f"Machine: {machines.pop()}."]
    else:
        for run in runs:
            lines.append(f"- `{run['benchmark']}`: finished {run['finished_at']}, {run['mode']} mode, "
                         f"{run['seconds']:.0f} s; machine: {machine_line(run['machine'])}")
    figures = [Figure.from_json(f) for run in runs for f in run["figures"]]
    lines += ["", markdown_table(figures), TABLE_END]
    block = "\n".join(lines)
    text = doc.read_text() if doc.exists() else f"# Performance\n\n{TABLE_BEGIN}\n{TABLE_END}\n"
    if TABLE_BEGIN not in text or TABLE_END not in text:
        text = text.rstrip() + f"\n\n{TABLE_BEGIN}\n{TABLE_END}\n"
    head, rest = text.split(TABLE_BEGIN, 1)
    _, tail = rest.split(TABLE_END, 1)
    doc.write_text(head + block + tail)


def log(message: str) -> None:
    """Progress on stderr, so stdout carries only the table."""
    print(message, file=sys.stderr, flush=True)
