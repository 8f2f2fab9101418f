"""Places as reports write them: names joined to counts, camps, country acronyms. Invented sentences."""

from __future__ import annotations

from uprooted import Place, extract


def _places(text: str) -> dict[str, Place]:
    return {r.mention: r for r in extract(text) if isinstance(r, Place)}


def test_a_name_joined_to_its_count_by_a_hyphen_is_a_place() -> None:
    places = _places("People were evacuated from these districts: Rourkela-1,20,500, Sambalpur-4,800.")
    assert {"Rourkela", "Sambalpur"} <= set(places)


def test_a_hyphenated_code_stays_whole() -> None:
    assert "COVID" not in _places("Clinics in Eldoret treated COVID-19 patients on Monday.")


def test_a_camp_is_no_foreign_town_of_its_name() -> None:
    text = ("In Kenya's Kitui County, 2,000 people who fled the floods reached Mwingi town. "
            "Another 300 families arrived in Mafra camp near Mwingi.")
    camp = _places(text)["Mafra"]
    assert camp.iso3 not in ("PRT", "BRA")


def test_the_central_african_republic_goes_by_its_acronym() -> None:
    assert _places("Fighting in CAR displaced 4,000 people last week.")["CAR"].iso3 == "CAF"


def test_a_list_after_a_verb_of_movement_is_a_list_of_places() -> None:
    """The recogniser takes unfamiliar village names for people; "came from" says they are places."""
    text = "The families came from Nyamarok, Kobiel and Wunthou after the shelling."
    mentions = {r.mention for r in extract(text, published="2024-05-20") if isinstance(r, Place)}
    assert {"Nyamarok", "Kobiel", "Wunthou"} <= mentions


def test_a_list_does_not_run_past_its_phrase() -> None:
    text = "In his haste to withdraw from Kordavia, Tomkins stands alone."
    mentions = {r.mention for r in extract(text, published="2024-05-20") if isinstance(r, Place)}
    assert "Tomkins" not in mentions


def test_a_plural_designator_makes_each_listed_name_a_local_unit() -> None:
    """"X and Y upazilas" in a story set in one country: two local units, not a hamlet abroad that
    happens to share a name, and the later bare mention of the name is the same unit."""
    text = ("Erosion swallows homes on the river islands\n\n"
            "Forty homes in Tolpurghat and Capaso upazilas have been eroded by the river in northern Bangladesh, "
            "rendering 40 families homeless.\n\nThe families from Capaso moved to other islands.")
    places = [r for r in extract(text, published="2024-05-20") if isinstance(r, Place)]
    named = {(p.mention, p.iso3) for p in places}
    assert {("Tolpurghat", "BGD"), ("Capaso", "BGD")} <= named
    assert all(p.iso3 == "BGD" for p in places)


def test_a_plural_noun_opening_a_headline_is_no_place() -> None:
    text = "Springs dry up as drought deepens\nFarmers in the valley say the wells have run dry."
    assert [r for r in extract(text, published="2024-05-20") if isinstance(r, Place)] == []


def test_a_country_name_called_a_town_is_a_town_of_the_documents_country() -> None:
    text = ("Heavy fighting between armed youths broke out in Niger town, in the east of Sudan, on Monday. "
            "Hundreds fled Niger for nearby villages.")
    places = [r for r in extract(text, published="2024-05-20") if isinstance(r, Place) and r.mention == "Niger"]
    assert len(places) == 2 and all(p.iso3 == "SDN" and p.level != "country" for p in places)


def test_regions_by_the_names_reports_give_them() -> None:
    text = ("Floods forced 3,000 families from their homes in Metro Manila and in Region IV-A on Monday. "
            "Landslides displaced 900 people in AJK, officials said.")
    got = {r.mention: r.iso3 for r in extract(text, published="2024-05-20") if isinstance(r, Place)}
    assert got.get("Metro Manila") == "PHL" and got.get("Region IV-A") == "PHL" and got.get("AJK") == "PAK"


def test_a_common_noun_opening_a_sentence_is_no_place() -> None:
    text = "Relief camps were opened in the district on Monday."
    assert [r for r in extract(text, published="2024-05-20") if isinstance(r, Place)] == []


def test_a_possessive_inside_a_place_name_makes_two_places() -> None:
    text = "Heavy fighting was reported at a remote village in Papua New Guinea’s Jiwaka province."
    got = [(r.mention, r.iso3) for r in extract(text, published="2024-05-20") if isinstance(r, Place)]
    assert got == [("Papua New Guinea", "PNG"), ("Jiwaka", "PNG")]


def test_a_bare_name_after_its_district_is_the_district_again() -> None:
    """One sense per document: "Attock district ... families from Attock" is the district both times,
    not a town that has the name only as one of its other names."""
    text = ("Floods displaced 300 families in Attock district on Monday. "
            "Most families from Attock moved to relief camps.")
    got = [(r.mention, r.level) for r in extract(text, published="2024-05-20") if isinstance(r, Place)]
    assert got == [("Attock", "admin2"), ("Attock", "admin2")]


def test_a_clock_time_with_its_time_zone_is_no_place() -> None:
    places = _places("The river peaked at 10:00 WIB, the agency said, and 2,000 people were evacuated in Bekasi.")
    assert "Bekasi" in places and not any(":" in mention for mention in places)
