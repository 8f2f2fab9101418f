"""Choosing what ``uprooted export`` writes: the current documents' figures (and events) that pass
the filters, each with the one location its row or point stands for.

One selection serves every format, so a filter means the same in CSV, HXL, GeoJSON, JSONL and
ACLED's CSV. Columns the store indexes (term, kind, group, confidence) are filtered in SQL; places
and periods, which live in the record, in Python. A record passes the place filters when one of its
locations does, and that location (in the order location, origin, destination) is the one its row
shows. A period passes when it overlaps ``--since``/``--until``; a record without a date takes its
document's publication date, and one without either is left out when a date filter is set. Events
pass the figure-only filters (term, kind, group) through the figures they caused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from .db import translate
from .models import DocumentRow, EventRow, FigureRow, PlaceRow

__all__ = ["Filters", "Selected", "select_events", "select_figures"]

D = DocumentRow
_ROLE_ORDER = {"location": 0, "origin": 1, "destination": 2}


@dataclass(frozen=True)
class Filters:
    """The export filters; an empty set or None lets everything through."""

    countries: frozenset[str] = frozenset()
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    since: str | None = None
    until: str | None = None
    terms: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    min_confidence: float | None = None

    def on_figures_only(self) -> bool:
        """Whether a filter that only figures have is set (events then go by their figures)."""
        return bool(self.terms or self.kinds or self.groups)


@dataclass(frozen=True)
class Selected:
    """A record that passed, with what its row needs from its document and the store."""

    record: dict[str, Any]
    where: dict[str, Any] | None
    admin1: str | None
    url: str | None
    published: str | None
    group: str | None = None
    recommended: bool | None = None
    why: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _start(day: str) -> str:
    return day[:10] + "-01-01"[len(day[:10]) - 4:] if len(day) < 10 else day[:10]


def _end(day: str) -> str:
    return day[:10] + "-12-31"[len(day[:10]) - 4:] if len(day) < 10 else day[:10]


def _in_period(record: dict[str, Any], published: str | None, f: Filters) -> bool:
    if not (f.since or f.until):
        return True
    period = record.get("date") or {}
    start, end = period.get("start") or period.get("end"), period.get("end") or period.get("start")
    if not start:
        start = end = published
    if not start or not end:
        return False
    if f.since and _end(end) < _start(f.since):
        return False
    return not (f.until and _start(start) > _end(f.until))


def _fits(loc: dict[str, Any], f: Filters) -> bool:
    if f.countries and (loc.get("iso3") or "").upper() not in f.countries:
        return False
    if f.bbox is not None:
        lat, lon = loc.get("lat"), loc.get("lon")
        if lat is None or lon is None:
            return False
        west, south, east, north = f.bbox
        return bool(south <= lat <= north and west <= lon <= east)
    return True


def _where(record: dict[str, Any], f: Filters) -> tuple[bool, dict[str, Any] | None]:
    """Whether the record passes the place filters, and the location its row shows."""
    locations = sorted(record.get("locations") or [], key=lambda loc: _ROLE_ORDER.get(loc.get("role"), 3))
    for loc in locations:
        if _fits(loc, f):
            return True, loc
    if f.countries or f.bbox is not None:
        return False, None
    return True, locations[0] if locations else None


def _admin1s(engine: Engine) -> dict[tuple[int, object], str]:
    """The admin-1 of each resolved place of the current documents, by (document, geonameid or name):
    a figure's location does not carry it, the place record of the same mention does."""
    found: dict[tuple[int, object], str] = {}
    query = (select(PlaceRow.document_id, PlaceRow.geonameid, PlaceRow.name, PlaceRow.admin1)
             .join(D, D.id == PlaceRow.document_id).where(D.current.is_(True), PlaceRow.admin1.is_not(None)))
    with translate(doing="read the store"), engine.connect() as conn:
        for doc, geonameid, name, admin1 in conn.execute(query):
            if admin1:
                found.setdefault((doc, geonameid if geonameid is not None else name), admin1)
    return found


def _admin1(admin1s: dict[tuple[int, object], str], doc: int, where: dict[str, Any] | None) -> str | None:
    if where is None or where.get("level") == "country":
        return None
    ref = where.get("geonameid") if where.get("geonameid") is not None else where.get("name")
    return admin1s.get((doc, ref))


def select_figures(engine: Engine, f: Filters) -> Iterator[Selected]:
    """The current figures that pass ``f``, in document order."""
    admin1s = _admin1s(engine)
    query = (select(FigureRow.document_id, FigureRow.record, FigureRow.group, FigureRow.recommended, FigureRow.why,
                    D.url, D.published, FigureRow.stable_key, FigureRow.confidence)
             .join(D, D.id == FigureRow.document_id).where(D.current.is_(True))
             .order_by(FigureRow.document_id, FigureRow.id))
    if f.terms:
        query = query.where(FigureRow.term.in_(sorted(f.terms)))
    if f.kinds:
        query = query.where(FigureRow.kind.in_(sorted(f.kinds)))
    if f.groups:
        query = query.where(FigureRow.group.in_(sorted(f.groups)))
    if f.min_confidence is not None:
        query = query.where(FigureRow.confidence >= f.min_confidence)
    with translate(doing="read the store"), engine.connect() as conn:
        rows = conn.execution_options(yield_per=500).execute(query)
        for doc, record, group, recommended, why, url, published, key, confidence in rows:
            ok, where = _where(record, f)
            if ok and _in_period(record, published, f):
                yield Selected(record, where, _admin1(admin1s, doc, where), url, published, group, recommended, why,
                               extra={"key": key, "document": doc, "confidence": confidence})


def select_events(engine: Engine, f: Filters) -> Iterator[Selected]:
    """The current events that pass ``f``; with a figure-only filter, those that caused a figure that passes."""
    caused: set[tuple[str, str]] | None = None
    if f.on_figures_only():
        caused = {(s.record["doc_id"], s.record["id"]) for s in select_figures(engine, f)}
    admin1s = _admin1s(engine)
    query = (select(EventRow.document_id, EventRow.record, D.url, D.published, D.title, EventRow.stable_key)
             .join(D, D.id == EventRow.document_id).where(D.current.is_(True))
             .order_by(EventRow.document_id, EventRow.id))
    if f.min_confidence is not None:
        query = query.where(EventRow.confidence >= f.min_confidence)
    with translate(doing="read the store"), engine.connect() as conn:
        for doc, record, url, published, title, key in conn.execution_options(yield_per=500).execute(query):
            if caused is not None and not any((record["doc_id"], fid) in caused for fid in record.get("figures", [])):
                continue
            ok, where = _where(record, f)
            if ok and _in_period(record, published, f):
                yield Selected(record, where, _admin1(admin1s, doc, where), url, published,
                               extra={"title": title, "key": key, "document": doc})
