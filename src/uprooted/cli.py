"""The command line: arguments -> Settings -> pipeline -> table, JSONL or CSV.

The only module that configures logging or prints. Errors of one document become ``error``
records and the run goes on; ``--output FILE --resume`` skips documents already written, so a
run that died can be picked up where it stopped.
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import ReadError, UprootedError
from .pipeline import extract_docs
from .read import InputDoc, iter_inputs
from .records import DatePeriod, ErrorRecord, Figure, to_json
from .resources import gazetteer_path, load_resources, user_places_path
from .settings import load_settings

__all__ = ["app", "main"]

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Displacement figures from news text.")
err_console = Console(stderr=True)


class OutputFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


CSV_FIELDS = [
    "doc_id", "id", "value", "low", "high", "qualifier", "quantity_text", "unit", "term", "kind",
    "displacement", "category", "origin", "destination", "location", "iso3", "date_start", "date_end",
    "source", "confidence", "evidence",
]


def _csv_row(rec: Figure) -> dict[str, Any]:
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


def _done_ids(path: Path) -> set[str]:
    """Documents already complete in an earlier run's output (they have their ``document`` line)."""
    done: set[str] = set()
    with path.open(encoding="utf-8") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short when the earlier run died
            if rec.get("type") in ("document", "error") and rec.get("doc_id"):
                done.add(str(rec["doc_id"]))
    return done


def _progress(inputs: list[InputDoc | ReadError], show: bool) -> Iterator[InputDoc | ReadError]:
    if not show:
        yield from inputs
        return
    columns = (TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("docs", total=len(inputs))
        for item in inputs:
            yield item
            bar.advance(task)


@app.command()
def extract(
    targets: Annotated[list[str], typer.Argument(help="Files, folders, URLs, JSONL batches, or - for stdin.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table, jsonl or csv.")] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    resume: Annotated[bool, typer.Option(help="With --output: skip documents already in the file.")] = False,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD of a single file.")] = None,
    url: Annotated[str | None, typer.Option(help="Source URL of a single file.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of a single file.")] = None,
    spacy_model: Annotated[str | None, typer.Option(help="Another installed spaCy pipeline.")] = None,
    skip_irrelevant: Annotated[
        bool | None, typer.Option(help="Do not parse documents the classifier calls irrelevant.")
    ] = None,
    debug: Annotated[bool, typer.Option(help="Add the reason behind each choice to JSONL records.")] = False,
    strict: Annotated[
        bool | None, typer.Option(help="Let a bug raise instead of becoming the document's error record.")
    ] = None,
    progress: Annotated[bool | None, typer.Option(help="Progress bar (default: on a terminal).")] = None,
) -> None:
    """Extract displacement figures (and places, dates, sources, events) from documents."""
    try:
        settings = load_settings(spacy_model=spacy_model, skip_irrelevant=skip_irrelevant, strict=strict)
        res = load_resources(settings)
    except UprootedError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    skip = _done_ids(output) if output and resume and output.exists() else set()
    inputs: list[InputDoc | ReadError] = []
    for target in targets:
        for item in iter_inputs(target, settings, published=published, url=url, title=title):
            doc_id = item.id if isinstance(item, InputDoc) else item.doc_id
            if doc_id not in skip:
                inputs.append(item)
    show = progress if progress is not None else (err_console.is_terminal and len(inputs) > 1)
    mode = "a" if skip else "w"
    stream: IO[str] = output.open(mode, encoding="utf-8", newline="") if output else sys.stdout
    try:
        _write(extract_docs(_progress(inputs, show), res), fmt, stream, debug)
    finally:
        if output:
            stream.close()


def _write(
    results: Iterator[tuple[InputDoc | ReadError, list[BaseModel]]], fmt: OutputFormat, out: IO[str], debug: bool
) -> None:
    errors = 0
    if fmt is OutputFormat.jsonl:
        for _, records in results:
            for rec in records:
                errors += rec.type == "error"  # type: ignore[attr-defined]
                out.write(json.dumps(to_json(rec, debug=debug), ensure_ascii=False) + "\n")
            out.flush()
    elif fmt is OutputFormat.csv:
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for _, records in results:
            for rec in records:
                # A projection ("could be displaced") is no fact: it stays out of the rows analysts
                # sum, and in the JSONL records, flagged.
                if isinstance(rec, Figure) and not rec.projection:
                    writer.writerow(_csv_row(rec))
                elif rec.type == "error":  # type: ignore[attr-defined]
                    errors += 1
                    err_console.print(f"[red]{rec.doc_id}:[/red] {rec.error}")  # type: ignore[attr-defined]
    else:
        errors = _table(results, out)
    if errors:
        err_console.print(f"[yellow]{errors} document(s) could not be processed; see the error records.[/yellow]")


def _table(results: Iterator[tuple[InputDoc | ReadError, list[BaseModel]]], out: IO[str]) -> int:
    probe = Console(file=out)
    console = Console(file=out, width=probe.width if probe.is_terminal else 150)
    errors = 0
    for _, records in results:
        figures = [r for r in records if isinstance(r, Figure) and not r.projection]
        for rec in records:
            if rec.type == "error":  # type: ignore[attr-defined]
                errors += 1
                err_console.print(f"[red]{rec.doc_id}:[/red] {rec.error}")  # type: ignore[attr-defined]
        if not figures:
            continue
        table = Table(title=f"{figures[0].doc_id}: {len(figures)} figure(s)", show_lines=True)
        for col in ("quantity", "unit", "term", "where", "when", "source", "evidence"):
            table.add_column(col, overflow="fold", max_width=60 if col == "evidence" else None)
        for f in figures:
            q = f.quantity
            vague = q.qualifier != "range" and q.low != q.high
            amount = q.text if vague else f"{q.low:,}–{q.high:,}" if q.qualifier == "range" else f"{q.value:,}"
            amount += f" ({q.qualifier.replace('_', ' ')})" if q.qualifier not in ("exact", "range") else ""
            where = ", ".join(f"{loc.role}: {loc.name or loc.mention}" for loc in f.locations)
            when = _period(f.date)
            table.add_row(amount, f.unit, f.term, where, when, f.source.name if f.source else "", f.evidence.text)
        console.print(table)
    return errors


def _period(d: DatePeriod | None) -> str:
    if d is None:
        return ""
    if d.start and d.end and d.start != d.end:
        return f"{d.start} – {d.end}"
    return d.start or d.text or ""


@app.command()
def schema(
    folder: Annotated[Path, typer.Argument(help="Where to write the JSON Schemas.")] = Path("docs/schema"),
) -> None:
    """Write the JSON Schema of every record type (the published format)."""
    from .schema import write_schemas

    for path in write_schemas(folder):
        err_console.print(f"wrote {path}")


@app.command()
def timeline(
    targets: Annotated[list[str], typer.Argument(help="Files, folders, URLs, JSONL batches, or - for stdin.")],
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD of a single file.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of a single file.")] = None,
) -> None:
    """Print each document's figures and events in date order: what happened, then who fled."""
    from .timeline import print_timeline

    try:
        settings = load_settings()
        res = load_resources(settings)
    except UprootedError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    console = Console()
    for target in targets:
        inputs = list(iter_inputs(target, settings, published=published, title=title))
        for item, records in extract_docs(inputs, res):
            for rec in records:
                if isinstance(rec, ErrorRecord):
                    err_console.print(f"[red]{rec.doc_id}:[/red] {rec.error}")
            if isinstance(item, InputDoc):
                print_timeline(records, console, title=item.title or item.id)


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
    from .places import build_gazetteer

    path = output or gazetteer_path(load_settings())
    try:
        build_gazetteer(path, geonames, alternate_names, admin1)
    except UprootedError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    err_console.print(f"gazetteer written to {path}")


@gazetteer_app.command("add")
def gazetteer_add(
    places: Annotated[list[Path], typer.Argument(help="CSV files: name, alternate_names, iso3, admin1, lat, lon, "
                                                      "kind, pcode (e.g. OCHA P-coded units, DTM site lists).")],
    layer: Annotated[Path | None, typer.Option(help="The layer to add to (default: the settings' path).")] = None,
) -> None:
    """Add an analyst's own places (villages, camps, sites, admin units) beside GeoNames; they rank
    first where their names match. Adding a file again replaces its places."""
    from .places import add_user_places

    path = layer or user_places_path(load_settings())
    try:
        for csv_file in places:
            n = add_user_places(csv_file, path)
            err_console.print(f"{n} place(s) from {csv_file} added to {path}")
    except UprootedError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def main() -> None:
    """Console entry point."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
