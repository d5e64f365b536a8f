"""Benchmark 2: one coffee-pairing round at 100 to 10,000 members with a year of history.

Meridian's round is `bot.coffee.plan_round`, the pure function `bot.coffee.rounds.run_round` feeds
from the database (candidates with their real working windows for the round's week, the history
of who met whom and when). Two baselines, measured on the same candidates:

- the exact optimum: networkx's `max_weight_matching` on the very graph Meridian weighed (every
  eligible pair, since rounds of up to a few hundred consider them all); Meridian's total weight
  is reported as a ratio to it, both on its normal path (exact up to `EXACT_LIMIT` people) and
  forced onto the scalable heuristic that rounds above that size use;
- a random shuffle (what most pairing bots do): neighbours in a shuffled list meet, the odd one
  out joins the last pair. Compared on repeats (groups in which someone meets a person they
  already met), cross-region share (groups spanning two or more UN subregions) and groups that
  share less working time in the week than the minimum (1 hour).

The year of history: 52 weekly rounds of random pairs before this one (so about half of a
100-person team has already met).
"""
from __future__ import annotations

import random
import time as timer
from datetime import date, timedelta
from typing import Any, Sequence

from bench.population import Person, people
from bench.report import Figure, Result, Target, log

ROUND_DAY = date(2026, 3, 30)          # a Monday, after Europe's DST change
ROUNDS_OF_HISTORY = 52
MIN_OVERLAP = timedelta(hours=1)
TIME_TARGET = 5.0                      # seconds, at 10,000 members
QUALITY_TARGET = 0.99                  # of the optimum, where it is known


def candidates(persons: Sequence[Person], day: date = ROUND_DAY) -> list[Any]:
    from bot.coffee import Candidate, region_of, weekly_windows
    from bot.time import parse_days

    out = []
    for p in persons:
        region = region_of(p.country, p.tz)
        days = parse_days(p.work_days) if p.work_days else (0, 1, 2, 3, 4)
        windows = weekly_windows(p.tz, p.hours_start, p.hours_end, days, day)
        out.append(Candidate(p.user_id, region.name, region.continent, p.country, windows))
    return out


def random_history(ids: Sequence[str], rounds: int, seed: int) -> dict[frozenset[str], int]:
    """`rounds` past rounds of shuffled pairs: pair -> the last round they met in."""
    rng = random.Random(seed)
    order = list(ids)
    history: dict[frozenset[str], int] = {}
    for number in range(1, rounds + 1):
        rng.shuffle(order)
        for i in range(0, len(order) - 1, 2):
            history[frozenset((order[i], order[i + 1]))] = number
    return history


def shuffle_round(ids: Sequence[str], seed: int) -> list[tuple[str, ...]]:
    """The baseline: neighbours in a shuffled list; an odd one out joins the last pair."""
    order = list(ids)
    random.Random(seed).shuffle(order)
    groups = [tuple(order[i:i + 2]) for i in range(0, len(order) - 1, 2)]
    if len(order) % 2 and groups:
        groups[-1] = groups[-1] + (order[-1],)
    return groups


def judge(groups: Sequence[Sequence[str]], by_id: dict[str, Any], history: dict[frozenset[str], int]) -> dict[str, Any]:
    """Repeats, cross-region share and groups under the overlap minimum, the same way for both sides."""
    from bot.coffee import shared_time

    repeats = cross = under = 0
    for group in groups:
        pairs = [frozenset((a, b)) for i, a in enumerate(group) for b in group[i + 1:]]
        repeats += any(p in history for p in pairs)
        cross += len({by_id[m].region for m in group}) > 1
        under += shared_time(*(by_id[m].windows for m in group)) < MIN_OVERLAP
    count = len(groups)
    return {"groups": count, "repeats": repeats, "cross_region_share": cross / count if count else 0.0,
            "under_overlap": under}


def optimum(plan: Any) -> tuple[float, float]:
    """networkx's exact maximum-weight matching on the graph Meridian weighed: (total weight, seconds)."""
    import networkx as nx

    graph = nx.Graph()
    for pair, weight in plan.pair_weights.items():
        a, b = tuple(pair)
        graph.add_edge(a, b, weight=weight)
    began = timer.perf_counter()
    matching = nx.max_weight_matching(graph)
    seconds = timer.perf_counter() - began
    return sum(graph[a][b]["weight"] for a, b in matching), seconds


def one_size(n: int, *, seed: int, optimum_up_to: int) -> tuple[list[Figure], dict[str, Any]]:
    from bot.coffee import plan_round

    persons = list(people(n, seed))
    cands = candidates(persons)
    by_id = {c.id: c for c in cands}
    ids = [c.id for c in cands]
    history = random_history(ids, ROUNDS_OF_HISTORY, seed)
    began = timer.perf_counter()
    plan = plan_round(cands, round_index=ROUNDS_OF_HISTORY + 1, history=history, min_overlap=MIN_OVERLAP,
                      seed=seed)
    seconds = timer.perf_counter() - began
    began = timer.perf_counter()
    shuffled = shuffle_round(ids, seed + 7919)   # not the seed of the history's first round
    shuffle_seconds = timer.perf_counter() - began
    ours = judge([g.members for g in plan.groups], by_id, history)
    ours["left_out"] = len(plan.left_out)
    theirs = judge(shuffled, by_id, history)
    details: dict[str, Any] = {"meridian": ours, "shuffle": theirs, "edges": plan.edges, "history_pairs": len(history),
                               "plan_seconds": seconds, "weight": plan.weight}
    label = f"{n:,} members"
    figures: list[Figure] = []
    if n <= optimum_up_to:
        log(f"pairing: exact optimum with networkx, {n:,} members, {len(plan.pair_weights):,} edges")
        best, nx_seconds = optimum(plan)
        details.update(optimum_weight=best, networkx_seconds=nx_seconds)
        figures.append(Figure(f"pairing.time.{n}", f"Pairing round, {label}: time", seconds, "s",
                              nx_seconds, "networkx exact"))
        figures.append(Figure(f"pairing.optimum.{n}", f"Pairing round, {label}: total weight", plan.weight, "weight",
                              best, "exact optimum", Target(">=", QUALITY_TARGET, on="ratio")))
        heuristic = plan_round(cands, round_index=ROUNDS_OF_HISTORY + 1, history=history, min_overlap=MIN_OVERLAP,
                               seed=seed, exact_limit=0)
        details["heuristic_weight"] = heuristic.weight
        figures.append(Figure(f"pairing.optimum_heuristic.{n}",
                              f"Pairing round, {label}: total weight on the large-round path", heuristic.weight, "weight",
                              best, "exact optimum", Target(">=", QUALITY_TARGET, on="ratio")))
    else:
        figures.append(Figure(f"pairing.time.{n}", f"Pairing round, {label}: time", seconds, "s", shuffle_seconds,
                              "random shuffle", Target("<", TIME_TARGET) if n >= 10_000 else None))
    figures.append(Figure(f"pairing.repeats.{n}", f"Pairing round, {label}: groups with a repeat", ours["repeats"],
                          "count", theirs["repeats"], "random shuffle"))
    figures.append(Figure(f"pairing.cross_region.{n}", f"Pairing round, {label}: cross-region share",
                          ours["cross_region_share"], "share", theirs["cross_region_share"], "random shuffle"))
    figures.append(Figure(f"pairing.under_overlap.{n}", f"Pairing round, {label}: groups under 1 h shared time",
                          ours["under_overlap"], "count", theirs["under_overlap"], "random shuffle"))
    return figures, details


def run(sizes: Sequence[int], *, optimum_up_to: int = 300, seed: int = 1) -> Result:
    began = timer.perf_counter()
    figures: list[Figure] = []
    details: dict[str, Any] = {}
    for n in sizes:
        log(f"pairing: {n:,} members, {ROUNDS_OF_HISTORY} rounds of history")
        found, detail = one_size(n, seed=seed, optimum_up_to=optimum_up_to)
        figures += found
        details[str(n)] = detail
    params = {"sizes": list(sizes), "optimum_up_to": optimum_up_to, "rounds_of_history": ROUNDS_OF_HISTORY,
              "min_overlap_minutes": MIN_OVERLAP.total_seconds() / 60, "round_day": ROUND_DAY.isoformat(), "seed": seed}
    return Result("pairing", params, figures, timer.perf_counter() - began, details)
