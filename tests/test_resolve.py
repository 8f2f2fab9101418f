"""Toponym resolution and figure locations, end to end on the real default gazetteer.

The default gazetteer is built once per session (about 20 s) unless UPROOTED_GAZETTEER_PATH names one.
"""

from __future__ import annotations

from typing import Any

import pytest

from uprooted.dates import load_dates_vocab
from uprooted.places.gazetteer import Gazetteer
from uprooted.places.locate import figure_locations
from uprooted.places.resolve import ResolvedPlace, resolve_places

CALENDAR = load_dates_vocab().calendar_words()


def _places(nlp: Any, gazetteer: Gazetteer, text: str) -> list[ResolvedPlace]:
    return resolve_places(nlp(text), gazetteer, None, doc_id="t", calendar=CALENDAR)


def _one(places: list[ResolvedPlace], mention: str) -> ResolvedPlace:
    return next(p for p in places if p.place.mention == mention)


# ---- resolution in context


def test_georgia_next_to_tbilisi_is_the_country(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Protesters marched in Tbilisi. Georgia has seen weeks of unrest.")
    assert _one(places, "Georgia").place.iso3 == "GEO"


def test_georgia_next_to_its_towns_is_the_us_state(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Storms hit Valdosta and Tifton. Georgia declared an emergency on Monday.")
    assert _one(places, "Georgia").place.level == "admin1"


def test_a_former_name_resolves_to_the_city_it_names(nlp: Any, gazetteer: Gazetteer) -> None:
    """GeoNames files "Leninakan" among the other names of Gyumri."""
    places = _places(nlp, gazetteer, "Families waited for buses in Leninakan.")
    assert _one(places, "Leninakan").place.geonameid == 616635


def test_a_disputed_area_comes_from_the_regions_table(nlp: Any, gazetteer: Gazetteer) -> None:
    place = _one(_places(nlp, gazetteer, "Thousands left Abyei last week."), "Abyei").place
    assert (place.iso3, place.level, place.geonameid) == ("AB9", "region", None)


def test_lower_case_designator_prefers_its_level_but_stays_out_of_the_mention(
        nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Shelling continued in the Sumy region on Sunday.")
    assert _one(places, "Sumy").place.level == "admin1"


def test_a_units_designator_stays_out_of_the_mention(nlp: Any, gazetteer: Gazetteer) -> None:
    """The mention is the name: "Kayah State" is Kayah, its span ending before the designator."""
    text = "Clashes were reported across Kayah State on Friday."
    place = _one(_places(nlp, gazetteer, text), "Kayah").place
    assert (place.iso3, text[place.start:place.end]) == ("MMR", "Kayah")


def test_a_region_designator_is_part_of_the_name(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Clashes were reported across the Sagaing Region on Friday.")
    assert _one(places, "Sagaing Region").place.iso3 == "MMR"


def test_a_towns_name_keeps_its_designator(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Floods closed schools in Quezon City, Philippines, on Monday.")
    assert _one(places, "Quezon City").place.iso3 == "PHL"


def test_a_name_given_with_two_designators_keeps_both(nlp: Any, gazetteer: Gazetteer) -> None:
    """"Kassala City" and "Kassala State" in one report are two places: the designator tells them apart."""
    places = _places(nlp, gazetteer, "Families left Kassala City for villages elsewhere in Kassala State.")
    assert {p.place.mention for p in places} >= {"Kassala City", "Kassala State"}


def test_a_place_name_cut_into_a_persons_name_is_joined_again(nlp: Any, gazetteer: Gazetteer) -> None:
    """The recogniser may label only the last word of "Dera Ismail Khan" a person: the whole is the town."""
    from spacy.tokens import Span

    doc = nlp("Floods reached Dera Ismail Khan on Monday.")
    doc.ents = [Span(doc, 4, 5, label="PERSON")]
    places = resolve_places(doc, gazetteer, None, doc_id="t", calendar=CALENDAR)
    assert [(p.place.mention, p.place.iso3) for p in places] == [("Dera Ismail Khan", "PAK")]


def test_leading_article_is_not_part_of_the_mention(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Aid convoys entered the Fergana Valley on Tuesday.")
    assert _one(places, "Fergana Valley").place.iso3 == "UZB"


def test_designator_word_of_the_country_decides_between_namesakes(nlp: Any, gazetteer: Gazetteer) -> None:
    """Colombia calls its units departments, Venezuela states: "Sucre department" is Colombia's."""
    places = _places(nlp, gazetteer, "Heavy rain flooded several roads in Sucre department overnight.")
    assert _one(places, "Sucre").place.iso3 == "COL"


def test_admin_region_outranks_a_foreign_town_of_its_name(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Rivers rose across northern Yukon after the thaw.")
    assert _one(places, "Yukon").place.iso3 == "CAN"


def test_a_states_own_name_outranks_a_town_known_by_it(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Ranchers looked at land from Ohio to Montana. In the end they chose "
                                     "Missouri, which ranks second in cattle numbers.")
    assert (_one(places, "Missouri").place.name, _one(places, "Missouri").place.level) == ("Missouri", "admin1")


def test_ap_state_abbreviation_after_a_dateline_town(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "VERSAILLES, Mo. — Farmers in the county said the drought had cut their herds.")
    assert _one(places, "Mo.").place.name == "Missouri"
    assert _one(places, "VERSAILLES").place.iso3 == "USA"


def test_a_name_with_a_government_is_the_province(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Traders will petition the Mbeya government to lower the market fees.")
    assert _one(places, "Mbeya").place.level == "admin1"


def test_only_the_largest_namesake_of_a_capital_is_the_capital(gazetteer: Gazetteer) -> None:
    capitals = [c for c in gazetteer.lookup("Washington") if c.feature == "PPLC"]
    assert len(capitals) == 1 and capitals[0].population > 500_000


def test_a_building_lies_in_a_town_of_the_documents_country(nlp: Any, gazetteer: Gazetteer) -> None:
    text = ("Floods forced thousands from their homes in Visalia and Modesto, California officials said. "
            "A team from Tashkent arrived on Monday. Families sleep at the Bobandana Primary School.")
    assert _one(_places(nlp, gazetteer, text), "Bobandana Primary School").place.iso3 == "USA"


# ---- what is not a place


def test_storm_names_are_not_places(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Villagers in Bangladesh sheltered from cyclone Mora last year.")
    assert [p.place.mention for p in places] == ["Bangladesh"]


def test_short_acronym_matches_only_curated_names(nlp: Any, gazetteer: Gazetteer) -> None:
    """"IOM" is an alternate name of the Isle of Man in GeoNames, but in news it is an agency."""
    places = _places(nlp, gazetteer, "The IOM said the EU would fund shelters in Chad.")
    assert {p.place.mention: p.place.name for p in places if p.place.mention != "Chad"} == {
        "EU": "European Union"}


def test_acronym_in_brackets_repeats_the_name_before_it(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Evacuees stayed in centres across the Western Highlands Province (WHP) in Papua New Guinea."
    assert _one(_places(nlp, gazetteer, text), "WHP").place.iso3 == "PNG"


def test_capitalised_word_that_is_a_foreign_town_is_dropped(nlp: Any, gazetteer: Gazetteer) -> None:
    """"Level" is a Hungarian village; in a story about Indonesia it is only a capitalised word."""
    text = "Indonesia raised the alert for the volcano on Sumbawa to Level Four after a night of tremors."
    assert {p.place.iso3 for p in _places(nlp, gazetteer, text)} == {"IDN"}


def test_unknown_name_is_placed_at_a_place_named_in_its_sentence(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Troops burned the village of Zubrovka in Kayah State. Later they moved to Loikaw and Taunggyi."
    place = _one(_places(nlp, gazetteer, text), "Zubrovka").place
    assert (place.iso3, place.geonameid, place.lat is not None) == ("MMR", None, True)


def test_a_state_is_a_candidate_however_many_towns_share_its_name(nlp: Any, gazetteer: Gazetteer) -> None:
    """Sixty towns are called Washington; the state must still be looked up, and "X, Y" picks it."""
    assert any(c.level == "admin1" for c in gazetteer.lookup("Washington"))
    place = _one(_places(nlp, gazetteer, "The bakery opened in Spokane, Washington on Friday."), "Washington").place
    assert (place.level, place.iso3) == ("admin1", "USA")


def test_villages_named_before_a_designator_are_places(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Soldiers in Kayah State burned houses in Nat Gyi Gone and Zee Pin villages on Monday."
    places = {p.place.mention: p.place for p in _places(nlp, gazetteer, text)}
    assert {places["Nat Gyi Gone"].iso3, places["Zee Pin"].iso3} == {"MMR"}


def test_unknown_names_in_a_list_with_a_known_town_are_places(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "In Bangladesh, 4,000 inhabitants of Borokhali, Khulna and Chorpara were moved to shelters."
    places = {p.place.mention: p.place for p in _places(nlp, gazetteer, text)}
    assert places["Borokhali"].iso3 == places["Chorpara"].iso3 == "BGD"
    assert places["Borokhali"].geonameid is None and places["Borokhali"].confidence < 0.5


def test_areas_such_as_introduces_places(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Fighting in Somalia's Togdheer region cut off areas such as Dhuusa Yare and Buulo Qorow."
    mentions = {p.place.mention for p in _places(nlp, gazetteer, text)}
    assert {"Dhuusa Yare", "Buulo Qorow"} <= mentions


def test_an_office_of_something_is_not_a_place(nlp: Any, gazetteer: Gazetteer) -> None:
    text = ("Officials of the Department of Rural Housing and Development in Kigali said "
            "the Ministry of Emergency Management would help.")
    mentions = {p.place.mention for p in _places(nlp, gazetteer, text)}
    assert mentions == {"Kigali"}


def test_a_list_of_actors_is_not_a_list_of_places(nlp: Any, gazetteer: Gazetteer) -> None:
    mentions = {p.place.mention for p in _places(nlp, gazetteer, "Israel, Iran and Kataib Zubrovka traded threats.")}
    assert "Kataib Zubrovka" not in mentions


def test_a_capitalised_word_is_not_an_acronym_of_a_country(nlp: Any, gazetteer: Gazetteer) -> None:
    """GeoNames lists "CAR" for the Central African Republic; "Car" opening a sentence is a car."""
    places = _places(nlp, gazetteer, "Car sales fell in Kenya last year.")
    assert [p.place.iso3 for p in places] == ["KEN"]


def test_a_town_the_model_read_as_a_date_is_a_place(nlp: Any, gazetteer: Gazetteer) -> None:
    """The small model labels "Turbat" here a DATE; a town's own name with no calendar word is a place."""
    text = "He had served with the army in Turbat near the Iranian border."
    assert _one(_places(nlp, gazetteer, text), "Turbat").place.iso3 == "PAK"


def test_name_joined_by_and_is_one_unit(nlp: Any, gazetteer: Gazetteer) -> None:
    """"Dumfries and Galloway" is one Scottish council area, though the recogniser splits it."""
    places = _places(nlp, gazetteer, "Floods forced 900 families from their homes in Dumfries and Galloway.")
    assert [(p.place.mention, p.place.iso3, p.place.level) for p in places] == [
        ("Dumfries and Galloway", "GBR", "admin2")]


def test_island_comes_from_the_islands_table(nlp: Any, gazetteer: Gazetteer) -> None:
    place = _one(_places(nlp, gazetteer, "Heavy rain flooded villages on Moorea last week."), "Moorea").place
    assert (place.iso3, place.level) == ("PYF", "region")


def test_leading_the_does_not_make_a_region_name_inexact(nlp: Any, gazetteer: Gazetteer) -> None:
    """Our table files "the Middle East"; a Maryland neighbourhood called Middle East must not win."""
    place = _one(_places(nlp, gazetteer, "Tension is rising across the Middle East."), "Middle East").place
    assert (place.level, place.iso3) == ("region", None)


def test_building_name_is_one_place_in_the_town_named_before(nlp: Any, gazetteer: Gazetteer) -> None:
    """"Garden Street" is a street of the town the story is about, not one of the towns called Garden City."""
    text = "The parade started in Pensacola. It went down Garden Street past Saint Zubrovka Church."
    places = _places(nlp, gazetteer, text)
    assert {p.place.mention: p.place.name for p in places if p.place.level == "place"} == {
        "Garden Street": "Garden Street", "Saint Zubrovka Church": "Saint Zubrovka Church"}
    assert {p.place.iso3 for p in places} == {"USA"}
    assert all(abs((p.place.lat or 0) - 30.42) < 0.1 for p in places)


def test_big_city_inside_a_building_name_places_it(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Flights from Kigali landed at Tashkent International Airport on Monday."
    assert _one(_places(nlp, gazetteer, text), "Tashkent International Airport").place.iso3 == "UZB"


def test_unknown_name_is_not_placed_in_an_ocean(nlp: Any, gazetteer: Gazetteer) -> None:
    """"the Pacific Coast region" of a country lies in that country, not at the ocean's centre."""
    text = "Armed groups displaced Colombian families in the Pacific Coast region."
    assert _one(_places(nlp, gazetteer, text), "Pacific Coast").place.iso3 == "COL"


def test_foreign_town_known_only_by_another_name_becomes_unknown(nlp: Any, gazetteer: Gazetteer) -> None:
    """"Blanshard" is a by-name of Blanchard (Oklahoma); in a story about Canada the township is Canadian."""
    text = "Crews from Blanshard Township helped staff in St. Marys and Stratford after the storm hit Canada."
    place = _one(_places(nlp, gazetteer, text), "Blanshard Township").place
    assert (place.geonameid, place.iso3) == (None, "CAN")


def test_town_opening_an_organisation_name_is_a_place(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The boy lived in California. The Visalia Police Department said the glass shattered."
    assert _one(_places(nlp, gazetteer, text), "Visalia").place.iso3 == "USA"


def test_currency_names_its_country(nlp: Any, gazetteer: Gazetteer) -> None:
    place = _one(_places(nlp, gazetteer, "The donors pledged 11 billion US dollars."), "US")
    assert (place.place.iso3, place.use) == ("USA", "modifier")


# ---- use: literal, modifier, metonymy


def test_demonym_is_a_modifier_of_its_country(nlp: Any, gazetteer: Gazetteer) -> None:
    place = _one(_places(nlp, gazetteer, "Azerbaijani forces advanced at dawn."), "Azerbaijani")
    assert (place.use, place.place.iso3) == ("modifier", "AZE")


def test_capital_as_subject_of_a_speech_verb_is_metonymy(nlp: Any, gazetteer: Gazetteer) -> None:
    place = _one(_places(nlp, gazetteer, "Tashkent has rejected the proposal."), "Tashkent")
    assert place.use == "metonymy"


def test_unknown_name_is_kept_with_low_confidence(nlp: Any, gazetteer: Gazetteer) -> None:
    """Names missing from the gazetteer become records with no GeoNames id rather than vanish."""
    places = _places(nlp, gazetteer, "Gunmen attacked Zubrovka Heights in Nigeria on Monday.")
    unknown = [p for p in places if p.place.geonameid is None and p.place.level == "place"]
    assert unknown and all(p.place.confidence < 0.3 for p in unknown)


# ---- figure locations


def _figure(nlp: Any, gazetteer: Gazetteer, text: str, number: str) -> tuple[list[Any], str]:
    doc = nlp(text)
    places = resolve_places(doc, gazetteer, None, doc_id="t", calendar=CALENDAR)
    anchor = next(t for t in doc if t.text == number)
    return figure_locations(anchor.sent, anchor, places, places)


def test_crossed_into_is_a_cross_border_destination(nlp: Any, gazetteer: Gazetteer) -> None:
    locations, displacement = _figure(
        nlp, gazetteer, "Some 5,000 people fled Maroua and crossed into Chad.", "5,000")
    roles = {loc.name: loc.role for loc in locations}
    assert (roles.get("Chad"), roles.get("Maroua"), displacement) == ("destination", "origin", "cross_border")


def test_the_region_points_back_to_the_last_region(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Fighting spread across Togdheer in May. Since then 7,000 of the region's residents have fled."
    locations, _ = _figure(nlp, gazetteer, text, "7,000")
    assert [loc.name for loc in locations if loc.role == "origin"] == ["Togdheer"]


def test_demonym_is_never_a_figure_location(nlp: Any, gazetteer: Gazetteer) -> None:
    locations, _ = _figure(nlp, gazetteer, "Sudanese officials said 300 families fled to Kosti.", "300")
    assert "Sudan" not in [loc.name for loc in locations]


def test_dateline_city_is_not_where_people_fled_from(nlp: Any, gazetteer: Gazetteer) -> None:
    """The dateline says where the reporter is; "fled the town of X" makes X the origin."""
    text = "UVIRA, March 3 (Reuters) - About 15,000 people have fled the town of Kamanyola in eastern Congo."
    locations, _ = _figure(nlp, gazetteer, text, "15,000")
    assert [(loc.role, loc.name) for loc in locations][:1] == [("origin", "Kamanyola")]
    assert "Uvira" not in [loc.name for loc in locations]


def test_paragraph_opening_on_a_place_is_no_dateline(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Storms hit Bangladesh.\nKhulna, another coastal district, had 9,000 residents moved to shelters."
    locations, _ = _figure(nlp, gazetteer, text, "9,000")
    assert "Khulna" in [loc.name for loc in locations]


def test_across_the_country_locates_the_figure_in_the_country(nlp: Any, gazetteer: Gazetteer) -> None:
    """The sentence names no place; "the country" is the one the document names, not its focus town."""
    text = ("Floods left 12,000 people displaced across the country, officials said. "
            "The worst hit states are Ekiti and Ondo in Nigeria.")
    locations, _ = _figure(nlp, gazetteer, text, "12,000")
    assert [(loc.role, loc.iso3, loc.level) for loc in locations] == [("location", "NGA", "country")]


def test_nationwide_adds_the_country_to_the_towns_given_as_examples(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "In Pakistan, 30,000 people were evacuated nationwide, most of them from Jacobabad and Larkana."
    locations, _ = _figure(nlp, gazetteer, text, "30,000")
    assert ("PAK", "country") in [(loc.iso3, loc.level) for loc in locations]
    assert "Jacobabad" in [loc.name for loc in locations]


@pytest.mark.parametrize(
    ("text", "mention", "field", "expected"),
    [
        # "Mexico" is an alternate name of Mexico City; said alone, it is the country.
        ("Rains flooded Ecatepec and Nezahualcoyotl. Mexico asked for help from its neighbours.",
         "Mexico", "level", "country"),
        ("Volunteers from Ohio and Pennsylvania flew to Lebanon, where strikes had destroyed homes.",
         "Lebanon", "iso3", "LBN"),
        ("Storms closed roads in Doncaster and Rotherham, and rivers burst their banks in Wales.",
         "Wales", "level", "admin1"),
        # The capital named like a state stays the capital.
        ("Officials in Washington said on Monday that aid for families in Ohio and Texas was coming.",
         "Washington", "level", "city"),
        # A big city gives its name to its province, and is no namesake.
        ("Floods hit Sylhet and Sunamganj, and 5,000 people left their homes.", "Sylhet", "level", "city"),
    ],
    ids=["capital-known-by-the-country-name", "town-named-after-a-country", "village-named-after-a-state",
         "capital-named-like-a-state", "big-city-named-like-its-province"],
)
def test_a_country_or_state_beats_its_namesake_town(nlp: Any, gazetteer: Gazetteer, text: str, mention: str,
                                                     field: str, expected: str) -> None:
    assert getattr(_one(_places(nlp, gazetteer, text), mention).place, field) == expected


def test_a_country_kept_in_one_token_with_led_is_found(nlp: Any, gazetteer: Gazetteer) -> None:
    """spaCy keeps "U.S.-led" as one token; the place is its first characters."""
    text = "Aid reached camps held by the U.S.-led coalition near the border."
    us = _one(_places(nlp, gazetteer, text), "U.S.")
    assert us.place.iso3 == "USA" and us.place.use != "literal"
    assert text[us.place.start:us.place.end] == "U.S."


def test_a_country_backing_an_armed_group_is_its_government(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "An Iran-backed militia shelled the villages, and 2,000 people fled.")
    assert _one(places, "Iran").place.use == "metonymy"


def test_a_far_town_cut_out_of_an_organisation_name_is_a_local_site(nlp: Any, gazetteer: Gazetteer) -> None:
    """"Hammonton" in a Californian farm's name is no town in New Jersey: an unknown site near Visalia."""
    text = "Evacuees from Visalia, California, sheltered at Hammonton Family Farms on Tuesday."
    places = _places(nlp, gazetteer, text)
    visalia = _one(places, "Visalia").place
    site = next(p.place for p in places if p.place.mention.startswith("Hammonton"))
    assert site.geonameid is None and site.lat is not None and visalia.lat is not None
    assert abs(site.lat - visalia.lat) < 2 and site.lon is not None and visalia.lon is not None
    assert abs(site.lon - visalia.lon) < 2


def test_a_dateline_in_capitals_is_found_though_its_words_are_mistagged(nlp: Any, gazetteer: Gazetteer) -> None:
    """The tagger reads "SOUTH" as an adverb and "RAPID" as a verb; a line opening in capitals is a name."""
    places = _places(nlp, gazetteer, "SOUTH LANARKSHIRE, April 5 (PA): Some 400 families returned home.")
    assert _one(places, "SOUTH LANARKSHIRE").place.iso3 == "GBR"
    places = _places(nlp, gazetteer, "RAPID CITY The storms that left 300 people homeless moved east overnight.")
    assert _one(places, "RAPID CITY").place.name == "Rapid City"


def test_a_name_used_as_a_place_is_a_place_where_it_is_repeated(nlp: Any, gazetteer: Gazetteer) -> None:
    """The entity recogniser calls the second "Digby" a person; the document has said it is a town."""
    text = "Floods hit Digby, Nova Scotia. Officials told Digby that more rain would come."
    digbys = [p.place for p in _places(nlp, gazetteer, text) if p.place.mention == "Digby"]
    assert len(digbys) == 2 and {p.iso3 for p in digbys} == {"CAN"}


def test_what_people_fled_is_a_place_whatever_the_recogniser_said(nlp: Any, gazetteer: Gazetteer) -> None:
    """The recogniser calls "Sumy" a person and "Tartus" an organisation; "fled X" puts a place there."""
    places = _places(nlp, gazetteer, "Residents fled Sumy and Poltava.")
    assert {p.place.mention for p in places} == {"Sumy", "Poltava"}
    assert {p.place.iso3 for p in places} == {"UKR"}
    tartus = _one(_places(nlp, gazetteer, "Thousands fled Tartus and Jableh."), "Tartus").place
    assert (tartus.iso3, tartus.level) == ("SYR", "city")


def test_a_state_abbreviation_counts_only_after_its_town(nlp: Any, gazetteer: Gazetteer) -> None:
    """"Md" opens many South Asian names; "Annapolis, Md." is Maryland."""
    text = "Md Sohel Tarafder said 10,000 people were evacuated from Satkhira."
    assert "USA" not in {p.place.iso3 for p in _places(nlp, gazetteer, text)}
    places = _places(nlp, gazetteer, "Floods hit Annapolis, Md., forcing 200 people from their homes.")
    assert _one(places, "Md.").place.name == "Maryland"


def test_a_foreign_namesake_in_a_list_of_local_places_is_a_local_village(nlp: Any, gazetteer: Gazetteer) -> None:
    """Madhupur is a town in India; listed among Bangladeshi places, it is a village the gazetteer lacks."""
    text = "In Bangladesh, the cyclone flooded Pirojpur, Madhupur, Bhola and Barguna."
    madhupur = _one(_places(nlp, gazetteer, text), "Madhupur").place
    assert (madhupur.iso3, madhupur.geonameid) == ("BGD", None)


def test_a_town_name_in_the_middle_of_a_person_name_is_no_place(nlp: Any, gazetteer: Gazetteer) -> None:
    """"Sultana" is a village in Romania and a town in California; here it is part of a Bangladeshi official's
    name."""
    text = "The storm hit India and Bangladesh. Shelters filled up, said Kazi Nasrin Sultana Tarafder, an official."
    assert [p.place.mention for p in _places(nlp, gazetteer, text)] == ["India", "Bangladesh"]


def test_the_white_house_is_the_seat_of_government_not_the_tennessee_town(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The White House said on Monday it would send aid to 5,000 people displaced by the floods."
    seat = _one(_places(nlp, gazetteer, text), "White House").place
    assert (seat.iso3, seat.level, seat.use) == ("USA", "place", "metonymy")
    assert seat.lat is not None and abs(seat.lat - 38.9) < 0.1
    town = _one(_places(nlp, gazetteer, "Aid reached White House, a town near Gallatin, Tennessee."),
                "White House").place
    assert town.level == "city"


def test_a_town_misread_as_a_group_is_where_people_fled_from(nlp: Any, gazetteer: Gazetteer) -> None:
    """The recogniser calls "Belgorod" a group (NORP) here; as what people fled it is a location."""
    places = _places(nlp, gazetteer, "The governor denied that 300 families had fled Belgorod.")
    assert _one(places, "Belgorod").place.use == "literal"


def test_english_is_the_adjective_of_england_not_of_the_kingdom(nlp: Any, gazetteer: Gazetteer) -> None:
    english = _one(_places(nlp, gazetteer, "English fans travelled to the final in Lisbon."), "English").place
    assert (english.name, english.iso3, english.use) == ("England", "GBR", "modifier")


def test_kurdish_names_the_kurds_homeland_not_one_state(nlp: Any, gazetteer: Gazetteer) -> None:
    kurdish = _one(_places(nlp, gazetteer, "Kurdish fighters held the town."), "Kurdish").place
    assert kurdish.iso3 is None and kurdish.use == "modifier" and kurdish.lat is not None


def test_a_possessive_does_not_cut_a_compass_word_off_a_country(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Officials said South Africa's courts would rule on the case.")
    assert _one(places, "South Africa").place.iso3 == "ZAF"


def test_a_facility_lies_in_a_town_with_company_not_in_a_lone_namesake(nlp: Any, gazetteer: Gazetteer) -> None:
    # Times Square resolves to New York's, far from every other place of the text: the church lies in the
    # Louisiana towns the text is about.
    places = _places(nlp, gazetteer, "The flood reached Hammond and Ponchatoula in Louisiana. Later, residents "
                     "gathered at Times Square. The St. Zubrovka Church on Levee Street opened its doors.")
    church = _one(places, "St. Zubrovka Church").place
    assert church.geonameid is None and church.lat is not None and abs(church.lat - 30.3) < 1


def test_an_unknown_site_in_a_state_lies_in_the_states_town_not_its_centre(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Builders are busy in Warrenton, Virginia, and across Virginia. "
                     "Families swim in Lake Brisbeck every summer.")
    lake = _one(places, "Lake Brisbeck").place
    assert lake.lat is not None and lake.lon is not None and abs(lake.lat - 38.7) < 0.5 and abs(lake.lon + 77.8) < 0.5


def test_a_name_cut_short_before_a_connector_is_read_whole(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Heavy rain forced families from their homes in Jaboatão dos Guararapes.")
    town = _one(places, "Jaboatão dos Guararapes").place
    assert (town.iso3, town.level) == ("BRA", "city")


def test_a_river_is_a_place_and_its_namesake_country_stays_the_country(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "The Chenab burst its banks. Flood water also rose along the Niger "
                     "River, and Niger declared an emergency.")
    river = _one(places, "Chenab").place
    assert river.level == "region" and river.lat is not None and river.geonameid is None
    assert _one(places, "Niger River").place.name == "Niger River"
    assert _one(places, "Niger").place.level == "country"


def test_admin_units_answer_to_the_names_humanitarian_reports_use(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "Floods displaced families in Upper East and Upper West, "
                     "while fighting emptied villages in Hadramaut.")
    for mention, iso3 in (("Upper East", "GHA"), ("Upper West", "GHA"), ("Hadramaut", "YEM")):
        unit = _one(places, mention).place
        assert (unit.iso3, unit.level) == (iso3, "admin1"), mention


def test_a_sea_on_a_migration_route_is_a_place(nlp: Any, gazetteer: Gazetteer) -> None:
    places = _places(nlp, gazetteer, "More than 4,000 migrants crossed the Ionian Sea and the Caribbean Sea.")
    for mention in ("Ionian Sea", "Caribbean Sea"):
        sea = _one(places, mention).place
        assert sea.level == "region" and sea.lat is not None and sea.use == "literal", mention


def _candidate(name: str, level: str, lat: float, lon: float, admin1: str | None, population: int) -> Any:
    from uprooted.places.gazetteer import Candidate

    return Candidate(id=1, geonameid=None, name=name, iso3="XXA", admin1=admin1, lat=lat, lon=lon, level=level,
                     feature="PPL", population=population, alts="", exact=True, kind="name")


def test_a_town_of_its_units_name_is_the_units_seat_however_far_the_label_point() -> None:
    """A province's label point may lie a hundred km from its namesake seat; a bare name of both is the town."""
    from uprooted.places.rank import _seat_of

    unit = _candidate("Velmora", "admin1", 10.0, 20.0, "Velmora", 2_000_000)
    seat = _candidate("Velmora City", "city", 11.0, 20.5, "Velmora", 300_000)
    hamlet = _candidate("Velmora", "city", 11.0, 20.5, "Velmora", 400)
    elsewhere = _candidate("Velmora", "city", 11.0, 20.5, "Brannow", 300_000)
    assert _seat_of(seat, unit)
    assert not _seat_of(hamlet, unit)
    assert not _seat_of(elsewhere, unit)


def test_a_country_named_twice_is_that_country_in_the_territory_of(nlp: Any, gazetteer: Gazetteer) -> None:
    """One sense per document: "the territory of X" after X the country is not a namesake state abroad."""
    text = ("Georgia asked for help with demining on Monday. Officials in Georgia said the old minefields "
            "still claim victims. A commander denied that his troops had mined the border territory of Georgia.")
    assert {p.place.iso3 for p in _places(nlp, gazetteer, text) if p.place.mention == "Georgia"} == {"GEO"}


def test_an_acronym_of_a_body_is_no_town(nlp: Any, gazetteer: Gazetteer) -> None:
    """"the Ministry of Health (MoH)": wherever the document writes MoH it means the ministry."""
    text = ("The Ministry of Defence (MoD) of Velmora gave the toll on Friday. "
            "A MoD official said the unit had been based in Kabul for a year.")
    assert "MoD" not in {p.place.mention for p in _places(nlp, gazetteer, text)}


def test_reports_short_name_of_a_province_is_the_province(nlp: Any, gazetteer: Gazetteer) -> None:
    """Pakistani reports write "KP" for Khyber Pakhtunkhwa, in tables and in prose alike."""
    place = _one(_places(nlp, gazetteer, "Rains damaged 400 houses in KP and 900 in Sindh."), "KP").place
    assert (place.level, place.iso3) == ("admin1", "PAK")


def test_a_country_name_cut_into_a_demonym_is_joined_again(nlp: Any, gazetteer: Gazetteer) -> None:
    """A title "Central African Republic: ..." the recogniser reads as "Central African" + "Republic"."""
    from spacy.tokens import Span

    doc = nlp("Central African Republic: rains displace 2,000 people.")
    doc.ents = [Span(doc, 0, 2, label="NORP")]
    places = resolve_places(doc, gazetteer, None, doc_id="t", calendar=CALENDAR)
    assert [(p.place.mention, p.place.level) for p in places] == [("Central African Republic", "country")]



def test_an_unknown_camp_is_not_placed_where_its_people_came_from(nlp: Any, gazetteer: Gazetteer) -> None:
    """"The Zelmora camp shelters families coming from Manbij": the camp is not in Manbij."""
    places = _places(nlp, gazetteer, "Aid reached Qamishli last year.\n\n"
                                     "The Zelmora camp shelters about 400 families coming from Manbij.")
    camp = _one(places, "Zelmora").place
    assert (camp.lat, camp.lon) == (_one(places, "Qamishli").place.lat, _one(places, "Qamishli").place.lon)


def test_a_unit_before_a_plural_designator_is_a_place(nlp: Any, gazetteer: Gazetteer) -> None:
    """"Tedim and Falam townships": a name the recogniser did not call a place is one of the units the
    plural designator lists; before "villages" a small town's name gets no such credit."""
    from uprooted.places.spans import _plausible

    units = [c for c in gazetteer.lookup("Falam") if c.level == "admin2"]
    towns = [c for c in gazetteer.lookup("Falam") if c.level == "city"]
    assert units
    assert _plausible(nlp("Fighting spread to Tedim and Falam townships last week."), 5, 6, units)
    assert not _plausible(nlp("Fighting spread to Tedim and Falam villages last week."), 5, 6, towns)


def test_a_places_other_name_in_brackets_is_a_mention_of_it(nlp: Any, gazetteer: Gazetteer) -> None:
    """"Amuda (al-Amuda)": the name in brackets, its Arabic article in lower case, is the same town."""
    from spacy.tokens import Span

    doc = nlp("Shelling reached Amuda (al-Amuda) on Monday.")
    doc.ents = [Span(doc, 2, 3, label="GPE"), Span(doc, 4, 7, label="ORG")]
    places = resolve_places(doc, gazetteer, None, doc_id="t", calendar=CALENDAR)
    assert {(p.place.mention, p.place.geonameid) for p in places} == {("Amuda", 173230), ("al-Amuda", 173230)}
