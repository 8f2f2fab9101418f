"""Restatements of one movement are linked, not merged ("over 100,000" and "100,000 fled")."""

from __future__ import annotations

from collections.abc import Callable

from uprooted.records import Figure

Run = Callable[..., list[Figure]]


def test_restated_figure_is_linked_to_the_first(figures_of: Run) -> None:
    text = ("About 40,000 people fled the border towns last week.\n\n"
            "Officials later said more than 40,000 people had fled the towns.")
    first, second = figures_of(text, published="2024-02-10")
    assert first.same_as == [second.id] and second.same_as == [first.id]


def test_different_movements_stay_apart(figures_of: Run) -> None:
    text = "About 40,000 people fled the towns, and 3,000 families returned to the capital."
    figs = figures_of(text)
    assert [f.same_as for f in figs] == [[], []]


def test_stock_and_flow_are_never_the_same(figures_of: Run) -> None:
    """IDMC keeps flows and stocks apart: 5,000 who fled are not the 5,000 IDPs counted in camps."""
    text = "Some 5,000 people fled on Monday.\n\nThere are 5,000 IDPs in the camp."
    figs = figures_of(text, published="2024-02-10")
    assert [f.same_as for f in figs] == [[], []]


def test_a_headline_number_takes_the_source_of_its_restatement(figures_of: Run) -> None:
    text = ("Floods displace 6,210 families in Ekiti\n\n"
            "Floods this month displaced 6,210 families in Ekiti State, according to the state emergency agency.")
    head, body = figures_of(text, published="2024-09-20")
    assert body.source is not None and head.source == body.source


def test_a_rounded_restatement_keeps_its_own_voice(figures_of: Run) -> None:
    text = ("More than 6,000 families were displaced in Ekiti this month.\n\n"
            "Floods displaced 6,210 families in Ekiti State, according to the state emergency agency.")
    rounded, exact = figures_of(text, published="2024-09-20")
    assert exact.source is not None and rounded.source is None


def test_a_key_figure_takes_the_date_of_its_dated_restatement(figures_of: Run) -> None:
    text = ("Landslides have displaced 2,460 people in the hill district.\n\nRoads were closed and schools shut.\n\n"
            "The district office said on 14 May that 2,460 people had been displaced by the landslides.")
    box, body = figures_of(text, published="2024-05-20")
    assert box.evidence.text.startswith("Landslides")
    assert body.date is not None and body.date.start == "2024-05-14"
    assert box.date == body.date
