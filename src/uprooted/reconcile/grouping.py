"""Grouping: which statements of different documents report one displacement movement.

Takes the statements of many documents; returns lists of statements, one list per movement. The
within-document restatements the extractor linked (``same_as``) start as one cluster each. Clusters
then merge across documents, the most alike pair first, while every pair of their statements stays
compatible (same unit class, compatible measure, country, cause and period) and, by default, no
document would have two unlinked statements in one group: a report that gives 2,000 and 9,000
is giving two measures, not two guesses at one. Group ids hash the member ids, so the same input
gives the same id whatever the order the documents came in.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from .rules import ReconcileRules
from .statements import Statement

__all__ = ["compatible", "group_id", "group_statements", "part_of_total", "restates"]


def _first_day(s: Statement) -> date | None:
    period = s.figure.date
    if period is None or not period.start:
        return None
    try:
        return date.fromisoformat(period.start[:10])
    except ValueError:
        return None


def _interval(s: Statement, lag: int) -> tuple[date, date] | None:
    """The days the statement may describe: its stated period, or the lag before publication."""
    if s.end is None:
        return None
    if s.dated:
        # The whole stated period: "in June" covers the month, not only its last day.
        first = _first_day(s)
        return min(first or s.end, s.start or s.end, s.end), s.end
    return s.end - timedelta(days=lag), s.end


def _gap_days(a: Statement, b: Statement, lag: int) -> float:
    ia, ib = _interval(a, lag), _interval(b, lag)
    if ia is None or ib is None:
        return 0.0
    if ia[1] < ib[0]:
        return float((ib[0] - ia[1]).days)
    if ib[1] < ia[0]:
        return float((ia[0] - ib[1]).days)
    return 0.0


def _grows(a: Statement, b: Statement, rules: ReconcileRules) -> bool:
    """A cumulative count does not shrink: the later of two reports is not smaller than the earlier."""
    grouping = rules.terms.grouping
    classes = grouping.cumulative_classes
    # Ordered by when the documents gave them: "fled last week" in a report of the 30th is the count
    # of the 30th, whatever week the flight itself took place in.
    if a.term_class not in classes or b.term_class not in classes or a.reported is None or b.reported is None:
        return True
    if a.vague or b.vague:
        return True  # "hundreds of thousands" bounds nothing
    if abs((a.reported - b.reported).days) <= rules.terms.recommend.same_moment_days:
        return True
    early, late = (a, b) if a.reported < b.reported else (b, a)
    if grouping.daily_counts_join and late.daily:
        return True  # a day's arrivals: a part of the running count, not the count shrunk
    # "More than 100,000" weeks after "400,000" is not the same count grown: its open bound is no evidence.
    late_upper = late.high if late.high != float("inf") else late.value
    return late_upper >= early.low * (1.0 - grouping.cumulative_tolerance)


def restates(a: Statement, b: Statement, rules: ReconcileRules) -> bool:
    """Two statements of one document that give the same measure at nearly the same value."""
    if not _same_measure(a, b, rules):
        return False
    tolerance = rules.terms.grouping.same_document_tolerance
    return abs(a.value - b.value) <= tolerance * max(a.value, b.value)


def part_of_total(a: Statement, b: Statement, rules: ReconcileRules) -> bool:
    """One of two statements of one document is a day's count of the movement the other totals
    ("12,900 crossed on Saturday" beside "92,240 since the 24th"), or the two are counts of different
    days: both belong to one group."""
    if not rules.terms.grouping.daily_counts_join or not (a.daily or b.daily) or not _same_measure(a, b, rules):
        return False
    if a.daily and b.daily:
        return a.as_of != b.as_of  # "129,000 on Saturday and 39,800 on Sunday": two days of one movement
    day, total = (a, b) if a.daily else (b, a)
    return day.value < total.value


def _same_measure(a: Statement, b: Statement, rules: ReconcileRules) -> bool:
    terms = rules.terms
    if a.unit_class != b.unit_class:
        return False
    if a.term_class != b.term_class:
        pair = {a.term_class, b.term_class}
        joined = any(set(p) == pair for p in terms.cross_border_joins)
        if not (joined and (a.cross_border or b.cross_border)):
            return False
        if a.figure.displacement == "internal" or b.figure.displacement == "internal":
            return False  # said to stay inside the country: not the refugees of another report
    return True


def compatible(a: Statement, b: Statement, rules: ReconcileRules) -> bool:
    """Whether two statements could report one movement: the hard conditions, each a reason to split.
    The country is checked on whole clusters (``_Clusters.share_country``)."""
    grouping = rules.terms.grouping
    if not _same_measure(a, b, rules) or not _grows(a, b, rules):
        return False
    if a.category and b.category and a.category != b.category:
        return False
    if a.standing != b.standing and "flow" in (a.figure.kind, b.figure.kind):
        return False  # "40,000 remain displaced" is not the count of those who fled
    if a.hazard and b.hazard and a.hazard != b.hazard:
        return False
    if a.destinations and b.destinations and not a.destinations & b.destinations:
        return False
    if _gap_days(a, b, grouping.max_lag_days) > grouping.max_gap_days:
        return False
    return not (a.start and b.start and abs((a.start - b.start).days) > grouping.max_start_gap_days)


def _affinity(a: Statement, b: Statement, rules: ReconcileRules) -> float:
    """How alike two compatible statements are; only orders the merges, never allows one."""
    w = rules.terms.affinity
    # An open bound ("more than 40,000") overlaps any larger count: compare the stated values instead.
    bounded = max(a.high, b.high) != math.inf and min(a.low, b.low) > 0
    if bounded and a.low <= b.high and b.low <= a.high:
        value = 1.0
    else:
        small, large = sorted((a.value, b.value))
        value = small / large if large > 0 else 0.0
    # Days between the moments the two describe: a figure dated only by its publication is as of then.
    gap = abs((a.as_of - b.as_of).days) if a.as_of and b.as_of else 0.0
    score = value + w.time_weight / (1.0 + gap / w.time_scale_days)
    score += w.same_term * (a.figure.term == b.figure.term)
    if a.places and b.places:
        score += w.same_place if a.places & b.places else w.other_place
    if a.cross_border != b.cross_border:
        score += w.unproven_crossing
    if a.cross_border and b.cross_border:
        # "into the neighbouring country" and "out of the country" are different counts more often than not.
        if a.destinations and b.destinations:
            score += w.same_destination if a.destinations == b.destinations else 0.0
        elif a.destinations or b.destinations:
            score += w.one_destination
    return score


def group_id(members: Sequence[Statement]) -> str:
    """A readable, order-free id: the group's most named country, measure and unit, then a hash of its
    figure ids ("aze-cross_border-person-3f9a0c12de")."""
    ids = sorted(s.id for s in members)
    digest = hashlib.sha1("\n".join(ids).encode("utf-8")).hexdigest()[:10]
    countries = Counter(iso3 for s in members for iso3 in (s.origins or s.countries))
    classes = Counter(s.term_class for s in members)
    country = min(countries, key=lambda c: (-countries[c], c)) if countries else "xxx"
    measure = min(classes, key=lambda c: (-classes[c], c))
    return f"{country.lower()}-{measure}-{members[0].unit_class}-{digest}"


class _Clusters:
    """Union-find over statement indexes that remembers each cluster's members and documents."""

    def __init__(self, statements: Sequence[Statement]) -> None:
        self.parent = list(range(len(statements)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(statements))}
        self.docs: dict[int, set[str]] = {i: {s.document.doc_id} for i, s in enumerate(statements)}
        self.countries: dict[int, set[str]] = {i: set(s.countries) for i, s in enumerate(statements)}

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.root(i), self.root(j)
        if ri == rj:
            return
        if len(self.members[ri]) < len(self.members[rj]):
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.members[ri] += self.members.pop(rj)
        self.docs[ri] |= self.docs.pop(rj)
        self.countries[ri] |= self.countries.pop(rj)

    def share_country(self, ri: int, rj: int) -> bool:
        """Clusters meet in a country, or one has none: a cross-border movement names the countries
        of origin and of arrival in different sentences, so the check is on the clusters, not on pairs."""
        a, b = self.countries[ri], self.countries[rj]
        return not a or not b or bool(a & b)


def _candidates(stmts: Sequence[Statement]) -> list[tuple[int, int]]:
    """Index pairs that could be one movement at all: the same unit class and a country in common
    (or none known). Comparing only these keeps a store of many countries from being quadratic."""
    buckets: dict[tuple[str, str | None], list[int]] = {}
    for i, s in enumerate(stmts):
        keys: list[str | None] = [*sorted(s.countries)] or [None]
        for iso3 in keys:
            buckets.setdefault((s.unit_class, iso3), []).append(i)
    found: set[tuple[int, int]] = set()
    for (unit, iso3), members in buckets.items():
        found.update(itertools.combinations(members, 2))
        if iso3 is not None:
            countryless = buckets.get((unit, None), [])
            found.update((min(i, j), max(i, j)) for i in members for j in countryless)
    return sorted(found)


def _breakdowns(stmts: Sequence[Statement], clusters: _Clusters, rules: ReconcileRules) -> set[int]:
    """Statements that break one report's count down by area: several counts of one measure for one
    moment, none restating another ("8,000 homes destroyed in the north, 3,000 in the east, 1,200 in
    the west"). Each counts its own area, so none is another report's count of the whole movement."""
    least = rules.terms.grouping.breakdown_min_parts
    if not least:
        return set()
    seen: dict[tuple[str, str, str, object], set[int]] = {}
    for i, s in enumerate(stmts):
        if s.daily or s.vague:
            continue
        key = (s.document.doc_id, s.unit_class, s.term_class, s.as_of)
        seen.setdefault(key, set()).add(i)
    found: set[int] = set()
    for members in seen.values():
        if len({clusters.root(i) for i in members}) >= least:
            found |= members
    return found


def group_statements(statements: Sequence[Statement], rules: ReconcileRules) -> list[list[Statement]]:
    """The statements split into movements; see the module docstring for the rules."""
    order = sorted(range(len(statements)), key=lambda i: statements[i].id)
    stmts = [statements[i] for i in order]
    clusters = _Clusters(stmts)
    index = {s.id: i for i, s in enumerate(stmts)}
    for i, s in enumerate(stmts):
        for other in s.figure.same_as:
            j = index.get(other)
            if j is not None and stmts[j].document.doc_id == s.document.doc_id:
                clusters.union(i, j)
    for i, j in itertools.combinations(range(len(stmts)), 2):
        if stmts[i].document.doc_id == stmts[j].document.doc_id and restates(stmts[i], stmts[j], rules):
            clusters.union(i, j)
    one_per_doc = rules.terms.grouping.one_statement_per_document
    daily_join = rules.terms.grouping.daily_counts_join
    parts = _breakdowns(stmts, clusters, rules)
    # Counts in figures join first; a count in words only ("hundreds of thousands") then joins the
    # movement it fits best, and never decides which counts belong together.
    pairs: list[tuple[bool, float, str, str, int, int]] = []
    for i, j in _candidates(stmts):
        a, b = stmts[i], stmts[j]
        if a.document.doc_id == b.document.doc_id or i in parts or j in parts or not compatible(a, b, rules):
            continue
        pairs.append((a.vague or b.vague, -_affinity(a, b, rules), a.id, b.id, i, j))
    pairs.sort()
    ok: dict[tuple[int, int], bool] = {}

    def fits(i: int, j: int) -> bool:
        key = (min(i, j), max(i, j))
        if key not in ok:
            a, b = stmts[i], stmts[j]
            same_doc = a.document.doc_id == b.document.doc_id
            ok[key] = ((not same_doc or not one_per_doc or part_of_total(a, b, rules))
                       and (same_doc or compatible(a, b, rules)))
        return ok[key]

    for _, _, _, _, i, j in pairs:
        ri, rj = clusters.root(i), clusters.root(j)
        if ri == rj:
            continue
        shared = one_per_doc and not daily_join and clusters.docs[ri] & clusters.docs[rj]
        if shared or not clusters.share_country(ri, rj):
            continue
        if all(fits(x, y) for x in clusters.members[ri] for y in clusters.members[rj]):
            clusters.union(ri, rj)
    groups = [[stmts[i] for i in sorted(members)] for members in clusters.members.values()]
    groups.sort(key=lambda g: g[0].id)
    return groups
