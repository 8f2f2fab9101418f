"""The document timeline and figure -> event links.

Every sentence here is invented for the test.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.console import Console

from uprooted.causes import attach_figures, link_figures
from uprooted.events import detect_events
from uprooted.figures import find_figures
from uprooted.quantities import find_quantities
from uprooted.records import Actor, DatePeriod, Event, Evidence, Figure, Quantity
from uprooted.resources import Resources
from uprooted.timeline import describe_event, describe_figure, order_records, print_timeline

Links = Callable[[str], dict[str, list[str]]]


@pytest.fixture(scope="session")
def links(res: Resources) -> Links:
    """Figure -> event links of one invented sentence, with ids f1.. and e1.. in text order."""
    lex = res.vocab["lexicon"]

    def run(text: str) -> dict[str, list[str]]:
        doc = res.nlp(text)
        figures = {f"f{n}": m for n, m in enumerate(find_figures(doc, find_quantities(text, lex), lex), 1)}
        events = {f"e{n}": m for n, m in enumerate(detect_events(doc, res.vocab["events"]), 1)}
        assert figures, "no figure found"
        assert events, "no event found"
        return link_figures(figures, events, res.vocab["events"])

    return run


# --- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Some 40,000 people fled following the army's takeover of the district.", id="following"),
        pytest.param("More than 3,000 residents were displaced by the fighting in the north.", id="passive-by"),
        pytest.param(
            "As a result of the shelling, some 2,500 households have been displaced from the valley.",
            id="as-a-result-of",
        ),
        pytest.param("An estimated 9,000 villagers were displaced due to fighting between two militias.", id="due-to"),
        pytest.param("About 1,200 families fled their homes because of the airstrikes.", id="because-of"),
        pytest.param("Some 6,000 people fled amid heavy shelling of the town.", id="amid"),
        pytest.param("Over 20,000 refugees have arrived in Chad since the start of the war.", id="bridge-noun"),
        pytest.param("About 7,000 people have fled the fighting since Monday.", id="object-of-flee"),
        pytest.param("The shelling forced 6,000 residents to flee their homes.", id="causative-subject"),
        pytest.param("About 4,000 people fled after gunmen attacked the village.", id="marked-clause"),
        pytest.param("More than 800 people fled when fighting erupted in the town.", id="when-clause"),
        pytest.param("Gunmen attacked the village on Sunday, forcing 2,000 people to flee.", id="participle"),
    ],
)
def test_words_of_cause_link_figure_to_event(links: Links, text: str) -> None:
    """The sentence says the event caused the displacement: the figure points at it."""
    assert links(text) == {"f1": ["e1"]}


def test_flight_to_a_place_where_fighting_began_is_not_caused_by_it(links: Links) -> None:
    """Only words of cause on the path count: a relative clause about the destination does not."""
    assert links("About 5,000 people fled to the town, where fighting broke out after the attack.") == {}


def test_two_clauses_with_their_own_subjects_are_not_linked(links: Links) -> None:
    """"X attacked and people fled" is told in sequence, not as cause; no link without a word of cause."""
    assert links("The army attacked the rebels and 2,000 people fled to the hills.") == {}


def _event(event_id: str, **kw: object) -> Event:
    data: dict[str, object] = {
        "doc_id": "d",
        "id": event_id,
        "event_type": "battles",
        "sub_event_type": "armed_clash",
        "evidence": Evidence(text="x", start=0, end=1),
        "confidence": 0.8,
    }
    data.update(kw)
    return Event.model_validate(data)


def _figure(figure_id: str, start: int, date: DatePeriod | None = None, value: int = 500) -> Figure:
    return Figure(
        doc_id="d",
        id=figure_id,
        quantity=Quantity(value=value, low=value, high=value, text=f"{value:,}"),
        unit="person",
        term="displaced",
        date=date,
        evidence=Evidence(text="y", start=start, end=start + 1),
        confidence=0.9,
    )


def test_attach_figures_fills_the_event_figures_field() -> None:
    events = attach_figures([_event("d#e1"), _event("d#e2")], {"d#f1": ["d#e2"]})
    assert [e.figures for e in events] == [[], ["d#f1"]]


def test_attach_figures_drops_links_to_figures_not_published() -> None:
    """A figure below the confidence threshold has no record: no event may point at its id."""
    events = attach_figures([_event("d#e1")], {"d#f1": ["d#e1"], "d#f2": ["d#e1"]}, kept=["d#f2"])
    assert events[0].figures == ["d#f2"]


# --- order --------------------------------------------------------------------------------------


def _day(iso: str) -> DatePeriod:
    return DatePeriod(start=iso, end=iso, precision="day")


def test_records_sort_by_date_with_historic_periods_by_their_start() -> None:
    """A war of 1990-1995 comes before a 1993 figure: the period starts earlier."""
    war = _event("d#e1", date=DatePeriod(start="1990-01-01", end="1995-12-31", precision="period"))
    figure = _figure("d#f1", 0, DatePeriod(start="1993-01-01", end="1993-12-31", precision="year"))
    recent = _event("d#e2", date=_day("2021-04-02"))
    assert [r.id for r in order_records([recent, figure, war])] == ["d#e1", "d#f1", "d#e2"]


def test_undated_records_come_last() -> None:
    dated = _figure("d#f2", 50, _day("2020-05-01"))
    assert [r.id for r in order_records([_figure("d#f1", 0), dated])] == ["d#f2", "d#f1"]


def test_event_comes_before_figures_of_the_same_day() -> None:
    """On one date the cause is listed before its effect, whatever the text order."""
    figure = _figure("d#f1", 0, _day("2020-05-01"))
    event = _event("d#e1", date=_day("2020-05-01"), evidence=Evidence(text="x", start=90, end=91))
    assert [r.id for r in order_records([figure, event])] == ["d#e1", "d#f1"]


def test_undated_event_sorts_by_the_figures_it_caused() -> None:
    """It happened by the time of its consequence; it is not thrown to the end."""
    event = _event("d#e1", figures=["d#f2"])
    early = _figure("d#f1", 0, _day("2020-01-01"))
    caused = _figure("d#f2", 10, _day("2020-06-01"))
    assert [r.id for r in order_records([caused, event, early])] == ["d#f1", "d#e1", "d#f2"]


def test_other_record_types_are_left_out() -> None:
    from uprooted.records import Document

    assert order_records([Document(doc_id="d")]) == []


# --- rendering ----------------------------------------------------------------------------------


def test_event_is_described_by_type_and_both_sides() -> None:
    event = _event(
        "d#e1",
        actors=[Actor(role="actor1", name="Military Forces of Chad"), Actor(role="actor2", name="Rebel group")],
    )
    assert describe_event(event) == "battles/armed_clash: Military Forces of Chad vs Rebel group"


def test_figure_is_described_by_quantity_unit_and_term() -> None:
    assert describe_figure(_figure("d#f1", 0, value=12345)) == "12,345 person displaced"


def test_printed_timeline_shows_period_kind_and_link() -> None:
    war = _event("d#e1", date=DatePeriod(start="1990-01-01", end="1995-12-31", precision="period"), figures=["d#f1"])
    console = Console(record=True, width=200)
    print_timeline([_figure("d#f1", 0, _day("1996-03-01")), war], console)
    text = console.export_text()
    assert "1990 – 1995" in text
    assert text.index("e1") < text.index("f1")
    assert "500 person displaced ← e1" in text
