"""`python -m bench` (`make bench`): run the benchmarks, print the table, keep the results.

    python -m bench                 full sizes (5 to 15 minutes); results in bench/results/*.json and
                                    the table in docs/PERFORMANCE.md
    python -m bench --quick         small sizes (a couple of minutes); results in bench/results/quick/
    python -m bench --only tick ack one or more of: tick, pairing, ack, fanout, rss, conversion

Progress goes to stderr, the table to stdout. The exit status is 1 when a benchmark failed to run
(a missed target is a result, not a failure: the table says by how much).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Callable

from bench import ack, conversion, fanout, pairing, rss, tick
from bench.report import (ORDER, PERFORMANCE_DOC, RESULTS_DIR, Figure, Result, load_results, log, machine,
                          machine_line, text_table, update_performance_doc, write_results)

Runner = Callable[[], Result]


def plans(mode: str) -> dict[str, Runner]:
    """What each benchmark runs in each mode."""
    if mode == "full":
        return {
            "tick": lambda: tick.run([1000, 10_000, 100_000]),
            "pairing": lambda: pairing.run([100, 300, 1000, 10_000], optimum_up_to=300),
            "ack": lambda: ack.run(members=5000, requests={1: 300, 10: 1000, 50: 2500},
                                   core_commands=ack.SLOW_COMMANDS),
            "fanout": lambda: fanout.run(messages=1000, rate=50.0, ceiling_messages=300),
            "rss": lambda: rss.run(members=10_000, plan_timeout=600.0),
            "conversion": lambda: conversion.run(rounds=20),
        }
    return {
        "tick": lambda: tick.run([1000, 10_000]),
        "pairing": lambda: pairing.run([100, 1000], optimum_up_to=100),
        "ack": lambda: ack.run(members=1000, requests={1: 50, 10: 200, 50: 500}),
        "fanout": lambda: fanout.run(messages=200, rate=100.0),
        "rss": lambda: rss.run(members=1000, plan_timeout=300.0),
        "conversion": lambda: conversion.run(rounds=3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, results in bench/results/quick/")
    parser.add_argument("--only", nargs="+", choices=ORDER, metavar="NAME", help=f"run only these: {', '.join(ORDER)}")
    parser.add_argument("--results", type=Path, default=None, help="directory for the JSON results")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/PERFORMANCE.md (full mode)")
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    directory = args.results or (RESULTS_DIR / "quick" if args.quick else RESULTS_DIR)
    info = machine()
    log(f"bench ({mode}): {machine_line(info)}")
    results: list[Result] = []
    failed: list[str] = []
    for name, runner in plans(mode).items():
        if args.only and name not in args.only:
            continue
        began = time.perf_counter()
        log(f"== {name}")
        try:
            results.append(runner())
        except Exception:
            failed.append(name)
            log(f"{name} failed:\n{traceback.format_exc()}")
        log(f"== {name}: {time.perf_counter() - began:.0f} s")
    info["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]   # the machine is shared: was it busy?
    write_results(results, info, mode, directory)
    if mode == "full" and not args.no_docs and args.results is None:
        update_performance_doc(directory)
        log(f"updated {PERFORMANCE_DOC.relative_to(PERFORMANCE_DOC.parent.parent)}")
    figures = [Figure.from_json(f) for run in load_results(directory)
               if any(run["benchmark"] == r.benchmark for r in results) for f in run["figures"]]
    print(text_table(figures))
    print(f"\n{machine_line(info)}; results in {directory}")
    if failed:
        print(f"FAILED to run: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
