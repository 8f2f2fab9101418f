"""Writing documents and their records into the store: ``ingest`` (new documents) and
``reprocess`` (stored documents again, under a new extractor).

Extraction is the pipeline's (``pipeline.extract_docs``), the same code and batches as ``extract``,
or another function of the same shape (``cluster.DaskExtraction``, on Dask workers); this module
decides what needs extracting and writes the result, in input order, in this process. A document already stored with
the same key and text is skipped before the parse, so ingesting again costs a read and a lookup. Each
document is written with all its records in one transaction: a run killed at any point leaves every
document whole or absent, and the next run does the absent ones. A document that fails keeps its
error in ``ingest_error`` (listed by ``uprooted db errors``) until it goes through; the run goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, Engine, delete, insert, select, update

from ..batch import Tally, unique_inputs
from ..errors import ReadError, StoreError
from ..pipeline import extract_docs
from ..read import InputDoc
from ..records import Document, ErrorRecord, Event, Figure, Place, to_json
from ..resources import Resources
from .db import translate
from .inputs import read_targets
from .keys import RecordKeys, content_hash, extractor_version, id_key
from .models import DocumentRow, EventRow, FigureRow, IngestError, PlaceRow

__all__ = ["Extraction", "StoreTally", "ingest", "reprocess", "write_document"]

D = DocumentRow

# What turns documents into records: each input with its records, in input order.
Extraction = Callable[[Iterable[InputDoc | ReadError], Resources],
                      Iterator[tuple[InputDoc | ReadError, list[BaseModel]]]]


@dataclass
class StoreTally(Tally):
    """What a store run did, beside ``Tally``'s counts: documents new, new versions, unchanged."""

    stored: int = 0
    versions: int = 0
    unchanged: int = 0


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ingest(engine: Engine, targets: Sequence[str], res: Resources, tally: StoreTally,
           advance: Callable[[], None] = lambda: None, *, exclude: Iterable[Path] = (),
           extract: Extraction = extract_docs) -> None:
    """Read ``targets``, extract what the store does not hold yet (with ``extract``: this machine's
    pipeline, or a cluster), and write it document by document."""
    version = extractor_version(res.settings)
    # By identity, holding the item: an id() is never reused while its entry lives, and an item that
    # unique_inputs replaced (a repeated id) cannot lend its key to the error that replaced it.
    keys: dict[int, tuple[InputDoc | ReadError, str, str | None]] = {}

    def todo() -> Iterator[InputDoc | ReadError]:
        for item, key in read_targets(targets, res.settings, exclude=exclude):
            digest = content_hash(item.text) if isinstance(item, InputDoc) else None
            if digest is not None and _is_stored(engine, key, digest):
                tally.unchanged += 1
                advance()
                continue
            keys[id(item)] = (item, key, digest)
            yield item

    for item, records in extract(unique_inputs(todo(), set(), tally), res):
        doc_id = item.id if isinstance(item, InputDoc) else (item.doc_id or "unknown")
        _, key, digest = keys.pop(id(item), (item, id_key(doc_id), None))
        tally.count(records)
        if isinstance(item, InputDoc):
            try:
                outcome = write_document(engine, item, key, digest or content_hash(item.text), records, version)
            except StoreError as exc:
                outcome = _refused(engine, tally, key, exc, records, version)
            tally.stored += outcome in ("stored", "redone")
            tally.versions += outcome == "version"
            tally.unchanged += outcome == "unchanged"
        else:
            _write_errors(engine, key, doc_id, records, version)
        advance()


def _refused(engine: Engine, tally: StoreTally, key: str, exc: StoreError, records: Sequence[BaseModel],
             version: str) -> str:
    """A document the database would not take (a text PostgreSQL refuses, a value too long): its
    error is stored in its place and the run goes on. If the error cannot be stored either, the
    store itself is failing: that stops the run."""
    doc_id = exc.doc_id or "unknown"
    _write_errors(engine, key, doc_id, [ErrorRecord(doc_id=doc_id, error=exc.message, stage="store")], version)
    if not any(isinstance(r, ErrorRecord) for r in records):
        tally.errors += 1
    return "refused"


def _is_stored(engine: Engine, key: str, digest: str) -> bool:
    with translate(doing="read the store"), engine.connect() as conn:
        found = conn.execute(select(D.id).where(D.key == key, D.content_hash == digest, D.current.is_(True),
                                                D.status == "ok")).first()
    return found is not None


def write_document(engine: Engine, item: InputDoc, key: str, digest: str, records: Sequence[BaseModel],
                   version: str) -> str:
    """Store one document and its records in one transaction: "stored" (new), "version" (a new
    text for a known key), "unchanged" (already there, as another run may just have written it),
    or "redone" (a document stored with an error, done again)."""
    with translate(item.id), engine.begin() as conn:
        same = conn.execute(select(D.id, D.status, D.current).where(D.key == key, D.content_hash == digest)).first()
        if same is not None and same.status == "ok" and same.current:
            return "unchanged"
        fields = _document_fields(item, records, version)
        latest = conn.execute(select(D.id, D.version).where(D.key == key, D.current.is_(True))).first()
        if same is not None:
            doc_row, outcome = same.id, "redone"
            conn.execute(update(D).where(D.key == key, D.id != same.id).values(current=False))
            conn.execute(update(D).where(D.id == same.id).values(current=True, **fields))
            _clear_records(conn, same.id)
        else:
            outcome = "version" if latest is not None else "stored"
            if latest is not None:
                conn.execute(update(D).where(D.id == latest.id).values(current=False))
            doc_row = conn.execute(insert(D).values(
                key=key, content_hash=digest, version=latest.version + 1 if latest else 1,
                previous_id=latest.id if latest else None, current=True, doc_id=item.id, url=item.url,
                title=item.title, published=item.published, text=item.text, ingested_at=_now(), **fields,
            ).returning(D.id)).scalar_one()
        _insert_records(conn, doc_row, key, records)
        _replace_errors(conn, key, item.id, records, version)
    return outcome


def _document_fields(item: InputDoc, records: Sequence[BaseModel], version: str) -> dict[str, Any]:
    doc = next((r for r in records if isinstance(r, Document)), None)
    failed = any(isinstance(r, ErrorRecord) for r in records)
    return {"language": doc.language if doc else None, "relevant": doc.relevant if doc else None,
            "category": doc.category if doc else None, "status": "error" if failed else "ok",
            "extractor_version": version, "processed_at": _now()}


def _clear_records(conn: Connection, doc_row: int) -> None:
    for table in (FigureRow, EventRow, PlaceRow):
        conn.execute(delete(table).where(table.document_id == doc_row))


def _insert_records(conn: Connection, doc_row: int, key: str, records: Sequence[BaseModel]) -> None:
    """The figure, event and place rows of one document, one multi-row insert per table."""
    stable = RecordKeys(key)
    figures, events, places = [], [], []
    for rec in records:
        data = to_json(rec)
        if isinstance(rec, Figure):
            figures.append({
                "document_id": doc_row, "record_id": rec.id, "stable_key": stable.key(data),
                "value": float(rec.quantity.value), "unit": rec.unit, "term": rec.term, "kind": rec.kind,
                "date_start": rec.date.start if rec.date else None, "date_end": rec.date.end if rec.date else None,
                "confidence": rec.confidence, "projection": rec.projection, "record": data,
            })
        elif isinstance(rec, Event):
            events.append({
                "document_id": doc_row, "record_id": rec.id, "stable_key": stable.key(data),
                "event_type": rec.event_type, "sub_event_type": rec.sub_event_type,
                "date_start": rec.date.start if rec.date else None, "date_end": rec.date.end if rec.date else None,
                "confidence": rec.confidence, "record": data,
            })
        elif isinstance(rec, Place):
            places.append({"document_id": doc_row, "geonameid": rec.geonameid, "name": rec.name, "iso3": rec.iso3,
                           "admin1": rec.admin1, "record": data})
    for table, rows in ((FigureRow, figures), (EventRow, events), (PlaceRow, places)):
        if rows:
            conn.execute(insert(table), rows)


def _replace_errors(conn: Connection, key: str, doc_id: str, records: Sequence[BaseModel], version: str) -> None:
    """A key keeps only its latest failure; a document that went through has none."""
    conn.execute(delete(IngestError).where(IngestError.key == key))
    rows = [{"key": key, "doc_id": doc_id, "error": r.error, "stage": r.stage, "extractor_version": version,
             "created_at": _now()} for r in records if isinstance(r, ErrorRecord)]
    if rows:
        conn.execute(insert(IngestError), rows)


def _write_errors(engine: Engine, key: str, doc_id: str, records: Sequence[BaseModel], version: str) -> None:
    with translate(doc_id), engine.begin() as conn:
        _replace_errors(conn, key, doc_id, records, version)


def reprocess(engine: Engine, res: Resources, tally: StoreTally, advance: Callable[[], None] = lambda: None,
              *, everything: bool = False) -> None:
    """Extract the current documents stored under another extractor version (or that failed, or
    all of them) again, replacing their records; decisions, keyed by stable keys, stay attached."""
    version = extractor_version(res.settings)
    query = select(D.id).where(D.current.is_(True)).order_by(D.id)
    if not everything:
        query = query.where((D.extractor_version != version) | (D.status != "ok"))
    with translate(doing="read the store"), engine.connect() as conn:
        ids = list(conn.execute(query).scalars())
    rows: dict[int, tuple[int, str]] = {}

    def docs() -> Iterator[InputDoc | ReadError]:
        for start in range(0, len(ids), 200):
            with translate(doing="read the store"), engine.connect() as conn:
                chunk = conn.execute(select(D.id, D.key, D.doc_id, D.text, D.published, D.url, D.title)
                                     .where(D.id.in_(ids[start:start + 200])).order_by(D.id)).all()
            for row in chunk:
                try:
                    item: InputDoc | ReadError = InputDoc(id=row.doc_id, text=row.text, published=row.published,
                                                          url=row.url, title=row.title)
                except ValidationError as exc:
                    item = ReadError(f"stored document no longer reads: {exc.errors()[0]['msg']}", doc_id=row.doc_id)
                rows[id(item)] = (row.id, row.key)
                yield item

    for item, records in extract_docs(docs(), res):
        doc_row, key = rows.pop(id(item))
        tally.count(records)
        doc_id = item.id if isinstance(item, InputDoc) else (item.doc_id or key)
        try:
            with translate(doc_id), engine.begin() as conn:
                if isinstance(item, InputDoc):
                    conn.execute(update(D).where(D.id == doc_row).values(**_document_fields(item, records, version)))
                    _clear_records(conn, doc_row)
                    _insert_records(conn, doc_row, key, records)
                _replace_errors(conn, key, doc_id, records, version)
            tally.stored += 1
        except StoreError as exc:
            _refused(engine, tally, key, exc, records, version)
        advance()


def require_documents(engine: Engine) -> int:
    """How many current documents the store holds (a StoreError when it cannot say)."""
    from sqlalchemy import func

    with translate(doing="read the store"), engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(D).where(D.current.is_(True))).scalar_one()
    if count is None:
        raise StoreError("the store did not answer")
    return int(count)
