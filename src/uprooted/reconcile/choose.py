"""Recommendation: the one figure of a group to publish, why the others lost, and contradictions.

Takes one group of statements and the rules; returns, for each figure id, whether it is recommended
and the reason. The order of the rules is the order analysts argue in:
1. a count in words only ("hundreds of thousands") never beats a count in figures, a day's count
   ("crossed on Sunday") never beats a running count of its movement, and a rounded
   restatement of a more precise figure ("more than 70,000" after "70,212") never beats
   it, even when later: it adds no news;
2. the latest report wins (a cumulative count supersedes the partial ones before it; a stock is as
   of its date);
3. among reports of the same moment: the higher source authority, then the more precise quantity.
A figure the caller excludes (an analyst rejected it) stays in its group but is never chosen; a group
of excluded figures only has no figure to publish. Figures of one moment that disagree beyond the
margin are flagged as a contradiction, never averaged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .rules import ReconcileRules
from .statements import Statement

__all__ = ["Choice", "choose"]


@dataclass(frozen=True)
class Choice:
    """The outcome for one group: the recommended figure, each loser's reason, any contradiction."""

    recommended: str | None
    reasons: dict[str, str]
    why: str
    contradiction: str | None


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


def _describe(s: Statement, rules: ReconcileRules) -> str:
    """"70,212 person refugee (exact; Interior Ministry, government; 2031-05-09; doc#f3)", households with
    their persons."""
    f = s.figure
    q = f.quantity
    parts = [q.qualifier.replace("_", " ")]
    if f.source is not None:
        parts.append(f.source.name + (f", {s.authority_class}" if s.authority_class else ""))
    elif s.authority_class:
        parts.append(f"document's own voice, {s.authority_class}")
    parts.append(s.as_of.isoformat() if s.as_of else "undated")
    parts.append(f.id)
    return f"{_num(q.value)} {f.unit} {f.term} ({'; '.join(parts)}){_persons(s, rules)}"


def _persons(s: Statement, rules: ReconcileRules) -> str:
    """A household count with the people it stands for, at the country's average household size."""
    if s.unit_class != "household" or s.figure.unit != "household":
        return ""
    for iso3 in sorted(s.origins) + sorted(s.countries - s.origins):
        size = rules.households.countries.get(iso3)
        if size is not None:
            people = s.value * size.size
            return (f" = about {_num(round(people, -1))} people at {size.size} per household"
                    f" ({iso3}, UN DESA household size {size.year})")
    return " (no household size on file for its country: not converted to people)"


def _restates(s: Statement, t: Statement, tolerance: float) -> bool:
    """Whether ``s`` is a rounded restatement of the more precise ``t``. A later round figure above
    the precise one ("about 250,000" a week after "more than 246,300") is an update, not a restatement."""
    if s.precision >= t.precision or t.value <= 0:
        return False
    if s.as_of and t.as_of and s.as_of > t.as_of and s.value > t.value:
        return False
    return abs(s.value - t.value) <= tolerance * t.value


def _day_gap(a: Statement, b: Statement) -> int | None:
    if a.as_of is None or b.as_of is None:
        return None
    return abs((a.as_of - b.as_of).days)


def _contradiction(group: Sequence[Statement], rules: ReconcileRules, restated: set[str]) -> str | None:
    """Two reports of the same moment whose ranges lie apart by more than the margin: the same day, or
    within the moment's days with the later one smaller."""
    margin = rules.terms.recommend.contradiction_margin
    moment = rules.terms.recommend.same_moment_days
    found = []
    for i, a in enumerate(group):
        for b in group[i + 1:]:
            if a.id in restated or b.id in restated or a.document.doc_id == b.document.doc_id or a.vague or b.vague:
                continue
            gap = _day_gap(a, b)
            if gap is None or gap > moment:
                continue
            if gap and a.as_of and b.as_of and (a.value < b.value) == (a.as_of < b.as_of):
                continue  # a day later and larger: the count grew, nobody disagrees
            apart = max(a.low, b.low) - min(a.high, b.high)
            if apart > margin * max(a.value, b.value):
                found.append(f"{a.id} ({_num(a.value)}) and {b.id} ({_num(b.value)}) report the same moment "
                             f"{apart / max(a.value, b.value):.0%} apart")
    return "; ".join(found) if found else None


def choose(group: Sequence[Statement], rules: ReconcileRules, excluded: Mapping[str, str] | None = None) -> Choice:
    """The recommended figure of ``group`` and why each other figure lost. ``excluded`` (figure id ->
    reason) names figures that may not be chosen, whatever the rules would say of them."""
    excluded = excluded or {}
    left_out = [s for s in group if s.id in excluded]
    out = {s.id: excluded[s.id] for s in left_out}
    group = [s for s in group if s.id not in out]
    if not group:
        return Choice(recommended=None, reasons=out, why="no figure to publish: " + "; ".join(
            f"{_describe(s, rules)}: {out[s.id]}" for s in left_out), contradiction=None)
    tolerance = rules.terms.recommend.restatement_tolerance
    moment = rules.terms.recommend.same_moment_days
    reasons: dict[str, str] = {}
    for s in group:
        better = [t for t in group if _restates(s, t, tolerance)]
        if better:
            t = max(better, key=lambda x: (x.precision, x.id))
            reasons[s.id] = f"a rounded restatement of the more precise {_num(t.value)} ({t.id})"
    if any(not s.vague for s in group):
        for s in group:
            if s.vague:
                reasons[s.id] = "a count in words only, not a figure to publish"
    totals = [s for s in group if not s.daily and not s.vague and s.id not in reasons]
    if totals and rules.terms.grouping.daily_counts_join:
        for s in group:
            if s.daily and s.id not in reasons:
                reasons[s.id] = "a day's count, part of the movement the group's running count totals"
    restated = set(reasons)
    candidates = [s for s in group if s.id not in reasons] or list(group)
    dated = [s.as_of for s in candidates if s.as_of is not None]
    latest = max(dated) if dated else None
    current = [s for s in candidates if latest is None or (s.as_of is not None and (latest - s.as_of).days <= moment)]
    # Between equal figures, the later report: it confirms the count at a later date.
    best = min(current, key=lambda s: (-s.authority, (-s.precision[0], -s.precision[1]), -s.value,
                                       -(s.reported.toordinal() if s.reported else 0), -s.figure.confidence, s.id))
    for s in candidates:
        if s is best:
            continue
        if s not in current:
            reasons[s.id] = (f"superseded by the later {_num(best.value)} of "
                             f"{best.as_of.isoformat() if best.as_of else 'later'}")
        elif s.authority < best.authority:
            reasons[s.id] = f"same moment, source of lower authority than {best.authority_class or 'the chosen one'}"
        elif s.precision < best.precision:
            reasons[s.id] = f"same moment, less precise than {_num(best.value)}"
        elif s.value < best.value:
            reasons[s.id] = f"same moment and standing, smaller than {_num(best.value)}"
        elif s.reported and best.reported and s.reported < best.reported:
            reasons[s.id] = f"the same figure as {best.id}, which a later report gives"
        else:
            reasons[s.id] = f"same moment, standing and value as {best.id}, which comes first by id"
    contradiction = _contradiction(group, rules, restated)
    lines = [f"recommended {_describe(best, rules)}: " + _won(best, group, latest, bool(left_out))]
    lines += [f"{_describe(s, rules)}: {reasons[s.id]}" for s in group if s is not best]
    lines += [f"{_describe(s, rules)}: {out[s.id]}" for s in left_out]
    if contradiction:
        lines.append(f"contradiction: {contradiction}")
    return Choice(recommended=best.id, reasons={**reasons, **out}, why="; ".join(lines), contradiction=contradiction)


def _won(best: Statement, group: Sequence[Statement], latest: object, others_excluded: bool = False) -> str:
    """The short reason the recommended figure won."""
    if len(group) == 1:
        return "the only report of this movement left to choose" if others_excluded else \
            "the only report of this movement"
    bits = ["the latest report" if latest is not None else "no report is dated"]
    if best.precision[0]:
        bits.append("exact")
    if best.authority_class:
        bits.append(f"source: {best.authority_class}")
    return ", ".join(bits)
