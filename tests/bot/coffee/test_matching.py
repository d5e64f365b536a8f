"""The pairing engine (bot.coffee.matching) against independent oracles: networkx's blossom algorithm,
brute force on tiny graphs, and an LP upper bound. Wall-clock time is never asserted."""
from __future__ import annotations

import math
import random
from functools import lru_cache

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import linprog

from bot.coffee.matching import Edge, add_trio, max_weight_matching

def random_edges(seed: int, n: int, degree: int, dist: str) -> list[Edge]:
    """A sparse random candidate graph: each person proposes `degree` partners (duplicates merge)."""
    rng = np.random.default_rng(seed)
    a = np.repeat(np.arange(n), degree)
    b = rng.integers(0, n, a.size)
    if dist == "clustered":  # triangles of close colleagues: odd groups the LP relaxation loves
        b = np.where(rng.random(a.size) < 0.7, np.minimum((a // 3) * 3 + rng.integers(0, 3, a.size), n - 1), b)
    keep = a != b
    pairs = sorted(set(zip(np.minimum(a, b)[keep].tolist(), np.maximum(a, b)[keep].tolist())))
    m = len(pairs)
    if dist == "uniform":
        w = rng.random(m) + 1e-6
    elif dist == "ties":
        w = rng.integers(1, 5, m).astype(float)
    elif dist == "binary":
        w = rng.integers(1, 3, m).astype(float)
    elif dist == "heavy":  # six orders of magnitude
        w = 10.0 ** rng.uniform(-3, 3, m)
    elif dist == "near":  # almost unweighted: cardinality dominates
        w = 1.0 + 1e-3 * rng.random(m)
    elif dist == "tiered":  # like the bot's weights: tiers that each outweigh everything below
        w = 1e6 + 1e3 * rng.integers(0, 4, m) + 3.0 * rng.random(m)
    else:
        w = np.array([10.0 if p // 3 == q // 3 else 1.0 for p, q in pairs]) * (1.0 + rng.random(m))
    return [Edge(p, q, float(x)) for (p, q), x in zip(pairs, w)]


def complete_edges(seed: int, n: int, dist: str) -> list[Edge]:
    """Every pair of n people, weights drawn as in random_edges."""
    rng = random.Random(seed)
    draw = {
        "uniform": lambda: rng.random() + 1e-6,
        "ties": lambda: float(rng.randint(1, 4)),
        "heavy": lambda: 10.0 ** rng.uniform(-3, 3),
    }[dist]
    return [Edge(a, b, draw()) for a in range(n) for b in range(a + 1, n)]


def weights(edges: list[Edge]) -> dict[tuple[int, int], float]:
    out: dict[tuple[int, int], float] = {}
    for e in edges:
        out[(e.a, e.b)] = max(out.get((e.a, e.b), 0.0), e.weight)
    return out


def total(edges: list[Edge], pairs: list[tuple[int, int]]) -> float:
    w = weights(edges)
    return sum(w[p] for p in pairs)


def assert_valid(n: int, edges: list[Edge], pairs: list[tuple[int, int]]) -> None:
    """A sorted list of existing edges, a < b, nobody twice."""
    w = weights(edges)
    assert pairs == sorted(pairs)
    people = [i for p in pairs for i in p]
    assert len(people) == len(set(people)), "someone is in two pairs"
    for a, b in pairs:
        assert 0 <= a < b < n
        assert (a, b) in w, f"{(a, b)} is not a candidate edge"


def networkx_optimum(edges: list[Edge]) -> float:
    graph = nx.Graph()
    graph.add_weighted_edges_from((a, b, x) for (a, b), x in weights(edges).items())
    return sum(graph[a][b]["weight"] for a, b in nx.max_weight_matching(graph))


@lru_cache(maxsize=None)
def cached_instance(n: int, degree: int, dist: str, seed: int) -> tuple[list[Edge], float]:
    """Instance and its networkx optimum, shared by the exact and the scalable tests (nx is slow)."""
    edges = random_edges(seed, n, degree, dist)
    return edges, networkx_optimum(edges)


def brute_force_optimum(n: int, edges: list[Edge]) -> float:
    """Exhaustive search over subsets: the lowest remaining person sits out or pairs with someone."""
    w = weights(edges)

    @lru_cache(maxsize=None)
    def best(mask: int) -> float:
        if mask == 0:
            return 0.0
        i = (mask & -mask).bit_length() - 1
        rest = mask & ~(1 << i)
        value = best(rest)
        for j in range(i + 1, n):
            if rest >> j & 1 and (i, j) in w:
                value = max(value, w[(i, j)] + best(rest & ~(1 << j)))
        return value

    return best((1 << n) - 1)


def lp_upper_bound(n: int, edges: list[Edge]) -> float:
    """max w.x s.t. every person's x sums to <= 1, x >= 0: at least the optimum of any matching."""
    w = weights(edges)
    a = np.array([p for p, _ in w])
    b = np.array([q for _, q in w])
    m = len(w)
    incidence = sp.csr_matrix((np.ones(2 * m), (np.concatenate([a, b]), np.tile(np.arange(m), 2))), shape=(n, m))
    res = linprog(-np.array(list(w.values())), A_ub=incidence, b_ub=np.ones(n), bounds=(0, None), method="highs")
    assert res.status == 0
    return -res.fun


# (n, degree, weight distribution, seed): sizes up to 300 (and one of 700), sparse to dense.
NX_CASES = [
    (2, 1, "uniform", 0),
    (9, 8, "ties", 1),
    (25, 4, "uniform", 2),
    (40, 40, "heavy", 3),
    (60, 6, "near", 4),
    (80, 3, "binary", 5),
    (120, 10, "uniform", 6),
    (150, 5, "clustered", 7),
    (170, 4, "tiered", 11),
    (199, 3, "heavy", 8),
    (200, 40, "ties", 9),
    (251, 3, "uniform", 10),
    (300, 20, "binary", 12),
    (700, 2, "binary", 21),
]


@pytest.mark.parametrize("n, degree, dist, seed", NX_CASES)
def test_exact_path_reaches_the_networkx_optimum(n: int, degree: int, dist: str, seed: int) -> None:
    edges, optimum = cached_instance(n, degree, dist, seed)
    pairs = max_weight_matching(n, edges, exact_limit=max(n, 400))
    assert_valid(n, edges, pairs)
    assert total(edges, pairs) == pytest.approx(optimum, rel=1e-9)


@pytest.mark.parametrize("n, dist, seed", [(30, "uniform", 1), (41, "heavy", 2), (60, "ties", 3)])
def test_exact_path_on_complete_graphs(n: int, dist: str, seed: int) -> None:
    edges = complete_edges(seed, n, dist)
    pairs = max_weight_matching(n, edges)
    assert_valid(n, edges, pairs)
    assert total(edges, pairs) == pytest.approx(networkx_optimum(edges), rel=1e-9)


def test_exact_path_equals_brute_force_on_many_tiny_graphs() -> None:
    rng = random.Random(2024)
    for trial in range(60):
        n = rng.randint(1, 10)
        p = rng.choice([0.2, 0.5, 0.9])
        dist = rng.choice(["uniform", "ties", "heavy"])
        edges = [
            Edge(a, b, rng.random() + 1e-6 if dist == "uniform" else float(rng.randint(1, 3)) if dist == "ties"
                 else 10.0 ** rng.uniform(-3, 3))
            for a in range(n) for b in range(a + 1, n) if rng.random() < p
        ]
        pairs = max_weight_matching(n, edges)
        assert_valid(n, edges, pairs)
        assert total(edges, pairs) == pytest.approx(brute_force_optimum(n, edges), rel=1e-9, abs=1e-12), trial


@pytest.mark.parametrize("n, degree, dist, seed", [c for c in NX_CASES if c[0] >= 199])
def test_scalable_path_reaches_99_percent_of_networkx(n: int, degree: int, dist: str, seed: int) -> None:
    edges, optimum = cached_instance(n, degree, dist, seed)
    pairs = max_weight_matching(n, edges, exact_limit=0)  # force the heuristic
    assert_valid(n, edges, pairs)
    assert total(edges, pairs) >= 0.99 * optimum
    assert total(edges, pairs) <= optimum * (1 + 1e-9)


@pytest.mark.parametrize("n, degree, dist, seed", [
    (600, 3, "ties", 30), (900, 4, "clustered", 31),
    (2000, 10, "uniform", 32), (1500, 8, "heavy", 33), (1200, 5, "near", 34),
])
def test_scalable_path_reaches_99_percent_of_an_upper_bound(n: int, degree: int, dist: str, seed: int) -> None:
    """The LP relaxation's value is at least the optimum, so this is stricter than comparing to it."""
    edges = random_edges(seed, n, degree, dist)
    pairs = max_weight_matching(n, edges, exact_limit=0)
    assert_valid(n, edges, pairs)
    bound = lp_upper_bound(n, edges)
    if dist == "clustered":  # triangles make the plain LP bound loose: use the exact path instead
        bound = total(edges, max_weight_matching(n, edges, exact_limit=n))
    assert total(edges, pairs) >= 0.99 * bound


def test_maximum_weight_not_maximum_cardinality() -> None:
    # 0-1-2-3 with 1, 3, 1: one strong pair beats two weak ones (a maximum-cardinality matching).
    edges = [Edge(0, 1, 1.0), Edge(1, 2, 3.0), Edge(2, 3, 1.0)]
    for limit in (400, 0):
        assert max_weight_matching(4, edges, exact_limit=limit) == [(1, 2)]


def test_greedy_trap_is_avoided_on_both_paths() -> None:
    # Greedy takes the heaviest edge (1, 2) = 3 and ends at 3; the optimum is 2 + 2 = 4.
    edges = [Edge(0, 1, 2.0), Edge(1, 2, 3.0), Edge(2, 3, 2.0)]
    for limit in (400, 0):
        assert max_weight_matching(4, edges, exact_limit=limit) == [(0, 1), (2, 3)]


def test_odd_triangles_only_one_pair_each() -> None:
    # Two heavy triangles joined by a light edge: the LP would take halves; a matching cannot.
    edges = [Edge(0, 1, 5.0), Edge(1, 2, 5.0), Edge(0, 2, 5.0), Edge(3, 4, 5.0), Edge(4, 5, 5.0),
             Edge(3, 5, 5.0), Edge(2, 3, 1.0)]
    for limit in (400, 0):
        pairs = max_weight_matching(6, edges, exact_limit=limit)
        assert_valid(6, edges, pairs)
        assert total(edges, pairs) == 11.0


def test_empty_and_tiny_inputs() -> None:
    assert max_weight_matching(0, []) == []
    assert max_weight_matching(1, []) == []
    assert max_weight_matching(7, []) == []
    assert max_weight_matching(2, [Edge(0, 1, 0.5)]) == [(0, 1)]
    assert max_weight_matching(2, [Edge(0, 1, 0.5)], exact_limit=0) == [(0, 1)]
    assert max_weight_matching(3, [Edge(0, 1, 1.0), Edge(1, 2, 2.0), Edge(0, 2, 1.5)]) == [(1, 2)]
    # People without edges do not matter, however high their indices.
    assert max_weight_matching(10_000, [Edge(9_998, 9_999, 1.0)], exact_limit=0) == [(9_998, 9_999)]
    assert max_weight_matching(10_000, [Edge(3, 9_999, 1.0)]) == [(3, 9_999)]


def test_duplicate_edges_keep_their_best_weight() -> None:
    # If the duplicate (0, 1) kept weight 1, the matching would prefer (1, 2) = 3.
    edges = [Edge(0, 1, 1.0), Edge(1, 2, 3.0), Edge(0, 1, 5.0)]
    for limit in (400, 0):
        assert max_weight_matching(3, edges, exact_limit=limit) == [(0, 1)]


@pytest.mark.parametrize("bad", [
    Edge(1, 1, 1.0), Edge(2, 1, 1.0), Edge(-1, 2, 1.0), Edge(0, 5, 1.0),
    Edge(0, 1, 0.0), Edge(0, 1, -2.0), Edge(0, 1, math.nan), Edge(0, 1, math.inf),
])
def test_invalid_edges_are_rejected(bad: Edge) -> None:
    with pytest.raises(ValueError):
        max_weight_matching(5, [Edge(0, 1, 1.0), bad])


@pytest.mark.parametrize("n, degree, dist, limit", [
    (60, 59, "binary", 400), (300, 8, "ties", 400), (300, 8, "binary", 0), (800, 6, "near", 0),
])
def test_deterministic_whatever_the_input_order(n: int, degree: int, dist: str, limit: int) -> None:
    """Tie-heavy weights have many optimal matchings: the engine must always pick the same one."""
    edges = random_edges(99, n, degree, dist)
    first = max_weight_matching(n, edges, exact_limit=limit)
    assert max_weight_matching(n, edges, exact_limit=limit) == first
    shuffled = list(edges)
    random.Random(5).shuffle(shuffled)
    assert max_weight_matching(n, shuffled, exact_limit=limit) == first
    assert max_weight_matching(n, shuffled + edges[:50], exact_limit=limit) == first  # duplicates too


# --------------------------------------------------------------------------- add_trio


def test_add_trio_picks_the_best_pair_for_the_leftover() -> None:
    scores = {(0, 1): 2.0, (2, 3): 7.0, (4, 5): 3.0}
    groups = add_trio(7, [(4, 5), (0, 1), (3, 2)], 6, lambda a, b, c: scores[(a, b)])
    assert groups == [(0, 1), (2, 3, 6), (4, 5)]


def test_add_trio_sees_the_leftover_and_sorted_members() -> None:
    seen = []

    def score(a: int, b: int, c: int) -> float:
        seen.append((a, b, c))
        return 1.0 + b  # prefers the pair with the highest second member

    assert add_trio(9, [(8, 1), (2, 3)], 0, score) == [(0, 1, 8), (2, 3)]
    assert sorted(seen) == [(1, 8, 0), (2, 3, 0)]


def test_add_trio_respects_blocks_and_ties() -> None:
    # Blocked: not > 0, or NaN; the only allowed pair wins even with a lower score than blocked "values".
    blocked = {(0, 1): -5.0, (2, 3): 0.0, (4, 5): math.nan, (6, 7): 0.5}
    assert add_trio(9, list(blocked), 8, lambda a, b, c: blocked[(a, b)]) == [(0, 1), (2, 3), (4, 5), (6, 7, 8)]
    # Everyone blocked: pairs unchanged, the leftover sits out.
    assert add_trio(5, [(0, 1), (2, 3)], 4, lambda a, b, c: 0.0) == [(0, 1), (2, 3)]
    # A tie goes to the first pair in sorted order.
    assert add_trio(5, [(2, 3), (0, 1)], 4, lambda a, b, c: 1.0) == [(0, 1, 4), (2, 3)]
    assert add_trio(5, [], 4, lambda a, b, c: 1.0) == []


@pytest.mark.parametrize("pairs, leftover", [
    ([(0, 1), (2, 3)], 1),        # the leftover is already paired
    ([(0, 1), (1, 2)], 3),        # pairs overlap
    ([(0, 1)], 5),                # out of range
    ([(0, 9)], 2),                # pair out of range
])
def test_add_trio_rejects_inconsistent_input(pairs: list[tuple[int, int]], leftover: int) -> None:
    with pytest.raises(ValueError):
        add_trio(5, pairs, leftover, lambda a, b, c: 1.0)


def test_odd_team_everyone_gets_a_group() -> None:
    edges = complete_edges(7, 21, "uniform")
    pairs = max_weight_matching(21, edges)
    alone = sorted(set(range(21)) - {i for p in pairs for i in p})
    assert len(alone) == 1  # positive weights on a complete graph leave exactly one out
    w = weights(edges)
    groups = add_trio(21, pairs, alone[0], lambda a, b, c: w[tuple(sorted((a, c)))] + w[tuple(sorted((b, c)))])
    assert sorted(i for g in groups for i in g) == list(range(21))
    assert sorted(len(g) for g in groups) == [2] * 9 + [3]
