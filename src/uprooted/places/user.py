"""The analyst's own places: a CSV of villages, admin-2/3 units, camps and sites, loaded as a layer
beside GeoNames.

Part of the places stage. Most places a situation report names that no package ships are villages,
camps and P-coded admin units (OCHA's lists on HDX, IOM DTM site lists). ``add_user_places`` reads
such a file (columns ``name``, ``alternate_names``, ``iso3``, ``admin1``, ``lat``, ``lon``, ``kind``,
optional ``pcode``; alternate names separated by ``;`` or ``|``) into an SQLite layer with the
gazetteer's schema; ``Gazetteer`` looks names up in both, and a place from the analyst's list ranks
before a GeoNames namesake (the ``user`` feature of ``data/place_ranker.yaml``). Adding the same
file again replaces its rows, so a corrected list is simply added again.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import ResourceError
from .gazetteer import PLACE_INDEXES, PLACE_SCHEMA, USER_IDS, USER_SCHEMA
from .names import is_latin_key, name_key, stripped_key

__all__ = ["UserPlace", "add_user_places", "default_user_layer"]

# The analyst's kinds of place, mapped to the gazetteer's levels.
_LEVELS = {
    "country": "country", "admin1": "admin1", "state": "admin1", "province": "admin1", "region": "region",
    "admin2": "admin2", "admin3": "admin2", "admin4": "admin2", "district": "admin2", "county": "admin2",
    "city": "city", "town": "city", "village": "city", "settlement": "city", "locality": "city",
    "camp": "place", "site": "place", "crossing": "place", "border crossing": "place", "transit site": "place",
    "place": "place",
}


class UserPlace(BaseModel):
    """One row of an analyst's place list."""

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1)
    alternate_names: str = ""
    iso3: str = Field(min_length=3, max_length=3)
    admin1: str = ""
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    kind: str = "place"
    pcode: str = ""

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind.lower() not in _LEVELS:
            raise ValueError(f"kind {kind!r} is not one of {sorted(_LEVELS)}")
        return kind.lower()

    @property
    def names(self) -> list[str]:
        alts = self.alternate_names.replace("|", ";").split(";")
        return [self.name, *(a.strip() for a in alts if a.strip())]


# Which file each place came from, so that adding a file again replaces its places.
_SOURCES = "CREATE TABLE source (place INTEGER PRIMARY KEY, file TEXT NOT NULL);"


def default_user_layer() -> Path:
    """Where the analyst's places live: user data, not a cache a new version may rebuild."""
    return Path("~/.local/share/uprooted").expanduser() / "user-places.sqlite"


def add_user_places(csv_path: Path, layer: Path) -> int:
    """Load ``csv_path`` into the layer at ``layer`` (created when missing); returns the rows loaded.
    A bad row stops the load and names the file and line; the layer is left as it was."""
    rows = _read(csv_path)
    layer.parent.mkdir(parents=True, exist_ok=True)
    source = csv_path.name
    try:
        db = sqlite3.connect(layer)
        with db:
            if db.execute("SELECT name FROM sqlite_master WHERE name = 'place'").fetchone() is None:
                db.executescript(PLACE_SCHEMA + PLACE_INDEXES + _SOURCES)
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (USER_SCHEMA,))
            old = [r[0] for r in db.execute("SELECT place FROM source WHERE file = ?", (source,))]
            for table, column in (("name", "place"), ("place", "id"), ("source", "place")):
                db.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(i,) for i in old])
            next_id = max(USER_IDS, db.execute("SELECT COALESCE(MAX(id), 0) FROM place").fetchone()[0])
            for row in rows:
                next_id += 1
                alts = "|".join(n for n in row.names[1:] if is_latin_key(name_key(n)))
                db.execute("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                           (next_id, None, row.name, row.iso3.upper(), row.admin1 or None, row.lat, row.lon,
                            _LEVELS[row.kind], f"USER:{row.pcode}", 0, alts))
                db.execute("INSERT INTO source VALUES (?, ?)", (next_id, source))
                keys = {k for n in row.names if len(k := name_key(n)) >= 2 and is_latin_key(k)}
                keys |= {stripped_key(k) for k in keys}
                db.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?,?)",
                               [(k, next_id, "user", 0) for k in keys])
        db.close()
    except sqlite3.Error as exc:
        raise ResourceError(f"cannot write the user place layer {layer}: {exc}") from exc
    return len(rows)


def _read(csv_path: Path) -> list[UserPlace]:
    try:
        with csv_path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = {"name", "iso3", "lat", "lon"} - set(reader.fieldnames or [])
            if missing:
                raise ResourceError(f"{csv_path}: missing columns {sorted(missing)}")
            rows = []
            for line, raw in enumerate(reader, start=2):
                try:
                    rows.append(UserPlace.model_validate({k: v for k, v in raw.items() if k and v is not None}))
                except ValidationError as exc:
                    raise ResourceError(f"{csv_path}, line {line}: {exc.errors()[0]['msg']} "
                                        f"({'.'.join(map(str, exc.errors()[0]['loc']))})") from exc
    except OSError as exc:
        raise ResourceError(f"cannot read {csv_path}: {exc}") from exc
    return rows
