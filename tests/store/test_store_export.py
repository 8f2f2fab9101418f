"""Every export format written from a real store and read back with the tools analysts use: csv
for CSV and ACLED's CSV, libhxl for HXL, pyogrio (GDAL) for GeoJSON, FORMAT.md's validator for
JSONL; and every filter giving the same records in every format."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from uprooted.cli import app
from uprooted.resources import Resources
from uprooted.store.db import open_store, upgrade
from uprooted.store.formats import ACLED_COLUMNS, FIGURE_COLUMNS
from uprooted.store.ingest import StoreTally, ingest
from uprooted.store.models import FigureRow

from .conftest import DOCS, write_jsonl

VALIDATE = Path(__file__).resolve().parents[3] / "shared" / "eval" / "validate.py"
ALL = {"s1#f1", "s2#f1", "s3#f1", "s4#f1"}
LOCATED = ALL - {"s4#f1"}  # s4 names no place: no point in GeoJSON
EVENTS = {"s2#e1", "s2#e2"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def filled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, res: Resources) -> Iterator[str]:
    """A store holding the invented documents, two figures grouped by reconciliation."""
    folder = tmp_path_factory.mktemp("export")
    url = (f"sqlite:///{folder / 'store.sqlite'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres").new_database())
    engine = open_store(url)
    upgrade(engine)
    ingest(engine, [str(write_jsonl(folder / "docs.jsonl", DOCS))], res, StoreTally())
    with engine.begin() as conn:
        conn.execute(update(FigureRow).where(FigureRow.record_id.in_(["s1#f1", "s2#f1"])).values(group="g-north"))
        conn.execute(update(FigureRow).where(FigureRow.record_id == "s1#f1")
                     .values(recommended=True, why="the only figure of its group with a named source"))
        conn.execute(update(FigureRow).where(FigureRow.record_id == "s2#f1").values(recommended=False))
        conn.execute(update(FigureRow).where(FigureRow.record_id == "s3#f1").values(group="=HYPERLINK(\"x\")"))
    engine.dispose()
    yield url


def _export(url: str, tmp_path: Path, fmt: str, *options: str) -> Path:
    out = tmp_path / f"export.{fmt}"
    result = CliRunner().invoke(app, ["export", "--db", url, "--format", fmt, "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return out


def _ids(path: Path, fmt: str) -> set[str]:
    """The record ids of an export, read back by the reader of its format."""
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return {row["id"] for row in csv.DictReader(f)}
    if fmt == "acled-csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return {row["event_id_cnty"] for row in csv.DictReader(f)}
    if fmt == "hxl":
        import hxl
        from hxl.input import InputOptions

        return {row.get("#meta+id") for row in hxl.data(str(path), InputOptions(allow_local=True))}
    if fmt == "geojson":
        import pyogrio

        meta, _, geometry, fields = pyogrio.raw.read(path)
        if len(geometry) == 0:
            return set()
        names = list(meta["fields"])
        ids = fields[names.index("id")]
        return {str(i) for i in ids if i is not None}
    return {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()}


# Reading back ---------------------------------------------------------------------------------


def test_csv_has_the_documented_columns_and_values(filled: str, tmp_path: Path) -> None:
    with _export(filled, tmp_path, "csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = {row["id"]: row for row in reader}
    assert reader.fieldnames == FIGURE_COLUMNS
    one = rows["s1#f1"]
    assert (one["iso3"], one["country"], one["admin1"], one["location"], one["location_precision"]) == (
        "EST", "Estonia", "Tartumaa", "Tartu", "city")
    assert (one["figure"], one["term"], one["kind"], one["date_start"], one["publication_date"]) == (
        "3000", "forced_to_flee", "flow", "2024-05-06", "2024-05-09")
    assert (one["group"], one["recommended"], one["projection"]) == ("g-north", "yes", "no")
    assert rows["s2#f1"]["source_url"] == "https://news.example.org/story/s2?utm_source=feed"
    assert rows["s4#f1"]["recommended"] == ""  # never reconciled


def test_csv_neutralises_a_cell_a_spreadsheet_would_run(filled: str, tmp_path: Path) -> None:
    with _export(filled, tmp_path, "csv").open(encoding="utf-8", newline="") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    assert rows["s3#f1"]["group"] == "'=HYPERLINK(\"x\")"


def test_csv_starts_with_a_byte_order_mark_on_request(filled: str, tmp_path: Path) -> None:
    assert _export(filled, tmp_path, "csv", "--bom").read_bytes().startswith(b"\xef\xbb\xbfid,doc_id,")
    assert _export(filled, tmp_path, "csv").read_bytes().startswith(b"id,doc_id,")


def test_hxl_reads_back_with_each_figure_in_its_population_column(filled: str, tmp_path: Path) -> None:
    import hxl
    from hxl.input import InputOptions

    rows = {row.get("#meta+id"): row for row in hxl.data(str(_export(filled, tmp_path, "hxl")),
                                                         InputOptions(allow_local=True))}
    assert rows["s1#f1"].get("#affected+idps") == "3000"
    assert rows["s1#f1"].get("#affected+refugees") in (None, "")
    assert (rows["s1#f1"].get("#country+code"), rows["s1#f1"].get("#adm1+name")) == ("EST", "Tartumaa")
    assert rows["s1#f1"].get("#geo+lat").startswith("58.")
    assert rows["s3#f1"].get("#date+start") == "2023-06-01"


def test_geojson_reads_back_as_points_with_the_csv_properties(filled: str, tmp_path: Path) -> None:
    import pyogrio

    meta, _, geometry, fields = pyogrio.raw.read(_export(filled, tmp_path, "geojson"))
    assert (meta["geometry_type"], len(geometry)) == ("Point", len(LOCATED))
    assert set(FIGURE_COLUMNS) <= set(meta["fields"])
    values = dict(zip(meta["fields"], fields, strict=True))
    assert set(values["id"]) == LOCATED


def test_geojson_with_events_adds_their_points(filled: str, tmp_path: Path) -> None:
    import pyogrio

    meta, _, _, fields = pyogrio.raw.read(_export(filled, tmp_path, "geojson", "--events"))
    values = dict(zip(meta["fields"], fields, strict=True))
    kinds = list(values["record_type"])
    assert (kinds.count("figure"), kinds.count("event")) == (3, 2)


def test_jsonl_is_valid_format_records_with_reconciliation_fields(filled: str, tmp_path: Path) -> None:
    out = _export(filled, tmp_path, "jsonl")
    if VALIDATE.is_file():
        checked = subprocess.run([sys.executable, str(VALIDATE), str(out)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    records = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert {k: records["s1#f1"][k] for k in ("group", "recommended", "why")} == {
        "group": "g-north", "recommended": True, "why": "the only figure of its group with a named source"}
    assert "group" not in records["s4#f1"] and "why" not in records["s2#f1"]
    assert records["s2#f1"]["recommended"] is False


def test_acled_csv_uses_acled_column_names_and_labels(filled: str, tmp_path: Path) -> None:
    with _export(filled, tmp_path, "acled-csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = {row["event_id_cnty"]: row for row in reader}
    assert reader.fieldnames == ACLED_COLUMNS
    clash = rows["s2#e2"]
    assert (clash["event_type"], clash["sub_event_type"], clash["country"], clash["location"]) == (
        "Battles", "Armed clash", "Suriname", "Paramaribo")
    assert (clash["geo_precision"], clash["time_precision"], clash["source"]) == ("1", "2", "news.example.org")


# Filters ---------------------------------------------------------------------------------------

FILTERS = [
    pytest.param([], ALL, EVENTS, id="none"),
    pytest.param(["--country", "est"], {"s1#f1"}, set(), id="country"),
    pytest.param(["--bbox", "-60,0,-50,10"], {"s2#f1"}, EVENTS, id="bbox"),
    pytest.param(["--since", "2024-01-01"], {"s1#f1", "s2#f1"}, EVENTS, id="since"),
    pytest.param(["--until", "2023-12-31"], {"s3#f1", "s4#f1"}, set(), id="until"),
    pytest.param(["--since", "2023-06-15", "--until", "2023-06-20"], {"s3#f1"}, set(), id="overlap"),
    pytest.param(["--term", "homeless"], {"s3#f1"}, set(), id="term"),
    pytest.param(["--term", "displaced"], {"s2#f1"}, {"s2#e2"}, id="term-events-by-their-figures"),
    pytest.param(["--kind", "stock"], {"s3#f1"}, set(), id="kind"),
    pytest.param(["--group", "g-north"], {"s1#f1", "s2#f1"}, {"s2#e2"}, id="group"),
]


@pytest.mark.parametrize("fmt", ["csv", "hxl", "geojson", "jsonl"])
@pytest.mark.parametrize(("options", "figures", "events"), FILTERS)
def test_every_figure_format_respects_every_filter(filled: str, tmp_path: Path, fmt: str, options: list[str],
                                                   figures: set[str], events: set[str]) -> None:
    expected = figures & LOCATED if fmt == "geojson" else figures
    assert _ids(_export(filled, tmp_path, fmt, *options), fmt) == expected


@pytest.mark.parametrize(("options", "figures", "events"), FILTERS)
def test_acled_csv_respects_every_filter(filled: str, tmp_path: Path, options: list[str], figures: set[str],
                                         events: set[str]) -> None:
    assert _ids(_export(filled, tmp_path, "acled-csv", *options), "acled-csv") == events


def test_min_confidence_leaves_out_the_less_certain_in_every_format(filled: str, tmp_path: Path) -> None:
    engine = open_store(filled)
    with engine.connect() as conn:
        sure = set(conn.execute(select(FigureRow.record_id).where(FigureRow.confidence >= 0.9)).scalars())
    engine.dispose()
    assert sure and sure != ALL  # the threshold splits the figures
    for fmt in ("csv", "hxl", "jsonl"):
        assert _ids(_export(filled, tmp_path, fmt, "--min-confidence", "0.9"), fmt) == sure


def test_a_bad_bbox_is_refused_before_the_store_is_opened(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--db", str(tmp_path / "none.sqlite"), "-f", "csv", "--bbox", "1,2"])
    assert result.exit_code == 2
    assert "--bbox '1,2': give four numbers, min_lon,min_lat,max_lon,max_lat" in result.output
