"""Which numbers are displacement figures, and of what. Sentences are invented."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from uprooted.records import Figure

Run = Callable[..., list[Figure]]


def only(figures: list[Figure]) -> Figure:
    assert len(figures) == 1, [(f.quantity.text, f.term) for f in figures]
    return figures[0]


# --- term and unit from the sentence's structure

def test_households_displaced(figures_of: Run) -> None:
    f = only(figures_of("About 2,000 households were displaced by the storm."))
    assert (f.quantity.value, f.quantity.qualifier, f.unit, f.term) == (2000, "approximately", "household", "displaced")


def test_forced_to_flee(figures_of: Run) -> None:
    f = only(figures_of("The fighting forced 5,000 people to flee."))
    assert (f.quantity.value, f.unit, f.term) == (5000, "person", "forced_to_flee")


def test_people_fled(figures_of: Run) -> None:
    assert only(figures_of("Some 5,000 people fled the town overnight.")).term == "forced_to_flee"


def test_crossed_into_a_country_is_a_refugee_flow(figures_of: Run) -> None:
    f = only(figures_of("Officials said 8,200 people had crossed into Chad by Monday."))
    assert (f.term, f.displacement) == ("refugee", "cross_border")


def test_fled_into_a_country_is_cross_border(figures_of: Run) -> None:
    f = only(figures_of("More than 3,000 villagers fled into Uganda last week."))
    assert (f.term, f.displacement) == ("refugee", "cross_border")


def test_returned_home(figures_of: Run) -> None:
    assert only(figures_of("About 700 families returned home on Friday.")).term == "returned"


def test_in_evacuation_centres_is_sheltered(figures_of: Run) -> None:
    f = only(figures_of("Nearly 4,000 people are staying in evacuation centres."))
    assert f.term == "sheltered"


def test_homes_destroyed_counts_dwellings_not_people(figures_of: Run) -> None:
    f = only(figures_of("The earthquake destroyed 1,200 houses in the valley."))
    assert (f.unit, f.term) == ("dwelling", "destroyed_housing")


def test_houses_were_damaged_is_partial_destruction(figures_of: Run) -> None:
    f = only(figures_of("Another 300 homes were damaged by the winds."))
    assert (f.unit, f.term) == ("dwelling", "partially_destroyed_housing")


def test_evacuated(figures_of: Run) -> None:
    assert only(figures_of("Authorities evacuated 650 residents from the coast.")).term == "evacuated"


def test_left_homeless(figures_of: Run) -> None:
    assert only(figures_of("The fire left 900 people homeless.")).term == "homeless"


def test_refugees_noun(figures_of: Run) -> None:
    f = only(figures_of("The camp now hosts 42,000 refugees."))
    assert (f.term, f.unit) == ("refugee", "person")


def test_idps_noun(figures_of: Run) -> None:
    assert only(figures_of("There are 1.2 million IDPs in the province.")).term == "displaced"


def test_several_figures_in_one_sentence(figures_of: Run) -> None:
    figs = figures_of("The conflict displaced 350,000 people, of whom 76,000 have since returned.")
    assert [(f.quantity.value, f.term) for f in figs] == [(350000, "displaced"), (76000, "returned")]


def test_killed_and_displaced_split(figures_of: Run) -> None:
    figs = figures_of("The attack killed 12 people and displaced 5,000 others.")
    assert [(f.quantity.value, f.term) for f in figs] == [(5000, "displaced")]


def test_number_of_returnees_is(figures_of: Run) -> None:
    f = only(figures_of("The number of returnees is now 8,400."))
    assert (f.quantity.value, f.term) == (8400, "returned")


def test_toll_of_destroyed_homes_rose_to(figures_of: Run) -> None:
    f = only(figures_of("By Friday the toll of destroyed homes in the valley rose to more than 3,100."))
    assert (f.quantity.value, f.term, f.quantity.qualifier) == (3100, "destroyed_housing", "more_than")


def test_evacuation_order_affects_people(figures_of: Run) -> None:
    assert only(figures_of("A new evacuation order affects roughly 40,000 people.")).term == "evacuated"


def test_vague_quantity_becomes_a_figure(figures_of: Run) -> None:
    f = only(figures_of("Tens of thousands of people fled the city."))
    assert (f.quantity.low, f.quantity.high) == (20000, 90000)


# --- not figures

@pytest.mark.parametrize(
    "text",
    [
        pytest.param("The floods killed 45 people and injured 120.", id="deaths-injuries"),
        pytest.param("The storm affected 300,000 people across the coast.", id="affected"),
        pytest.param("The region's estimated 90,000 residents watched the news.", id="population"),
        pytest.param("The city, home to 2 million people, was quiet.", id="home-to-population"),
        pytest.param("In 2019, the river burst its banks.", id="year"),
        pytest.param("On March 4, the rain stopped.", id="date"),
        pytest.param("A 60-year-old man said he would not leave.", id="age"),
        pytest.param("Prices rose by 40 percent after the floods.", id="percentage"),
        pytest.param("The government pledged $5 million for the displaced.", id="money"),
        pytest.param("One of the last trucks left the village at dawn.", id="one-of-the-last"),
        pytest.param("A 24-hour curfew was imposed.", id="duration"),
        pytest.param("The six-week siege ended.", id="duration-words"),
        pytest.param("Aid agencies set up 40 camps for the displaced.", id="camps-count"),
        pytest.param("Surgeons treated a hip displacement in 30 patients.", id="hip-displacement"),
        pytest.param("The striker displaced the ball past 2 defenders.", id="displaced-the-ball"),
    ],
)
def test_not_a_figure(text: str, figures_of: Run) -> None:
    assert figures_of(text) == []


def test_partitive_whole_is_not_a_figure(figures_of: Run) -> None:
    """'X of the region's Y residents': Y is a population, X is the figure."""
    figs = figures_of("Officials said 6,200 of the area's 9,000 residents had fled.")
    assert [f.quantity.value for f in figs] == [6200]


def test_unclear_term_is_not_forced_into_displaced(figures_of: Run) -> None:
    assert figures_of("About 3,000 people gathered in the square.") == []


# --- evidence

def test_evidence_points_into_the_document(figures_of: Run) -> None:
    text = "Rain fell all week.\n\nOfficials said 4,100 people fled the valley."
    f = only(figures_of(text))
    assert text[f.evidence.start:f.evidence.end] == f.evidence.text == "Officials said 4,100 people fled the valley."


def test_sentence_never_runs_across_a_blank_line(figures_of: Run) -> None:
    text = "Families wait at the border crossing\n\n3,000 residents were counted in the census."
    assert figures_of(text) == []


def test_headline_on_its_own_line_is_its_own_sentence(figures_of: Run) -> None:
    text = "Storm Leaves 12 Dead, 20,000 Displaced in Northern Region\nThe storm hit on Monday."
    f = only(figures_of(text))
    assert f.quantity.value == 20000 and f.evidence.text.startswith("Storm Leaves")


def test_fled_to_neighbouring_countries_is_cross_border(figures_of: Run) -> None:
    f = only(figures_of("More than 9,000 people have fled to neighbouring countries."))
    assert (f.term, f.displacement) == ("refugee", "cross_border")


def test_fled_abroad_is_cross_border(figures_of: Run) -> None:
    assert only(figures_of("Some 2,000 residents fled abroad after the coup.")).displacement == "cross_border"


def test_projection_is_flagged_with_low_confidence(figures_of: Run) -> None:
    """IDMC counts what happened; a projection stays visible but flagged."""
    f = only(figures_of("Up to 10,000 people could be displaced by the new dam."))
    assert f.projection and f.confidence < 0.5


def test_may_have_been_is_an_estimate_not_a_projection(figures_of: Run) -> None:
    f = only(figures_of("Up to 3,000 homes may have been destroyed."))
    assert not f.projection


def test_relocating_refugees_is_a_relocation(figures_of: Run) -> None:
    assert only(figures_of("The agency relocated 2,300 refugees to a new camp.")).term == "relocated"


def test_hosting_refugees_stays_a_refugee_count(figures_of: Run) -> None:
    assert only(figures_of("The district hosts 42,000 refugees.")).term == "refugee"


def test_took_shelter_is_sheltered(figures_of: Run) -> None:
    assert only(figures_of("About 700 people took shelter in a school overnight.")).term == "sheltered"


def test_refuge_in_relief_camps_is_in_relief_camp(figures_of: Run) -> None:
    f = only(figures_of("The floods forced 80,000 people to seek refuge in 40 relief camps."))
    assert f.term == "in_relief_camp"


def test_refuge_in_another_country_is_a_refugee_count(figures_of: Run) -> None:
    """Shelter found abroad makes refugees: "took refuge in neighbouring Chad"."""
    f = only(figures_of("About 7,400 villagers have taken refuge in neighbouring Chad since the raids."))
    assert (f.term, f.displacement) == ("refugee", "cross_border")


def test_refuge_in_a_building_stays_sheltered(figures_of: Run) -> None:
    assert only(figures_of("About 1,300 villagers took refuge in the mosque overnight.")).term == "sheltered"


def test_remain_displaced_is_a_stock(figures_of: Run) -> None:
    """FORMAT.md: "remain displaced" counts people in displacement at a date, not a movement."""
    assert only(figures_of("More than 21,000 people remain displaced after the storm.")).kind == "stock"
    assert only(figures_of("The survey counted 8,300 residents who remained displaced.")).kind == "stock"
    assert only(figures_of("Some 4,600 people are still displaced.")).kind == "stock"


def test_were_displaced_is_a_flow(figures_of: Run) -> None:
    assert only(figures_of("Some 4,600 people were displaced by the storm.")).kind == "flow"


def test_taken_to_shelters_is_an_evacuation(figures_of: Run) -> None:
    assert only(figures_of("Some 9,000 residents were taken to shelters before the storm.")).term == "evacuated"


def test_figure_takes_the_crisis_of_its_own_sentence(figures_of: Run) -> None:
    """A flood report that recalls the war which first displaced people."""
    text = ("Flash floods swept through the valley on Monday, forcing 3,000 residents to flee as rivers burst.\n\n"
            "The district still hosts 20,000 people displaced by the armed conflict between the army and rebels.")
    flood, war = figures_of(text)
    assert (flood.category, war.category) == ("disaster", "conflict")


def test_left_without_shelter_is_homeless(figures_of: Run) -> None:
    assert only(figures_of("The earthquake left 25,000 people without shelter.")).term == "homeless"


def test_homes_without_power_are_not_a_figure(figures_of: Run) -> None:
    assert figures_of("The storm left 3,000 homes without power.") == []


def test_fraction_of_a_population_is_not_a_figure(figures_of: Run) -> None:
    assert figures_of("Nearly a quarter of the 40,000 inhabitants have left the city.") == []


def test_whole_that_is_itself_displaced_stays_a_figure(figures_of: Run) -> None:
    f = only(figures_of("About half of the 8,000 people displaced in March have returned."))
    assert (f.quantity.value, f.term) == (8000, "displaced")


def test_nearest_trigger_breaks_a_tie(figures_of: Run) -> None:
    assert only(figures_of("The storm flattened villages, leaving 2,000 families homeless.")).term == "homeless"


def test_implausibly_large_number_is_not_a_figure(figures_of: Run) -> None:
    assert figures_of("The report says 900 billion people fled.") == []


# ---- misparsed predicates and appositions


def test_a_headline_noun_with_a_subject_is_the_predicate(figures_of: Run) -> None:
    """Headlines drop the auxiliary and the parser reads the verb as a noun; the predicate still decides."""
    f = only(figures_of("211 displaced Yazidis return to Korvel from idp camps"))
    assert (f.quantity.value, f.term) == (211, "returned")


def test_an_approximator_read_as_a_preposition_keeps_the_verb(figures_of: Run) -> None:
    values = {f.quantity.value: f.unit for f in figures_of(
        "Dorn camp shelters about 1.165 families, comprising 6.158 individuals, coming from Brannow and Velmora.")}
    assert values == {1165: "household", 6158: "person"}


def test_a_count_in_apposition_to_a_displaced_population_is_a_figure(figures_of: Run) -> None:
    f = only(figures_of("The entire population of the twelve villages of Velmora, roughly 9,000 people, "
                        "have been displaced to Brannow."))
    assert (f.quantity.value, f.term) == (9000, "displaced")


def test_a_list_of_counts_is_no_apposition(figures_of: Run) -> None:
    """"12 deaths, 5 missing, 7,000 relocated": the third count is not an aside of the deaths."""
    values = {f.quantity.value: f.term for f in figures_of(
        "The storm has caused 12 deaths, 5 missing, 7,000 relocated and 2 million people affected in the east.")}
    assert values.get(7000) == "relocated"


def test_river_erosion_destroys_homes(figures_of: Run) -> None:
    f = only(figures_of("The swollen river devoured 40 homes at the shelter village last week."))
    assert (f.quantity.value, f.term, f.unit) == (40, "destroyed_housing", "dwelling")


def test_escaping_to_a_place_is_fleeing_and_escaping_prison_or_injury_is_not(figures_of: Run) -> None:
    assert [(f.quantity.value, f.term) for f in figures_of("When the shelling began, 2,600 villagers escaped to the "
                                                           "mountains.")] == [(2600, "forced_to_flee")]
    assert figures_of("Some 140 inmates escaped from the jail on Sunday.") == []
    assert figures_of("Three passengers escaped with minor injuries.") == []


def test_finding_refuge_is_being_sheltered(figures_of: Run) -> None:
    found = figures_of("When the dam broke, 1,900 families escaped and found refuge elsewhere.")
    assert [(f.quantity.value, f.unit, f.term) for f in found] == [(1900, "household", "sheltered")]


def test_people_sleeping_in_the_open_are_displaced(figures_of: Run) -> None:
    found = figures_of("Around 1,700 people are sleeping in the open after the earthquake.")
    assert [(f.quantity.value, f.term) for f in found] == [(1700, "displaced")]


def test_a_crowd_is_not_counted_by_the_verb_of_someone_elses_clause(figures_of: Run) -> None:
    assert figures_of("Thousands of people turned out to cheer the governor as she arrived at the court.") == []
    assert figures_of("About 3,000 people were trapped when the army evacuated the town.") == []


def test_the_group_of_an_adverbial_clause_is_still_counted_by_its_verb(figures_of: Run) -> None:
    found = figures_of("The town emptied after 4,200 residents fled when the rebels arrived.")
    assert [(f.quantity.value, f.term) for f in found] == [(4200, "forced_to_flee")]


def test_an_eviction_that_was_halted_displaced_no_one(figures_of: Run) -> None:
    assert figures_of("A judge halted the eviction of 260 families from the riverbank.") == []
    assert figures_of("Residents blocked the demolition of 35 homes in the old town.") == []


def test_an_eviction_carried_out_is_counted(figures_of: Run) -> None:
    found = figures_of("Police carried out the eviction of 260 families from the riverbank.")
    assert [(f.quantity.value, f.term) for f in found] == [(260, "evicted")]


def test_buildings_that_hold_flats_are_not_the_homes(figures_of: Run) -> None:
    found = figures_of("The earthquake damaged 1,300 buildings containing 6,800 flats.")
    assert [(f.quantity.value, f.unit) for f in found] == [(6800, "dwelling")]


def test_where_displaced_people_stay_decides_their_term(figures_of: Run) -> None:
    found = figures_of("Some 9,300 displaced people are living in camps near the airport.")
    assert [(f.quantity.value, f.term) for f in found] == [(9300, "in_relief_camp")]
    found = figures_of("Some 9,300 displaced people are living in schools near the airport.")
    assert [(f.quantity.value, f.term) for f in found] == [(9300, "in_relief_camp")]


def test_a_school_is_no_displacement_site_for_its_pupils(figures_of: Run) -> None:
    assert figures_of("Some 900 pupils are living in schools near the airport.") == []
