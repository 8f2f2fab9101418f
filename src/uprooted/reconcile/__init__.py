"""Reconciliation across documents: figures grouped into displacement movements, one recommended each.

Takes documents with their figures (from ``extract`` or a store); returns a ``Verdict`` per figure id:
its group, whether it is the figure to publish, why, and any contradiction in its group. Pure: no
database, no model, no network; the rules come from ``data/reconcile.yaml``, ``data/authority.yaml``
and ``data/household_size.yaml`` (``load_rules``). Storing the verdicts and exporting them is left
to the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..records import Document, Figure
from .choose import choose
from .grouping import group_id, group_statements
from .rules import ReconcileRules, load_rules
from .statements import Statement, document_date, read_statement

__all__ = ["ReconcileRules", "Verdict", "load_rules", "reconcile", "with_verdicts"]


@dataclass(frozen=True)
class Verdict:
    """What reconciliation says of one figure. ``why`` on the recommended figure lists every figure of
    the group and why it lost; on the others, their own reason. ``contradiction`` is shared by the group."""

    group: str
    recommended: bool
    why: str
    contradiction: str | None = None


def reconcile(
    documents: Iterable[tuple[Document, Sequence[Figure]]], rules: ReconcileRules | None = None,
    *, excluded: Mapping[str, str] | None = None,
) -> dict[str, Verdict]:
    """Figure id -> verdict, for every figure given. Figure ids must be unique across documents
    (``doc#f3``). Projections are left out: a forecast is not a report of a movement. ``excluded``
    (figure id -> reason, such as an analyst's rejection) names figures that keep their group but are
    never recommended; their verdict's ``why`` is that reason."""
    rules = rules or load_rules()
    statements: list[Statement] = []
    seen: set[str] = set()
    for doc, figures in documents:
        doc_date = document_date(doc, figures)
        for f in figures:
            if f.projection:
                continue
            if f.id in seen:
                raise ValueError(f"figure id {f.id!r} appears twice: ids must be unique across documents")
            seen.add(f.id)
            statements.append(read_statement(f, doc, rules, doc_date))
    verdicts: dict[str, Verdict] = {}
    for members in group_statements(statements, rules):
        gid = group_id(members)
        choice = choose(members, rules, excluded)
        for s in members:
            top = s.id == choice.recommended
            why = choice.why if top else choice.reasons.get(s.id, "")
            if choice.recommended is None:
                why = choice.why  # every figure of the group was excluded: each says so
            verdicts[s.id] = Verdict(group=gid, recommended=top, why=why, contradiction=choice.contradiction)
    return verdicts


def with_verdicts(figures: Iterable[Figure], verdicts: dict[str, Verdict]) -> list[Figure]:
    """The figures with ``group``, ``recommended`` and, on the recommended one, ``why`` set (FORMAT.md);
    a figure without a verdict (a projection) passes unchanged."""
    out = []
    for f in figures:
        v = verdicts.get(f.id)
        if v is None:
            out.append(f)
            continue
        out.append(f.model_copy(update={"group": v.group, "recommended": v.recommended,
                                        "why": v.why if v.recommended else None}))
    return out
