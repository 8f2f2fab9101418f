"""The store's schema: Alembic migrations that say what the models say, upgrades that can be run
again, a store at another revision refused with the command that fixes it, and database errors
translated into ``StoreError`` naming the document."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import Engine, insert, text

from uprooted.errors import StoreError
from uprooted.store.db import check, current_revision, head_revision, open_store, translate, upgrade
from uprooted.store.models import Base, DocumentRow


def _row(key: str) -> dict[str, object]:
    now = datetime(2024, 1, 1)
    return {"key": key, "content_hash": "0" * 64, "doc_id": "d", "text": "t", "status": "ok",
            "extractor_version": "v", "ingested_at": now, "processed_at": now}


def test_migrations_create_what_the_models_declare(engine: Engine) -> None:
    """A model changed without a migration would pass on a fresh SQLite file and fail on every
    store already in use."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_twice_changes_nothing(engine: Engine) -> None:
    assert upgrade(engine) == (head_revision(), head_revision())
    assert current_revision(engine) == head_revision()


def test_a_store_at_another_revision_is_refused_with_the_fix(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    with pytest.raises(StoreError) as caught:
        check(engine)
    assert caught.value.message == (f"the store's schema is at revision 0000, this uprooted needs {head_revision()}: "
                                    "run `uprooted db upgrade`")


def test_an_empty_database_is_set_up_only_when_asked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    eng = open_store(f"sqlite:///{tmp_path / 'new' / 'store.sqlite'}")
    with pytest.raises(StoreError, match=r"run `uprooted db upgrade` \(or ingest documents\) first"):
        check(eng)
    check(eng, create=True)
    assert current_revision(eng) == head_revision()


def test_a_url_of_an_unknown_database_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store("nosuchdb://somewhere/x")


def test_a_refused_write_is_a_store_error_naming_the_document(engine: Engine) -> None:
    """The same key and text twice breaks the unique constraint: the driver's IntegrityError
    (sqlite3's or psycopg's) leaves as StoreError with the document id."""
    with engine.begin() as conn:
        conn.execute(insert(DocumentRow).values(**_row("id:d")))
    with pytest.raises(StoreError) as caught, translate("d"), engine.begin() as conn:
        conn.execute(insert(DocumentRow).values(**_row("id:d")))
    assert caught.value.doc_id == "d"
    assert caught.value.message.startswith("cannot write to the store: IntegrityError: ")


def test_a_server_that_does_not_answer_is_a_store_error() -> None:
    """Nothing listens on port 1: psycopg's OperationalError leaves as StoreError, password hidden."""
    engine = open_store("postgresql+psycopg://someone:secret@127.0.0.1:1/store")
    with pytest.raises(StoreError) as caught:
        check(engine)
    assert caught.value.message.startswith("cannot read the store's schema version: OperationalError: ")
    assert "secret" not in caught.value.message
