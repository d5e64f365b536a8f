"""How fast and how good bot.coffee.matching is: prints figures, asserts nothing.

    python -m bench.matching_scale            (or: python bench/matching_scale.py)

- 10,000 people, ~30 random candidate partners proposed per person (~300k edges): wall and CPU
  time of the scalable path, and its weight against the LP relaxation's value (an upper bound
  on the optimum, so the true ratio is at least the one printed).
- 300 people: the scalable path (forced with exact_limit=0) and the exact path against
  networkx's max_weight_matching on the same weights.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from bot.coffee.matching import Edge, max_weight_matching


def instance(n: int, per_person: int, seed: int, ties: bool = False) -> list[Edge]:
    """Each person proposes `per_person` random partners; weights uniform, or integers 1-4 (many ties)."""
    rng = np.random.default_rng(seed)
    a = np.repeat(np.arange(n), per_person)
    b = rng.integers(0, n, a.size)
    keep = a != b
    key = np.unique(np.minimum(a, b)[keep] * n + np.maximum(a, b)[keep])
    w = rng.integers(1, 5, key.size).astype(float) if ties else rng.random(key.size) + 1e-6
    return [Edge(int(p), int(q), float(x)) for p, q, x in zip(key // n, key % n, w)]


def weight(edges: list[Edge], pairs: list[tuple[int, int]]) -> float:
    w = {(e.a, e.b): e.weight for e in edges}
    return sum(w[p] for p in pairs)


def lp_bound(n: int, edges: list[Edge]) -> float:
    """max w.x with every person's x summing to <= 1: no matching weighs more."""
    a = np.array([e.a for e in edges])
    b = np.array([e.b for e in edges])
    m = len(edges)
    incidence = sp.csr_matrix((np.ones(2 * m), (np.concatenate([a, b]), np.tile(np.arange(m), 2))), shape=(n, m))
    res = linprog(-np.array([e.weight for e in edges]), A_ub=incidence, b_ub=np.ones(n), bounds=(0, None),
                  method="highs")
    return -res.fun


def timed(fn):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    n = 10_000
    for ties in (False, True):
        edges = instance(n, 30, seed=1, ties=ties)
        pairs, wall, cpu = timed(lambda: max_weight_matching(n, edges))
        ratio = weight(edges, pairs) / lp_bound(n, edges)
        print(f"{n} people, {len(edges)} edges ({'integer 1-4' if ties else 'uniform'} weights): "
              f"{wall:.2f}s wall, {cpu:.2f}s CPU, {len(pairs)} pairs, >= {ratio:.5f} of the optimum (LP bound)")

    n = 300
    edges = instance(n, 10, seed=2)
    graph = nx.Graph()
    graph.add_weighted_edges_from((e.a, e.b, e.weight) for e in edges)
    optimum_pairs, nx_wall, _ = timed(lambda: nx.max_weight_matching(graph))
    optimum = sum(graph[a][b]["weight"] for a, b in optimum_pairs)
    scalable, s_wall, _ = timed(lambda: max_weight_matching(n, edges, exact_limit=0))
    exact, e_wall, _ = timed(lambda: max_weight_matching(n, edges))
    print(f"{n} people, {len(edges)} edges: networkx optimum {optimum:.6f} in {nx_wall:.2f}s; "
          f"scalable path {weight(edges, scalable) / optimum:.5f} of it in {s_wall:.2f}s; "
          f"exact path {weight(edges, exact) / optimum:.12f} in {e_wall:.2f}s")


if __name__ == "__main__":
    main()
