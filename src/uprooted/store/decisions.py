"""Analysts' decisions on stored figures and events: accept, reject, or edit some fields.

A decision names a record by its id as exported (``doc#f2``) and is kept under that record's stable
key (document key, sentence, wording), never its row: ``reprocess`` and a new version of the page
replace the rows, and the decision finds the same figure again. What the decisions mean for the
published figures is left to reconciliation and the exports that read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Engine, insert, select

from ..errors import StoreError
from .db import translate
from .models import Decision, DocumentRow, EventRow, FigureRow

__all__ = ["Action", "DecisionView", "decide", "decisions_for"]

Action = Literal["accept", "reject", "edit"]


@dataclass(frozen=True)
class DecisionView:
    """One decision as stored: what was decided, by whom, and why."""

    target_type: str
    target_key: str
    action: str
    edit: dict[str, Any] | None
    analyst: str | None
    note: str | None
    created_at: datetime


def _target(engine: Engine, record_id: str) -> tuple[str, str]:
    """(type, stable key) of the current figure or event with ``record_id``."""
    with translate(record_id, "read the store"), engine.connect() as conn:
        for kind, table in (("figure", FigureRow), ("event", EventRow)):
            key = conn.execute(select(table.stable_key).join(DocumentRow, DocumentRow.id == table.document_id)
                               .where(table.record_id == record_id, DocumentRow.current.is_(True))).scalar()
            if key is not None:
                return kind, key
    raise StoreError("no figure or event with this id in the store's current documents", doc_id=record_id)


def decide(engine: Engine, record_id: str, action: Action, *, edit: dict[str, Any] | None = None,
           analyst: str | None = None, note: str | None = None) -> str:
    """Record an analyst's decision on a figure or event; returns the stable key it is kept under."""
    if action == "edit" and not edit:
        raise StoreError("an edit decision needs the fields it changes", doc_id=record_id)
    kind, key = _target(engine, record_id)
    with translate(record_id), engine.begin() as conn:
        conn.execute(insert(Decision).values(target_type=kind, target_key=key, action=action, edit=edit,
                                             analyst=analyst, note=note,
                                             created_at=datetime.now(UTC).replace(tzinfo=None)))
    return key


def decisions_for(engine: Engine, record_id: str) -> list[DecisionView]:
    """The decisions on a current figure or event, oldest first (the last one stands)."""
    kind, key = _target(engine, record_id)
    with translate(record_id, "read the store"), engine.connect() as conn:
        rows = conn.execute(select(Decision.target_type, Decision.target_key, Decision.action, Decision.edit,
                                   Decision.analyst, Decision.note, Decision.created_at)
                            .where(Decision.target_type == kind, Decision.target_key == key)
                            .order_by(Decision.id)).all()
        return [DecisionView(*r) for r in rows]
