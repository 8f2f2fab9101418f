"""Reconciliation across the store's documents (``uprooted aggregate``): every current figure gets its
``group``, ``recommended`` and ``why``, and its group's ``contradiction``, written onto its row.

Takes the store and the reconcile rules; reads the current documents and their figures, runs the pure
``reconcile`` step on them and writes its verdicts back in one transaction, so an export never sees
half a regrouping. The same store gives the same verdicts (group ids hash their members), so running
it twice changes nothing, and running it after an ingest regroups everything, since a new report can
join or split the movements of the old ones. Analysts' rejections (``decision``, keyed by the
figure's stable key, not its group, because group ids change with membership) keep a figure in its
group but never let it be the one to publish. Figures of older versions and projections are cleared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, bindparam, select, update

from ..errors import StoreError
from ..reconcile import ReconcileRules, Verdict, reconcile
from ..records import Category, Document, Figure
from .db import translate
from .models import Decision, DocumentRow, FigureRow
from .regroup import apply_regroupings, regroupings

__all__ = ["AggregateTally", "aggregate"]

D = DocumentRow
_CATEGORIES: frozenset[str] = frozenset(Category.__args__)  # type: ignore[attr-defined]


@dataclass
class AggregateTally:
    """What one aggregation did: documents and figures read, groups made, rows whose verdict changed."""

    documents: int = 0
    figures: int = 0
    groups: int = 0
    contradictions: int = 0
    rejected: int = 0
    changed: int = 0


@dataclass(frozen=True)
class _Row:
    """A stored figure as reconciliation sees it, with the verdict its row holds now."""

    row_id: int
    key: str
    figure: Figure
    rejected: str | None  # the analyst's note (or "") when the last decision on it is a reject
    now: tuple[str | None, bool | None, str | None, str | None]


def _document(row: Any) -> Document:
    """The ``document`` record of a stored version, as ``extract`` wrote it."""
    return Document(doc_id=row.doc_id, title=row.title, published=row.published, url=row.url,
                    language=row.language, relevant=bool(row.relevant),
                    category=row.category if row.category in _CATEGORIES else "unknown")


def _rejections(conn: Connection) -> dict[str, str]:
    """Stable key -> the analyst's note, for figures whose last decision is a reject."""
    last: dict[str, tuple[str, str | None]] = {}
    query = (select(Decision.target_key, Decision.action, Decision.note)
             .where(Decision.target_type == "figure").order_by(Decision.id))
    for key, action, note in conn.execute(query):
        last[key] = (action, note)
    return {key: note or "" for key, (action, note) in last.items() if action == "reject"}


def _unique_ids(docs: dict[int, Document]) -> dict[int, str]:
    """Document row -> the id reconciliation knows it by. Two current documents may share an id (the
    same JSONL id in two batches, under different URLs); they are two reports, so the shared id gets
    its row number, else one would count as the other's restatement."""
    counts = Counter(d.doc_id for d in docs.values())
    return {row: d.doc_id if counts[d.doc_id] == 1 else f"{d.doc_id}@{row}" for row, d in docs.items()}


def _read(conn: Connection, advance: Callable[[], None]) -> tuple[list[tuple[Document, list[_Row]]], int]:
    """The current documents with their figures (each renamed when its document id is shared), and the
    number of figure rows of older versions that still hold a verdict."""
    docs = {row.id: _document(row) for row in conn.execute(
        select(D.id, D.doc_id, D.title, D.published, D.url, D.language, D.relevant, D.category)
        .where(D.current.is_(True), D.status == "ok").order_by(D.id))}
    names = _unique_ids(docs)
    rejected = _rejections(conn)
    rows: dict[int, list[_Row]] = {}
    query = (select(FigureRow.id, FigureRow.document_id, FigureRow.stable_key, FigureRow.record, FigureRow.group,
                    FigureRow.recommended, FigureRow.why, FigureRow.contradiction)
             .join(D, D.id == FigureRow.document_id).where(D.current.is_(True), D.status == "ok")
             .order_by(FigureRow.document_id, FigureRow.id))
    for r in conn.execute(query):
        doc = docs[r.document_id]
        try:
            figure = Figure.model_validate(r.record)
        except ValidationError as exc:
            raise StoreError(f"stored figure {r.record.get('id')!r} no longer reads as a figure: "
                             f"{exc.errors()[0]['msg']} (run `uprooted reprocess --all`)", doc_id=doc.doc_id) from exc
        name = names[r.document_id]
        if name != doc.doc_id:
            figure = figure.model_copy(update={
                "id": name + figure.id.removeprefix(doc.doc_id), "doc_id": name,
                "same_as": [name + s.removeprefix(doc.doc_id) for s in figure.same_as]})
        rows.setdefault(r.document_id, []).append(
            _Row(r.id, r.stable_key, figure, rejected.get(r.stable_key),
                 (r.group, r.recommended, r.why, r.contradiction)))
    for _ in docs:
        advance()
    stale = conn.execute(select(FigureRow.id).join(D, D.id == FigureRow.document_id)
                         .where((D.current.is_(False)) | (D.status != "ok"), FigureRow.group.is_not(None))).all()
    by_doc = [(docs[row].model_copy(update={"doc_id": names[row]}), figs) for row, figs in rows.items()]
    return by_doc, len(stale)


def aggregate(engine: Engine, rules: ReconcileRules, advance: Callable[[], None] = lambda: None) -> AggregateTally:
    """Reconcile the store's current figures and write the verdicts onto their rows, in one
    transaction; ``advance`` is called once per document read."""
    tally = AggregateTally()
    with translate(doing="aggregate the store's figures"), engine.begin() as conn:
        by_doc, stale = _read(conn, advance)
        documents = [(doc, [r.figure for r in figs]) for doc, figs in by_doc]
        excluded = {r.figure.id: _rejected_reason(r.rejected) for _, figs in by_doc for r in figs
                    if r.rejected is not None}
        try:
            verdicts = reconcile(documents, rules, excluded=excluded)
        except ValueError as exc:
            raise StoreError(f"cannot reconcile the store's figures: {exc}") from exc
        ids = {r.key: r.figure.id for _, figs in by_doc for r in figs}
        confidence = {r.figure.id: r.figure.confidence for _, figs in by_doc for r in figs}
        verdicts = apply_regroupings(verdicts, ids, confidence, excluded, regroupings(conn))
        changes = []
        for _, figs in by_doc:
            for r in figs:
                new = _columns(verdicts.get(r.figure.id), shown=r.rejected is not None)
                if new != r.now:
                    changes.append({"row": r.row_id, "g": new[0], "rec": new[1], "why": new[2], "con": new[3]})
        tally.documents = len(by_doc)
        tally.figures = sum(len(figs) for _, figs in by_doc)
        tally.groups = len({v.group for v in verdicts.values()})
        tally.contradictions = len({v.group for v in verdicts.values() if v.contradiction})
        tally.rejected = len(excluded)
        tally.changed = len(changes)
        if changes:
            conn.execute(update(FigureRow).where(FigureRow.id == bindparam("row"))
                         .values(group=bindparam("g"), recommended=bindparam("rec"), why=bindparam("why"),
                                 contradiction=bindparam("con")), changes)
        if stale:
            old = select(D.id).where((D.current.is_(False)) | (D.status != "ok")).scalar_subquery()
            conn.execute(update(FigureRow).where(FigureRow.document_id.in_(old))
                         .values(group=None, recommended=None, why=None, contradiction=None))
    return tally


def _rejected_reason(note: str | None) -> str:
    return "rejected by an analyst" + (f" ({note})" if note else "")


def _columns(v: Verdict | None, *, shown: bool) -> tuple[str | None, bool | None, str | None, str | None]:
    """The row's group, recommended, why and contradiction. The why is on the figure to publish
    (FORMAT.md), where it lists every other figure and why it lost, and on a rejected figure, whose
    reader should see at once why it is not published. A projection has no verdict."""
    if v is None:
        return None, None, None, None
    return v.group, v.recommended, v.why if v.recommended or shown else None, v.contradiction
