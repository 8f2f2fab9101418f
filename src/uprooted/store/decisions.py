"""Analysts' decisions on stored figures and events: accept, reject, correct some fields (``edit``),
and merge or split the groups aggregation made.

A decision names a record by its id as exported (``doc#f2``) and is kept under that record's stable
key (document key, sentence, wording), never its row: ``reprocess`` and a new version of the page
replace the rows, and the decision finds the same figure again. Decisions are only ever added, each
with what stood before it (``previous``: the last review action, the values it corrects, the group),
so the table is the review's audit log. What they mean for the published figures is left to
``aggregate`` (rejections, merges, splits) and to the readers that show a corrected figure
(``review_states`` and ``corrected``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import Connection, Engine, insert, select

from ..errors import DecisionError, NotFoundError
from ..records import Term, Unit
from .db import translate
from .models import Decision, DocumentRow, EventRow, FigureRow

__all__ = ["Action", "Correction", "DecisionView", "ReviewState", "corrected", "decide", "decisions_for",
           "review_states"]

Action = Literal["accept", "reject", "edit", "merge", "split"]
_REVIEW = ("accept", "reject", "edit")


class _Place(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1, max_length=200)
    iso3: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class _Period(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    start: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    end: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Correction(BaseModel):
    """The fields of a figure an analyst may correct; an unknown field or a value outside the
    format's vocabularies is refused, so a correction always reads as a figure."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float | None = Field(default=None, ge=0)
    term: Term | None = None
    unit: Unit | None = None
    place: _Place | None = None
    date: _Period | None = None

    @field_validator("place", mode="before")
    @classmethod
    def _place_by_name(cls, v: object) -> object:
        return {"name": v} if isinstance(v, str) else v

    @field_validator("date", mode="before")
    @classmethod
    def _one_day(cls, v: object) -> object:
        return {"start": v, "end": v} if isinstance(v, str) else v


@dataclass(frozen=True)
class DecisionView:
    """One decision as stored: what was decided, by whom, why, and what stood before."""

    target_type: str
    target_key: str
    action: str
    edit: dict[str, Any] | None
    analyst: str | None
    note: str | None
    created_at: datetime
    previous: dict[str, Any] | None = None


@dataclass
class ReviewState:
    """Where the review of one record stands: the last accept, reject or edit, and every correction
    made so far (a later one of a field replacing an earlier)."""

    action: str | None = None
    corrections: dict[str, Any] = field(default_factory=dict)
    decisions: int = 0


def _target(engine: Engine, record_id: str) -> tuple[str, str, int, dict[str, Any], str | None]:
    """(type, stable key, row, record, group) of the current figure or event with ``record_id``."""
    with translate(record_id, "read the store"), engine.connect() as conn:
        fig = conn.execute(select(FigureRow.stable_key, FigureRow.id, FigureRow.record, FigureRow.group)
                           .join(DocumentRow, DocumentRow.id == FigureRow.document_id)
                           .where(FigureRow.record_id == record_id, DocumentRow.current.is_(True))).first()
        if fig is not None:
            return "figure", fig[0], fig[1], fig[2], fig[3]
        ev = conn.execute(select(EventRow.stable_key, EventRow.id, EventRow.record)
                          .join(DocumentRow, DocumentRow.id == EventRow.document_id)
                          .where(EventRow.record_id == record_id, DocumentRow.current.is_(True))).first()
        if ev is not None:
            return "event", ev[0], ev[1], ev[2], None
    raise NotFoundError("no figure or event with this id in the store's current documents", doc_id=record_id)


def _state(conn: Connection, kind: str, key: str) -> ReviewState:
    state = ReviewState()
    rows = conn.execute(select(Decision.action, Decision.edit).where(Decision.target_type == kind,
                                                                     Decision.target_key == key)
                        .order_by(Decision.id))
    for action, edit in rows:
        _apply(state, action, edit)
    return state


def _apply(state: ReviewState, action: str, edit: dict[str, Any] | None) -> None:
    """One more decision, in the order they were taken: the last review stands, corrections add up."""
    state.decisions += 1
    if action in _REVIEW:
        state.action = action
    if action == "edit" and edit:
        state.corrections.update(edit)


def _current_values(record: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """The record's values of the correctable ``fields``, as a correction would name them."""
    where = next(iter(record.get("locations") or []), None)
    values = {"value": (record.get("quantity") or {}).get("value"), "term": record.get("term"),
              "unit": record.get("unit"),
              "place": {k: where.get(k) for k in ("name", "iso3", "lat", "lon")} if where else None,
              "date": {k: (record.get("date") or {}).get(k) for k in ("start", "end")} if record.get("date") else None}
    return {f: values.get(f) for f in fields}


def decide(engine: Engine, record_id: str, action: Action, *, edit: dict[str, Any] | None = None,
           analyst: str | None = None, note: str | None = None, into: str | None = None) -> str:
    """Record an analyst's decision on a figure or event; returns the stable key it is kept under.
    ``edit`` holds the corrected fields (``Correction``'s); ``merge`` needs ``into``, a figure of
    the group this one's group joins."""
    if action == "edit" and not edit:
        raise DecisionError("an edit decision needs the fields it changes", doc_id=record_id)
    kind, key, _, record, group = _target(engine, record_id)
    if kind == "figure" and action == "edit":
        try:
            edit = Correction.model_validate(edit).model_dump(mode="json", exclude_none=True)
            if float(edit.get("value", 0.5)).is_integer():  # a count of people stays a whole number
                edit["value"] = int(edit["value"])
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "correction"
            raise DecisionError(f"cannot correct {where}: {first['msg']}", doc_id=record_id) from exc
    if action in ("merge", "split") and kind != "figure":
        raise DecisionError(f"only a figure's group can be {action}d", doc_id=record_id)
    if action == "merge":
        if not into or into == record_id:
            raise DecisionError("a merge needs another figure whose group this one's joins", doc_id=record_id)
        into_kind, into_key, _, _, into_group = _target(engine, into)
        if into_kind != "figure":
            raise DecisionError(f"{into} is not a figure: only groups of figures merge", doc_id=record_id)
        edit = {"into": into_key, "into_id": into, "into_group": into_group}
    with translate(record_id), engine.begin() as conn:
        state = _state(conn, kind, key)
        previous: dict[str, Any] = {"action": state.action, "group": group}
        if action == "edit" and edit:
            fields = sorted(edit)
            previous["values"] = {**_current_values(record, fields),
                                  **{f: state.corrections[f] for f in fields if f in state.corrections}}
        conn.execute(insert(Decision).values(target_type=kind, target_key=key, action=action, edit=edit,
                                             previous=previous, analyst=analyst, note=note,
                                             created_at=datetime.now(UTC).replace(tzinfo=None)))
    return key


def decisions_for(engine: Engine, record_id: str) -> list[DecisionView]:
    """The decisions on a current figure or event, oldest first (the last one stands)."""
    kind, key, *_ = _target(engine, record_id)
    with translate(record_id, "read the store"), engine.connect() as conn:
        rows = conn.execute(select(Decision.target_type, Decision.target_key, Decision.action, Decision.edit,
                                   Decision.analyst, Decision.note, Decision.created_at, Decision.previous)
                            .where(Decision.target_type == kind, Decision.target_key == key)
                            .order_by(Decision.id)).all()
        return [DecisionView(*r) for r in rows]


def review_states(engine: Engine, kind: str = "figure") -> dict[str, ReviewState]:
    """Stable key -> review state, for every record of ``kind`` with a decision."""
    states: dict[str, ReviewState] = {}
    with translate(doing="read the store"), engine.connect() as conn:
        rows = conn.execute(select(Decision.target_key, Decision.action, Decision.edit)
                            .where(Decision.target_type == kind).order_by(Decision.id))
        for key, action, edit in rows:
            _apply(states.setdefault(key, ReviewState()), action, edit)
    return states


def corrected(record: dict[str, Any], corrections: dict[str, Any]) -> dict[str, Any]:
    """The figure record as the analysts corrected it (the stored record itself is never changed)."""
    if not corrections:
        return record
    out = dict(record)
    if "value" in corrections:
        out["quantity"] = {**(record.get("quantity") or {}), "value": corrections["value"]}
    for name in ("term", "unit"):
        if name in corrections:
            out[name] = corrections[name]
    if "place" in corrections:
        place = corrections["place"]
        # A place corrected by name only keeps the coordinates of a location of that name, if any.
        same: dict[str, Any] = next((loc for loc in record.get("locations") or []
                     if (loc.get("name") or "").casefold() == place["name"].casefold()), {})
        given = {k: place.get(k) for k in ("iso3", "lat", "lon") if place.get(k) is not None}
        out["locations"] = [{"mention": place["name"], "name": place["name"], "role": "location",
                             "iso3": same.get("iso3"), "lat": same.get("lat"), "lon": same.get("lon"),
                             "level": same.get("level") if same and not given else "analyst", **given}]
    if "date" in corrections:
        out["date"] = {**(record.get("date") or {}), **corrections["date"]}
    return out
