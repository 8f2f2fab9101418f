"""The analyst's own places: a CSV added beside GeoNames, ranked first where its names match."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from uprooted import Figure, Place, extract
from uprooted.errors import ResourceError
from uprooted.places import add_user_places

UPROOTED = str(Path(sys.executable).parent / "uprooted")
CSV = """name,alternate_names,iso3,admin1,lat,lon,kind,pcode
Kwa Ndembo,Kwandembo;Kwa-Ndembo,KEN,Kilifi,-3.51,39.72,village,KE0301
Lisbon,,KEN,Kilifi,-3.49,39.80,camp,KE0302
"""


@pytest.fixture()
def layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    places = tmp_path / "district-sites.csv"
    places.write_text(CSV, encoding="utf-8")
    path = tmp_path / "user-places.sqlite"
    out = subprocess.run([UPROOTED, "gazetteer", "add", str(places), "--layer", str(path)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "2 place(s)" in out.stderr
    monkeypatch.setenv("UPROOTED_USER_PLACES_PATH", str(path))
    return path


def test_a_village_only_the_analyst_knows_is_placed_with_its_pcode(layer: Path) -> None:
    records = extract("Floods displaced 320 families in Kwandembo on Monday, Kenyan officials said.")
    (place,) = [r for r in records if isinstance(r, Place) and r.mention == "Kwandembo"]
    assert (place.name, place.iso3, place.lat, place.pcode) == ("Kwa Ndembo", "KEN", -3.51, "KE0301")
    (figure,) = [r for r in records if isinstance(r, Figure)]
    assert any(loc.name == "Kwa Ndembo" for loc in figure.locations)


def test_the_analysts_camp_outranks_a_famous_namesake(layer: Path) -> None:
    records = extract("In Kenya, 150 displaced families arrived at Lisbon after the floods.")
    (place,) = [r for r in records if isinstance(r, Place) and r.mention == "Lisbon"]
    assert (place.iso3, place.pcode) == ("KEN", "KE0302")


def test_adding_a_file_again_replaces_its_places(layer: Path, tmp_path: Path) -> None:
    again = tmp_path / "district-sites.csv"
    again.write_text(CSV.replace("-3.51,39.72", "-3.55,39.70"), encoding="utf-8")
    assert add_user_places(again, layer) == 2
    records = extract("Floods displaced 320 families in Kwandembo on Monday.")
    (place,) = [r for r in records if isinstance(r, Place) and r.mention == "Kwandembo"]
    assert place.lat == -3.55


def test_a_bad_row_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "sites.csv"
    bad.write_text("name,iso3,lat,lon\nKwa Ndembo,KEN,-3.5,39.7\nNowhere,KEN,95,39.7\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"sites\.csv, line 3: .*\(lat\)"):
        add_user_places(bad, tmp_path / "layer.sqlite")
    assert not (tmp_path / "layer.sqlite").exists()
