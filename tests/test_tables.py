"""Figures in tables that text extraction flattened into one line. Every table is invented."""

from __future__ import annotations

from collections.abc import Callable

from uprooted.records import Figure

FiguresOf = Callable[..., list[Figure]]


def _counts(figures: list[Figure]) -> dict[float, tuple[str, str]]:
    return {f.quantity.value: (f.unit, f.term) for f in figures}


# Header lines wrapped: the first line of each column ("Deaths Injured Homes Crops"), then the
# wrapped words ("Destroyed (Acres)"); a serial number opens each row.
_DAMAGE = ("Flood damage in Kenya by county\n\n"
           "Serial County Deaths Injured Homes Crops Destroyed (Acres) "
           "1. Kericho 14 30 1,250 9,000 2. Kwale 3 7 480 1,200 3. Makueni 9 11 2,035 4,400 "
           "Total 26 48 3,765 14,600\n\n"
           "The figures are preliminary.")


def test_a_column_of_destroyed_homes_gives_one_figure_a_row(figures_of: FiguresOf) -> None:
    counts = _counts(figures_of(_DAMAGE, published="2023-08-02"))
    assert counts == {1250: ("dwelling", "destroyed_housing"), 480: ("dwelling", "destroyed_housing"),
                      2035: ("dwelling", "destroyed_housing"), 3765: ("dwelling", "destroyed_housing")}


def test_each_row_is_located_by_its_label(figures_of: FiguresOf) -> None:
    found = figures_of(_DAMAGE, published="2023-08-02")
    where = {f.quantity.value: {loc.mention for loc in f.locations} for f in found}
    assert "Kwale" in where[480] and "Kericho" not in where[480]
    assert "Makueni" in where[2035]


# Two person columns, one term given by the header's wrapped tail ("Relief Camp"); a count of camps
# and a column of camps open today are read past, and so are zero cells.
_CAMPS = ("Relief camps\n\n"
          "Serial Province No. of Relief Persons in Operational Persons in Camps Relief Camp Relief Camps "
          "Relief Camp Set Up At Peak Today Today At Peak "
          "1. Norvale 210 41,870 12 2,300 2. Easthaven 0 0 0 0 3. Marlow 5 905 1 60 "
          "Total 215 42,775 13 2,360")


def test_persons_in_camps_columns_are_read_and_camp_counts_are_not(figures_of: FiguresOf) -> None:
    counts = _counts(figures_of(_CAMPS, published="2023-08-02"))
    assert counts == {41870: ("person", "in_relief_camp"), 2300: ("person", "in_relief_camp"),
                      905: ("person", "in_relief_camp"), 60: ("person", "in_relief_camp"),
                      42775: ("person", "in_relief_camp"), 2360: ("person", "in_relief_camp")}


def test_a_table_without_a_displacement_column_gives_nothing(figures_of: FiguresOf) -> None:
    text = ("Casualties\n\nProvince Deaths Injured Population Affected "
            "Norvale 14 30 12,000 Easthaven 3 7 4,800 Marlow 9 11 20,350")
    assert figures_of(text, published="2023-08-02") == []


def test_a_key_figure_strip_reads_its_labels_after_its_numbers(figures_of: FiguresOf) -> None:
    # Only the displaced column is a figure, though the parse of the line ties "displaced" to every number.
    text = ("The appeal is 40% funded.\n\n"
            "512,000 9 86,400 41 Estimated affected people Districts hit Displaced people in Deaths "
            "in total the four worst hit districts")
    assert _counts(figures_of(text, published="2023-08-02")) == {86400: ("person", "displaced")}


def test_a_strip_whose_labels_name_no_displacement_gives_nothing(figures_of: FiguresOf) -> None:
    text = "Results\n\n4 12 7 Goals Shots Corners for the home side"
    assert figures_of(text, published="2023-08-02") == []


def test_a_total_row_is_located_by_the_country_of_its_rows(figures_of: FiguresOf) -> None:
    total = next(f for f in figures_of(_DAMAGE, published="2023-08-02") if f.quantity.value == 3765)
    assert [(loc.iso3, loc.level) for loc in total.locations] == [("KEN", "country")]
