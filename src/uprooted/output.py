"""Writing records: JSONL, CSV or a table, one document at a time, and resuming a JSONL output.

A document's records are one unit: its ``document`` line says how many lines follow
(``record_count``), and the unit goes out in one write and is flushed, so a run killed, or stopped
by a full disk, leaves at most one torn unit at the end. ``resume_jsonl`` keeps the whole units,
drops the rest (a torn tail, a half-written document, error lines: a resume retries those) and
says which documents are done. CSV cells a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .records import DatePeriod, Document, Figure, to_json

__all__ = [
    "CSV_FIELDS", "CsvWriter", "JsonlWriter", "TableWriter", "TimelineWriter", "csv_cell", "csv_row", "resume_jsonl",
]

CSV_FIELDS = [
    "doc_id", "id", "value", "low", "high", "qualifier", "quantity_text", "unit", "term", "kind",
    "displacement", "category", "origin", "destination", "location", "iso3", "date_start", "date_end",
    "source", "confidence", "evidence",
]

# What Excel, LibreOffice and Google Sheets read as the start of a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would evaluate gets a leading apostrophe; numbers pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _unit(records: Sequence[BaseModel], debug: bool) -> str:
    """The JSONL lines of one document, its ``document`` line counting the lines that follow."""
    lines = []
    for rec in records:
        if isinstance(rec, Document):
            rec = rec.model_copy(update={"record_count": len(records) - 1})
        lines.append(json.dumps(to_json(rec, debug=debug), ensure_ascii=False) + "\n")
    return "".join(lines)


class JsonlWriter:
    """One JSON record a line; each document's records in one write, flushed."""

    def __init__(self, out: IO[str], *, debug: bool = False) -> None:
        self.out, self.debug = out, debug

    def write(self, records: Sequence[BaseModel]) -> None:
        """Write one document's records as one unit."""
        self.out.write(_unit(records, self.debug))
        self.out.flush()


class CsvWriter:
    """One row a figure, projections left out (no fact: they stay out of the rows analysts sum)."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
        self.writer.writeheader()

    def write(self, records: Sequence[BaseModel]) -> None:
        """Write the rows of one document's figures."""
        for rec in records:
            if isinstance(rec, Figure) and not rec.projection:
                self.writer.writerow({k: csv_cell(v) for k, v in csv_row(rec).items()})
        self.out.flush()


def csv_row(rec: Figure) -> dict[str, Any]:
    """The CSV columns of one figure, places of a role joined with "; "."""
    def where(role: str) -> str:
        return "; ".join(loc.name or loc.mention or "" for loc in rec.locations if loc.role == role)

    return {
        "doc_id": rec.doc_id, "id": rec.id, "value": rec.quantity.value, "low": rec.quantity.low,
        "high": rec.quantity.high, "qualifier": rec.quantity.qualifier, "quantity_text": rec.quantity.text,
        "unit": rec.unit, "term": rec.term, "kind": rec.kind, "displacement": rec.displacement,
        "category": rec.category, "origin": where("origin"), "destination": where("destination"),
        "location": where("location"),
        "iso3": "; ".join(sorted({loc.iso3 for loc in rec.locations if loc.iso3})),
        "date_start": rec.date.start if rec.date else None, "date_end": rec.date.end if rec.date else None,
        "source": rec.source.name if rec.source else None, "confidence": rec.confidence,
        "evidence": rec.evidence.text,
    }


class TableWriter:
    """A Rich table of each document's figures. Every cell is plain ``Text``: a document may hold
    anything, "[/x]" included, and none of it is read as Rich markup."""

    def __init__(self, out: IO[str], *, width: int | None = None) -> None:
        # The terminal's width (or $COLUMNS); 150 columns into a file or a pipe.
        probe = Console(file=out)
        wide = probe.is_terminal or "COLUMNS" in os.environ
        self.console = Console(file=out, width=width or (probe.width if wide else 150))

    def write(self, records: Sequence[BaseModel]) -> None:
        """Print the table of one document's figures (nothing when it has none)."""
        figures = [r for r in records if isinstance(r, Figure) and not r.projection]
        if not figures:
            return
        table = Table(title=Text(f"{figures[0].doc_id}: {len(figures)} figure(s)"), show_lines=True)
        for col in ("quantity", "unit", "term", "where", "when", "source", "evidence"):
            table.add_column(col, overflow="fold", max_width=60 if col == "evidence" else None)
        for f in figures:
            q = f.quantity
            vague = q.qualifier != "range" and q.low != q.high
            amount = q.text if vague else f"{q.low:,}–{q.high:,}" if q.qualifier == "range" else f"{q.value:,}"
            amount += f" ({q.qualifier.replace('_', ' ')})" if q.qualifier not in ("exact", "range") else ""
            where = ", ".join(f"{loc.role}: {loc.name or loc.mention}" for loc in f.locations)
            cells = (amount, f.unit, f.term, where, _period(f.date), f.source.name if f.source else "", f.evidence.text)
            table.add_row(*(Text(c) for c in cells))
        self.console.print(table)


def _period(d: DatePeriod | None) -> str:
    if d is None:
        return ""
    if d.start and d.end and d.start != d.end:
        return f"{d.start} – {d.end}"
    return d.start or d.text or ""


class TimelineWriter:
    """``uprooted timeline``: per document, its figures and events in date order, as a table, as
    JSONL records or as CSV rows (when, what, where, evidence)."""

    FIELDS = ("doc_id", "when", "id", "type", "what", "where", "evidence")

    def __init__(self, out: IO[str], fmt: str) -> None:
        self.out, self.fmt = out, fmt
        self.rows = csv.DictWriter(out, fieldnames=self.FIELDS) if fmt == "csv" else None
        if self.rows is not None:
            self.rows.writeheader()
        self.console = Console(file=out) if fmt == "table" else None

    def write(self, item: object, records: Sequence[BaseModel]) -> None:
        """Write the timeline of one document (``item`` gives the table its title)."""
        from .timeline import describe_event, describe_figure, order_records, timeline_table

        ordered = order_records(records)
        if self.console is not None:
            if ordered:
                title = getattr(item, "title", None) or getattr(item, "id", None)
                self.console.print(timeline_table(records, title=title))
        elif self.rows is not None:
            for rec in ordered:
                what = describe_figure(rec) if isinstance(rec, Figure) else describe_event(rec)
                where = "; ".join(loc.name or loc.mention or "" for loc in rec.locations)
                row = {"doc_id": rec.doc_id, "when": _period(rec.date), "id": rec.id, "type": rec.type,
                       "what": what, "where": where, "evidence": rec.evidence.text}
                self.rows.writerow({k: csv_cell(v) for k, v in row.items()})
        else:
            errors = [r for r in records if r.type == "error"]  # type: ignore[attr-defined]
            self.out.write(_unit([*errors, *ordered], debug=False))
        self.out.flush()


# Resuming ------------------------------------------------------------------------------------------


def _parse(raw: bytes) -> dict[str, Any] | None:
    """A complete line's record, or None for a torn or foreign line."""
    if not raw.endswith(b"\n"):
        return None
    try:
        rec = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return rec if isinstance(rec, dict) else None


def _units(lines: IO[bytes]) -> Iterator[tuple[str | None, list[bytes], bool]]:
    """(doc_id, lines, whole) for each unit of an output, in file order. A unit is a ``document``
    line and the ``record_count`` lines of the same document after it; an output written before
    that count existed has units that end where the next one starts."""
    doc_id: str | None = None
    unit: list[bytes] = []
    expected: int | None = None
    for raw in lines:
        rec = _parse(raw)
        kind, rid = (rec.get("type"), rec.get("doc_id")) if rec else (None, None)
        if rec and kind == "document" and isinstance(rid, str):
            if unit:
                yield doc_id, unit, expected is None
            count = rec.get("record_count")
            doc_id, unit, expected = rid, [raw], count if isinstance(count, int) else None
        elif rec and unit and rid == doc_id and kind != "error" and (expected is None or len(unit) <= expected):
            unit.append(raw)
        else:
            if unit:
                yield doc_id, unit, expected is None
            yield rid if isinstance(rid, str) else None, [raw], False
            doc_id, unit, expected = None, [], None
            continue
        if expected is not None and len(unit) == expected + 1:
            yield doc_id, unit, True
            doc_id, unit, expected = None, [], None
    if unit:
        yield doc_id, unit, expected is None


def resume_jsonl(path: Path) -> set[str]:
    """The documents an earlier run wrote whole to ``path``. Anything else in the file (a torn last
    line, a document cut short, error lines, a second copy of a document) is removed first, through
    a temporary file renamed over it, so the records appended next start on a clean line."""
    done: set[str] = set()
    clean = True
    with path.open("rb") as f:
        for doc_id, _, whole in _units(f):
            if whole and doc_id is not None and doc_id not in done:
                done.add(doc_id)
            else:
                clean = False
    if clean:
        return done
    tmp = path.with_name(f".{path.name}.resuming")
    kept: set[str] = set()
    with path.open("rb") as f, tmp.open("wb") as out:
        for doc_id, unit, whole in _units(f):
            if whole and doc_id is not None and doc_id not in kept:
                kept.add(doc_id)
                out.writelines(unit)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    return kept
