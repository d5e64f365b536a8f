"""Weekly coffee pairing as maximum-weight matching: pure math, no platform and no database.

The caller turns people into indices 0..n-1 and scores every allowed pair (history, regions,
blocks left out); this module only decides who meets whom. Two paths share one heuristic:

* Scalable (n > exact_limit): solve the bipartite relaxation (every person on both sides, so
  an assignment is a cycle cover with "stay alone" allowed) with SciPy's sparse LAPJV, cut
  its cycles into pairs optimally, then improve by local search. Its value halved is an upper
  bound, so quality can be measured without an exact solver.
* Exact (n <= exact_limit): the LP duals of that relaxation prove that most edges cannot be
  in any optimal matching (reduced-cost fixing); networkx's blossom algorithm then runs on the
  few edges left, which is exact and far faster than running it on the whole graph.

Every step is deterministic: inputs are canonicalised and sorted, ties go to lower indices.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

__all__ = ["Edge", "max_weight_matching", "add_trio"]

# Relative slack for float comparisons: a move must gain more than this (times the largest
# weight) to count, which keeps local search from cycling on rounding noise.
_EPS = 1e-12
# Local search stops after this many rounds even if moves remain (each round is O(edges)).
_MAX_ROUNDS = 60


@dataclass(frozen=True)
class Edge:
    """A candidate pair: indices a < b into the candidate list, and how good the pair is (> 0)."""

    a: int
    b: int
    weight: float


def max_weight_matching(n: int, edges: Sequence[Edge], *, exact_limit: int = 400) -> list[tuple[int, int]]:
    """Pairs (a, b), a < b, sorted, of maximum total weight; people without a good pair sit out.

    Maximum weight, not maximum cardinality: leaving someone unpaired is allowed when that
    scores higher. Exact for n <= exact_limit; above it, a fast heuristic (>= 99% of the
    optimum on sparse random instances). Duplicate edges keep their largest weight.
    """
    na, a, b, w, active = _canonical(n, edges)
    if w.size == 0:
        return []
    mate = _heuristic(na, a, b, w)
    if n <= exact_limit:
        mate = _exact(na, a, b, w, mate)
    pairs = [(int(active[u]), int(active[v])) for u, v in enumerate(mate.tolist()) if u < v]
    return sorted(pairs)


def add_trio(
    n: int,
    pairs: Sequence[tuple[int, int]],
    leftover: int,
    trio_weight: Callable[[int, int, int], float],
) -> list[tuple[int, ...]]:
    """Put the odd person into the existing pair where the trio scores best, so nobody is left out.

    trio_weight(a, b, leftover) scores the group (the caller folds in history and region mix);
    a score that is not > 0 (or NaN) means the trio is blocked. Ties go to the first pair in
    sorted order. If every pair is blocked the pairs come back unchanged and the person sits out.
    Returns sorted tuples; the trio's members are sorted too.
    """
    groups = sorted(tuple(sorted((int(p), int(q)))) for p, q in pairs)
    seen: set[int] = set()
    for g in groups:
        for person in g:
            if not 0 <= person < n or person in seen:
                raise ValueError(f"pairs must be disjoint indices in [0, {n}): {g}")
            seen.add(person)
    if not 0 <= leftover < n or leftover in seen:
        raise ValueError(f"leftover {leftover} must be in [0, {n}) and not already paired")
    best_i, best_score = -1, 0.0
    for i, (p, q) in enumerate(groups):
        score = float(trio_weight(p, q, leftover))
        if score > best_score and not math.isnan(score):  # blocked (<= 0 or NaN) never wins
            best_i, best_score = i, score
    result: list[tuple[int, ...]] = list(groups)
    if best_i >= 0:
        result[best_i] = tuple(sorted((*groups[best_i], leftover)))
    return result


# --------------------------------------------------------------------------- input


def _canonical(n: int, edges: Sequence[Edge]) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validate, drop duplicates (keeping the best weight), sort, and renumber to the people who have edges.

    Returns (k, a, b, w, active): k compact nodes, edges a < b sorted by (a, b), and the
    original index of each compact node. Renumbering keeps both solvers small when many
    candidates have no allowed pair this week.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    m = len(edges)
    a = np.fromiter((e.a for e in edges), dtype=np.int64, count=m)
    b = np.fromiter((e.b for e in edges), dtype=np.int64, count=m)
    w = np.fromiter((e.weight for e in edges), dtype=np.float64, count=m)
    if m and not (np.all(a >= 0) and np.all(a < b) and np.all(b < n)):
        bad = int(np.flatnonzero(~((a >= 0) & (a < b) & (b < n)))[0])
        raise ValueError(f"edge {edges[bad]!r} needs 0 <= a < b < n={n}")
    if m and not np.all(np.isfinite(w) & (w > 0)):
        bad = int(np.flatnonzero(~(np.isfinite(w) & (w > 0)))[0])
        raise ValueError(f"edge {edges[bad]!r} needs a finite weight > 0")
    key = a * max(n, 1) + b
    order = np.lexsort((-w, key))  # by pair, best weight first
    key, a, b, w = key[order], a[order], b[order], w[order]
    first = np.ones(m, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    a, b, w = a[first], b[first], w[first]
    active = np.unique(np.concatenate([a, b]))
    a = np.searchsorted(active, a)
    b = np.searchsorted(active, b)
    return int(active.size), a, b, w, active


# --------------------------------------------------------------------------- heuristic


class _Graph:
    """Compact undirected graph: edge list sorted by (a, b) plus a CSR adjacency sorted by neighbour."""

    def __init__(self, k: int, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> None:
        self.k, self.a, self.b, self.w = k, a, b, w
        self.keys = a * k + b  # sorted, unique
        src = np.concatenate([a, b])
        dst = np.concatenate([b, a])
        ww = np.concatenate([w, w])
        order = np.lexsort((dst, src))
        self.src, self.dst, self.ww = src[order], dst[order], ww[order]
        self.indptr = np.zeros(k + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.src, minlength=k), out=self.indptr[1:])
        self.eps = _EPS * float(w.max())

    def weight(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Weights of pairs (x, y), 0 where there is no edge."""
        key = np.minimum(x, y) * self.k + np.maximum(x, y)
        i = np.minimum(np.searchsorted(self.keys, key), self.keys.size - 1)
        return np.where(self.keys[i] == key, self.w[i], 0.0)


def _heuristic(k: int, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray:
    """A near-optimal matching as a mate array (-1 = alone): relaxation, cycle splitting, local search."""
    g = _Graph(k, a, b, w)
    mate = _relaxation_matching(g)
    _local_search(g, mate)
    return mate


def _relaxation_matching(g: _Graph) -> np.ndarray:
    """Round the optimal cycle cover of the bipartite relaxation into a matching.

    Each person appears as a row and a column; (i, j) and (j, i) cost "minus the weight", and
    (i, i) is the option of staying alone. 2-cycles are pairs; a longer cycle alternates
    (even) or must drop someone (odd), and a small DP picks the best matching along it.
    """
    k = g.k
    scale = float(g.w.max())
    # Costs in [1, 2): positive because LAPJVsp treats stored zeros ambiguously; the shift
    # is the same for every full assignment, so the optimum does not move.
    c = 2.0 - g.w / scale
    diag = np.arange(k)
    rows = np.concatenate([g.a, g.b, diag])
    cols = np.concatenate([g.b, g.a, diag])
    costs = np.concatenate([c, c, np.full(k, 2.0)])
    matrix = sp.csr_matrix((costs, (rows, cols)), shape=(k, k))
    _, perm = min_weight_full_bipartite_matching(matrix)
    perm = np.asarray(perm, dtype=np.int64)
    step_w = g.weight(np.arange(k), perm)  # weight of i -> perm[i]; 0 on fixed points

    mate = np.full(k, -1, dtype=np.int64)
    seen = np.zeros(k, dtype=bool)
    perm_l, step_l = perm.tolist(), step_w.tolist()
    for start in range(k):
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        nxt = perm_l[start]
        while nxt != start:
            cycle.append(nxt)
            seen[nxt] = True
            nxt = perm_l[nxt]
        if len(cycle) == 1:
            continue
        if len(cycle) == 2:
            mate[cycle[0]], mate[cycle[1]] = cycle[1], cycle[0]
            continue
        weights = [step_l[v] for v in cycle]  # weights[i] joins cycle[i] and cycle[i+1]
        for i, j in _best_on_cycle(weights):
            mate[cycle[i]], mate[cycle[j]] = cycle[j], cycle[i]
    return mate


def _best_on_cycle(weights: list[float]) -> list[tuple[int, int]]:
    """Maximum-weight matching of a cycle whose i-th edge joins positions i and i+1 (mod len)."""
    L = len(weights)
    # Either the closing edge (L-1, 0) is unused -> a path over 0..L-1, or used -> a path over 1..L-2.
    open_val, open_pairs = _best_on_path(weights[: L - 1], 0)
    closed_val, closed_pairs = _best_on_path(weights[1 : L - 2], 1)
    if weights[L - 1] + closed_val > open_val:
        return closed_pairs + [(L - 1, 0)]
    return open_pairs


def _best_on_path(weights: list[float], offset: int) -> tuple[float, list[tuple[int, int]]]:
    """Maximum-weight matching of a path whose i-th edge joins positions offset+i and offset+i+1."""
    best = [0.0] * (len(weights) + 2)  # best[i]: using edges i.. only
    for i in range(len(weights) - 1, -1, -1):
        best[i] = max(best[i + 1], weights[i] + best[i + 2])
    pairs: list[tuple[int, int]] = []
    i = 0
    while i < len(weights):
        if weights[i] + best[i + 2] > best[i + 1]:
            pairs.append((offset + i, offset + i + 1))
            i += 2
        else:
            i += 1
    return best[0], pairs


def _local_search(g: _Graph, mate: np.ndarray) -> None:
    """Improve the matching in place with moves around one edge (u, v) until none gains.

    The move pairs u with v and frees their old partners x and y, which may then pair with each
    other (a 2-opt swap) or with their best currently free neighbours (short augmenting paths).
    Each round scores every edge at once with an optimistic bound, then applies candidates best
    first after an exact re-check, so each applied move strictly raises the total weight.
    """
    k = g.k
    mw = np.zeros(k)
    matched = mate >= 0
    mw[matched] = g.weight(np.flatnonzero(matched), mate[matched])
    bf = np.zeros(k + 1)  # best weight to a free neighbour; slot k stands for "nobody"
    for _ in range(_MAX_ROUNDS):
        free = mate < 0
        bf[:] = 0.0
        to_free = free[g.dst]
        np.maximum.at(bf, g.src[to_free], g.ww[to_free])
        mpos = np.where(mate < 0, k, mate)
        x, y = mpos[g.a], mpos[g.b]
        both = (x < k) & (y < k)
        swap = np.zeros(g.w.size)
        swap[both] = g.weight(x[both], y[both])
        est = g.w - mw[g.a] - mw[g.b] + np.maximum(bf[x] + bf[y], swap)
        cand = np.flatnonzero((x != g.b) & (est > g.eps))
        if cand.size == 0:
            return
        cand = cand[np.argsort(-est[cand], kind="stable")]
        applied = 0
        for e in cand.tolist():
            applied += _try_move(g, mate, mw, int(g.a[e]), int(g.b[e]), float(g.w[e]))
        if not applied:
            return


def _best_free(g: _Graph, mate: np.ndarray, x: int, exclude: tuple[int, ...]) -> tuple[float, int]:
    """The heaviest edge from x to a currently unmatched person not in exclude (lowest index on ties)."""
    lo, hi = g.indptr[x], g.indptr[x + 1]
    nb = g.dst[lo:hi]
    ok = mate[nb] < 0
    for z in exclude:
        ok &= nb != z
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return 0.0, -1
    j = idx[np.argmax(g.ww[lo:hi][idx])]
    return float(g.ww[lo + j]), int(nb[j])


def _try_move(g: _Graph, mate: np.ndarray, mw: np.ndarray, u: int, v: int, wuv: float) -> int:
    """Apply the best version of the (u, v) move if it gains more than eps; return 1 if applied."""
    x, y = int(mate[u]), int(mate[v])
    if x == v:
        return 0
    gain = wuv - mw[u] - mw[v]
    plan: list[tuple[int, int, float]] = []
    extra = 0.0
    if x >= 0 and y >= 0:
        wxy = float(g.weight(np.array([x]), np.array([y]))[0])
        if wxy > extra:
            extra, plan = wxy, [(x, y, wxy)]
    fx = _best_free(g, mate, x, (u, v, y)) if x >= 0 else (0.0, -1)
    fy = _best_free(g, mate, y, (u, v, x)) if y >= 0 else (0.0, -1)
    if fx[1] >= 0 and fx[1] == fy[1]:  # both want the same free person: try each order
        fy2 = _best_free(g, mate, y, (u, v, x, fx[1]))
        fx2 = _best_free(g, mate, x, (u, v, y, fy[1]))
        fx, fy = (fx, fy2) if fx[0] + fy2[0] >= fx2[0] + fy[0] else (fx2, fy)
    if fx[0] + fy[0] > extra:
        extra = fx[0] + fy[0]
        plan = [(p, z, wz) for p, (wz, z) in ((x, fx), (y, fy)) if z >= 0]
    if gain + extra <= g.eps:
        return 0
    for p in (x, y):
        if p >= 0:
            mate[p], mw[p] = -1, 0.0
    mate[u], mate[v], mw[u], mw[v] = v, u, wuv, wuv
    for p, q, wpq in plan:
        mate[p], mate[q], mw[p], mw[q] = q, p, wpq, wpq
    return 1


# --------------------------------------------------------------------------- exact


def _exact(k: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, start: np.ndarray) -> np.ndarray:
    """An optimal matching, using the heuristic's weight to discard provably useless edges first.

    With y the optimal duals of the relaxation (y >= 0, y_a + y_b >= w_ab), any matching M has
    w(M) <= sum(y) - sum of reduced costs over M. An optimal M weighs at least the heuristic's
    LB, so an edge whose reduced cost exceeds sum(y) - LB is in no optimal matching. The blossom
    algorithm then only sees the near-tight edges, usually a small sparse graph.
    """
    lb = float(_total(a, b, w, start))
    keep = np.ones(w.size, dtype=bool)
    y = _relaxation_duals(k, a, b, w)
    if y is not None:
        y = np.maximum(y, 0.0)
        rc = y[a] + y[b] - w
        short = float(rc.min())
        if short < 0:  # repair rounding so y is truly feasible: lift everyone equally
            y += -short / 2
            rc += -short
        slack = float(y.sum()) - lb
        keep = rc <= slack + 1e-9 * (float(y.sum()) + float(w.max()))
    graph = nx.Graph()
    graph.add_weighted_edges_from(zip(a[keep].tolist(), b[keep].tolist(), w[keep].tolist()))
    mate = np.full(k, -1, dtype=np.int64)
    for p, q in nx.max_weight_matching(graph, maxcardinality=False):
        mate[p], mate[q] = q, p
    if _total(a, b, w, start) > _total(a, b, w, mate) + _EPS * float(w.max()):
        return start  # only possible through float noise in networkx; never return worse
    return mate


def _relaxation_duals(k: int, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray | None:
    """Optimal duals y of max w.x s.t. x(delta(v)) <= 1, x >= 0 (HiGHS), or None if it fails."""
    m = w.size
    incidence = sp.csr_matrix(
        (np.ones(2 * m), (np.concatenate([a, b]), np.tile(np.arange(m), 2))), shape=(k, m)
    )
    res = linprog(-w, A_ub=incidence, b_ub=np.ones(k), bounds=(0, None), method="highs")
    if res.status != 0 or res.ineqlin is None:
        return None
    return -np.asarray(res.ineqlin.marginals, dtype=np.float64)


def _total(a: np.ndarray, b: np.ndarray, w: np.ndarray, mate: np.ndarray) -> float:
    """Total weight of a mate array over the canonical edge list."""
    return float(w[mate[a] == b].sum())
