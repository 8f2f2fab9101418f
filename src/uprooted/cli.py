"""The command line: arguments -> Settings -> pipeline -> table, JSONL or CSV.

The only module that configures logging or prints. Errors of one document become ``error``
records and the run goes on; a problem of the run itself (an output that cannot be written, a
gazetteer that cannot be opened, a bad option) is one message and a non-zero exit, checked
before the model loads where it can be. Heavy modules (spaCy, the pipeline) are imported inside
the commands, so ``--help`` and ``--version`` answer at once.

Exit codes: 0 the run went through (some documents may have error records); 1 an input is
missing, every document failed, the output could not be written, or ``--strict`` saw an error
record; 2 a usage or set-up error (bad option, missing model or gazetteer); 130 interrupted.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from enum import Enum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from .batch import Tally, unique_inputs
from .errors import ReadError, UprootedError
from .progress import document_bar
from .store.cli import register as register_store_commands
from .web.cli import register as register_web_commands

if TYPE_CHECKING:
    from .read import InputDoc
    from .records import ErrorRecord
    from .resources import Resources
    from .settings import Settings

__all__ = ["app", "main"]

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Displacement figures from news text.")
err_console = Console(stderr=True)
_QUIET = {"on": False}


class OutputFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


def _version(verbose: bool) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        text = f"uprooted {version('uprooted')}"
    except PackageNotFoundError:
        text = "uprooted (not installed)"
    if verbose:
        from importlib.resources import files

        text += "\n\n" + files("uprooted").joinpath("data/NOTICE.txt").read_text(encoding="utf-8")
    return text


@app.callback(invoke_without_command=True)
def _options(
    ctx: typer.Context,
    show_version: Annotated[bool, typer.Option("--version", help="Print the version (with -v: the data sources "
                                                                    "and their licences) and exit.")] = False,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More messages (-vv: debug).")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Errors only: no notices, no progress bar.")] = False,
) -> None:
    """Displacement figures (and places, dates, sources, events) from news text."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    if verbose < 2:
        # The HTML readers log each page they give up on; that page's error record says it already.
        for name in ("trafilatura", "htmldate"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    _QUIET["on"] = quiet
    if show_version:
        typer.echo(_version(verbose > 0))
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


def _notice(message: str) -> None:
    if not _QUIET["on"]:
        err_console.print(message, markup=False, highlight=False, soft_wrap=True)


def _fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _check_output(output: Path | None, targets: list[str], fmt: OutputFormat, resume: bool) -> None:
    """Problems with ``--output`` and ``--resume`` are known before anything loads."""
    if resume and output is None:
        _fail("--resume needs --output FILE (the file to pick up)")
    if resume and fmt is not OutputFormat.jsonl:
        _fail("--resume works with --format jsonl only: a table or CSV cannot be picked up where it stopped")
    if output is None:
        return
    if output.is_dir():
        _fail(f"--output {output} is a folder; name a file")
    if not output.parent.is_dir():
        _fail(f"cannot write {output}: the folder {output.parent} does not exist")
    if output.exists():
        for target in targets:
            path = Path(target)
            if target != "-" and path.is_file() and os.path.samefile(path, output):
                _fail(f"--output {output} is also an input: it would be overwritten while read")


def _check_published(published: str | None) -> str | None:
    if published is None:
        return None
    from .read import publication_date

    found = publication_date(published)
    if found is None:
        _fail(f"--published {published!r} is not a date (give YYYY-MM-DD)")
    return found


def _settings(**overrides: object) -> Settings:
    from .settings import load_settings

    try:
        return load_settings(**overrides)
    except UprootedError as exc:
        _fail(str(exc))


def _resources(settings: Settings) -> Resources:
    """The model, vocabularies and gazetteer, or one clear message: a gazetteer that cannot be built
    or opened fails the run here, not every document one by one."""
    import sqlite3
    import time

    from .resources import gazetteer_path, load_resources

    try:
        res = load_resources(settings)
    except UprootedError as exc:
        _fail(str(exc))
    path = gazetteer_path(settings)
    fresh = not settings.gazetteer_path and not path.exists()
    started = time.monotonic()
    try:
        if fresh:
            with _build_lock(path):
                if not path.exists():  # another run may have built it while this one waited
                    _notice(f"building the place gazetteer in {path} (first run only, about 20 seconds)...")
                res.gazetteer()
        else:
            res.gazetteer()
    except (UprootedError, OSError, sqlite3.Error) as exc:
        _fail(f"cannot open the gazetteer {path}: {exc} (set UPROOTED_GAZETTEER_PATH to a writable place, "
              "or rebuild it with `uprooted gazetteer build`)")
    if fresh:
        _notice(f"gazetteer ready in {time.monotonic() - started:.0f} s")
    return res


@contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """One build of the default gazetteer at a time: two first runs must not both write 57 MB, and
    the temporary files of a build that was killed are removed before the next one starts."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_name(path.name + ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            for stale in path.parent.glob(path.name + ".*.tmp"):
                stale.unlink(missing_ok=True)
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _open_output(output: Path | None, append: bool) -> IO[str]:
    if output is None:
        return sys.stdout
    try:
        return output.open("a" if append else "w", encoding="utf-8", newline="")
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")


def _silence_stdout() -> None:
    """After stdout failed (a full disk, a closed pipe), point it at /dev/null so the interpreter's
    last flush at exit does not print a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@app.command()
def extract(
    targets: Annotated[list[str], typer.Argument(help="Files, folders, URLs, JSONL batches (.jsonl, .ndjson, "
                                                      "gzipped or not), or - for stdin.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table, jsonl or csv.")] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    resume: Annotated[bool, typer.Option(help="With --output and jsonl: keep the documents the file holds "
                                              "whole, redo the others.")] = False,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD of a single file.")] = None,
    url: Annotated[str | None, typer.Option(help="Source URL of a single file.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of a single file.")] = None,
    spacy_model: Annotated[str | None, typer.Option(help="Another installed spaCy pipeline.")] = None,
    skip_irrelevant: Annotated[
        bool | None, typer.Option(help="Stream monitoring: parse only documents that pass the relevance gate, "
                                       "and only their sentences with a displacement cue and a count.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=0, help="Processes that extract side by side (0: one per CPU core; "
                                             "1: this process only). Output order is kept.")
    ] = None,
    debug: Annotated[bool, typer.Option(help="Add the reason behind each choice to JSONL records.")] = False,
    strict: Annotated[
        bool | None, typer.Option(help="Fail the run (exit 1) on any error record, and let a bug raise.")
    ] = None,
    allow_private: Annotated[
        bool | None, typer.Option(help="Fetch URLs on loopback, private and link-local addresses too.")
    ] = None,
    progress: Annotated[bool | None, typer.Option(help="Progress bar (default: on a terminal).")] = None,
) -> None:
    """Extract displacement figures (and places, dates, sources, events) from documents."""
    _check_output(output, targets, fmt, resume)
    published = _check_published(published)
    settings = _settings(spacy_model=spacy_model, skip_irrelevant=skip_irrelevant, strict=strict,
                         allow_private=allow_private, workers=workers)
    done: set[str] = set()
    if resume and output is not None and output.exists():
        from .output import resume_jsonl

        try:
            done = resume_jsonl(output)
        except OSError as exc:
            _fail(f"cannot resume {output}: {exc.strerror or exc}")
        _notice(f"{len(done)} document(s) already in {output}; doing the rest")
    res = _resources(settings)
    stream = _open_output(output, append=bool(done) or (resume and output is not None and output.exists()))
    tally = Tally()
    try:
        _run(targets, settings, res, stream, fmt, debug, tally, done=done, output=output, published=published,
             url=url, title=title, show=progress if progress is not None else err_console.is_terminal)
    except KeyboardInterrupt:
        _notice("interrupted")
        raise typer.Exit(130) from None
    except OSError as exc:
        if stream is sys.stdout:
            _silence_stdout()
        if isinstance(exc, BrokenPipeError):
            raise typer.Exit(1) from None
        _fail(f"cannot write {output or 'the standard output'}: {exc.strerror or exc}", 1)
    finally:
        if stream is not sys.stdout:
            with suppress(OSError):
                stream.close()
    raise typer.Exit(_summary(tally, fmt, strict is True))


def _run(targets: list[str], settings: Settings, res: Resources, out: IO[str], fmt: OutputFormat, debug: bool,
         tally: Tally, *, done: set[str], output: Path | None, published: str | None, url: str | None,
         title: str | None, show: bool) -> None:
    from .output import CsvWriter, JsonlWriter, TableWriter
    from .pipeline import extract_docs
    from .read import iter_inputs

    writer = (JsonlWriter(out, debug=debug) if fmt is OutputFormat.jsonl
              else CsvWriter(out) if fmt is OutputFormat.csv else TableWriter(out))

    def inputs() -> Iterator[InputDoc | ReadError]:
        for target in targets:
            yield from iter_inputs(target, settings, published=published, url=url, title=title,
                                   exclude=[output] if output else [])

    with document_bar(show and not _QUIET["on"], err_console) as advance:
        for _, records in extract_docs(unique_inputs(inputs(), done, tally), res):
            writer.write(records)
            errors = tally.count(records)
            if fmt is not OutputFormat.jsonl:  # JSONL has them in its records
                _show_errors(errors)
            advance()


def _show_errors(errors: list[ErrorRecord]) -> None:
    for err in errors:
        err_console.print(Text.assemble((f"{err.doc_id}:", "red"), " ", err.error), highlight=False, soft_wrap=True)


def _summary(tally: Tally, fmt: OutputFormat, strict: bool) -> int:
    """The closing notice and the exit code."""
    if tally.foreign:
        _notice(f"{tally.foreign} document(s) do not read as English (uprooted reads English only; "
                "their documents say language null)")
    if tally.errors:
        where = "see their error records" if fmt is OutputFormat.jsonl else "listed above"
        _notice(f"{tally.errors} of {tally.documents} document(s) could not be processed ({where})")
    return tally.exit_code(strict)


@app.command()
def schema(
    folder: Annotated[Path, typer.Argument(help="Where to write the JSON Schemas.")] = Path("docs/schema"),
) -> None:
    """Write the JSON Schema of every record type (the published format)."""
    from .schema import write_schemas

    for path in write_schemas(folder):
        err_console.print(f"wrote {path}", markup=False)


class TimelineFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


@app.command()
def timeline(
    targets: Annotated[list[str], typer.Argument(help="Files, folders, URLs, JSONL batches, or - for stdin.")],
    fmt: Annotated[TimelineFormat, typer.Option("--format", "-f", help="table, jsonl or csv.")] = (
        TimelineFormat.table),
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD of a single file.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of a single file.")] = None,
    allow_private: Annotated[
        bool | None, typer.Option(help="Fetch URLs on loopback, private and link-local addresses too.")
    ] = None,
) -> None:
    """Each document's figures and events in date order: what happened, then who fled."""
    from .output import TimelineWriter

    _check_output(output, targets, OutputFormat.table, resume=False)
    published = _check_published(published)
    settings = _settings(allow_private=allow_private)
    res = _resources(settings)
    stream = _open_output(output, append=False)
    tally = Tally()
    try:
        from .pipeline import extract_docs
        from .read import iter_inputs

        writer = TimelineWriter(stream, fmt.value)

        def inputs() -> Iterator[InputDoc | ReadError]:
            for target in targets:
                yield from iter_inputs(target, settings, published=published, title=title,
                                       exclude=[output] if output else [])

        for item, records in extract_docs(unique_inputs(inputs(), set(), tally), res):
            writer.write(item, records)
            _show_errors(tally.count(records))
    except OSError as exc:
        if stream is sys.stdout:
            _silence_stdout()
        _fail(f"cannot write {output or 'the standard output'}: {exc.strerror or exc}", 1)
    finally:
        if stream is not sys.stdout:
            stream.close()
    raise typer.Exit(_summary(tally, OutputFormat.table, strict=False))


gazetteer_app = typer.Typer(help="The embedded gazetteer (GeoNames) and the analyst's own places.",
                            no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build(
    geonames: Annotated[Path | None, typer.Option(help="GeoNames allCountries.zip (or .txt).")] = None,
    alternate_names: Annotated[Path | None, typer.Option(help="GeoNames alternateNamesV2.zip.")] = None,
    admin1: Annotated[Path | None, typer.Option(help="GeoNames admin1CodesASCII.txt.")] = None,
    output: Annotated[Path | None, typer.Option(help="Where to write it (default: the settings' path).")] = None,
) -> None:
    """Build the gazetteer: from the full GeoNames dumps when given, else from the shipped data."""
    import sqlite3

    from .places import build_gazetteer
    from .resources import gazetteer_path

    path = output or gazetteer_path(_settings())
    try:
        build_gazetteer(path, geonames, alternate_names, admin1)
    except (UprootedError, OSError, sqlite3.Error) as exc:
        _fail(f"cannot build the gazetteer at {path}: {exc}")
    _notice(f"gazetteer written to {path}")


@gazetteer_app.command("add")
def gazetteer_add(
    places: Annotated[list[Path], typer.Argument(help="CSV files: name, alternate_names, iso3, admin1, lat, lon, "
                                                      "kind, pcode (e.g. OCHA P-coded units, DTM site lists).")],
    layer: Annotated[Path | None, typer.Option(help="The layer to add to (default: the settings' path).")] = None,
) -> None:
    """Add an analyst's own places (villages, camps, sites, admin units) beside GeoNames; they rank
    first where their names match. Adding a file again replaces its places."""
    import sqlite3

    from .places import add_user_places
    from .resources import user_places_path

    path = layer or user_places_path(_settings())
    try:
        for csv_file in places:
            n = add_user_places(csv_file, path)
            _notice(f"{n} place(s) from {csv_file} added to {path}")
    except (UprootedError, OSError, sqlite3.Error) as exc:
        _fail(str(exc))


register_store_commands(app)  # ingest, reprocess, export, db
register_web_commands(app)  # serve


def main() -> None:
    """Console entry point."""
    app()

