"""Sources stage: who the document says gave a figure, with canonical names.

Each test invents its own sentences; the anchor is the figure's number.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from uprooted.records import Source
from uprooted.resources import Resources
from uprooted.sources import figure_source


@pytest.fixture(scope="session")
def nlp(res: Resources) -> Language:
    return res.nlp  # type: ignore[no-any-return]


@pytest.fixture
def source(nlp: Language):  # type: ignore[no-untyped-def]
    def run(text: str, number: str) -> Source | None:
        doc = nlp(text)
        anchor = next(t for t in doc if t.text == number)
        return figure_source(anchor.sent, anchor, doc)

    return run


# --- governments ---------------------------------------------------------------------------------


def test_demonym_government_gets_the_country_iso3(source) -> None:  # type: ignore[no-untyped-def]
    got = source("The Armenian government said on Monday that 2,400 people had crossed the border.", "2,400")
    assert got == Source(name="Armenian government", mention="The Armenian government", iso3="ARM")


def test_government_of_a_country_is_that_government(source) -> None:  # type: ignore[no-untyped-def]
    got = source("The government of Chad said 3,100 refugees had arrived.", "3,100")
    assert got is not None and (got.name, got.iso3) == ("Chadian government", "TCD")


def test_country_authorities_are_its_government(source) -> None:  # type: ignore[no-untyped-def]
    got = source("Sudanese authorities estimate that 8,000 people fled the town.", "8,000")
    assert got is not None and (got.name, got.iso3) == ("Sudanese government", "SDN")


# --- organisations -------------------------------------------------------------------------------


def test_according_to_an_acronym_gives_the_canonical_name(source) -> None:  # type: ignore[no-untyped-def]
    got = source("About 5,000 people were displaced, according to UNHCR.", "5,000")
    assert got is not None and got.name.split()[0] == "UNHCR"


def test_full_name_with_acronym_gives_the_acronym(source) -> None:  # type: ignore[no-untyped-def]
    text = "Some 1,700 people fled, according to figures from the International Organization for Migration (IOM)."
    got = source(text, "1,700")
    assert got is not None and got.name.split()[0] == "IOM"


def test_trailing_said_in_a_statement(source) -> None:  # type: ignore[no-untyped-def]
    got = source("At least 6,500 people had fled the district, the IOM said in a statement.", "6,500")
    assert got is not None and got.name.split()[0] == "IOM"


def test_organisation_reported(source) -> None:  # type: ignore[no-untyped-def]
    got = source("OCHA reported that 12,000 people were living in schools.", "12,000")
    assert got is not None and got.name.split()[0] == "OCHA"


def test_described_un_agency_gets_its_acronym(source) -> None:  # type: ignore[no-untyped-def]
    got = source("Nearly 900 people crossed into the country, the U.N. refugee agency said.", "900")
    assert got is not None and got.name.split()[0] == "UNHCR"


def test_national_agency_gets_its_country(source) -> None:  # type: ignore[no-untyped-def]
    got = source("The INGD said 310 families stayed in accommodation centres.", "310")
    assert got is not None and (got.name, got.iso3) == (
        "INGD – Instituto Nacional de Gestão e Redução do Risco de Desastres", "MOZ")


def test_lowercase_who_is_not_the_health_agency(source) -> None:  # type: ignore[no-untyped-def]
    assert source("About 450 people who fled the floods stayed in tents.", "450") is None


# --- people and unnamed sources ------------------------------------------------------------------


def test_governor_told_reporters(source) -> None:  # type: ignore[no-untyped-def]
    got = source("The governor told reporters that 2,000 homes were destroyed.", "2,000")
    assert got is not None and got.name == "governor"


def test_local_officials_estimate(source) -> None:  # type: ignore[no-untyped-def]
    got = source("Local officials estimate that 3,000 residents have fled.", "3,000")
    assert got is not None and got.name == "Local officials"


def test_named_person_keeps_their_name(source) -> None:  # type: ignore[no-untyped-def]
    text = "Relief coordinator Ilse Brandvold said 1,150 people were in shelters."
    got = source(text, "1,150")
    assert got is not None and got.name == "Ilse Brandvold"


# --- the document's own voice --------------------------------------------------------------------


def test_own_voice_has_no_source(source) -> None:  # type: ignore[no-untyped-def]
    assert source("More than 4,000 people fled the fighting on Sunday.", "4,000") is None


def test_impersonal_passive_has_no_source(source) -> None:  # type: ignore[no-untyped-def]
    assert source("About 9,000 newcomers are reported to have settled in the town.", "9,000") is None


def test_image_that_shows_is_not_a_source(source) -> None:  # type: ignore[no-untyped-def]
    assert source("A satellite image shows 300 tents near the border.", "300") is None


def test_byline_is_the_documents_own_voice(source) -> None:  # type: ignore[no-untyped-def]
    assert source("The storm displaced 7,000 people, writes Tomas Ferreyra.", "7,000") is None


# --- beyond the sentence -------------------------------------------------------------------------


def test_it_said_takes_the_organisation_named_before(source) -> None:  # type: ignore[no-untyped-def]
    text = "UNICEF warned of disease in the camps. It said 2,300 children had been displaced."
    got = source(text, "2,300")
    assert got is not None and got.name.split()[0] == "UNICEF"


def test_figure_inside_a_quotation_takes_its_speaker(source) -> None:  # type: ignore[no-untyped-def]
    text = ('Aid official Anders Halvorsen spoke to us. He said: "The river rose fast. '
            'In the valley, 1,400 families lost their homes."')
    got = source(text, "1,400")
    assert got is not None and got.name == "Anders Halvorsen"


def test_according_to_opening_a_paragraph_covers_the_next_sentence(source) -> None:  # type: ignore[no-untyped-def]
    text = "According to the WFP, food stocks ran out. The floods reportedly displaced 6,000 people."
    got = source(text, "6,000")
    assert got is not None and got.name.split()[0] == "WFP"


def test_wire_lead_takes_the_agency_of_the_next_sentence(source) -> None:  # type: ignore[no-untyped-def]
    text = ("Over 5,500 people have fled the province as fighting spreads.\n\n"
            "Conditions in the camps are poor, the UN migration agency said on Monday.")
    got = source(text, "5,500")
    assert got is not None and got.name.split()[0] == "IOM"


def test_a_surname_names_the_person_introduced_in_full(source) -> None:  # type: ignore[no-untyped-def]
    text = ("Camp manager Teodora Vashti met the visitors on Monday. "
            "Vashti said that 640 people were still sleeping in the school hall.")
    got = source(text, "640")
    assert got is not None and got.name == "Teodora Vashti"


def test_a_participle_clause_on_the_speaker_is_not_its_name(source) -> None:  # type: ignore[no-untyped-def]
    text = "KRDMA updating its records on Friday night said about 3 120 people had left their homes."
    got = source(text, "3")
    assert got is not None and got.name == "KRDMA"


def test_a_surname_then_he_is_the_person_named_in_full(source) -> None:  # type: ignore[no-untyped-def]
    """The recogniser calls the bare surname an organisation; it is still the commander."""
    text = ("Station commander Edward Rakotovao was reached by phone on Monday. "
            "Provincial police chief Mark Ellory was expected to send officers. "
            "Rakotovao said the fighting between the two villages had stopped. "
            "He said about 60 houses were burnt down.")
    got = source(text, "60")
    assert got is not None and got.name == "Edward Rakotovao"


def test_they_after_a_body_and_the_people_it_sent_is_the_people(source) -> None:  # type: ignore[no-untyped-def]
    text = ("The regional council deployed 60 Red Cross volunteers to the valley. "
            "They identified 800 families whose homes were washed away.")
    found = source(text, "800")
    assert found is not None and "Red Cross" in found.name


def test_the_agent_of_a_reporting_verb_is_the_source(source) -> None:  # type: ignore[no-untyped-def]
    text = ("Population identified by the IOM during March across the northern region:\n"
            " 4,120 internally displaced persons")
    found = source(text, "4,120")
    assert found is not None and "IOM" in found.name
