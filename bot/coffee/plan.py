"""Planning one coffee round from plain data: who may meet whom, what each pair is worth, and the groups.

No database and no platform: `bot.coffee.rounds` feeds it from the database, and the tests and the
benchmark call `plan_round` directly (people's regions come from `bot.coffee.regions`, their working
windows from `bot.coffee.windows`). The steps:

1. Eligibility (hard rules): two people can meet only if they share at least `min_overlap` of
   working time in the round's week (their real working windows in UTC, so holidays, weekends and
   DST are already in them) and neither blocked the other. Ineligible pairs get no edge at all.
2. Weights, in tiers, each tier outweighing everything below it summed over a whole round:
   - pairing as many people as possible (a repeat is better than sitting out);
   - novelty: a never-met pair beats any repeat; a repeat's weight grows with the rounds since the
     pair last met, so small teams cycle through partners and large ones never repeat while a fresh
     partner exists;
   - fairness: whoever sat out or was put in a trio last round is covered first;
   - contact across the world: different continent > different region > different country.
3. Maximum-weight matching (`bot.coffee.matching`), then the odd one out joins the pair where a trio
   scores best (history and fairness again); whoever is still alone is reported with a reason.

Small rounds consider every eligible pair. Large ones (thousands of people) would need tens of
millions of pairs, so each person gets a seeded sample of partners whose daily working hours
intersect theirs, biased toward fresh and far-away partners. Everything is deterministic for a
seed: the seed only shuffles the order in which people are numbered (so it breaks ties) and drives
the sampling.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Iterable, Mapping, Sequence

import numpy as np

from bot.coffee.matching import Edge, add_trio, max_weight_matching
from bot.coffee.windows import Window, shared_time
from bot.time import minutes_since_epoch, utc_day_mask

REASON_NO_PARTNER = "no_partner"      # nobody shares enough working time (or all such people are blocked)
REASON_ODD = "odd_one_out"            # an odd count and no trio could take them
DENSE_LIMIT = 600                     # up to this many people, every eligible pair is an edge
SAMPLE_PARTNERS = 16                  # above it, partners sampled per person
EXACT_LIMIT = 400                     # exact matching up to this many people (bot.coffee.matching)
SWAP_SEARCH_LIMIT = 200               # up to this many people, the odd one out may swap into a pair
_TIER_PEOPLE = 201                    # tiers are sized for at most this many pairs (see _Tiers)
_REGION_MAX = 3.0


# --------------------------------------------------------------------------- inputs and outputs

@dataclass(frozen=True)
class Candidate:
    """One person who could be paired this round, as plain data."""

    id: str
    region: str
    continent: str
    country: str | None
    windows: tuple[Window, ...]      # UTC working windows in the round's week (holidays, away, DST applied)
    priority: bool = False           # sat out or was in a trio last round: goes first this time


@dataclass(frozen=True)
class PlannedGroup:
    members: tuple[str, ...]
    shared: timedelta                # working time the whole group shares in the round's week
    cross_region: bool               # the group spans at least two regions
    repeat: bool                     # some pair in it has met before


@dataclass
class RoundPlan:
    groups: list[PlannedGroup]
    left_out: dict[str, str]         # id -> REASON_*
    edges: int                       # eligible pairs considered
    weight: float                    # total weight of the matching (before trios)
    _edges: tuple[list[str], dict[tuple[int, int], float]] = field(default=([], {}), repr=False)

    @property
    def pair_weights(self) -> dict[frozenset[str], float]:
        """Every eligible pair with its weight (built on demand: large rounds have hundreds of thousands)."""
        ids, weights = self._edges
        return {pair_key(ids[x], ids[y]): w for (x, y), w in weights.items()}


def pair_key(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


# --------------------------------------------------------------------------- weights

@dataclass(frozen=True)
class _Tiers:
    """Sizes of the weight tiers. With c pairs at most, each tier exceeds c times the largest sum of
    the tiers below it, so one unit of a higher tier is never traded for any amount of lower ones.
    Sized for at most _TIER_PEOPLE pairs to keep the numbers well inside float precision; larger
    rounds use the sampled (heuristic) path anyway."""

    fair: float
    novel: float
    base: float

    @classmethod
    def for_people(cls, n: int) -> "_Tiers":
        c = min(n // 2 + 1, _TIER_PEOPLE)
        fair = c * _REGION_MAX + 1
        novel = 2 * c * (2 * fair + _REGION_MAX) + 1      # fresh vs repeat differ by at least novel/2
        base = c * (novel + 2 * fair + _REGION_MAX) + 1
        return cls(fair, novel, base)


def novelty(rounds_since: int | None) -> float:
    """1 for a pair that never met; a repeat scores 0.25 (met last round) rising toward 0.5."""
    if rounds_since is None:
        return 1.0
    r = max(rounds_since, 1)
    return 0.5 * r / (r + 1)


class _People:
    """The candidates as arrays, numbered in a seeded order."""

    def __init__(self, candidates: Sequence[Candidate], seed: int) -> None:
        ordered = sorted(candidates, key=lambda c: c.id)
        if len({c.id for c in ordered}) != len(ordered):
            raise ValueError("candidate ids must be unique")
        random.Random(seed).shuffle(ordered)
        self.items = ordered
        self.n = len(ordered)
        self.index = {c.id: i for i, c in enumerate(ordered)}
        regions = {r: k for k, r in enumerate(sorted({c.region for c in ordered}))}
        continents = {r: k for k, r in enumerate(sorted({c.continent for c in ordered}))}
        countries = {r: k for k, r in enumerate(sorted({c.country or f"?{c.id}" for c in ordered}))}
        self.region = np.array([regions[c.region] for c in ordered], dtype=np.int64)
        self.continent = np.array([continents[c.continent] for c in ordered], dtype=np.int64)
        self.country = np.array([countries[c.country or f"?{c.id}"] for c in ordered], dtype=np.int64)
        self.priority = np.array([c.priority for c in ordered], dtype=np.float64)
        # Windows as integer minutes since the epoch, padded to a rectangle; identical window sets share
        # a signature so their overlap is computed once.
        signatures: dict[tuple[tuple[int, int], ...], int] = {}
        self.signature = np.zeros(self.n, dtype=np.int64)
        for i, c in enumerate(ordered):
            key = tuple(sorted((minutes_since_epoch(s), minutes_since_epoch(e)) for s, e in c.windows))
            self.signature[i] = signatures.setdefault(key, len(signatures))
        width = max((len(k) for k in signatures), default=0) or 1
        self.sig_start = np.zeros((len(signatures), width), dtype=np.int64)
        self.sig_end = np.zeros((len(signatures), width), dtype=np.int64)
        for key, s in signatures.items():
            for j, (start, end) in enumerate(key):
                self.sig_start[s, j], self.sig_end[s, j] = start, end
        self.signatures = list(signatures)

    def region_score(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        score = np.where(self.country[a] != self.country[b], 1.0, 0.0)
        score += np.where(self.region[a] != self.region[b], 1.0, 0.0)
        score += np.where(self.continent[a] != self.continent[b], 1.0, 0.0)
        return score

    def overlap_minutes(self, sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray:
        """Shared minutes of signature pairs (elementwise)."""
        sa, ea = self.sig_start[sig_a][:, :, None], self.sig_end[sig_a][:, :, None]
        sb, eb = self.sig_start[sig_b][:, None, :], self.sig_end[sig_b][:, None, :]
        return np.clip(np.minimum(ea, eb) - np.maximum(sa, sb), 0, None).sum(axis=(1, 2))

    def overlap_matrix(self) -> np.ndarray:
        """Shared minutes between every two signatures."""
        s = len(self.signatures)
        out = np.zeros((s, s), dtype=np.int64)
        every = np.arange(s)
        for lo in range(0, s, 64):
            rows = np.arange(lo, min(lo + 64, s))
            a = np.repeat(rows, s)
            b = np.tile(every, rows.size)
            out[rows] = self.overlap_minutes(a, b).reshape(rows.size, s)
        return out


# --------------------------------------------------------------------------- candidate pairs

def _index_history(people: _People, history: Mapping[frozenset[str], int]) -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = {}
    index = people.index
    for pair, last in history.items():
        if len(pair) != 2:
            continue
        x, y = tuple(pair)
        i, j = index.get(x), index.get(y)
        if i is None or j is None:
            continue
        key = (i, j) if i < j else (j, i)
        out[key] = max(out.get(key, last), last)
    return out


def _index_blocks(people: _People, blocks: Iterable[tuple[str, str] | frozenset[str]]) -> set[tuple[int, int]]:
    out = set()
    for block in blocks:
        x, y = tuple(block) if len(block) == 2 else (None, None)  # type: ignore[arg-type]
        i, j = people.index.get(x), people.index.get(y)  # type: ignore[arg-type]
        if i is not None and j is not None and i != j:
            out.add((min(i, j), max(i, j)))
    return out


def _dense_pairs(people: _People, min_minutes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair sharing at least the minimum, with its shared minutes."""
    matrix = people.overlap_matrix()
    sig = people.signature
    full = matrix[sig[:, None], sig[None, :]]
    a, b = np.nonzero(np.triu(full >= min_minutes, k=1))
    return a, b, full[a, b]


def _sampled_pairs(people: _People, min_minutes: int, history: dict[tuple[int, int], int], round_index: int,
                   seed: int, per_person: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For large rounds: each person's partners sampled from those whose daily hours intersect theirs,
    keeping the best by (fresh, far away); exact shared minutes checked for every kept pair."""
    rng = np.random.default_rng(seed)
    masks = [utc_day_mask(people.sig_start[s].tolist(), people.sig_end[s].tolist())
             for s in range(len(people.signatures))]
    bucket_of_mask: dict[int, int] = {}
    sig_bucket = np.array([bucket_of_mask.setdefault(m, len(bucket_of_mask)) for m in masks], dtype=np.int64)
    member_bucket = sig_bucket[people.signature]
    members_by_bucket = [np.flatnonzero(member_bucket == b) for b in range(len(bucket_of_mask))]
    bucket_masks = list(bucket_of_mask)
    pools = []
    for mask in bucket_masks:
        near = [members_by_bucket[c] for c, other in enumerate(bucket_masks) if mask & other]
        pools.append(np.concatenate(near) if near else np.zeros(0, dtype=np.int64))
    found_a, found_b, found_m = [], [], []
    draws = per_person * 3
    for i in range(people.n):
        pool = pools[member_bucket[i]]
        if pool.size <= 1:
            continue
        want = per_person * (2 if people.priority[i] else 1)
        picks = pool[rng.integers(0, pool.size, size=min(draws * (2 if people.priority[i] else 1), pool.size * 2))]
        picks = np.unique(picks[picks != i])
        if picks.size == 0:
            continue
        minutes = people.overlap_minutes(np.full(picks.size, people.signature[i]), people.signature[picks])
        ok = minutes >= min_minutes
        picks, minutes = picks[ok], minutes[ok]
        if picks.size == 0:
            continue
        fresh = np.array([((i, j) if i < j else (j, i)) not in history for j in picks.tolist()], dtype=np.float64)
        score = fresh * 10 + people.region_score(np.full(picks.size, i), picks) + rng.random(picks.size) * 0.5
        keep = np.argsort(-score, kind="stable")[:want]
        found_a.append(np.full(keep.size, i))
        found_b.append(picks[keep])
        found_m.append(minutes[keep])
    if not found_a:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    a, b, m = np.concatenate(found_a), np.concatenate(found_b), np.concatenate(found_m)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    _, first = np.unique(lo * people.n + hi, return_index=True)
    return lo[first], hi[first], m[first]


# --------------------------------------------------------------------------- the round

def plan_round(candidates: Sequence[Candidate], *, round_index: int,
               history: Mapping[frozenset[str], int] | None = None,
               blocks: Iterable[tuple[str, str] | frozenset[str]] = (),
               min_overlap: timedelta = timedelta(hours=1), seed: int = 0,
               group_size: int = 2, dense_limit: int = DENSE_LIMIT, exact_limit: int = EXACT_LIMIT,
               per_person: int = SAMPLE_PARTNERS) -> RoundPlan:
    """Groups for one round. `history` maps a pair (frozenset of two ids) to the round index in which
    they last met; `blocks` are pairs that must never meet (either direction). With `group_size` 3 the
    matched pairs are regrouped into trios. Deterministic for `seed`."""
    if group_size not in (2, 3):
        raise ValueError("group_size must be 2 or 3")
    people = _People(candidates, seed)
    history_ix = _index_history(people, history or {})
    blocked = _index_blocks(people, blocks)
    min_minutes = max(int(min_overlap.total_seconds() // 60), 1)
    if people.n <= dense_limit:
        a, b, minutes = _dense_pairs(people, min_minutes)
    else:
        a, b, minutes = _sampled_pairs(people, min_minutes, history_ix, round_index, seed, per_person)
    if blocked and a.size:
        keep = np.array([(x, y) not in blocked for x, y in zip(a.tolist(), b.tolist())], dtype=bool)
        a, b, minutes = a[keep], b[keep], minutes[keep]
    weights = _weights(people, a, b, history_ix, round_index)
    edges = [Edge(x, y, w) for x, y, w in zip(a.tolist(), b.tolist(), weights.tolist())]
    pairs = max_weight_matching(people.n, edges, exact_limit=exact_limit)
    edge_weight = {(x, y): w for x, y, w in zip(a.tolist(), b.tolist(), weights.tolist())}
    total = float(sum(edge_weight[p] for p in pairs))
    has_edge = set(a.tolist()) | set(b.tolist())
    trios = _Trios(people, blocked, history_ix, round_index, min_overlap, edge_weight, fairness=group_size == 2)
    groups = (trios.regroup(pairs, has_edge) if group_size == 3
              else trios.add_leftovers(pairs, has_edge, search=people.n <= SWAP_SEARCH_LIMIT))
    planned, left_out = [], {}
    grouped = {i for g in groups for i in g}
    for i in range(people.n):
        if i not in grouped:
            left_out[people.items[i].id] = REASON_ODD if i in has_edge else REASON_NO_PARTNER
    for g in groups:
        members = tuple(sorted(people.items[i].id for i in g))
        windows = [people.items[i].windows for i in g]
        repeat = any((min(x, y), max(x, y)) in history_ix for k, x in enumerate(g) for y in g[k + 1:])
        planned.append(PlannedGroup(members, shared_time(*windows),
                                    len({people.items[i].region for i in g}) > 1, repeat))
    planned.sort(key=lambda grp: grp.members)
    return RoundPlan(planned, left_out, len(edges), total, ([c.id for c in people.items], edge_weight))


def _weights(people: _People, a: np.ndarray, b: np.ndarray, history: dict[tuple[int, int], int],
             round_index: int) -> np.ndarray:
    tiers = _Tiers.for_people(people.n)
    nov = np.array([novelty(None if (x, y) not in history else round_index - history[(x, y)])
                    for x, y in zip(a.tolist(), b.tolist())], dtype=np.float64)
    return (tiers.base + tiers.novel * nov + tiers.fair * (people.priority[a] + people.priority[b])
            + people.region_score(a, b))


class _Trios:
    """Making groups of three: the odd one out joining a pair, or (group size 3) pairs regrouped into trios."""

    def __init__(self, people: _People, blocked: set[tuple[int, int]], history: dict[tuple[int, int], int],
                 round_index: int, min_overlap: timedelta, edge_weight: dict[tuple[int, int], float],
                 fairness: bool) -> None:
        self.people, self.blocked, self.history = people, blocked, history
        self.round_index, self.min_overlap, self.edge_weight = round_index, min_overlap, edge_weight
        self.fairness = fairness
        self.tiers = _Tiers.for_people(people.n)
        self._values: dict[tuple[int, int, int], float | None] = {}

    def _eligible(self, x: int, y: int) -> bool:
        return (min(x, y), max(x, y)) in self.edge_weight

    def value(self, p: int, q: int, x: int) -> float | None:
        """What adding x to the pair (p, q) is worth, in the pair weights' tiers: the novelty of the two
        new pairs first, then fairness (nobody who sat out or was in a trio last round should be in one),
        then spread. None when not allowed: a block, or less than the minimum of time all three share."""
        key = (min(p, q), max(p, q), x)
        if key in self._values:
            return self._values[key]
        found: float | None = None
        people = self.people
        if self._eligible(x, p) and self._eligible(x, q) and \
                shared_time(*(people.items[i].windows for i in (p, q, x))) >= self.min_overlap:
            fresh = sum(novelty(None if (min(x, y), max(x, y)) not in self.history
                                else self.round_index - self.history[(min(x, y), max(x, y))]) for y in (p, q))
            unfair = float(people.priority[[p, q, x]].sum()) if self.fairness else 0.0
            spread = float(people.region_score(np.array([x, x]), np.array([p, q])).sum())
            found = self.tiers.novel * fresh - 2 * self.tiers.fair * unfair + spread
        self._values[key] = found
        return found

    def score(self, p: int, q: int, x: int) -> float:
        """`value` shifted above zero, as bot.coffee.matching.add_trio wants (0: not allowed)."""
        found = self.value(p, q, x)
        return 0.0 if found is None else found + 6 * self.tiers.fair + 1

    def add_leftovers(self, pairs: list[tuple[int, int]], has_edge: set[int],
                      search: bool = False) -> list[tuple[int, ...]]:
        """Whoever the matching left alone (and could meet someone) joins the pair where a trio scores best.
        With `search`, the first one may also swap places with someone in a pair (see `_place`)."""
        matched = {i for p in pairs for i in p}
        leftovers = sorted((i for i in has_edge if i not in matched), key=lambda i: (-self.people.priority[i], i))
        pair_groups: list[tuple[int, ...]] = [tuple(p) for p in pairs]
        trios: list[tuple[int, ...]] = []
        for k, x in enumerate(leftovers):
            if not pair_groups:
                break
            if search and k == 0:
                placed = self._place([(g[0], g[1]) for g in pair_groups], x)
                if placed is not None:
                    pair_groups, trio = placed
                    trios.append(trio)
                    continue
            grouped = add_trio(self.people.n, pair_groups, x, self.score)
            trio = next((g for g in grouped if len(g) == 3), None)
            if trio is not None:
                trios.append(trio)
                pair_groups = [g for g in grouped if len(g) == 2]
        return sorted(pair_groups + trios)

    def _place(self, pairs: list[tuple[int, int]], x: int) -> tuple[list[tuple[int, ...]], tuple[int, ...]] | None:
        """The best trio for the odd one out x, also trying every swap of x with someone r in a pair
        (x takes r's place, r becomes the odd one): the matching's weight lost by the swap plus the
        trio's value, both in the same tiers. So the trio is fresh whenever some swap allows it, and
        then spares whoever sat out or was in a trio last round."""
        options: list[tuple[float, int, int | None, tuple[int, int] | None]] = [(0.0, x, None, None)]
        for i, (p, q) in enumerate(pairs):
            for r, s in ((p, q), (q, p)):
                swapped = (min(x, s), max(x, s))
                if swapped in self.edge_weight:
                    options.append((self.edge_weight[swapped] - self.edge_weight[(p, q)], r, i, swapped))
        best: tuple[float, int, int, int | None, tuple[int, int] | None] | None = None
        for delta, odd, index, swapped in options:
            hosts = [(j, h) for j, h in enumerate(pairs) if j != index] + ([(-1, swapped)] if swapped else [])
            for j, (p, q) in hosts:
                found = self.value(p, q, odd)
                if found is not None and (best is None or delta + found > best[0]):
                    best = (delta + found, odd, j, index, swapped)
        if best is None:
            return None
        _, odd, host_index, index, swapped = best
        current = list(pairs)
        host = swapped if host_index == -1 else pairs[host_index]
        if index is not None and swapped is not None:
            current[index] = swapped
        rest: list[tuple[int, ...]] = [tuple(pr) for pr in current if pr != host]
        return rest, tuple(sorted((*host, odd)))  # type: ignore[arg-type]


    def regroup(self, pairs: list[tuple[int, int]], has_edge: set[int]) -> list[tuple[int, ...]]:
        """Group size 3: the best pairs become the cores of as many trios as the count allows (with
        n % 3 == 1, two pairs instead of a lonely fourth); everyone else is assigned to a core by an
        optimal assignment of the trio scores; whoever fits no core is matched again into pairs."""
        from scipy.optimize import linear_sum_assignment

        people_n = len(has_edge)
        trios_n = people_n // 3 - (1 if people_n % 3 == 1 else 0)
        ranked = sorted(pairs, key=lambda p: (-self.edge_weight[p], p))
        cores = ranked[:max(trios_n, 0)]
        in_core = {i for p in cores for i in p}
        others = sorted(i for i in has_edge if i not in in_core)
        trios: list[tuple[int, ...]] = []
        placed: set[int] = set()
        if cores and others:
            scores = np.array([[self.score(p, q, x) for (p, q) in cores] for x in others])
            rows, cols = linear_sum_assignment(-scores)
            for r, c in zip(rows.tolist(), cols.tolist()):
                if scores[r, c] > 0:
                    trios.append(tuple(sorted((*cores[c], others[r]))))
                    placed.add(others[r])
        with_third = {i for trio in trios for i in trio}
        rest = [i for i in others if i not in placed] + [i for p in cores if p[0] not in with_third for i in p]
        rest_set = set(rest)
        edges = [Edge(x, y, w) for (x, y), w in self.edge_weight.items() if x in rest_set and y in rest_set]
        again = self.add_leftovers(max_weight_matching(self.people.n, edges), rest_set)
        alone = rest_set - {i for g in again for i in g}
        return sorted(self._merge(self._rescue(trios, alone) + again, trios_n))

    def _merge(self, groups: list[tuple[int, ...]], wanted: int) -> list[tuple[int, ...]]:
        """Fewer trios than the count allows: dissolve a pair whose two members can each join another
        pair (best total value first), until the count is reached or no pair can."""
        groups = list(groups)
        while sum(len(g) == 3 for g in groups) < wanted:
            pairs = [g for g in groups if len(g) == 2]
            best: tuple[float, tuple[int, ...], tuple[int, ...], tuple[int, ...]] | None = None
            for gone in pairs:
                a, b = gone
                hosts_a = sorted(((v, h) for h in pairs if h != gone and (v := self.value(h[0], h[1], a)) is not None),
                                 reverse=True)[:2]
                hosts_b = sorted(((v, h) for h in pairs if h != gone and (v := self.value(h[0], h[1], b)) is not None),
                                 reverse=True)[:2]
                for va, ha in hosts_a:
                    for vb, hb in hosts_b:
                        if ha != hb and (best is None or va + vb > best[0]):
                            best = (va + vb, gone, ha, hb)
            if best is None:
                break
            _, gone, ha, hb = best
            groups = [g for g in groups if g not in (gone, ha, hb)]
            groups += [tuple(sorted((*ha, gone[0]))), tuple(sorted((*hb, gone[1])))]
        return groups

    def _rescue(self, trios: list[tuple[int, ...]], alone: set[int]) -> list[tuple[int, ...]]:
        """Someone alone whose possible partner sits in a trio takes them: the trio becomes a pair (its
        members can all meet each other) and the two form another. Nobody sits out for a trio."""
        groups = list(trios)
        for y in sorted(alone):
            options = [(self.edge_weight[(min(y, z), max(y, z))], k, z) for k, g in enumerate(groups) if len(g) == 3
                       for z in g if self._eligible(y, z)]
            if not options:
                continue
            _, k, z = max(options)
            groups[k] = tuple(i for i in groups[k] if i != z)
            groups.append(tuple(sorted((y, z))))
        return groups
