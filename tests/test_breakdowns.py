"""Figures that reports state as breakdowns and conversions. Every sentence is invented."""

from __future__ import annotations

from collections.abc import Callable

from uprooted.records import Figure

FiguresOf = Callable[..., list[Figure]]


def _counts(figures: list[Figure]) -> dict[float, tuple[str, str]]:
    return {f.quantity.value: (f.unit, f.term) for f in figures}


def test_a_list_under_a_heading_takes_the_heading_term(figures_of: FiguresOf) -> None:
    text = ("These are the districts where people were evacuated by noon:\n\n"
            "Norbury-2,500, Kelvin-1,200, Ashdown-1,00,000.")
    assert _counts(figures_of(text)) == {2500: ("person", "evacuated"), 1200: ("person", "evacuated"),
                                         100000: ("person", "evacuated")}


def test_each_item_of_a_breakdown_is_located_by_its_own_label(figures_of: FiguresOf) -> None:
    text = ("Floods displaced 4,000 people on Monday: Eldoret - 2,500; Malindi - 1,500.")
    where = {f.quantity.value: {loc.name for loc in f.locations} for f in figures_of(text)}
    assert "Eldoret" in where[2500] and "Malindi" not in where[2500]
    assert "Malindi" in where[1500]


def test_households_with_persons_in_parentheses_are_one_group_twice(figures_of: FiguresOf) -> None:
    text = "The storm displaced 412 households (2,030 individuals) in the coastal villages."
    assert _counts(figures_of(text)) == {412: ("household", "displaced"), 2030: ("person", "displaced")}


def test_a_breakdown_of_households_or_individuals_by_district(figures_of: FiguresOf) -> None:
    text = ("Newly displaced households now live in: Wrenfield district (12 households or 60 individuals); "
            "Birch district (7 households or 31 individuals).")
    assert _counts(figures_of(text)) == {12: ("household", "displaced"), 60: ("person", "displaced"),
                                         7: ("household", "displaced"), 31: ("person", "displaced")}


def test_a_second_count_in_a_coordinated_clause_takes_the_first_term(figures_of: FiguresOf) -> None:
    text = "Some 3,000 people have fled to Eldoret and about 1,400 to Kitale."
    assert _counts(figures_of(text)) == {3000: ("person", "forced_to_flee"), 1400: ("person", "forced_to_flee")}


def test_a_list_of_deaths_is_no_breakdown_of_displacement(figures_of: FiguresOf) -> None:
    text = "Deaths by district were reported as follows:\n\nNorbury-12, Kelvin-7, Ashdown-3."
    assert figures_of(text) == []


def test_numbered_sites_are_labels_not_counts(figures_of: FiguresOf) -> None:
    text = ("About 160 people were housed in temporary shelters (school No. 4 — 90 people, "
            "clinic No. 2 — 70).")
    assert set(_counts(figures_of(text))) == {160, 90, 70}


# ---- numerals as reports write them


def test_a_dot_before_three_digits_and_a_count_noun_groups_thousands(figures_of: FiguresOf) -> None:
    text = "The camp hosts 2.340 displaced families."
    assert [f.quantity.value for f in figures_of(text)] == [2340]


def test_a_comma_and_a_space_before_three_digits_and_a_count_noun_group_thousands(figures_of: FiguresOf) -> None:
    text = "At least 4, 120 displaced people are still living in the camp."
    assert [f.quantity.value for f in figures_of(text)] == [4120]


def test_a_decimal_before_a_scale_stays_a_decimal(figures_of: FiguresOf) -> None:
    assert [f.quantity.value for f in figures_of("The floods displaced 1.5 million people.")] == [1500000]


def test_the_number_of_a_list_line_counts_nothing(figures_of: FiguresOf) -> None:
    text = "Main points:\n2- Families flee the coast by boat as the storm nears."
    assert figures_of(text) == []


# ---- who is counted


def test_families_staying_with_relatives_are_displaced(figures_of: FiguresOf) -> None:
    text = "Some 640 families are staying with relatives in the next district."
    assert _counts(figures_of(text)) == {640: ("household", "displaced")}


def test_aid_handed_to_families_is_no_figure(figures_of: FiguresOf) -> None:
    assert figures_of("Food parcels were distributed in 8120 families after the floods.") == []


def test_shelters_people_moved_to_are_not_counted(figures_of: FiguresOf) -> None:
    text = "More than 9,000 residents were moved to 412 cyclone shelters on Sunday."
    assert [f.quantity.value for f in figures_of(text)] == [9000]


def test_a_score_is_no_count(figures_of: FiguresOf) -> None:
    text = "After a 1-0 defeat the home side won 4-1, and the fans who had fled the rain returned."
    assert figures_of(text) == []


def test_a_small_range_before_a_count_noun_stays_a_range(figures_of: FiguresOf) -> None:
    (figure,) = figures_of("Some 3-4 families fled the village overnight.")
    assert (figure.quantity.low, figure.quantity.high) == (3, 4)


def test_the_predicate_says_what_happened_not_the_modifier(figures_of: FiguresOf) -> None:
    text = "About 150 displaced households went back to their villages on Sunday."
    assert _counts(figures_of(text)) == {150: ("household", "returned")}


def test_people_who_left_the_camps_returned(figures_of: FiguresOf) -> None:
    text = "Officials said 311 IDPs left the camps and returned to their villages."
    assert _counts(figures_of(text)) == {311: ("person", "returned")}


def test_a_bare_one_is_a_pronoun(figures_of: FiguresOf) -> None:
    assert figures_of("If you let one in early you can go back into your shell.") == []


def test_people_provided_shelter_are_sheltered(figures_of: FiguresOf) -> None:
    text = "Some 994 people from 190 families have been provided shelter in the school."
    assert _counts(figures_of(text)) == {994: ("person", "sheltered"), 190: ("household", "sheltered")}


def test_a_floods_refugees_in_one_country_are_displaced(figures_of: FiguresOf) -> None:
    text = "After the floods, the number of refugees in the capital rose to 17,064 people, the disaster agency said."
    assert _counts(figures_of(text)) == {17064: ("person", "displaced")}


def test_refugees_across_a_border_stay_refugees(figures_of: FiguresOf) -> None:
    text = "After the floods, some 3,000 refugees crossed the border into the neighbouring country."
    assert _counts(figures_of(text)) == {3000: ("person", "refugee")}


def test_a_headline_opening_with_a_count_and_a_verb_of_flight(figures_of: FiguresOf) -> None:
    text = "2,400 flee clashes in the hills\n\nFighting spread on Monday, officials said."
    assert _counts(figures_of(text)) == {2400: ("person", "forced_to_flee")}


def test_a_headline_opening_with_a_year_is_no_count(figures_of: FiguresOf) -> None:
    assert figures_of("2019 flee figures revised\n\nThe agency revised its data.") == []


def test_a_key_figure_line_is_one_sentence(figures_of: FiguresOf) -> None:
    """The parser cuts "3,150 | people displaced" after the bare count; the line stays whole."""
    text = "Key figures\n\n3,150 people displaced\n\n12 deaths"
    assert _counts(figures_of(text)) == {3150: ("person", "displaced")}


def test_a_bare_count_under_a_maximum_takes_the_verb(figures_of: FiguresOf) -> None:
    text = "A maximum of 2.5 lakh in the coastal district have been evacuated."
    assert _counts(figures_of(text)) == {250000: ("person", "evacuated")}


def test_others_are_more_of_the_count_before(figures_of: FiguresOf) -> None:
    text = "The fire burnt 40 houses to the ground while 12 others were partially burnt."
    assert _counts(figures_of(text)) == {40: ("dwelling", "destroyed_housing"),
                                         12: ("dwelling", "partially_destroyed_housing")}


def test_a_word_ending_like_a_currency_is_no_currency(figures_of: FiguresOf) -> None:
    """"shelters 1,165" is not "Rs 1,165"."""
    assert _counts(figures_of("The school shelters 1,165 families.")) == {1165: ("household", "sheltered")}


def test_key_figures_run_together_are_separate_sentences(figures_of: FiguresOf) -> None:
    """Pasted without stops, each key figure keeps its own predicate: the 900 in the last item are
    displaced, not in the evacuation centres of the item before."""
    text = ("The number of evacuees is 2,300 people (460 families) The number of deaths rose to 12 "
            "In Tarlow district 1,200 people were still displaced at 14 evacuation centres "
            "More than 900 people in Marsh County are still displaced")
    assert _counts(figures_of(text))[900] == ("person", "displaced")


def test_a_count_before_a_noun_modifier_counts_the_head(figures_of: FiguresOf) -> None:
    assert _counts(figures_of("The 12 erosion affected families moved to other villages.")) == {
        12: ("household", "evacuated")}


def test_a_vague_count_that_compares_or_is_glossed_is_no_figure(figures_of: FiguresOf) -> None:
    assert figures_of("Like thousands of others who fled their villages, he now lives in a tent.") == []
    glossed = "Hundreds of families – more than 3,000 people – fled the attacks on Monday."
    assert _counts(figures_of(glossed)) == {3000: ("person", "forced_to_flee")}


def test_companions_of_the_subject_share_its_predicate(figures_of: FiguresOf) -> None:
    """ "X, along with 75 other villagers, are living in shelters": the 75 live there too."""
    assert _counts(figures_of("Maya, along with 75 other villagers, is living in temporary shelters.")) == {
        75: ("person", "sheltered")}
    assert _counts(figures_of("Maya and 75 other villagers are living in temporary shelters.")) == {
        75: ("person", "sheltered")}


def test_the_last_item_keeps_its_count_when_the_next_heading_runs_into_it(figures_of: FiguresOf) -> None:
    text = ("People evacuated by district . Kericho - 3,400 . Kwale - 1,200 . Total - 4,600 Damage Assessment")
    assert _counts(figures_of(text)) == {3400: ("person", "evacuated"), 1200: ("person", "evacuated"),
                                         4600: ("person", "evacuated")}


def test_a_conversion_whose_group_is_described(figures_of: FiguresOf) -> None:
    text = "They counted 1,310 vulnerable families (6,550 persons) whose homes were swept away."
    assert _counts(figures_of(text)) == {1310: ("household", "destroyed_housing"),
                                         6550: ("person", "destroyed_housing")}


def test_a_headline_whose_group_stands_between_count_and_verb(figures_of: FiguresOf) -> None:
    assert _counts(figures_of("140 displaced Karens return to Tavoy from Thai border camps")) == {
        140: ("person", "returned")}


def test_a_headline_return_of_a_group_never_displaced_is_not_a_figure(figures_of: FiguresOf) -> None:
    assert figures_of("Fifteen hundred pupils return to Tavoy schools after repairs") == []


def test_counts_coordinated_before_one_noun_share_it(figures_of: FiguresOf) -> None:
    text = "Two sites near the river now hold 64 and 210 displaced families each."
    assert _counts(figures_of(text)) == {64: ("household", "displaced"), 210: ("household", "displaced")}


def test_a_count_that_leaves_out_its_unit_takes_the_figure_before_it(figures_of: FiguresOf) -> None:
    text = "- 510 houses flooded 9 destroyed and 96 damaged."
    assert _counts(figures_of(text)) == {510: ("dwelling", "partially_destroyed_housing"),
                                         9: ("dwelling", "destroyed_housing"),
                                         96: ("dwelling", "partially_destroyed_housing")}


def test_a_count_beside_a_verb_of_harm_is_not_elliptic(figures_of: FiguresOf) -> None:
    assert _counts(figures_of("About 2,300 people were displaced and 11 injured.")) == {2300: ("person", "displaced")}


def test_households_with_persons_as_abbreviations(figures_of: FiguresOf) -> None:
    text = "The clashes displaced 318 HHs (1,590 ind.) in the valley."
    assert _counts(figures_of(text)) == {318: ("household", "displaced"), 1590: ("person", "displaced")}


def test_households_and_persons_joined_by_a_slash_without_spaces(figures_of: FiguresOf) -> None:
    text = "Floods displaced 2,400 households/12,000 people in the delta."
    assert _counts(figures_of(text)) == {2400: ("household", "displaced"), 12000: ("person", "displaced")}


def test_a_list_whose_heading_runs_into_its_first_label(figures_of: FiguresOf) -> None:
    text = "Flooding displaced families in Kitui (72 HH) – Embu (40 HH), Kwale (18 HH) sub-counties."
    assert _counts(figures_of(text)) == {72: ("household", "displaced"), 40: ("household", "displaced"),
                                         18: ("household", "displaced")}


def test_items_whose_counts_are_written_in_words(figures_of: FiguresOf) -> None:
    text = "Floods displaced 45 families: 30 in Kitui, eleven in Embu and four in Kwale."
    assert {value: term for value, (_, term) in _counts(figures_of(text)).items()} == {
        45: "displaced", 30: "displaced", 11: "displaced", 4: "displaced"}
