"""Weekly coffee pairing as maximum-weight matching: pure math, no platform and no database.

The caller turns people into indices 0..n-1 and scores every allowed pair (history, regions;
blocked pairs get no edge); this module only decides who meets whom, deterministically.

* Heuristic (all sizes; the answer when n > exact_limit): solve the bipartite relaxation
  (every person on both sides, so an assignment is a cycle cover where "stay alone" is
  allowed) with SciPy's sparse LAPJV, cut its cycles into pairs optimally, then improve with
  vectorised local moves (2-opt swaps, short augmentations) and long alternating paths and
  cycles. About a second for 10,000 people and 300k edges, within 0.1% of the optimum on
  random instances.
* Exact (n <= exact_limit): the LP relaxation with odd-set cuts (HiGHS, column generation)
  gives duals that either prove the heuristic's or the rounded LP's matching optimal, or
  prune every edge that cannot be in an optimal matching; networkx's blossom algorithm then
  runs on the small components left. Far faster than networkx on the whole graph, same result.

Inputs are canonicalised and sorted and ties go to lower indices, so the same candidates
always give the same pairs, whatever order the edges came in.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

__all__ = ["Edge", "max_weight_matching", "add_trio"]

# Relative slack for float comparisons: a move must gain more than this (times the largest
# weight) to count, which keeps local search from cycling on rounding noise.
_EPS = 1e-12
# Local search stops after this many rounds even if moves remain (each round is O(edges)).
_MAX_ROUNDS = 60
# Longest alternating path (in re-paired couples) that augmentation looks for.
_PATH_STEPS = 8
# The exact path stops adding odd-set cuts after this many LP solves and hands over to blossom.
_MAX_CUT_ROUNDS = 12
# A matching within this relative distance of the dual bound counts as optimal (float noise).
_CERTIFY = 1e-13
# Pruning keeps edges whose reduced cost is within the gap plus this larger safety margin.
_PRUNE = 1e-9
# LP rounding solves the people it leaves alone exactly only if there are at most this many.
_REST_LIMIT = 120
# Column generation seeds the LP with each person's heaviest edges and prices in the rest.
_SEED_DEGREE = 8
_MAX_PRICING_ROUNDS = 50


@dataclass(frozen=True)
class Edge:
    """A candidate pair: indices a < b into the candidate list, and how good the pair is (> 0)."""

    a: int
    b: int
    weight: float


def max_weight_matching(n: int, edges: Sequence[Edge], *, exact_limit: int = 400) -> list[tuple[int, int]]:
    """Pairs (a, b), a < b, sorted, of maximum total weight; people without a good pair sit out.

    Maximum weight, not maximum cardinality: leaving someone unpaired is allowed when that
    scores higher. Exact (to float rounding) for n <= exact_limit, where n counts candidates;
    above it a fast heuristic (>= 99% of the optimum on sparse random graphs; its cost grows
    with the edges, not n^3). Duplicate edges keep their largest weight; edges must have
    0 <= a < b < n and a finite weight > 0, else ValueError.
    """
    k, a, b, w, active = _canonical(n, edges)
    if w.size == 0:
        return []
    g = _Graph(k, a, b, w)
    mate = _relaxation_matching(g)
    _improve(g, mate)
    if n <= exact_limit:
        mate = _exact(g, mate)
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
        self.scale = float(w.max())
        self.eps = _EPS * self.scale

    def total(self, mate: np.ndarray) -> float:
        """Total weight of a mate array."""
        return float(self.w[mate[self.a] == self.b].sum())

    def weight(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Weights of pairs (x, y), 0 where there is no edge."""
        key = np.minimum(x, y) * self.k + np.maximum(x, y)
        i = np.minimum(np.searchsorted(self.keys, key), self.keys.size - 1)
        return np.where(self.keys[i] == key, self.w[i], 0.0)


def _relaxation_matching(g: _Graph) -> np.ndarray:
    """Round the optimal cycle cover of the bipartite relaxation into a matching.

    Each person appears as a row and a column; (i, j) and (j, i) cost "minus the weight", and
    (i, i) is the option of staying alone. 2-cycles are pairs; a longer cycle alternates
    (even) or must drop someone (odd), and a small DP picks the best matching along it.
    """
    k = g.k
    # Costs in [1, 2): positive because LAPJVsp treats stored zeros ambiguously; the shift
    # is the same for every full assignment, so the optimum does not move.
    c = 2.0 - g.w / g.scale
    diag = np.arange(k)
    rows = np.concatenate([g.a, g.b, diag])
    cols = np.concatenate([g.b, g.a, diag])
    costs = np.concatenate([c, c, np.full(k, 2.0)])
    matrix = sp.csr_matrix((costs, (rows, cols)), shape=(k, k))
    _, perm = min_weight_full_bipartite_matching(matrix)  # the diagonal makes it always feasible
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
    size = len(weights)
    # The closing edge (size-1, 0) is unused -> a path over 0..size-1, or used -> a path over 1..size-2.
    open_val, open_pairs = _best_on_path(weights[: size - 1], 0)
    closed_val, closed_pairs = _best_on_path(weights[1 : size - 2], 1)
    if weights[size - 1] + closed_val > open_val:
        return closed_pairs + [(size - 1, 0)]
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


def _improve(g: _Graph, mate: np.ndarray) -> None:
    """Alternate cheap local moves with longer augmenting paths until neither finds a gain."""
    for _ in range(_MAX_ROUNDS):
        _local_search(g, mate)
        if not _augment(g, mate):
            return


def _augment(g: _Graph, mate: np.ndarray) -> bool:
    """Apply gainful alternating paths and cycles of up to _PATH_STEPS re-paired couples.

    Local moves only see three edges; what is left is usually a long augmenting path (when
    weights are nearly equal, as in unweighted matching) or a long alternating cycle. Every
    person r is a root: r drops its partner s, and labels spread in numpy, gain[m] being the
    best value of r - v1 = m1 - v2 = ... - v = m that re-pairs everyone on it and leaves m
    exposed. A path may stop there, pair m with an unmatched person, or pair m with s (closing
    a cycle). Paths are rebuilt from the pointers, checked to be simple, priced exactly and
    applied best first without overlaps. Returns whether anything improved.
    """
    k = g.k
    mw = np.zeros(k)
    matched = np.flatnonzero(mate >= 0)
    mw[matched] = g.weight(matched, mate[matched])
    free = mate < 0
    gain = -mw
    root = np.arange(k)
    via = np.full(k, -1, dtype=np.int64)  # m was exposed by stepping onto via[m], mate[m]'s partner
    prev = np.full(k, -1, dtype=np.int64)  # ... from prev[m], the person exposed before
    target = np.where(free, k, mate)  # stepping onto v exposes mate[v]; a free v ends the path
    for _ in range(_PATH_STEPS):
        live = (target[g.dst] < k) & (target[g.dst] != g.src) & (g.dst != root[g.src])
        p, v = g.src[live], g.dst[live]
        m = target[v]
        value = gain[p] + g.ww[live] - mw[v]
        best = np.full(k, -np.inf)
        np.maximum.at(best, m, value)
        hit = np.flatnonzero((value == best[m]) & (value > gain[m] + g.eps))
        if hit.size == 0:
            break
        m_hit, first = np.unique(m[hit], return_index=True)
        chosen = hit[first]
        gain[m_hit], via[m_hit], prev[m_hit] = value[chosen], v[chosen], p[chosen]
        root[m_hit] = root[p[chosen]]
    # Endings: stop at m (if it moved at all), or pair m with a free person or with its root's partner.
    stops = np.flatnonzero(via >= 0)
    closing = free[g.dst] | (g.dst == mate[root[g.src]])
    end_m = np.concatenate([stops, g.src[closing]])
    end_q = np.concatenate([np.full(stops.size, -1), g.dst[closing]])
    total = gain[end_m] + np.concatenate([np.zeros(stops.size), g.ww[closing]])
    good = np.flatnonzero(total > g.eps)
    if good.size == 0:
        return False
    good = good[np.argsort(-total[good], kind="stable")]
    touched = np.zeros(k, dtype=bool)
    mate_l, via_l, prev_l = mate.tolist(), via.tolist(), prev.tolist()
    improved = False
    for i in good.tolist():
        path = _trace(int(end_m[i]), via_l, prev_l, mate_l)
        if path is None:
            continue
        partner, q = mate_l[path[0]], int(end_q[i])
        nodes = path + ([partner] if partner >= 0 else []) + ([q] if q >= 0 and q != partner else [])
        if len(set(nodes)) != len(nodes) or touched[nodes].any():
            continue
        if q >= 0 and q != partner and mate_l[q] >= 0:
            continue
        # path = [r, v1, m1, ..., v, m]: new pairs (r, v1), (m1, v2), ..., (m, q); old (r, s), (v_i, m_i).
        new_pairs = [(path[j], path[j + 1]) for j in range(0, len(path) - 1, 2)]
        if q >= 0:
            new_pairs.append((path[-1], q))
        old = [(path[j], path[j + 1]) for j in range(1, len(path) - 1, 2)]
        if partner >= 0:
            old.append((path[0], partner))
        na = np.array(new_pairs, dtype=np.int64).reshape(-1, 2)
        oa = np.array(old, dtype=np.int64).reshape(-1, 2)
        new_w = g.weight(na[:, 0], na[:, 1])
        if not new_w.all() or float(new_w.sum() - g.weight(oa[:, 0], oa[:, 1]).sum()) <= g.eps:
            continue
        touched[nodes] = True
        for x, y in old:
            mate_l[x] = mate_l[y] = -1
        for x, y in new_pairs:
            mate_l[x], mate_l[y] = y, x
        improved = True
    mate[:] = mate_l
    return improved


def _trace(m: int, via: list[int], prev: list[int], mate: list[int]) -> list[int] | None:
    """Rebuild [r, v1, m1, ..., v, m] from the label pointers, or None if they are stale or loop."""
    out = [m]
    for _ in range(2 * _PATH_STEPS + 2):
        v = via[m]
        if v < 0:
            out.reverse()
            return out
        if mate[v] != m:
            return None
        out.extend((v, prev[m]))
        m = prev[m]
    return None


def _local_search(g: _Graph, mate: np.ndarray) -> None:
    """Improve the matching in place with moves around one edge (u, v) until none gains.

    The move pairs u with v and frees their old partners x and y, who may then pair with each
    other (a 2-opt swap) or with their best currently free neighbours (short augmenting paths).
    Each round prices every edge's move at once in numpy, then applies the best ones whose
    people no earlier move of the round touched, so every price is exact when it is used and
    each applied move strictly raises the total weight.
    """
    k, a, b = g.k, g.a, g.b
    mw = np.zeros(k + 1)  # weight of each person's current pair; slot k is "nobody"
    matched = np.flatnonzero(mate >= 0)
    mw[matched] = g.weight(matched, mate[matched])
    for _ in range(_MAX_ROUNDS):
        mpos = np.where(mate < 0, k, mate)
        t1w, t1n, t2w, t2n = _two_best_free(g, mate)
        x, y = mpos[a], mpos[b]
        # x may take its best free neighbour, except v (who is about to pair with u); same for y.
        x_first = t1n[x] != b
        fxw, fxn = np.where(x_first, t1w[x], t2w[x]), np.where(x_first, t1n[x], t2n[x])
        y_first = t1n[y] != a
        fyw, fyn = np.where(y_first, t1w[y], t2w[y]), np.where(y_first, t1n[y], t2n[y])
        clash = (fxn == fyn) & (fxn < k)
        if clash.any():  # both want the same person: the other falls back to its second choice
            nxw = np.where(x_first & (t2n[x] != b), t2w[x], 0.0)
            nyw = np.where(y_first & (t2n[y] != a), t2w[y], 0.0)
            x_yields = clash & (nxw + fyw > fxw + nyw)
            y_yields = clash & ~x_yields
            fxw, fxn = np.where(x_yields, nxw, fxw), np.where(x_yields, np.where(nxw > 0, t2n[x], k), fxn)
            fyw, fyn = np.where(y_yields, nyw, fyw), np.where(y_yields, np.where(nyw > 0, t2n[y], k), fyn)
        swap = np.zeros(a.size)
        both = (x < k) & (y < k)
        swap[both] = g.weight(x[both], y[both])
        use_swap = swap > fxw + fyw
        gain = g.w - mw[a] - mw[b] + np.maximum(swap, fxw + fyw)
        cand = np.flatnonzero((x != b) & (gain > g.eps))
        if cand.size == 0:
            return
        cand = cand[np.argsort(-gain[cand], kind="stable")]
        touched = [False] * (k + 1)
        mate_l = mate.tolist()
        for e, u, v, xe, ye, px, py, sw in zip(
            cand.tolist(), a[cand].tolist(), b[cand].tolist(), x[cand].tolist(), y[cand].tolist(),
            fxn[cand].tolist(), fyn[cand].tolist(), use_swap[cand].tolist(),
        ):
            if sw:
                px, py = k, k
            group = [u, v, xe, ye, px, py]
            if any(touched[p] for p in group if p < k):
                continue
            for p in group:
                touched[p] = True
            for p in (xe, ye):
                if p < k:
                    mate_l[p], mw[p] = -1, 0.0
            mate_l[u], mate_l[v] = v, u
            mw[u] = mw[v] = g.w[e]
            if sw:
                mate_l[xe], mate_l[ye] = ye, xe
                mw[xe] = mw[ye] = float(g.weight(np.array([xe]), np.array([ye]))[0])
            for p, q in ((xe, px), (ye, py)):
                if p < k and q < k:
                    mate_l[p], mate_l[q] = q, p
                    mw[p] = mw[q] = float(g.weight(np.array([p]), np.array([q]))[0])
        mate[:] = mate_l


def _two_best_free(g: _Graph, mate: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per person, the heaviest and second-heaviest edges to unmatched people (lowest index on ties).

    Arrays have a slot k for "nobody" (weight 0, person k), so lookups need no masking.
    """
    k = g.k
    t1w, t2w = np.zeros(k + 1), np.zeros(k + 1)
    t1n, t2n = np.full(k + 1, k), np.full(k + 1, k)
    sel = mate[g.dst] < 0
    s, d, ww = g.src[sel], g.dst[sel], g.ww[sel]
    order = np.lexsort((d, -ww, s))
    s, d, ww = s[order], d[order], ww[order]
    first = np.ones(s.size, dtype=bool)
    first[1:] = s[1:] != s[:-1]
    t1w[s[first]], t1n[s[first]] = ww[first], d[first]
    second = np.flatnonzero(first[:-1] & ~first[1:]) + 1
    t2w[s[second]], t2n[s[second]] = ww[second], d[second]
    return t1w, t1n, t2w, t2n


# --------------------------------------------------------------------------- exact


def _exact(g: _Graph, start: np.ndarray) -> np.ndarray:
    """An optimal matching: LP duals certify it or prune edges, and blossom finishes the rest.

    Let y >= 0 (people) and z >= 0 (odd sets S, from cuts x(E(S)) <= (|S|-1)/2 that every
    matching obeys) be feasible duals, and rc_e = y_a + y_b + sum(z_S : e inside S) - w_e >= 0.
    Any matching M has w(M) <= UB - sum(rc_e : e in M), UB the dual objective. So a matching
    within rounding of UB is optimal, and, as an optimal M weighs at least the best matching
    found (LB), an edge with rc_e > UB - LB is in no optimal matching. Odd-set cuts tighten UB
    until it usually meets LB; otherwise networkx's exact blossom algorithm runs on each
    connected component of the surviving edges, typically small and sparse.
    """
    best, lb = start, g.total(start)
    keep = np.arange(g.w.size)
    cuts: list[np.ndarray] = []  # odd node sets, as sorted compact node ids
    columns = None
    for _ in range(_MAX_CUT_ROUNDS):
        solved = _relaxation(g, keep, cuts, best, columns)
        if solved is None:
            break
        x, rc, ub, columns = solved
        rounded = _round(g, keep[x > 0.5])
        # People the LP leaves fractional or alone: pair them exactly among themselves, when
        # they are few enough for blossom to be cheap (early rounds can be all fractional).
        alone = rounded < 0
        if alone.sum() <= _REST_LIMIT:
            rest = keep[alone[g.a[keep]] & alone[g.b[keep]]]
            rounded[alone] = _blossom_by_component(g, rest)[alone]
        _improve(g, rounded)
        if g.total(rounded) > lb + g.eps:
            best, lb = rounded, g.total(rounded)
        if ub - lb <= _CERTIFY * (abs(ub) + g.scale):
            return best  # the duals prove it optimal
        near_tight = rc <= ub - lb + _PRUNE * (abs(ub) + g.scale)
        keep, x, columns = keep[near_tight], x[near_tight], columns[near_tight]
        new = _violated_odd_sets(g.k, g.a[keep], g.b[keep], x)
        if not new:
            break
        cuts.extend(new)
    mate = _blossom_by_component(g, keep)
    return best if lb > g.total(mate) + g.eps else mate


def _round(g: _Graph, chosen: np.ndarray) -> np.ndarray:
    """A mate array from edge indices (LP edges with x > 1/2 form a matching; guard anyway)."""
    mate = np.full(g.k, -1, dtype=np.int64)
    for e in chosen.tolist():
        p, q = int(g.a[e]), int(g.b[e])
        if mate[p] < 0 and mate[q] < 0:
            mate[p], mate[q] = q, p
    return mate


def _blossom_by_component(g: _Graph, keep: np.ndarray) -> np.ndarray:
    """Exact matching on the kept edges, one networkx call per connected component (it is O(n^3))."""
    ka, kb, kw = g.a[keep], g.b[keep], g.w[keep]
    n_comp, label = connected_components(
        sp.csr_matrix((np.ones(keep.size), (ka, kb)), shape=(g.k, g.k)), directed=False
    )
    comp = label[ka]
    order = np.lexsort((kb, ka, comp))  # edges grouped by component, sorted inside
    bounds = np.searchsorted(comp[order], np.arange(n_comp + 1))
    mate = np.full(g.k, -1, dtype=np.int64)
    for c in range(n_comp):
        idx = order[bounds[c] : bounds[c + 1]]
        if idx.size == 1:
            p, q = int(ka[idx[0]]), int(kb[idx[0]])
            mate[p], mate[q] = q, p
        elif idx.size > 1:
            graph = nx.Graph()
            graph.add_weighted_edges_from(zip(ka[idx].tolist(), kb[idx].tolist(), kw[idx].tolist()))
            for p, q in nx.max_weight_matching(graph, maxcardinality=False):
                mate[p], mate[q] = q, p
    return mate


def _relaxation(
    g: _Graph, keep: np.ndarray, cuts: list[np.ndarray], hint: np.ndarray, seed: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, float, np.ndarray] | None:
    """Solve max w.x s.t. x(delta(v)) <= 1, odd-set cuts, x >= 0 over the kept edges.

    Column generation keeps HiGHS small on dense graphs: start from each person's heaviest
    edges plus the hint matching (or the previous round's columns, `seed`), then add edges whose
    reduced cost is negative until none is. Returns (x, reduced costs, dual bound, columns) over
    keep, with the duals repaired to be exactly feasible in floating point, so the bound and the
    pruning built on it are safe; None if HiGHS fails.
    """
    k, m = g.k, keep.size
    if m == 0:
        return None
    ka, kb, kw = g.a[keep], g.b[keep], g.w[keep]
    inside = [np.isin(ka, s) & np.isin(kb, s) for s in cuts]
    rhs = np.concatenate([np.ones(k), [(s.size - 1) / 2 for s in cuts]])
    active = _heaviest_per_person(k, ka, kb, kw, _SEED_DEGREE) if seed is None else seed.copy()
    active |= hint[ka] == kb
    for _ in range(_MAX_PRICING_ROUNDS):
        cols = np.flatnonzero(active)
        rows = [np.concatenate([ka[cols], kb[cols]])]
        at = [np.tile(np.arange(cols.size), 2)]
        for i, mask in enumerate(inside):
            hit = np.flatnonzero(mask[cols])
            rows.append(np.full(hit.size, k + i))
            at.append(hit)
        r = np.concatenate(rows)
        matrix = sp.csr_matrix((np.ones(r.size), (r, np.concatenate(at))), shape=(rhs.size, cols.size))
        res = linprog(-kw[cols], A_ub=matrix, b_ub=rhs, bounds=(0, None), method="highs")
        if res.status != 0 or res.ineqlin is None:
            return None
        dual = np.maximum(-np.asarray(res.ineqlin.marginals, dtype=np.float64), 0.0)
        y, z = dual[:k], dual[k:]
        rc = y[ka] + y[kb] - kw
        for zi, mask in zip(z, inside):
            rc[mask] += zi
        priced_out = np.flatnonzero(~active & (rc < -_PRUNE * g.scale))
        if priced_out.size == 0:
            break
        worst = priced_out[np.argsort(rc[priced_out], kind="stable")[: 2 * k]]
        active[worst] = True
    x = np.zeros(m)
    x[cols] = res.x
    short = float(rc.min())
    if short < 0:  # lift every y equally until no edge is under-covered
        y = y - short / 2
        rc = rc - short
    ub = float(y.sum() + z @ rhs[k:])
    return x, rc, ub, active


def _heaviest_per_person(k: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, t: int) -> np.ndarray:
    """Mask of edges that are among the t heaviest of either endpoint (lower edge index on ties)."""
    m = w.size
    node = np.concatenate([a, b])
    edge = np.tile(np.arange(m), 2)
    order = np.lexsort((edge, -np.concatenate([w, w]), node))
    node, edge = node[order], edge[order]
    start = np.searchsorted(node, node)  # first position of each person's run
    mask = np.zeros(m, dtype=bool)
    mask[edge[np.arange(node.size) - start < t]] = True
    return mask


def _violated_odd_sets(k: int, a: np.ndarray, b: np.ndarray, x: np.ndarray) -> list[np.ndarray]:
    """Odd node sets S with LP value inside above (|S|-1)/2, so the cut x(E(S)) <= (|S|-1)/2 bites.

    Candidates are the connected components of the fractional edges (odd cycles of halves) and
    of the whole remaining graph (an odd group the LP covers fully although someone must sit out).
    """
    found: list[np.ndarray] = []
    frac = (x > 1e-6) & (x < 1 - 1e-6)
    if not frac.any():
        return found
    for support in (frac, np.ones(x.size, dtype=bool)):
        sa, sb = a[support], b[support]
        _, label = connected_components(
            sp.csr_matrix((np.ones(sa.size), (sa, sb)), shape=(k, k)), directed=False
        )
        nodes = np.unique(np.concatenate([sa, sb]))
        for c in np.unique(label[nodes]).tolist():
            s = nodes[label[nodes] == c]
            if s.size % 2 == 1 and s.size >= 3 and not any(np.array_equal(s, f) for f in found):
                inside = np.isin(a, s) & np.isin(b, s)
                if float(x[inside].sum()) > (s.size - 1) / 2 + 1e-6:
                    found.append(s)
    return found
