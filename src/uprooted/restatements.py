"""Stage 5, resolve: figures of one document that report the same displacement.

Articles restate their main figure ("100,000 fled" in the lead, "over 100,000" in the close,
"100,362 had crossed" from the government). Each statement stays a record, since each has its
own wording, source and evidence, but ``same_as`` lists the other statements of the same
movement so an analyst counts it once. Two figures are the same when their units and kinds
agree, their values are within a tolerance (or one bounds the other: "over 100,000" and
100,362), their periods overlap or one is undated, and they share a country when both have one.
A restatement of the very same number without a source or a date of its own (a headline, a key-figure
box) takes its source and its date.
"""

from __future__ import annotations

from .records import Figure

__all__ = ["link_restatements"]

_TOLERANCE = 0.05
_UNIT = {"dwelling": "household"}


def _close(a: Figure, b: Figure) -> bool:
    qa, qb = a.quantity, b.quantity
    lo_a, hi_a = float(qa.low if qa.low is not None else qa.value), float(qa.high if qa.high is not None else qa.value)
    lo_b, hi_b = float(qb.low if qb.low is not None else qb.value), float(qb.high if qb.high is not None else qb.value)
    if hi_a < lo_b:
        lo_a, hi_a, lo_b, hi_b = lo_b, hi_b, lo_a, hi_a
    gap = lo_a - hi_b
    return gap <= _TOLERANCE * max(hi_a, hi_b, 1.0)


def _same_period(a: Figure, b: Figure) -> bool:
    if a.date is None or b.date is None or not (a.date.start and b.date.start):
        return True
    if a.date.text is None or b.date.text is None:
        return True  # a date inferred from publication says nothing of when the movement happened
    a_end, b_end = a.date.end or a.date.start, b.date.end or b.date.start
    return a.date.start <= b_end and b.date.start <= a_end


def _same_place(a: Figure, b: Figure) -> bool:
    ca = {loc.iso3 for loc in a.locations if loc.iso3}
    cb = {loc.iso3 for loc in b.locations if loc.iso3}
    return not ca or not cb or bool(ca & cb)


def _exact(a: Figure, b: Figure) -> bool:
    qa, qb = a.quantity, b.quantity
    return (qa.value, qa.low, qa.high) == (qb.value, qb.low, qb.high)


def _same(a: Figure, b: Figure) -> bool:
    return (
        _UNIT.get(a.unit, a.unit) == _UNIT.get(b.unit, b.unit)
        and a.kind == b.kind
        and _close(a, b)
        and _same_period(a, b)
        and _same_place(a, b)
    )


def link_restatements(figures: list[Figure]) -> list[Figure]:
    """The same figures, each with ``same_as`` naming the others that restate it (transitively)."""
    parent = list(range(len(figures)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(figures):
        for j in range(i + 1, len(figures)):
            if _same(a, figures[j]):
                parent[root(j)] = root(i)
    groups: dict[int, list[str]] = {}
    for i, f in enumerate(figures):
        groups.setdefault(root(i), []).append(f.id)
    linked = [
        f.model_copy(update={"same_as": [x for x in groups[root(i)] if x != f.id]}) for i, f in enumerate(figures)
    ]
    out = []
    for i, f in enumerate(linked):
        restated = [g for j, g in enumerate(linked) if j != i and root(j) == root(i)]
        out.append(_with_date(_with_source(f, restated), restated))
    return out


def _same_number(f: Figure, restated: list[Figure]) -> list[Figure]:
    """The restatements of the very same number and unit, which may lend ``f`` what it lacks."""
    return [g for g in restated if g.unit == f.unit and _exact(f, g)]


def _with_date(f: Figure, restated: list[Figure]) -> Figure:
    """A key-figure box's "173,000 displaced" carries no date; the body's "173,000 displaced as of
    3 May" does. The very same number and unit takes the one date written next to a restatement."""
    if f.date is not None and f.date.text is not None:
        return f
    dates = {(g.date.start, g.date.end): g.date for g in _same_number(f, restated)
             if g.date is not None and g.date.text is not None and g.date.start}
    return f.model_copy(update={"date": next(iter(dates.values()))}) if len(dates) == 1 else f


def _with_source(f: Figure, restated: list[Figure]) -> Figure:
    """A headline's "3,618 households displaced" is the body's "3,618 households, according to the agency":
    a figure stated without a source takes the one source of its restatements of the very same
    number and unit. A rounded restatement ("over 100,000") stays in the document's voice."""
    if f.source is not None:
        return f
    sources = {g.source.name: g.source for g in _same_number(f, restated) if g.source is not None}
    return f.model_copy(update={"source": next(iter(sources.values()))}) if len(sources) == 1 else f
