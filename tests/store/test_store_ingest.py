"""Ingest into a real SQLite file and a real PostgreSQL database: documents with all their records,
the same input again as a no-op, a changed text as a new version, errors kept and listed, and
analysts' decisions that outlive reprocessing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select, update

from uprooted.resources import Resources
from uprooted.store.decisions import decide, decisions_for
from uprooted.store.ingest import StoreTally, ingest, reprocess
from uprooted.store.keys import canonical_url
from uprooted.store.models import DocumentRow, EventRow, FigureRow, IngestError, PlaceRow

from .conftest import DOCS, write_jsonl


def _count(engine: Engine, table: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _figures(engine: Engine) -> list[tuple[int, str, float]]:
    with engine.connect() as conn:
        rows = conn.execute(select(FigureRow.id, FigureRow.record_id, FigureRow.value).order_by(FigureRow.id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def _ingest(engine: Engine, res: Resources, *targets: Path | str) -> StoreTally:
    tally = StoreTally()
    ingest(engine, [str(t) for t in targets], res, tally)
    return tally


# Storing ----------------------------------------------------------------------------------------


def test_ingest_stores_each_document_with_its_records(engine: Engine, res: Resources, tmp_path: Path) -> None:
    tally = _ingest(engine, res, write_jsonl(tmp_path / "docs.jsonl", DOCS))
    assert (tally.stored, tally.errors) == (4, 0)
    assert {r[1]: r[2] for r in _figures(engine)} == {"s1#f1": 3000, "s2#f1": 800, "s3#f1": 450, "s4#f1": 200}
    assert _count(engine, EventRow) == 2
    assert _count(engine, PlaceRow) == 5


def test_a_document_is_keyed_by_its_canonical_url_else_its_id(engine: Engine, res: Resources, tmp_path: Path) -> None:
    _ingest(engine, res, write_jsonl(tmp_path / "docs.jsonl", DOCS[:2]))
    with engine.connect() as conn:
        keys = dict(conn.execute(select(DocumentRow.doc_id, DocumentRow.key)).all())
    assert keys == {"s1": "id:s1", "s2": "https://news.example.org/story/s2"}


def test_a_file_is_keyed_by_its_absolute_path(engine: Engine, res: Resources, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("About 60 families were evacuated from the valley, the council said.", encoding="utf-8")
    _ingest(engine, res, story)
    with engine.connect() as conn:
        assert conn.execute(select(DocumentRow.key)).scalar_one() == "file:" + story.resolve().as_posix()


def test_canonical_url_drops_tracking_fragment_and_default_port() -> None:
    assert canonical_url("HTTPS://News.Example.org:443/a/b?id=3&utm_source=x&fbclid=y#top") == (
        "https://news.example.org/a/b?id=3")


# Idempotence -----------------------------------------------------------------------------------


def test_ingesting_the_same_input_again_changes_nothing(engine: Engine, res: Resources, tmp_path: Path) -> None:
    batch = write_jsonl(tmp_path / "docs.jsonl", DOCS)
    _ingest(engine, res, batch)
    before = (_figures(engine), _count(engine, DocumentRow), _count(engine, PlaceRow), _count(engine, EventRow))
    tally = _ingest(engine, res, batch)
    assert (tally.stored, tally.versions, tally.unchanged) == (0, 0, 4)
    assert before == (_figures(engine), _count(engine, DocumentRow), _count(engine, PlaceRow),
                      _count(engine, EventRow))


def test_a_changed_text_is_a_new_version_linked_to_the_old(engine: Engine, res: Resources, tmp_path: Path) -> None:
    _ingest(engine, res, write_jsonl(tmp_path / "v1.jsonl", DOCS[1:2]))
    changed = {**DOCS[1], "text": DOCS[1]["text"].replace("800 families", "950 families")}
    tally = _ingest(engine, res, write_jsonl(tmp_path / "v2.jsonl", [changed]))
    assert tally.versions == 1
    with engine.connect() as conn:
        rows = conn.execute(select(DocumentRow.id, DocumentRow.version, DocumentRow.previous_id, DocumentRow.current)
                            .order_by(DocumentRow.id)).all()
        current_values = conn.execute(select(FigureRow.value).join(DocumentRow)
                                      .where(DocumentRow.current.is_(True))).scalars().all()
    (old, v1, _, old_current), (_, v2, previous, new_current) = rows
    assert (v1, v2, previous, old_current, new_current) == (1, 2, old, False, True)
    assert current_values == [950]


# Errors ----------------------------------------------------------------------------------------


def test_a_document_that_cannot_be_read_is_kept_as_an_error_and_the_batch_goes_on(
        engine: Engine, res: Resources, tmp_path: Path) -> None:
    batch = tmp_path / "docs.jsonl"
    batch.write_text('{"id": "ok", "text": "Some 70 people fled the fire."}\nnot json\n', encoding="utf-8")
    tally = _ingest(engine, res, batch)
    assert (tally.stored, tally.errors) == (1, 1)
    with engine.connect() as conn:
        errors = conn.execute(select(IngestError.doc_id, IngestError.key, IngestError.error)).all()
    assert [tuple(e) for e in errors] == [("docs.jsonl:2", "id:docs.jsonl:2", "line 2 is not JSON: Expecting value")]


def test_an_error_goes_once_the_document_goes_through(engine: Engine, res: Resources, tmp_path: Path) -> None:
    batch = tmp_path / "docs.jsonl"
    batch.write_text('{"id": "late", "text": 5}\n', encoding="utf-8")
    _ingest(engine, res, batch)
    assert _count(engine, IngestError) == 1
    write_jsonl(batch, [{"id": "late", "text": "Some 70 people fled the fire."}])
    _ingest(engine, res, batch)
    assert _count(engine, IngestError) == 0


def test_db_errors_lists_the_failed_documents(store_url: str, tmp_path: Path) -> None:
    """The listing an analyst reads, through the command line."""
    from typer.testing import CliRunner

    from uprooted.cli import app
    from uprooted.store.db import open_store, upgrade

    engine = open_store(store_url)
    upgrade(engine)
    engine.dispose()
    batch = tmp_path / "docs.jsonl"
    batch.write_text("[1, 2]\n", encoding="utf-8")
    runner = CliRunner()
    ingested = runner.invoke(app, ["ingest", "--db", store_url, "--no-progress", str(batch)])
    assert ingested.exit_code == 1  # every document failed
    listed = runner.invoke(app, ["db", "errors", "--db", store_url])
    assert listed.exit_code == 0
    assert '"doc_id": "docs.jsonl:1", "key": "id:docs.jsonl:1", "error": "line 1 is not a JSON object"' in listed.stdout


# Reprocessing and decisions ---------------------------------------------------------------------


def test_reprocess_redoes_documents_of_another_extractor_version(engine: Engine, res: Resources,
                                                                 tmp_path: Path) -> None:
    _ingest(engine, res, write_jsonl(tmp_path / "docs.jsonl", DOCS[:2]))
    with engine.begin() as conn:
        conn.execute(update(DocumentRow).where(DocumentRow.doc_id == "s1").values(extractor_version="0.0.1+old"))
    before = dict((r[1], r[0]) for r in _figures(engine))
    tally = StoreTally()
    reprocess(engine, res, tally)
    after = dict((r[1], r[0]) for r in _figures(engine))
    assert tally.stored == 1
    assert after["s2#f1"] == before["s2#f1"]  # untouched
    assert after["s1#f1"] != before["s1#f1"]  # a new row


def test_reprocess_keeps_an_analysts_decision(engine: Engine, res: Resources, tmp_path: Path) -> None:
    _ingest(engine, res, write_jsonl(tmp_path / "docs.jsonl", DOCS[:1]))
    decide(engine, "s1#f1", "reject", analyst="ana", note="a forecast, not a movement")
    reprocess(engine, res, StoreTally(), everything=True)
    [kept] = decisions_for(engine, "s1#f1")
    assert (kept.action, kept.analyst, kept.note) == ("reject", "ana", "a forecast, not a movement")


def test_a_decision_follows_its_figure_into_a_new_version(engine: Engine, res: Resources, tmp_path: Path) -> None:
    """A sentence added before the figure renumbers it (f1 -> f2); the decision is on the figure."""
    _ingest(engine, res, write_jsonl(tmp_path / "v1.jsonl", DOCS[3:4]))
    decide(engine, "s4#f1", "edit", edit={"term": "relocated"})
    grown = {**DOCS[3], "text": "Some 90 people fled the first flood. " + DOCS[3]["text"]}
    _ingest(engine, res, write_jsonl(tmp_path / "v2.jsonl", [grown]))
    assert decisions_for(engine, "s4#f1") == []
    [moved] = decisions_for(engine, "s4#f2")
    assert (moved.action, moved.edit) == ("edit", {"term": "relocated"})


def test_a_document_postgresql_refuses_is_kept_as_an_error_and_the_batch_goes_on(
        postgres: object, res: Resources, tmp_path: Path) -> None:
    """PostgreSQL's text cannot hold NUL characters, which a JSON line may carry ("\\u0000")."""
    from uprooted.store.db import open_store, upgrade

    engine = open_store(postgres.new_database())  # type: ignore[attr-defined]
    upgrade(engine)
    docs = [{"id": "nul", "text": "Some 70 people fled\u0000 the fire."}, DOCS[3]]
    tally = _ingest(engine, res, write_jsonl(tmp_path / "docs.jsonl", docs))
    assert (tally.stored, tally.errors) == (1, 1)
    with engine.connect() as conn:
        [(doc_id, error, stage)] = conn.execute(select(IngestError.doc_id, IngestError.error, IngestError.stage)).all()
    assert (doc_id, stage) == ("nul", "store")
    assert error.startswith("cannot write to the store: DataError: ")
    engine.dispose()
