"""What the web API reads from the store: figures, events, groups, documents and the triage queue,
as plain JSON-ready dicts.

Selection is the exports' (``store.export``): a filter means the same on the page, in the API and in
``uprooted export``. On top, the review: each figure carries its review state (none, accept, reject,
edit) and is shown as corrected by the analysts (``store.decisions.corrected``), and the page can
filter on that state. Term groups (which population a figure counts) are the HXL columns of
``data/export.yaml``, so the map's colours sum like the export's columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, func, select

from ..errors import NotFoundError
from ..store.db import translate
from ..store.decisions import ReviewState, corrected, decisions_for, review_states
from ..store.export import Filters, Selected, select_events, select_figures
from ..store.formats import population_columns
from ..store.models import DocumentRow, EventRow, FigureRow, PlaceRow

__all__ = ["ReviewFilter", "document", "documents", "events", "figure_detail", "figures", "groups",
           "highlights", "places", "term_groups", "triage"]

D = DocumentRow
ReviewFilter = frozenset[str]


@lru_cache(maxsize=1)
def term_groups() -> dict[str, str]:
    """Term -> the population it counts (idps, refugees, returnees, housing)."""
    return {term: name.removeprefix("figure_") for term, name in population_columns().items()}


def _review(state: ReviewState | None) -> str:
    return (state.action if state and state.action else "none")


def figure_item(s: Selected, state: ReviewState | None) -> dict[str, Any]:
    """One figure as the list and the map show it, corrected by the analysts."""
    rec = corrected(s.record, state.corrections if state else {})
    where = s.where if not (state and "place" in state.corrections) else (rec.get("locations") or [None])[0]
    period = rec.get("date") or {}
    return {
        "id": rec["id"], "doc_id": rec["doc_id"], "document": s.extra.get("document"),
        "value": rec["quantity"]["value"], "quantity_text": rec["quantity"].get("text"), "unit": rec["unit"],
        "term": rec["term"], "term_group": term_groups().get(rec["term"], "other"), "kind": rec.get("kind"),
        "date_start": period.get("start"), "date_end": period.get("end"), "published": s.published,
        "location": where, "admin1": s.admin1, "confidence": rec.get("confidence"), "group": s.group,
        "recommended": s.recommended, "review": _review(state), "corrected": sorted(state.corrections) if state else [],
        "source": (rec.get("source") or {}).get("name"), "url": s.url, "projection": bool(rec.get("projection")),
    }


def _reviewed(items: Iterable[Selected], states: dict[str, ReviewState], review: ReviewFilter) -> Iterator[Selected]:
    for s in items:
        if not review or _review(states.get(s.extra.get("key", ""))) in review:
            yield s


def figures(engine: Engine, f: Filters, review: ReviewFilter = frozenset()) -> list[dict[str, Any]]:
    """The current figures that pass the filters and the review filter, in document order."""
    states = review_states(engine)
    return [figure_item(s, states.get(s.extra["key"])) for s in _reviewed(select_figures(engine, f), states, review)]


def selected_figures(engine: Engine, f: Filters, review: ReviewFilter = frozenset()) -> Iterator[Selected]:
    """The exports' selection with the review filter on top, as the analysts corrected it: a download
    of a view says what the page shows."""
    states = review_states(engine)
    for s in _reviewed(select_figures(engine, f), states, review):
        state = states.get(s.extra["key"])
        if state is None or not state.corrections:
            yield s
            continue
        rec = corrected(s.record, state.corrections)
        where = (rec.get("locations") or [None])[0] if "place" in state.corrections else s.where
        yield replace(s, record=rec, where=where, admin1=s.admin1 if where is s.where else None)


def events(engine: Engine, f: Filters) -> list[dict[str, Any]]:
    """The current events that pass the filters."""
    out = []
    for s in select_events(engine, f):
        rec, period = s.record, s.record.get("date") or {}
        out.append({"id": rec["id"], "doc_id": rec["doc_id"], "document": s.extra.get("document"),
                    "event_type": rec["event_type"], "sub_event_type": rec["sub_event_type"],
                    "date_start": period.get("start"), "date_end": period.get("end"), "published": s.published,
                    "location": s.where, "fatalities": rec.get("fatalities"), "confidence": rec.get("confidence"),
                    "actors": [a["name"] for a in rec.get("actors") or []], "figures": rec.get("figures") or [],
                    "evidence": rec["evidence"]["text"], "url": s.url})
    return out


def groups(items: list[dict[str, Any]], whys: dict[str, str]) -> list[dict[str, Any]]:
    """The groups of the given figures: size, recommended figure and its why, largest first."""
    by_group: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        if item["group"]:
            by_group.setdefault(item["group"], []).append(item)
    out = []
    for gid, members in by_group.items():
        top = next((m for m in members if m["recommended"]), None)
        out.append({"group": gid, "size": len(members), "recommended": top, "why": whys.get(gid),
                    "members": [m["id"] for m in members]})
    return sorted(out, key=lambda g: (-g["size"], g["group"]))


def group_whys(engine: Engine) -> dict[str, str]:
    """Group -> the why of its recommended figure (every other figure of the group and why it lost)."""
    query = (select(FigureRow.group, FigureRow.why).join(D, D.id == FigureRow.document_id)
             .where(D.current.is_(True), FigureRow.recommended.is_(True), FigureRow.why.is_not(None)))
    with translate(doing="read the store"), engine.connect() as conn:
        return {g: w for g, w in conn.execute(query) if g and w}


def triage(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Figures no analyst has decided on, those of the largest groups and the most confident first:
    a decision there settles the most reports at once."""
    sizes = Counter(i["group"] for i in items if i["group"])
    todo = [i for i in items if i["review"] == "none" and not i["projection"]]
    return sorted(todo, key=lambda i: (-sizes.get(i["group"], 1), -(i["confidence"] or 0), i["id"]))


def documents(engine: Engine, offset: int, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page) of the current documents, newest publication first."""
    counts = (select(FigureRow.document_id, func.count().label("n")).group_by(FigureRow.document_id).subquery())
    query = (select(D.id, D.doc_id, D.title, D.url, D.published, D.category, D.status, counts.c.n)
             .outerjoin(counts, counts.c.document_id == D.id).where(D.current.is_(True))
             .order_by(D.published.desc(), D.id))
    with translate(doing="read the store"), engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(D).where(D.current.is_(True))).scalar() or 0
        rows = conn.execute(query.offset(offset).limit(limit)).all()
    return total, [{"document": r[0], "doc_id": r[1], "title": r[2], "url": r[3], "published": r[4],
                    "category": r[5], "status": r[6], "figures": r[7] or 0} for r in rows]


def document(engine: Engine, row: int) -> dict[str, Any]:
    """One stored document with its text and its records (figures with their group and verdict)."""
    with translate(doing="read the store"), engine.connect() as conn:
        doc = conn.execute(select(D.id, D.doc_id, D.title, D.url, D.published, D.text, D.language, D.category,
                                  D.current, D.version).where(D.id == row)).first()
        if doc is None:
            raise NotFoundError(f"no document with row {row} in the store")
        figs = conn.execute(select(FigureRow.record, FigureRow.group, FigureRow.recommended, FigureRow.why)
                            .where(FigureRow.document_id == row).order_by(FigureRow.id)).all()
        evs = conn.execute(select(EventRow.record).where(EventRow.document_id == row).order_by(EventRow.id)).all()
        pls = conn.execute(select(PlaceRow.record).where(PlaceRow.document_id == row).order_by(PlaceRow.id)).all()
    return {"document": doc[0], "doc_id": doc[1], "title": doc[2], "url": doc[3], "published": doc[4], "text": doc[5],
            "language": doc[6], "category": doc[7], "current": doc[8], "version": doc[9],
            "figures": [{**r, "group": g, "recommended": rec, "why": why} for r, g, rec, why in figs],
            "events": [e for (e,) in evs], "places": [p for (p,) in pls]}


def places(engine: Engine, f: Filters, offset: int, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page) of the places resolved in the current documents, with how often each is named."""
    query = (select(PlaceRow.geonameid, PlaceRow.name, PlaceRow.iso3, PlaceRow.admin1, PlaceRow.record)
             .join(D, D.id == PlaceRow.document_id).where(D.current.is_(True), PlaceRow.name.is_not(None)))
    if f.countries:
        query = query.where(PlaceRow.iso3.in_(sorted(f.countries)))
    seen: dict[object, dict[str, Any]] = {}
    with translate(doing="read the store"), engine.connect() as conn:
        for geonameid, name, iso3, admin1, record in conn.execute(query):
            ref = geonameid if geonameid is not None else (name, iso3)
            entry = seen.setdefault(ref, {"geonameid": geonameid, "name": name, "iso3": iso3, "admin1": admin1,
                                          "lat": record.get("lat"), "lon": record.get("lon"),
                                          "level": record.get("level"), "mentions": 0})
            entry["mentions"] += 1
    ranked = sorted(seen.values(), key=lambda p: (-p["mentions"], p["name"] or ""))
    return len(ranked), ranked[offset:offset + limit]


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str


def highlights(text: str, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Where the figure's evidence, quantity, places, date and source stand in the document text, as
    character offsets: the page marks them without ever treating the text as markup."""
    ev = record.get("evidence") or {}
    start, end = int(ev.get("start") or 0), int(ev.get("end") or 0)
    if not (0 <= start < end <= len(text)):
        return []
    spans = [_Span(start, end, "evidence")]
    wanted = [("quantity", (record.get("quantity") or {}).get("text")),
              ("date", (record.get("date") or {}).get("text")),
              ("source", (record.get("source") or {}).get("mention"))]
    wanted += [("place", loc.get("mention")) for loc in record.get("locations") or []]
    taken: list[tuple[int, int]] = []
    for kind, snippet in wanted:
        if not snippet:
            continue
        at = text.find(snippet, start, end)
        while at >= 0 and any(a < at + len(snippet) and at < b for a, b in taken):
            at = text.find(snippet, at + 1, end)
        if at >= 0:
            taken.append((at, at + len(snippet)))
            spans.append(_Span(at, at + len(snippet), kind))
    return [{"start": s.start, "end": s.end, "kind": s.kind} for s in spans]


def figure_detail(engine: Engine, record_id: str) -> dict[str, Any]:
    """A figure for the evidence view: as corrected, as extracted, its document's text with the spots
    to highlight, its group (members and why) and the audit log of the decisions on it."""
    with translate(record_id, "read the store"), engine.connect() as conn:
        row = conn.execute(select(FigureRow.record, FigureRow.group, FigureRow.recommended, FigureRow.why,
                                  FigureRow.contradiction, FigureRow.stable_key, D.id, D.doc_id, D.title, D.url,
                                  D.published, D.text)
                           .join(D, D.id == FigureRow.document_id)
                           .where(FigureRow.record_id == record_id, D.current.is_(True))).first()
        if row is None:
            raise NotFoundError("no figure with this id in the store's current documents", doc_id=record_id)
        members = []
        if row.group:
            members = [{"id": r[0]["id"], "value": r[0]["quantity"]["value"], "term": r[0]["term"],
                        "recommended": r[1], "published": r[2]}
                       for r in conn.execute(select(FigureRow.record, FigureRow.recommended, D.published)
                                             .join(D, D.id == FigureRow.document_id)
                                             .where(FigureRow.group == row.group, D.current.is_(True))
                                             .order_by(D.published, FigureRow.id))]
            group_why = conn.execute(select(FigureRow.why).join(D, D.id == FigureRow.document_id)
                                     .where(FigureRow.group == row.group, FigureRow.recommended.is_(True),
                                            D.current.is_(True))).scalar()
        else:
            group_why = None
    log = decisions_for(engine, record_id)
    state = review_states(engine).get(row.stable_key)
    return {
        "figure": corrected(row.record, state.corrections if state else {}), "extracted": row.record,
        "review": _review(state), "group": {"id": row.group, "recommended": row.recommended, "why": row.why,
                                            "group_why": group_why, "contradiction": row.contradiction,
                                            "members": members},
        "document": {"document": row[6], "doc_id": row.doc_id, "title": row.title, "url": row.url,
                     "published": row.published, "text": row.text},
        "highlights": highlights(row.text, row.record),
        "decisions": [{"action": d.action, "edit": d.edit, "previous": d.previous, "reviewer": d.analyst,
                       "note": d.note, "at": d.created_at.isoformat(timespec="seconds")} for d in log],
    }
