"""Write ``src/uprooted/data/natural_earth_points.yaml``: where a map puts each country and admin-1 unit.

Natural Earth (public domain, naturalearthdata.com) gives every country and every admin-1 unit a
label point, a point inside the unit chosen for its label: for a country or a province named without
a town, that is where a figure belongs on a map. Run by hand when Natural Earth changes; the output is
committed so that neither the shapefiles nor the readers below are needed at run time:

    pip install pyshp pyarrow
    python scripts/natural_earth_points.py ne_10m_admin_0_countries.zip ne_10m_admin_1_states_provinces.zip

Either file may be the zip or the ``.shp`` of Natural Earth's 1:10m "Admin 0 - Countries" and
"Admin 1 - States, Provinces" downloads (any point of view), or a GeoParquet copy of them. Admin-1
units are keyed by their ISO 3166-2 code, and by their GeoNames admin-1 code ("AF.01") with their
name, which the gazetteer's subdivisions carry too.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HEADER = """\
# Label points of countries and admin-1 units (states, provinces, regions).
# Source: Natural Earth 1:10m "Admin 0 - Countries" (LABEL_Y, LABEL_X) and "Admin 1 - States,
# Provinces" (latitude, longitude), naturalearthdata.com, public domain. Written by
# scripts/natural_earth_points.py; do not edit by hand: country_points.yaml holds our corrections and
# wins over this file when the gazetteer is built. Countries are keyed by ISO 3166 alpha-3: [lat, lon];
# admin-1 units by ISO 3166-2 code (subdivisions) and by GeoNames admin-1 code (geonames_subdivisions):
# [lat, lon, [names]]. Some codes of either kind are stale, so a point is used only where a name agrees.
"""


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    """The attribute rows of a shapefile (zip or .shp) or a GeoParquet file."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        yield from table.drop_columns([c for c in table.column_names if c == "geometry"]).to_pylist()
        return
    import shapefile

    with shapefile.Reader(str(path)) as reader:
        for record in reader.iterRecords():
            yield record.as_dict()


def _field(row: dict[str, Any], *names: str) -> Any:
    """The first usable value among ``names``, in either letter case (the formats disagree on it)."""
    for name in names:
        for key in (name, name.lower(), name.upper()):
            value = row.get(key)
            if value not in (None, "", "-99", -99):
                return value
    return None


def countries(path: Path) -> dict[str, tuple[float, float]]:
    """ISO3 -> label point; France and Norway have no ISO_A3 in Natural Earth, hence the fallbacks."""
    out: dict[str, tuple[float, float]] = {}
    for row in _rows(path):
        iso3 = _field(row, "ISO_A3", "ISO_A3_EH", "ADM0_ISO", "ADM0_A3")
        lat, lon = _field(row, "LABEL_Y"), _field(row, "LABEL_X")
        if iso3 and lat is not None and lon is not None and str(iso3) not in out:
            out[str(iso3)] = (round(float(lat), 4), round(float(lon), 4))
    return dict(sorted(out.items()))


def _names(row: dict[str, Any]) -> list[str]:
    """The unit's names in Natural Earth: its own, English, GeoNames' and alternates ("A|B")."""
    names: list[str] = []
    for field in ("name", "name_en", "gn_name", "name_alt"):
        for name in str(_field(row, field) or "").split("|"):
            if name.strip() and name.isprintable() and name.strip() not in names:
                names.append(name.strip())
    return names


Point = tuple[float, float, list[str]]


def subdivisions(path: Path) -> tuple[dict[str, Point], dict[str, Point]]:
    """Label points with the unit's names, by ISO 3166-2 code and by GeoNames admin-1 code.

    Both codes are stale in places (ISO renumbered Iran's provinces, GeoNames Viet Nam's), so the
    names go with the points: the gazetteer takes a point only where a name agrees.
    """
    by_iso: dict[str, Point] = {}
    by_geonames: dict[str, Point] = {}
    for row in _rows(path):
        lat, lon = _field(row, "latitude"), _field(row, "longitude")
        names = _names(row)
        if lat is None or lon is None or not names:
            continue
        point = (round(float(lat), 4), round(float(lon), 4), names)
        iso, gn = _field(row, "iso_3166_2"), _field(row, "gn_a1_code")
        if iso and "~" not in str(iso):
            by_iso.setdefault(str(iso), point)
        if gn and "." in str(gn):
            by_geonames.setdefault(str(gn), point)
    return dict(sorted(by_iso.items())), dict(sorted(by_geonames.items()))


def render(country: dict[str, tuple[float, float]], by_iso: dict[str, Point], by_geonames: dict[str, Point]) -> str:
    def line(code: str, point: Point) -> str:
        return f'  "{code}": [{point[0]}, {point[1]}, {json.dumps(point[2], ensure_ascii=False)}]'

    lines = [HEADER, "countries:"]
    lines += [f'  "{code}": [{lat}, {lon}]' for code, (lat, lon) in country.items()]
    lines.append("subdivisions:")
    lines += [line(code, point) for code, point in by_iso.items()]
    lines.append("geonames_subdivisions:")
    lines += [line(code, point) for code, point in by_geonames.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("admin0", type=Path, help="Natural Earth admin-0 countries (zip, .shp or .parquet)")
    parser.add_argument("admin1", type=Path, help="Natural Earth admin-1 states and provinces (zip, .shp or .parquet)")
    args = parser.parse_args()
    out = Path(__file__).resolve().parents[1] / "src" / "uprooted" / "data" / "natural_earth_points.yaml"
    country, (by_iso, by_geonames) = countries(args.admin0), subdivisions(args.admin1)
    out.write_text(render(country, by_iso, by_geonames), encoding="utf-8")
    print(f"wrote {out}: {len(country)} countries, {len(by_iso)} + {len(by_geonames)} admin-1 units", file=sys.stderr)


if __name__ == "__main__":
    main()
