"""The store's commands: ``ingest``, ``reprocess``, ``aggregate``, ``export`` and ``db`` (``upgrade``,
``errors``, ``decide``, ``token``), registered on the main Typer app by ``register``.

Importing this module costs Typer only: SQLAlchemy and the pipeline load inside the commands, and
each command first checks that the ``store`` extra is installed, else prints how to install it and
exits 2. As in ``extract``, a document's failure is reported and the run goes on; a problem of the
run (a store that cannot be opened or is at another schema version) is one message and exit 2.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import UprootedError
from ..progress import document_bar
from . import CLUSTER_HINT, INSTALL_HINT, missing_cluster_extra, missing_extra

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ..resources import Resources
    from ..settings import Settings
    from .ingest import StoreTally

__all__ = ["register"]

err = Console(stderr=True)
db_app = typer.Typer(help="The store: schema migrations, documents that failed, analysts' decisions.",
                     no_args_is_help=True)
DbOption = Annotated[str | None, typer.Option("--db", help="The store: a SQLite file or a SQLAlchemy URL "
                                                           "(postgresql+psycopg://...); default from the settings.")]


def _quiet() -> bool:
    return logging.getLogger().getEffectiveLevel() > logging.WARNING


def _notice(message: str) -> None:
    if not _quiet():
        err.print(message, markup=False, highlight=False, soft_wrap=True)


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _settings(**overrides: object) -> Settings:
    from ..settings import load_settings

    try:
        return load_settings(**overrides)
    except UprootedError as exc:
        _fail(str(exc))


def _open(settings: Settings, db: str | None, *, create: bool = False) -> Engine:
    """The store's engine at the newest schema, or one message and exit 2 (the extra missing included)."""
    missing = missing_extra()
    if missing:
        _fail(f"the store needs the 'store' extra ({', '.join(missing)} not installed): {INSTALL_HINT}")
    from .db import check, open_store, store_url

    try:
        engine = open_store(store_url(settings, db))
        check(engine, create=create)
    except UprootedError as exc:
        _fail(str(exc))
    return engine


def _resources(settings: Settings) -> Resources:
    import sqlite3

    from ..resources import load_resources

    try:
        res = load_resources(settings)
        res.gazetteer()
    except (UprootedError, OSError, sqlite3.Error) as exc:
        _fail(f"cannot load the model or the gazetteer: {exc}")
    return res


def _summary(tally: StoreTally, strict: bool) -> int:
    _notice(f"{tally.stored} document(s) stored, {tally.versions} new version(s), {tally.unchanged} unchanged")
    if tally.errors:
        _notice(f"{tally.errors} document(s) could not be processed (`uprooted db errors` lists them)")
    return tally.exit_code(strict)


def ingest(
    targets: Annotated[list[str], typer.Argument(help="Files, folders, URLs, JSONL batches, RSS/Atom feeds "
                                                      "(URLs or .rss/.atom/.xml files), WARC files, or - for stdin.")],
    db: DbOption = None,
    spacy_model: Annotated[str | None, typer.Option(help="Another installed spaCy pipeline.")] = None,
    skip_irrelevant: Annotated[bool | None, typer.Option(help="Do not parse documents the classifier calls "
                                                              "irrelevant.")] = None,
    strict: Annotated[bool | None, typer.Option(help="Exit 1 on any document error, and let a bug raise.")] = None,
    allow_private: Annotated[bool | None, typer.Option(help="Fetch URLs on private addresses too.")] = None,
    workers: Annotated[
        int | None, typer.Option(min=0, help="Processes that extract side by side (0: one per CPU core; 1: this "
                                             "process only); with --dask local, the local cluster's workers.")
    ] = None,
    dask: Annotated[
        str | None, typer.Option(metavar="ADDRESS", help="Extract on Dask workers: a scheduler's address "
                                                         "(tcp://host:8786), or 'local' for a cluster of --workers "
                                                         "processes on this machine. Needs uprooted[cluster].")
    ] = None,
    progress: Annotated[bool | None, typer.Option(help="Progress bar (default: on a terminal).")] = None,
) -> None:
    """Store documents and their records; what the store holds already is skipped."""
    if dask is not None:
        missing = missing_cluster_extra()
        if missing:
            _fail(f"--dask needs the 'cluster' extra ({', '.join(missing)} not installed): {CLUSTER_HINT}")
        if dask != "local" and workers is not None:
            _fail("--workers sizes a local cluster (--dask local); a running scheduler has the workers started for it")
    settings = _settings(spacy_model=spacy_model, skip_irrelevant=skip_irrelevant, strict=strict,
                         allow_private=allow_private, workers=workers)
    engine = _open(settings, db, create=True)
    from .ingest import StoreTally
    from .ingest import ingest as run

    tally = StoreTally()
    try:
        with document_bar((progress if progress is not None else err.is_terminal) and not _quiet(), err) as advance:
            if dask is None:
                run(engine, targets, _resources(settings), tally, advance)
            else:
                _on_cluster(dask, engine, targets, settings, tally, advance)
    except KeyboardInterrupt:
        _notice("interrupted: every document stored so far is whole; run again to do the rest")
        raise typer.Exit(130) from None
    except UprootedError as exc:
        _fail(str(exc), 1)
    raise typer.Exit(_summary(tally, strict is True))


def _on_cluster(address: str, engine: Engine, targets: list[str], settings: Settings, tally: StoreTally,
                advance: Callable[[], None]) -> None:
    """``ingest`` with extraction on Dask workers. This process only reads and writes: the workers
    load the pipeline, so it does not (its ``Resources`` hold the settings alone)."""
    from ..pipeline import worker_count
    from ..resources import Resources
    from .cluster import DaskExtraction, connect
    from .ingest import ingest as run

    with connect(address, worker_count(settings), settings) as client:
        run(engine, targets, Resources(settings=settings, nlp=None), tally, advance, extract=DaskExtraction(client))


def reprocess(
    db: DbOption = None,
    everything: Annotated[bool, typer.Option("--all", help="Every current document, not only those stored "
                                                           "under another extractor version or that failed.")] = False,
    progress: Annotated[bool | None, typer.Option(help="Progress bar (default: on a terminal).")] = None,
) -> None:
    """Extract stored documents again with this version of uprooted; analysts' decisions stay attached."""
    settings = _settings()
    engine = _open(settings, db)
    from .ingest import StoreTally
    from .ingest import reprocess as run

    res = _resources(settings)
    tally = StoreTally()
    try:
        with document_bar((progress if progress is not None else err.is_terminal) and not _quiet(), err) as advance:
            run(engine, res, tally, advance, everything=everything)
    except KeyboardInterrupt:
        _notice("interrupted: run again to do the rest")
        raise typer.Exit(130) from None
    except UprootedError as exc:
        _fail(str(exc), 1)
    _notice(f"{tally.stored} document(s) extracted again")
    raise typer.Exit(1 if tally.documents and tally.errors == tally.documents else 0)


def aggregate(
    db: DbOption = None,
    authority: Annotated[Path | None, typer.Option(help="Your own ranking of sources (YAML, as the shipped "
                                                       "data/authority.yaml); it replaces the default.")] = None,
    progress: Annotated[bool | None, typer.Option(help="Progress bar (default: on a terminal).")] = None,
) -> None:
    """Group the store's figures across documents, one recommended figure per group, with why."""
    engine = _open(_settings(), db)
    from ..reconcile import load_rules
    from .aggregate import aggregate as run

    try:
        rules = load_rules(authority)
    except UprootedError as exc:
        _fail(str(exc))
    try:
        with document_bar((progress if progress is not None else err.is_terminal) and not _quiet(), err) as advance:
            tally = run(engine, rules, advance)
    except UprootedError as exc:
        _fail(str(exc), 1)
    _notice(f"{tally.figures} figure(s) of {tally.documents} document(s) in {tally.groups} group(s), "
            f"{tally.contradictions} flagged as contradictory, {tally.rejected} rejected by analysts; "
            f"{tally.changed} figure(s) changed")


class ExportFormat(str, Enum):
    csv = "csv"
    hxl = "hxl"
    geojson = "geojson"
    jsonl = "jsonl"
    acled_csv = "acled-csv"


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        _fail(f"--bbox {value!r}: give four numbers, min_lon,min_lat,max_lon,max_lat")
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        _fail(f"--bbox {value!r}: min_lon,min_lat,max_lon,max_lat within -180..180 and -90..90, min before max")
    return west, south, east, north


def _day(value: str | None, option: str) -> str | None:
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        _fail(f"{option} {value!r} is not a date (give YYYY-MM-DD)")


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv, hxl, geojson, jsonl or acled-csv.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    db: DbOption = None,
    country: Annotated[list[str] | None, typer.Option(help="ISO3 code of a country (repeat for more).")] = None,
    bbox: Annotated[str | None, typer.Option(help="min_lon,min_lat,max_lon,max_lat.")] = None,
    since: Annotated[str | None, typer.Option(help="Periods ending on or after this day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Periods starting on or before this day.")] = None,
    term: Annotated[list[str] | None, typer.Option(help="IDMC term (repeat for more).")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="flow, stock or unknown (repeat for more).")] = None,
    group: Annotated[list[str] | None, typer.Option(help="Group id (repeat for more).")] = None,
    min_confidence: Annotated[float | None, typer.Option(help="Leave out records below this confidence.")] = None,
    events: Annotated[bool, typer.Option("--events", help="GeoJSON and JSONL: events too.")] = False,
    bom: Annotated[bool, typer.Option(help="CSV and HXL: start with a UTF-8 byte-order mark (for Excel).")] = False,
) -> None:
    """Export the store's current figures (or events, for acled-csv) in a format analysts load."""
    area, start, end = _bbox(bbox), _day(since, "--since"), _day(until, "--until")
    if output is not None and not output.parent.is_dir():
        _fail(f"cannot write {output}: the folder {output.parent} does not exist")
    engine = _open(_settings(), db)
    from .export import Filters, select_events, select_figures
    from .formats import FIGURE_COLUMNS, figure_row, write_acled, write_csv, write_geojson, write_hxl, write_jsonl

    filters = Filters(countries=frozenset(c.upper() for c in country or []), bbox=area, since=start, until=end,
                      terms=frozenset(term or []), kinds=frozenset(kind or []), groups=frozenset(group or []),
                      min_confidence=min_confidence)
    try:
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}", 1)
    try:
        if bom and fmt in (ExportFormat.csv, ExportFormat.hxl, ExportFormat.acled_csv):
            out.write("\ufeff")
        figures = select_figures(engine, filters)
        with_events = select_events(engine, filters) if events else iter(())
        if fmt is ExportFormat.csv:
            n = write_csv(figures, out, FIGURE_COLUMNS, figure_row)
        elif fmt is ExportFormat.hxl:
            n = write_hxl(figures, out)
        elif fmt is ExportFormat.geojson:
            n = write_geojson(figures, with_events, out)
        elif fmt is ExportFormat.jsonl:
            n = write_jsonl(figures, with_events, out)
        else:
            n = write_acled(select_events(engine, filters), out)
        out.flush()
    except UprootedError as exc:
        _fail(str(exc), 1)
    except OSError as exc:
        _fail(f"cannot write {output or 'the standard output'}: {exc.strerror or exc}", 1)
    finally:
        if out is not sys.stdout:
            out.close()
    _notice(f"{n} record(s) exported")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the store or bring its schema to this version's (Alembic migrations)."""
    missing = missing_extra()
    if missing:
        _fail(f"the store needs the 'store' extra ({', '.join(missing)} not installed): {INSTALL_HINT}")
    from .db import open_store, store_url, upgrade

    try:
        before, after = upgrade(open_store(store_url(_settings(), db)))
    except UprootedError as exc:
        _fail(str(exc))
    _notice(f"store schema: {before or 'empty'} -> {after}" if before != after else f"store schema already at {after}")


@db_app.command("errors")
def db_errors(db: DbOption = None) -> None:
    """List the documents whose last ingest or reprocess failed, and why (one JSON object a line)."""
    engine = _open(_settings(), db)
    import json

    from sqlalchemy import select

    from .db import translate
    from .models import IngestError

    try:
        with translate(doing="read the store"), engine.connect() as conn:
            rows = conn.execute(select(IngestError.doc_id, IngestError.key, IngestError.error, IngestError.stage,
                                       IngestError.created_at).order_by(IngestError.id)).all()
    except UprootedError as exc:
        _fail(str(exc), 1)
    for doc_id, key, error, stage, at in rows:
        typer.echo(json.dumps({"doc_id": doc_id, "key": key, "error": error, "stage": stage,
                               "at": at.isoformat(timespec="seconds")}, ensure_ascii=False))
    _notice(f"{len(rows)} document(s) with an error")


class Verdict(str, Enum):
    accept = "accept"
    reject = "reject"
    edit = "edit"
    merge = "merge"
    split_ = "split"  # not `split`: the name of str.split on this str enum


@db_app.command("decide")
def db_decide(
    record_id: Annotated[str, typer.Argument(help="The id of a figure or event (doc#f2), as exported.")],
    action: Annotated[Verdict, typer.Argument(help="accept, reject, edit, merge (its group into --into's) or "
                                                   "split (out of its group).")],
    set_: Annotated[list[str] | None, typer.Option("--set", help="With edit: FIELD=VALUE (repeat).")] = None,
    into: Annotated[str | None, typer.Option(help="With merge: a figure of the group to join.")] = None,
    analyst: Annotated[str | None, typer.Option(help="Who decides.")] = None,
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    db: DbOption = None,
) -> None:
    """Record an analyst's decision on a figure or event; it stays with the record through reprocessing."""
    edit = dict(item.split("=", 1) for item in set_ or [] if "=" in item) or None
    engine = _open(_settings(), db)
    from .decisions import decide

    try:
        key = decide(engine, record_id, action.value, edit=edit, analyst=analyst, note=note, into=into)
    except UprootedError as exc:
        _fail(str(exc), 1)
    _notice(f"{action.value} recorded for {record_id} (key {key})")


@db_app.command("token")
def db_token(
    reviewer: Annotated[str, typer.Argument(help="The reviewer's name, written into their decisions.")],
    revoke: Annotated[bool, typer.Option("--revoke", help="Revoke the reviewer's tokens instead.")] = False,
    db: DbOption = None,
) -> None:
    """Make a token for the web API's review writes (printed once; the store keeps its digest), or revoke."""
    engine = _open(_settings(), db)
    from .tokens import create_token, revoke_tokens

    try:
        if revoke:
            _notice(f"{revoke_tokens(engine, reviewer)} token(s) of {reviewer} revoked")
            return
        typer.echo(create_token(engine, reviewer))
    except UprootedError as exc:
        _fail(str(exc), 1)


def register(app: typer.Typer) -> None:
    """Add the store's commands to the main app."""
    app.command()(ingest)
    app.command()(reprocess)
    app.command()(aggregate)
    app.command()(export)
    app.add_typer(db_app, name="db")
