"""Opening the store, migrating it, and turning database failures into ``StoreError``.

The default store is one SQLite file in the user's data folder (or where ``store_url`` says); a
``postgresql+psycopg://`` URL opens a team's server with the same schema. SQLite runs in WAL mode
with ``synchronous=NORMAL``: a commit survives the process being killed (what an ingest must
survive), only a power cut may lose the last ones, and writers do not wait on an fsync per document.
The schema is Alembic's: ``upgrade`` brings any store to the newest revision, ``check`` refuses a
store at another revision with the command that fixes it. Every SQLAlchemy or driver error leaves
through ``translate``, with the document it concerned.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..errors import StoreError
from ..settings import Settings

__all__ = ["check", "current_revision", "default_store_path", "head_revision", "open_store", "store_url",
           "translate", "upgrade"]


def default_store_path() -> Path:
    """User data, like the analyst's places: a store is kept, never rebuilt."""
    return Path("~/.local/share/uprooted").expanduser() / "store.sqlite"


def store_url(settings: Settings, db: str | None = None) -> str:
    """The SQLAlchemy URL of the store: ``--db``, else the settings, else the default file; a plain
    path means a SQLite file."""
    given = db or settings.store_url
    if not given:
        return f"sqlite:///{default_store_path()}"
    if "://" in given:
        return given
    return f"sqlite:///{Path(given).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def open_store(url: str) -> Engine:
    """An engine on the store at ``url``; a SQLite file's folder is created. Connection problems
    surface on first use, as ``StoreError`` through ``translate``."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot open the store {_safe(url)}: {exc}") from exc
    except OSError as exc:
        raise StoreError(f"cannot open the store {_safe(url)}: {exc.strerror or exc}") from exc


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "(unreadable URL)"


@contextmanager
def translate(doc_id: str | None = None, doing: str = "write to the store") -> Iterator[None]:
    """Database errors (SQLAlchemy's and the driver's, which SQLAlchemy wraps) as ``StoreError``
    naming the document: SQLAlchemy's class (the same for every database) and the driver's first line,
    not the SQL."""
    try:
        yield
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        detail = str(orig if orig is not None else exc).strip().splitlines()[0]
        raise StoreError(f"cannot {doing}: {type(exc).__name__}: {detail}", doc_id=doc_id) from exc


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("uprooted.store").joinpath("migrations")))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest schema revision this version of uprooted ships."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(files("uprooted.store").joinpath("migrations"))).get_current_head()
    if head is None:
        raise StoreError("the store's migrations are missing from the package")
    return head


def current_revision(engine: Engine) -> str | None:
    """The store's schema revision, None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with translate(doing="read the store's schema version"), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the store to the newest revision; (revision before, revision after)."""
    from alembic import command

    before = current_revision(engine)
    with translate(doing="migrate the store"):
        command.upgrade(_alembic_config(engine), "head")
    return before, head_revision()


def check(engine: Engine, *, create: bool = False) -> None:
    """A store at the newest revision, or a ``StoreError`` saying what to run. ``create`` sets up an
    empty database (ingest does, so a first ``uprooted ingest`` needs no other step)."""
    found, head = current_revision(engine), head_revision()
    if found == head:
        return
    if found is None and create:
        with translate(doing="read the store"):
            empty = not inspect(engine).get_table_names()
        if empty:
            upgrade(engine)
            return
    if found is None:
        raise StoreError("the store is empty or not uprooted's: run `uprooted db upgrade` (or ingest documents) first")
    raise StoreError(f"the store's schema is at revision {found}, this uprooted needs {head}: "
                     "run `uprooted db upgrade`")
