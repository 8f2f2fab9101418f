"""The document timeline, for people to read: figures and events in date order, rendered with Rich.

Not a stage of the extraction: ``order_records`` sorts a document's ``figure`` and ``event`` records
by date, and ``timeline_table`` / ``print_timeline`` render them, so a reader sees the chain from
the war to the exodus it caused (the links come from ``causes.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .records import DatePeriod, Event, Figure, Location

__all__ = ["describe_event", "describe_figure", "order_records", "print_timeline", "timeline_table"]


_EVIDENCE_WIDTH = 160


@dataclass(frozen=True)
class _Row:
    record: Figure | Event
    when: str | None
    inferred: bool


def order_records(records: Iterable[BaseModel]) -> list[Figure | Event]:
    """The ``figure`` and ``event`` records of one document in date order.

    Records sort by the start of their period (a historic "1971-1975" war sorts in 1971), or by
    its end when only the end is known ("by 18 September"); undated records come last. On the same
    date an event comes before the figures (a cause before its effect), then text order. An
    undated event linked to figures sorts at the earliest of their dates (it happened by then).
    Other record types are left out.
    """
    return [row.record for row in _rows(records)]


def _rows(records: Iterable[BaseModel]) -> list[_Row]:
    kept = [r for r in records if isinstance(r, Figure | Event)]
    figure_date = {r.id: _sort_date(r.date) for r in kept if isinstance(r, Figure)}
    rows: list[_Row] = []
    for rec in kept:
        when = _sort_date(rec.date)
        inferred = False
        if when is None and isinstance(rec, Event):
            caused = sorted(d for f in rec.figures if (d := figure_date.get(f)) is not None)
            if caused:
                when, inferred = caused[0], True
        rows.append(_Row(rec, when, inferred))

    def key(row: _Row) -> tuple[bool, str, int, int, str]:
        return (
            row.when is None,
            row.when or "",
            0 if isinstance(row.record, Event) else 1,
            row.record.evidence.start,
            row.record.id,
        )

    return sorted(rows, key=key)


def _sort_date(date: DatePeriod | None) -> str | None:
    if date is None:
        return None
    return date.start or date.end


def timeline_table(records: Iterable[BaseModel], *, title: str | None = None) -> Table:
    """A Rich table of the document's figures and events in date order: when, kind, what,
    where and the evidence sentence. An event lists the figures it caused; a figure the events
    that caused it."""
    rows = _rows(records)
    causes: dict[str, list[str]] = {}
    for row in rows:
        if isinstance(row.record, Event):
            for figure_id in row.record.figures:
                causes.setdefault(figure_id, []).append(_short(row.record.id))
    if title is None and rows:
        title = f"{rows[0].record.doc_id}: {len(rows)} figure(s) and event(s) in date order"
    # Text, not markup: a document id or a sentence may hold "[/x]", which Rich would try to parse.
    table = Table(title=Text(title) if title else None, show_lines=True)
    table.add_column("when", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("what", overflow="fold")
    table.add_column("where", overflow="fold")
    table.add_column("evidence", overflow="fold", max_width=70)
    for row in rows:
        rec = row.record
        when = _period_text(rec.date)
        if row.inferred and row.when:
            when = f"by {row.when}"
        if isinstance(rec, Figure):
            what = describe_figure(rec)
            if rec.id in causes:
                what += f" ← {', '.join(causes[rec.id])}"
        else:
            what = describe_event(rec)
            if rec.figures:
                what += f" → {', '.join(_short(f) for f in rec.figures)}"
        where = _where(rec.locations, roles=isinstance(rec, Figure))
        table.add_row(*(Text(c) for c in (when, _short(rec.id), rec.type, what, where, _clip(rec.evidence.text))))
    return table


def print_timeline(records: Iterable[BaseModel], console: Console | None = None, *, title: str | None = None) -> None:
    """Print the timeline table of one document's records (``uprooted timeline ARTICLE``)."""
    (console or Console()).print(timeline_table(records, title=title))


def describe_figure(rec: Figure) -> str:
    """"62,318 person refugee": the quantity as written, the unit and IDMC's term."""
    return f"{rec.quantity.text} {rec.unit} {rec.term}"


def describe_event(rec: Event) -> str:
    """"battles/armed_clash: Military Forces of Kelvale vs Ostrel Liberation Front (Upper Tarn)"."""
    kind = f"{rec.event_type}/{rec.sub_event_type}"
    first = [a.name for a in rec.actors if a.role == "actor1"]
    second = [a.name for a in rec.actors if a.role == "actor2"]
    if not first and not second:
        return kind
    sides = " vs ".join(s for s in (", ".join(first), ", ".join(second)) if s)
    return f"{kind}: {sides}"


def _period_text(date: DatePeriod | None) -> str:
    """"2022-03-14", "1971 – 1975" for whole years, "2022-03-14 – 2022-03-15" otherwise."""
    if date is None or not (date.start or date.end):
        return ""
    start, end = date.start, date.end
    if start and end and start[5:] == "01-01" and end[5:] == "12-31":
        return start[:4] if start[:4] == end[:4] else f"{start[:4]} – {end[:4]}"
    if start and end and start != end:
        return f"{start} – {end}"
    if not start:
        return f"by {end}"
    return start


def _where(locations: list[Location], *, roles: bool) -> str:
    """Place names; for a figure, "from" its origin and "to" its destination (an event only
    happens somewhere, whatever role the places stage gave its locations)."""
    parts: list[str] = []
    for loc in locations:
        name = loc.name or loc.mention
        if not name:
            continue
        text = {"origin": f"from {name}", "destination": f"to {name}"}.get(loc.role, name) if roles else name
        if text not in parts:
            parts.append(text)
    return ", ".join(parts)


def _short(record_id: str) -> str:
    """"seed#e2" -> "e2": the document is in the title."""
    return record_id.rpartition("#")[2] or record_id


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EVIDENCE_WIDTH else text[: _EVIDENCE_WIDTH - 1] + "…"

