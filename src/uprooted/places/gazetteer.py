"""The embedded gazetteer: an indexed SQLite file of places and every name they go by.

Part of the places stage. ``Gazetteer.open`` takes the path of the file and returns a read-only
handle whose ``lookup`` maps a name as written to its candidate places; choosing among them is
``resolve.py``'s job. Files are written by ``build.py`` (the default from data that dependencies ship,
or the full GeoNames dumps); the loader decides when to build. Lookups are one indexed query, cached
per name.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ResourceError
from .names import name_key, stripped_key

__all__ = [
    "OWN_IDS",
    "PLACE_INDEXES",
    "PLACE_SCHEMA",
    "SCHEMA_VERSION",
    "USER_IDS",
    "USER_SCHEMA",
    "Candidate",
    "Gazetteer",
    "default_gazetteer_path",
]

SCHEMA_VERSION = "16"  # 2: admin units carry their ISO 3166-2 type in ``feature`` ("ADM1:department");
#                        3: islands.yaml, two regions the lists lack, "Philippine", "T&T"; a name
#                        without English "the" is an exact match ("the Middle East");
#                        4: "Mo." for Missouri; only the largest town of the capital's name is
#                        the capital (PPLC); 5: admin units carry their towns' population;
#                        6: landmarks.yaml (seats of government that stand for a government);
#                        7: a nation's adjective is its own ("English" is England's); 8: rivers.yaml;
#                        9: admin_names.yaml (English names of admin-1 units);
#                        10: seas, straits and deserts on migration routes; 11: country acronyms
#                        reports use ("CAR"); 12: Philippine and Pakistani regions as reports
#                        write them ("NCR", "MIMAROPA", "GB", "AJ&K"); 13: countries and
#                        admin-1 units at Natural Earth's label points; 14: "KP" for Khyber
#                        Pakhtunkhwa; 15: place_short_names.yaml ("D.G. Khan"); 16: "Tel" and
#                        "Tell" opening a name are GeoNames' "Tall" ("Tel Abyad")

# More than any gazetteer file: the whole file is memory-mapped.
_MMAP_BYTES = 1 << 30


# The file's tables, written by build.py and by user.py (the analyst's layer).
PLACE_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE place (
    id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, iso3 TEXT, admin1 TEXT,
    lat REAL, lon REAL, level TEXT NOT NULL, feature TEXT, population INTEGER, alts TEXT);
CREATE TABLE name (
    key TEXT NOT NULL, place INTEGER NOT NULL, kind TEXT NOT NULL, stripped INTEGER NOT NULL,
    PRIMARY KEY (key, place)) WITHOUT ROWID;
"""
PLACE_INDEXES = """
CREATE INDEX place_geonameid ON place (geonameid);
CREATE INDEX place_iso3 ON place (iso3, level);
"""
# Places without a GeoNames id (our regions, rivers, seats of government) are numbered from here up,
# far above GeoNames' range; records publish no geonameid for them.
OWN_IDS = 2_000_000_000
# Places of the analyst's own layer are numbered from here up; its file has a schema of its own,
# which changes only when its tables do (not with our data, unlike SCHEMA_VERSION).
USER_IDS = 3_000_000_000
USER_SCHEMA = "user-1"


def default_gazetteer_path() -> Path:
    """The default gazetteer's file in the user cache folder; the schema version is in its name, so
    versions of uprooted that read different schemas do not overwrite each other's cache."""
    return Path("~/.cache/uprooted").expanduser() / f"gazetteer-{SCHEMA_VERSION}.sqlite"


_LOOKUP_SQL = """
SELECT p.id, p.geonameid, p.name, p.iso3, p.admin1, p.lat, p.lon, p.level, p.feature,
       p.population, p.alts, n.key, n.kind, n.stripped
FROM name n JOIN place p ON p.id = n.place
WHERE n.key IN ({marks})
ORDER BY p.level IN ('country', 'region', 'admin1') DESC, p.population DESC
LIMIT 60
"""
_PLACE_SQL = """
SELECT p.id, p.geonameid, p.name, p.iso3, p.admin1, p.lat, p.lon, p.level, p.feature,
       p.population, p.alts, '', 'name', 0
FROM place p WHERE p.{column} = ? ORDER BY p.population DESC LIMIT 1
"""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may refer to, with how the name matched it.

    ``exact`` is False when the match needed a leading article dropped ("Salvador" for El Salvador);
    ``kind`` is "name", "abbreviation" or "demonym" ("Azerbaijani" names Azerbaijan as a modifier).
    """

    id: int
    geonameid: int | None
    name: str
    iso3: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    level: str
    feature: str
    population: int
    alts: str
    exact: bool
    kind: str

    @property
    def also_known_as(self) -> list[str]:
        """Other names of the place that differ in more than spelling (Lenk for Ostrel, not Ostrell)."""
        return _distinct_names(self.name, self.alts)


@lru_cache(maxsize=50_000)
def _distinct_names(name: str, alts: str) -> list[str]:
    from difflib import SequenceMatcher

    seen = [name_key(name)]
    out: list[str] = []
    for alt in alts.split("|") if alts else []:
        key = name_key(alt)
        if not alt[:1].isupper() or (" " in alt.strip() and len(alt) > 30):
            continue
        if all(SequenceMatcher(None, key, other).ratio() < 0.6 for other in seen):
            seen.append(key)
            out.append(alt)
        if len(out) == 4:
            break
    return out


class Gazetteer:
    """A read-only handle on the gazetteer file; safe to share between threads."""

    def __init__(self, connection: sqlite3.Connection, path: Path,
                 user: tuple[sqlite3.Connection, Path] | None = None) -> None:
        self._db = connection
        self._lock = threading.Lock()
        self.path = path
        self._user = user
        self._cache: dict[str, list[Candidate]] = {}

    def __reduce__(self) -> tuple[Any, tuple[Path, Path | None]]:
        """Pickled as its paths: a worker process opens its own read-only connections."""
        return Gazetteer.open, (self.path, self._user[1] if self._user else None)

    @property
    def user_layer(self) -> Path | None:
        """The analyst's place layer looked up beside this file, if any."""
        return self._user[1] if self._user else None

    @classmethod
    def open(cls, path: Path, user: Path | None = None) -> Gazetteer:
        """Open the gazetteer file at ``path`` (and the analyst's layer at ``user``, when given); a
        missing or foreign file raises ``ResourceError``. Building is the caller's choice
        (``build_default``), never a side effect of opening."""
        layer = (cls._connect(Path(user), USER_SCHEMA), Path(user)) if user is not None else None
        return cls(cls._connect(Path(path)), Path(path), layer)

    @staticmethod
    def _connect(path: Path, schema: str = SCHEMA_VERSION) -> sqlite3.Connection:
        if not path.exists():
            raise ResourceError(
                f"gazetteer {path} does not exist; build it with `uprooted gazetteer build --output {path}`"
            )
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            # Read through a memory map: worker processes share the file's pages in the OS cache.
            db.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.Error as exc:
            raise ResourceError(f"gazetteer {path} is not a valid gazetteer file: {exc}") from exc
        if row is None or row[0] != schema:
            db.close()
            raise ResourceError(
                f"gazetteer {path} has schema {row[0] if row else None}, expected {schema}; "
                + ("add its place lists again with `uprooted gazetteer add`" if schema == USER_SCHEMA
                   else "rebuild it with `uprooted gazetteer build`")
            )
        return db

    def close(self) -> None:
        """Release the file handles."""
        self._db.close()
        if self._user:
            self._user[0].close()

    def lookup(self, name: str) -> list[Candidate]:
        """Every place ``name`` may refer to, most populous first; [] when none."""
        key = name_key(name)
        if not key:
            return []
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        keys = {key, stripped_key(key)}
        sql = _LOOKUP_SQL.format(marks=",".join("?" * len(keys)))
        layers = [(self._db, self.path), *([self._user] if self._user else [])]
        rows = []
        with self._lock:
            for db, path in layers:
                try:
                    rows += db.execute(sql, tuple(keys)).fetchall()
                except sqlite3.Error as exc:
                    raise ResourceError(f"gazetteer {path}: lookup failed: {exc}") from exc
        found: dict[int, Candidate] = {}
        for row in rows:
            cand = _candidate(row, exact=row[11] == key and not row[13])
            old = found.get(cand.id)
            if old is None or (cand.exact and not old.exact) or (old.kind == "demonym" != cand.kind):
                found[cand.id] = cand
        # Countries, regions and admin-1 units come first from the query so that sixty namesake towns
        # ("Washington") cannot push the state out; the list is then most populous first.
        result = sorted(found.values(), key=lambda c: -c.population)
        if len(self._cache) < 200_000:
            self._cache[key] = result
        return result

    def country(self, iso3: str) -> Candidate | None:
        """The country record for ``iso3``, for places known only by their country."""
        return self._one("iso3", iso3, level="country")

    def by_geonameid(self, geonameid: int) -> Candidate | None:
        """The place with this GeoNames id, if the gazetteer has it."""
        return self._one("geonameid", geonameid)

    def _one(self, column: str, value: object, level: str | None = None) -> Candidate | None:
        sql = _PLACE_SQL.format(column=column)
        if level:
            sql = sql.replace("ORDER BY", "AND p.level = ? ORDER BY")
        args: tuple[object, ...] = (value, level) if level else (value,)
        with self._lock:
            try:
                row = self._db.execute(sql, args).fetchone()
            except sqlite3.Error as exc:
                raise ResourceError(f"gazetteer {self.path}: lookup failed: {exc}") from exc
        return _candidate(row, exact=True) if row else None


def _candidate(row: tuple[object, ...], *, exact: bool) -> Candidate:
    return Candidate(
        id=int(row[0]),  # type: ignore[call-overload]
        geonameid=row[1],  # type: ignore[arg-type]
        name=str(row[2]),
        iso3=row[3],  # type: ignore[arg-type]
        admin1=row[4],  # type: ignore[arg-type]
        lat=row[5],  # type: ignore[arg-type]
        lon=row[6],  # type: ignore[arg-type]
        level=str(row[7]),
        feature=str(row[8] or ""),
        population=int(row[9] or 0),  # type: ignore[call-overload]
        alts=str(row[10] or ""),
        exact=exact,
        kind=str(row[12]),
    )
