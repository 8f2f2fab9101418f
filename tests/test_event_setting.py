"""Events are coded in their setting: armed conflict for battles and attacks, a political setting for
arrests and deployments, anywhere for protests; ordinary news yields none of the first."""

from __future__ import annotations

from uprooted import Event, extract


def _events(text: str) -> list[Event]:
    return [r for r in extract(text, published="2024-03-08") if isinstance(r, Event)]


def test_a_fight_for_money_in_ordinary_news_is_no_battle() -> None:
    text = ("The mayor promised to fight for more funding for roads and bridges. "
            "The council engaged in long conversations with residents about the budget.")
    assert _events(text) == []


def test_fighting_by_an_armed_group_is_a_battle_even_in_ordinary_news() -> None:
    text = "Rebels fought government troops near the bridge on Tuesday, the army said."
    assert [e.event_type for e in _events(text)] == ["battles"]


def test_a_protest_is_coded_wherever_it_happens() -> None:
    text = "Hundreds of nurses marched through the city centre on Tuesday to demand better pay."
    assert [e.event_type for e in _events(text)] == ["protests"]


def test_an_arrest_in_a_criminal_case_is_no_event() -> None:
    text = "A 40-year-old man was arrested on Friday on charges of burglary and released on bail."
    assert _events(text) == []


def test_activists_detained_are_arrests() -> None:
    text = "Police detained twelve opposition activists outside the parliament on Tuesday."
    assert [e.sub_event_type for e in _events(text)] == ["arrests"]


def test_a_trigger_inside_an_institution_name_is_no_event() -> None:
    text = "Relatives waited outside the Northfield Detention Center on Tuesday evening."
    assert _events(text) == []


def test_a_flood_report_that_says_homes_were_destroyed_has_no_conflict_event() -> None:
    text = ("Heavy rain flooded the valley on Monday. "
            "The water destroyed 300 homes and damaged two bridges, the disaster agency said.")
    assert _events(text) == []


def test_what_should_or_will_happen_is_no_event() -> None:
    text = ("The opposition leader said the country should send peaceful demonstrators to the border. "
            "Rebels threatened to attack the garrison next week.")
    assert _events(text) == []


def test_what_happened_beside_a_threat_is_an_event() -> None:
    text = "Rebels attacked the garrison near the bridge on Tuesday, the army said."
    assert [e.event_type for e in _events(text)] == ["battles"]


def test_war_that_may_break_out_is_no_event() -> None:
    text = "If war breaks out between the army and the rebels, thousands of families will suffer."
    assert _events(text) == []


def test_peace_talks_under_way_are_no_agreement() -> None:
    text = "The fighting came as the government was finalising peace talks with the rebel movement."
    assert "agreement" not in [e.sub_event_type for e in _events(text)]


def test_parties_that_agree_to_a_truce_reach_an_agreement() -> None:
    text = "The army and the rebels agreed on Tuesday to a ceasefire in the northern province."
    assert "agreement" in [e.sub_event_type for e in _events(text)]


def test_one_suspect_in_custody_is_a_police_report() -> None:
    text = "A 28-year-old man was taken into custody after he threatened a shop owner on Friday."
    assert _events(text) == []


def test_a_mass_arrest_is_an_event_even_in_ordinary_news() -> None:
    text = "Police arrested about 300 people in the city centre on Saturday for looting shops."
    assert "arrests" in [e.sub_event_type for e in _events(text)]


def test_a_gun_drawn_on_police_is_a_police_report_even_in_a_conflict_classed_story() -> None:
    """The category model reads guns and shots as conflict; one man arrested is still no ACLED event."""
    text = ("Man arrested after pointing gun at officers\n\n"
            "A 31-year-old man is in custody after pointing a handgun at two police officers in a shopping "
            "street on Friday night. Officers said the man fired two shots into the air before he was "
            "arrested. He is facing weapons charges.")
    assert [e for e in _events(text) if e.sub_event_type == "arrests"] == []
