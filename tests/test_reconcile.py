"""Reconciliation across documents: which figures are one movement, and which one to publish."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from uprooted.errors import ResourceError
from uprooted.reconcile import ReconcileRules, load_rules, reconcile, with_verdicts
from uprooted.reconcile.rules import HouseholdSize, HouseholdSizes, TermRules
from uprooted.records import DatePeriod, Document, Evidence, Figure, Location, Quantity, Source, to_json

RULES = load_rules()


def _doc(doc_id: str, published: str | None = "2031-05-10", category: str = "conflict",
         url: str | None = None) -> Document:
    return Document(doc_id=doc_id, published=published, category=category, url=url)  # type: ignore[arg-type]


def _fig(fid: str, value: int, *, text: str | None = None, qualifier: str = "exact", term: str = "forced_to_flee",
         unit: str = "person", iso3: str = "XKA", dest: str | None = None, date: str | None = None,
         start: str | None = None, source: str | None = None, same_as: tuple[str, ...] = (),
         sentence: str | None = None, **extra: Any) -> Figure:
    doc_id = fid.split("#")[0]
    locations = [Location(role="origin" if dest else "location", name="Velmora", iso3=iso3, level="country")]
    if dest:
        locations.append(Location(role="destination", name="Ostrakand", iso3=dest, level="country"))
    period = (DatePeriod(start=start or date, end=date, precision="period" if start else "day",
                         text=f"since {start}" if start else f"on {date}") if date else None)
    return Figure(
        doc_id=doc_id, id=fid, unit=unit, term=term,  # type: ignore[arg-type]
        quantity=Quantity(value=value, low=value, high=value, qualifier=qualifier,  # type: ignore[arg-type]
                          text=text or f"{value:,}"),
        locations=locations, date=period, source=Source(name=source) if source else None,
        evidence=Evidence(text=sentence or f"{value:,} people fled Velmora.", start=0, end=10), confidence=0.8,
        same_as=list(same_as), **extra,
    )


def _run(*docs: tuple[Document, list[Figure]], rules: ReconcileRules = RULES) -> dict[str, Any]:
    return reconcile(list(docs), rules)


# --- grouping ----------------------------------------------------------------------------------


def test_cross_document_restatements_join_one_group() -> None:
    """"70,000 fled", "over 70,000" and "70,212 crossed" in three reports count one movement."""
    v = _run(
        (_doc("a", "2031-05-01"), [_fig("a#f1", 70_000, date="2031-05-01")]),
        (_doc("b", "2031-05-02"), [_fig("b#f1", 70_000, qualifier="more_than", date="2031-05-02")]),
        (_doc("c", "2031-05-02"), [_fig("c#f1", 70_212, term="refugee", dest="XKB", date="2031-05-02")]),
    )
    assert v["a#f1"].group == v["b#f1"].group == v["c#f1"].group


def test_group_id_does_not_depend_on_document_order() -> None:
    """Ids are hashed from the members, so a store that reads documents in another order keeps them."""
    a = (_doc("a", "2031-05-01"), [_fig("a#f1", 5_000, date="2031-05-01")])
    b = (_doc("b", "2031-05-03"), [_fig("b#f1", 6_000, date="2031-05-03")])
    assert _run(a, b)["a#f1"].group == _run(b, a)["a#f1"].group


def test_same_as_links_land_in_one_group() -> None:
    """The extractor's within-document restatements stay together even across terms."""
    v = _run((_doc("a"), [_fig("a#f1", 3_000, same_as=("a#f2",)), _fig("a#f2", 2_000, term="evacuated",
                                                                       same_as=("a#f1",))]))
    assert v["a#f1"].group == v["a#f2"].group


def test_unlinked_figures_of_one_document_are_different_groups() -> None:
    """A report that gives 2,000 and 9,000 of one measure gives two counts, not two guesses at one."""
    v = _run((_doc("a"), [_fig("a#f1", 2_000), _fig("a#f2", 9_000)]))
    assert v["a#f1"].group != v["a#f2"].group


def test_close_values_of_one_document_are_one_statement() -> None:
    """"About 50,000" in the lead and "48,900" in the body restate each other."""
    v = _run((_doc("a"), [_fig("a#f1", 50_000, qualifier="approximately"), _fig("a#f2", 48_900)]))
    assert v["a#f1"].group == v["a#f2"].group


def test_different_countries_are_different_groups() -> None:
    v = _run((_doc("a"), [_fig("a#f1", 4_000, iso3="XKA")]), (_doc("b"), [_fig("b#f1", 4_000, iso3="XKC")]))
    assert v["a#f1"].group != v["b#f1"].group


def test_figure_without_a_country_may_join_one_with_a_country() -> None:
    """A headline without a place ("6,000 flee") is compared with the located reports too."""
    bare = _fig("b#f1", 6_000, date="2031-05-03").model_copy(update={"locations": []})
    v = _run((_doc("a", "2031-05-01"), [_fig("a#f1", 5_000, date="2031-05-01")]), (_doc("b", "2031-05-03"), [bare]))
    assert v["a#f1"].group == v["b#f1"].group


def test_vague_count_is_never_recommended_over_a_figure() -> None:
    """"Tens of thousands" later than "12,400" is not the figure to publish."""
    words = _fig("b#f1", 20_000, text="tens of thousands", date="2031-05-09").model_copy(
        update={"quantity": Quantity(value=20_000, low=20_000, high=90_000, qualifier="approximately",
                                     text="tens of thousands")})
    v = _run((_doc("a", "2031-05-01"), [_fig("a#f1", 12_400, date="2031-05-01")]), (_doc("b", "2031-05-09"), [words]))
    assert v["a#f1"].group == v["b#f1"].group
    assert v["a#f1"].recommended and v["b#f1"].why == "a count in words only, not a figure to publish"


def test_a_reports_breakdown_by_area_joins_no_other_report() -> None:
    """Three counts of one measure for one day, none restating another, count three areas: another
    report's 8,100 is not the first area's count."""
    parts = [_fig(f"a#f{n}", value, term="destroyed_housing", unit="dwelling", date="2031-05-10")
             for n, value in enumerate((8_000, 3_000, 1_200), start=1)]
    v = _run((_doc("a", "2031-05-10", category="disaster"), parts),
             (_doc("b", "2031-05-12", category="disaster"),
              [_fig("b#f1", 8_100, term="destroyed_housing", unit="dwelling", date="2031-05-11")]))
    assert v["b#f1"].group not in {v["a#f1"].group, v["a#f2"].group, v["a#f3"].group}


def test_two_counts_of_one_report_are_no_breakdown() -> None:
    v = _run((_doc("a", "2031-05-10", category="disaster"),
              [_fig(f"a#f{n}", value, term="destroyed_housing", unit="dwelling", date="2031-05-10")
               for n, value in enumerate((8_000, 1_200), start=1)]),
             (_doc("b", "2031-05-12", category="disaster"),
              [_fig("b#f1", 8_100, term="destroyed_housing", unit="dwelling", date="2031-05-11")]))
    assert v["b#f1"].group == v["a#f1"].group


def test_people_and_households_are_different_groups() -> None:
    """Households are another unit: they are converted in the why, never merged with people."""
    v = _run((_doc("a"), [_fig("a#f1", 4_000)]), (_doc("b"), [_fig("b#f1", 4_000, unit="household")]))
    assert v["a#f1"].group != v["b#f1"].group


def test_households_and_dwellings_may_join() -> None:
    """IDMC counts destroyed houses and households together (score.py's UNIT map)."""
    v = _run((_doc("a"), [_fig("a#f1", 700, unit="household", term="destroyed_housing")]),
             (_doc("b"), [_fig("b#f1", 720, unit="dwelling", term="destroyed_housing")]))
    assert v["a#f1"].group == v["b#f1"].group


def test_returns_never_join_displacement() -> None:
    v = _run((_doc("a"), [_fig("a#f1", 4_000)]), (_doc("b"), [_fig("b#f1", 4_000, term="returned")]))
    assert v["a#f1"].group != v["b#f1"].group


def test_fled_and_refugees_join_when_people_crossed() -> None:
    """"4,000 fled the region" and "4,000 refugees arrived" count the same people."""
    v = _run((_doc("a"), [_fig("a#f1", 4_000)]), (_doc("b"), [_fig("b#f1", 4_000, term="refugee", dest="XKB")]))
    assert v["a#f1"].group == v["b#f1"].group


def test_refugees_in_different_countries_of_arrival_are_different_groups() -> None:
    """"Refugees from Velmora in Ostrakand" arrived in Ostrakand: not the arrivals of another neighbour."""
    elsewhere = _fig("b#f1", 4_000, term="refugee", dest="XKB")
    elsewhere = elsewhere.model_copy(update={"locations": [
        Location(role="origin", name="Velmora", iso3="XKA", level="country"),
        Location(role="location", name="Brenholm", iso3="XKC", level="country")]})
    v = _run((_doc("a"), [_fig("a#f1", 4_000, term="refugee", dest="XKB")]), (_doc("b"), [elsewhere]))
    assert v["a#f1"].group != v["b#f1"].group


def test_internal_displacement_never_joins_refugees() -> None:
    """Displaced "within the country" are not the refugees of another report, however close the numbers."""
    v = _run((_doc("a"), [_fig("a#f1", 4_000, displacement="internal")]),
             (_doc("b"), [_fig("b#f1", 4_000, term="refugee", dest="XKB")]))
    assert v["a#f1"].group != v["b#f1"].group


def test_conflict_and_disaster_are_different_groups() -> None:
    v = _run((_doc("a", category="conflict"), [_fig("a#f1", 4_000)]),
             (_doc("b", category="disaster"), [_fig("b#f1", 4_000)]))
    assert v["a#f1"].group != v["b#f1"].group


def _said(f: Figure, sentence: str) -> Figure:
    return f.model_copy(update={"evidence": Evidence(text=sentence, start=0, end=len(sentence))})


def test_an_earthquake_and_a_flood_are_different_groups() -> None:
    """Two disasters in one country and month: the hazard each sentence names keeps them apart."""
    v = _run((_doc("a", category="disaster"), [_said(_fig("a#f1", 4_000), "The earthquake displaced 4,000.")]),
             (_doc("b", category="disaster"), [_said(_fig("b#f1", 4_100), "Floods displaced 4,100 people.")]))
    assert v["a#f1"].group != v["b#f1"].group


def test_a_storm_and_its_floods_are_one_hazard() -> None:
    """One storm brings wind, floods and landslides; reports name whichever they saw."""
    v = _run((_doc("a", category="disaster"), [_said(_fig("a#f1", 4_000), "The cyclone displaced 4,000.")]),
             (_doc("b", category="disaster"), [_said(_fig("b#f1", 4_100), "Floods displaced 4,100 people.")]))
    assert v["a#f1"].group == v["b#f1"].group


def test_periods_months_apart_are_different_groups() -> None:
    v = _run((_doc("a", "2031-01-05"), [_fig("a#f1", 4_000, date="2031-01-05")]),
             (_doc("b", "2031-09-05"), [_fig("b#f1", 4_000, date="2031-09-05")]))
    assert v["a#f1"].group != v["b#f1"].group


def test_a_later_smaller_cumulative_count_is_another_measure() -> None:
    """A flow count only grows: "3,000 arrived today" after "90,000 have arrived" is a day's count."""
    v = _run((_doc("a", "2031-05-01"), [_fig("a#f1", 90_000, date="2031-05-01")]),
             (_doc("b", "2031-05-20"), [_fig("b#f1", 3_000, date="2031-05-20")]))
    assert v["a#f1"].group != v["b#f1"].group


def _day_count(fid: str, value: int, day: str, text: str | None = None) -> Figure:
    """A flow the text dates to one day ("crossed on Sunday")."""
    fig = _fig(fid, value, date=day, kind="flow")
    return fig.model_copy(update={"date": DatePeriod(start=day, end=day, precision="day", text=text or "on Sunday")})


def test_a_days_count_joins_the_running_count_it_adds_to() -> None:
    """"3,000 crossed on Sunday" a week after "90,000 since 1 May" is that movement's arrivals of the day."""
    v = _run((_doc("a", "2031-05-10"), [_fig("a#f1", 90_000, start="2031-05-01", date="2031-05-10", kind="flow")]),
             (_doc("b", "2031-05-17"), [_day_count("b#f1", 3_000, "2031-05-17")]))
    assert v["a#f1"].group == v["b#f1"].group


def test_a_days_count_is_never_recommended_over_the_running_count() -> None:
    v = _run((_doc("a", "2031-05-10"), [_fig("a#f1", 90_000, start="2031-05-01", date="2031-05-10", kind="flow")]),
             (_doc("b", "2031-05-17"), [_day_count("b#f1", 3_000, "2031-05-17")]))
    assert v["a#f1"].recommended
    assert v["b#f1"].why == "a day's count, part of the movement the group's running count totals"


def test_a_total_and_its_days_counts_in_one_report_join_one_group() -> None:
    """A report giving the total since the start and the arrivals of two days tells of one movement
    (joined through the other reports of it: alone, a report's counts are not compared)."""
    v = _run((_doc("a", "2031-05-10"), [
        _fig("a#f1", 90_000, start="2031-05-01", date="2031-05-10", kind="flow"),
        _day_count("a#f2", 8_000, "2031-05-09", "on Saturday"), _day_count("a#f3", 5_000, "2031-05-10")]),
        (_doc("b", "2031-05-12"), [_fig("b#f1", 97_000, start="2031-05-01", date="2031-05-12", kind="flow")]))
    assert v["a#f1"].group == v["a#f2"].group == v["a#f3"].group == v["b#f1"].group


def test_a_rate_joins_the_total_it_adds_to_and_is_never_recommended() -> None:
    """"12,000 were arriving per day" in a report of the 90,000 who arrived is a part of that movement."""
    v = _run((_doc("a", "2031-05-10"), [
        _fig("a#f1", 90_000, term="refugee", dest="XKB", start="2031-05-01", date="2031-05-10", kind="flow"),
        _fig("a#f2", 12_000, term="refugee", dest="XKB", kind="flow",
             sentence="At the peak, 12,000 people were arriving per day, the agency said.")]),
        (_doc("b", "2031-05-12"), [_fig("b#f1", 95_000, term="refugee", dest="XKB", start="2031-05-01",
                                        date="2031-05-12", kind="flow")]))
    assert v["a#f1"].group == v["a#f2"].group == v["b#f1"].group
    assert not v["a#f2"].recommended


def test_a_count_of_those_still_displaced_never_joins_a_count_of_those_who_fled() -> None:
    """"40,000 remain displaced" a month after "45,000 fled" counts the people still away, not the flight."""
    v = _run((_doc("a", "2031-05-10"), [_fig("a#f1", 45_000, date="2031-05-10", kind="flow")]),
             (_doc("b", "2031-06-01"), [_fig("b#f1", 46_000, term="displaced", kind="stock",
                                             sentence="Some 46,000 people remain displaced in the valley.")]))
    assert v["a#f1"].group != v["b#f1"].group


def test_homes_damaged_or_destroyed_are_one_measure_of_their_own() -> None:
    """"Damaged or destroyed" counts join each other whatever term each report chose, and never a count
    of destroyed homes alone."""
    both = "the floods damaged or destroyed {:,} houses."
    v = _run((_doc("a", "2031-05-10", category="disaster"), [
        _fig("a#f1", 20_000, term="destroyed_housing", unit="dwelling", sentence=both.format(20_000)),
        _fig("a#f2", 6_000, term="destroyed_housing", unit="dwelling",
             sentence="Some 6,000 houses were destroyed.")]),
        (_doc("b", "2031-05-20", category="disaster"), [
            _fig("b#f1", 26_000, term="partially_destroyed_housing", unit="dwelling",
                 sentence=both.format(26_000))]))
    assert v["a#f1"].group == v["b#f1"].group
    assert v["a#f2"].group != v["a#f1"].group


def test_combined_class_of_unknown_classes_is_refused() -> None:
    data = RULES.terms.model_dump()
    data["combined_classes"] = {"mixed": {"of": ["moved", "no_such_class"], "words": ["this or that"]}}
    with pytest.raises(ValidationError, match="combined class 'mixed'"):
        TermRules.model_validate(data)


def test_a_count_as_of_a_day_is_a_running_total_not_a_days_count() -> None:
    """"3,000 as of Sunday" after "90,000" is a smaller running count: another measure."""
    v = _run((_doc("a", "2031-05-10"), [_fig("a#f1", 90_000, start="2031-05-01", date="2031-05-10", kind="flow")]),
             (_doc("b", "2031-05-17"), [_day_count("b#f1", 3_000, "2031-05-17", "as of Sunday")]))
    assert v["a#f1"].group != v["b#f1"].group


def test_a_day_named_long_before_the_report_is_no_days_count() -> None:
    """"90,000 fled after fighting began on 15 April", in a report of late May, is a total: smaller than
    an earlier report's 200,000, it is another measure, not that movement's arrivals of a day."""
    v = _run((_doc("a", "2031-05-20"), [_fig("a#f1", 200_000, start="2031-04-15", date="2031-05-20", kind="flow")]),
             (_doc("b", "2031-05-25"), [_day_count("b#f1", 90_000, "2031-04-15", "on 15 April")]))
    assert v["a#f1"].group != v["b#f1"].group


def test_a_month_long_period_is_near_a_report_of_its_first_days() -> None:
    """A count "in June" covers the whole month: a report of 20 April is 42 days from it, not 71."""
    month = _fig("b#f1", 61_000, date="2031-06-30")
    month = month.model_copy(update={"date": DatePeriod(start="2031-06-01", end="2031-06-30", precision="month",
                                                        text="in June")})
    v = _run((_doc("a", "2031-04-20"), [_fig("a#f1", 20_000, date="2031-04-20")]), (_doc("b", "2031-07-02"), [month]))
    assert v["a#f1"].group == v["b#f1"].group


def test_a_calendar_month_is_no_baseline() -> None:
    """"In June" names when, not since when: it does not split a count from one "since 1 June"."""
    month = _fig("b#f1", 61_000, date="2031-06-30")
    month = month.model_copy(update={"date": DatePeriod(start="2031-06-01", end="2031-06-30", precision="month",
                                                        text="in June")})
    v = _run((_doc("a", "2031-06-20"), [_fig("a#f1", 60_000, start="2031-04-15", date="2031-06-20")]),
             (_doc("b", "2031-06-30"), [month]))
    assert v["a#f1"].group == v["b#f1"].group


def test_a_running_count_is_ordered_by_publication() -> None:
    """"90,000 fled last week" in a report of the 30th is the count of the 30th: a report of the 27th
    with 60,000 is earlier, not a larger count that later shrank."""
    v = _run((_doc("a", "2031-05-27"), [_fig("a#f1", 60_000, date="2031-05-27")]),
             (_doc("b", "2031-05-30"), [_fig("b#f1", 90_000, start="2031-05-18", date="2031-05-24")]))
    assert v["a#f1"].group == v["b#f1"].group


def test_a_stock_may_fall_and_stay_one_group() -> None:
    """People in shelters leave them: a smaller later count of the sheltered is the same stock."""
    v = _run((_doc("a", "2031-05-01"), [_fig("a#f1", 9_000, term="sheltered", date="2031-05-01")]),
             (_doc("b", "2031-05-20"), [_fig("b#f1", 6_000, term="sheltered", date="2031-05-20")]))
    assert v["a#f1"].group == v["b#f1"].group


def test_counts_from_different_stated_starts_are_different_groups() -> None:
    """"Since January" and "since 3 May" count from different baselines."""
    v = _run((_doc("a", "2031-10-25"), [_fig("a#f1", 60_000, start="2031-03-01", date="2031-10-25")]),
             (_doc("b", "2031-10-26"), [_fig("b#f1", 61_000, start="2031-10-20", date="2031-10-26")]))
    assert v["a#f1"].group != v["b#f1"].group


# --- recommendation ----------------------------------------------------------------------------


def test_one_figure_per_group_is_recommended() -> None:
    v = _run((_doc("a", "2031-05-01"), [_fig("a#f1", 5_000, date="2031-05-01")]),
             (_doc("b", "2031-05-03"), [_fig("b#f1", 6_000, date="2031-05-03")]),
             (_doc("c", "2031-05-06"), [_fig("c#f1", 8_000, date="2031-05-06")]))
    assert [fid for fid, x in v.items() if x.recommended] == ["c#f1"]


def test_latest_cumulative_report_supersedes_earlier_ones() -> None:
    v = _run((_doc("a", "2031-05-01"), [_fig("a#f1", 5_000, date="2031-05-01", source="OCHA")]),
             (_doc("b", "2031-05-09"), [_fig("b#f1", 12_000, qualifier="approximately", date="2031-05-09")]))
    assert v["b#f1"].recommended
    assert "superseded by the later 12,000" in v["a#f1"].why


def test_rounded_restatement_never_beats_the_precise_figure() -> None:
    """"More than 70,000" a week after "70,212" adds no news; the precise count stays recommended."""
    v = _run((_doc("a", "2031-05-01"), [_fig("a#f1", 70_212, date="2031-05-01")]),
             (_doc("b", "2031-05-08"), [_fig("b#f1", 70_000, qualifier="more_than", date="2031-05-08")]))
    assert v["a#f1"].recommended
    assert v["b#f1"].why == "a rounded restatement of the more precise 70,212 (a#f1)"


def test_later_round_figure_above_a_precise_one_is_an_update() -> None:
    """"About 250,000" a week after "more than 246,310" says the count grew: it is the news."""
    v = _run((_doc("a", "2031-05-01"), [_fig("a#f1", 246_310, qualifier="more_than", date="2031-05-01")]),
             (_doc("b", "2031-05-08"), [_fig("b#f1", 250_000, qualifier="approximately", date="2031-05-08")]))
    assert v["b#f1"].recommended


def test_an_excluded_figure_keeps_its_group_but_is_never_recommended() -> None:
    """An analyst's rejection decides what is published, not which movement the report told of."""
    docs = [(_doc("a", "2031-05-01"), [_fig("a#f1", 5_000, date="2031-05-01")]),
            (_doc("b", "2031-05-09"), [_fig("b#f1", 12_000, date="2031-05-09")])]
    v = reconcile(docs, RULES, excluded={"b#f1": "rejected by an analyst"})
    assert v["a#f1"].group == v["b#f1"].group
    assert (v["a#f1"].recommended, v["b#f1"].recommended) == (True, False)
    assert v["b#f1"].why == "rejected by an analyst"
    assert v["a#f1"].why.endswith("b#f1): rejected by an analyst")


def test_a_group_of_excluded_figures_has_none_recommended() -> None:
    v = reconcile([(_doc("a"), [_fig("a#f1", 5_000, date="2031-05-09")])], RULES,
                  excluded={"a#f1": "rejected by an analyst"})
    assert v["a#f1"].recommended is False
    assert v["a#f1"].why == ("no figure to publish: 5,000 person forced_to_flee (exact; 2031-05-09; a#f1): "
                             "rejected by an analyst")


def test_the_same_figure_in_a_later_report_is_the_one_recommended() -> None:
    """Two reports repeat one count of one moment: the later confirms it, and says so."""
    v = _run((_doc("a", "2031-05-10"), [_fig("a#f1", 7_000, date="2031-05-09")]),
             (_doc("b", "2031-05-12"), [_fig("b#f1", 7_000, date="2031-05-09")]))
    assert v["b#f1"].recommended
    assert v["a#f1"].why == "the same figure as b#f1, which a later report gives"


def test_government_beats_media_at_the_same_moment() -> None:
    v = _run((_doc("a"), [_fig("a#f1", 7_000, date="2031-05-09", source="Reuters")]),
             (_doc("b"), [_fig("b#f1", 6_500, date="2031-05-09", source="Ministry of the Interior")]))
    assert v["b#f1"].recommended


def test_exact_beats_approximate_at_the_same_moment_and_authority() -> None:
    v = _run((_doc("a"), [_fig("a#f1", 7_000, qualifier="approximately", date="2031-05-09")]),
             (_doc("b"), [_fig("b#f1", 6_912, date="2031-05-09")]))
    assert v["b#f1"].recommended


def test_user_authority_file_replaces_the_default(tmp_path: Path) -> None:
    """Which source to trust is the analyst's call: ranking media first makes the media figure win."""
    path = tmp_path / "authority.yaml"
    path.write_text("classes:\n  - {name: wire, rank: 9, words: [Reuters]}\ndefault_rank: 1\n", encoding="utf-8")
    v = _run((_doc("a"), [_fig("a#f1", 7_000, date="2031-05-09", source="Reuters")]),
             (_doc("b"), [_fig("b#f1", 6_500, date="2031-05-09", source="Ministry of the Interior")]),
             rules=load_rules(path))
    assert v["a#f1"].recommended


def test_invalid_user_authority_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "authority.yaml"
    path.write_text("classes:\n  - {name: wire, rank: high}\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"invalid authority file .*authority\.yaml"):
        load_rules(path)


def test_publisher_domain_gives_authority_to_its_own_voice() -> None:
    """A UN situation report states figures in its own voice: its domain ranks it above a newspaper."""
    v = _run((_doc("a", url="https://www.unhcr.org/news/x"), [_fig("a#f1", 7_000, date="2031-05-09")]),
             (_doc("b", url="https://daily.example.com/y"), [_fig("b#f1", 7_400, date="2031-05-09")]))
    assert v["a#f1"].recommended


def test_contradiction_is_flagged_not_averaged() -> None:
    """Two reports of one day, far apart: the group says so, and publishes one of them, unchanged."""
    v = _run((_doc("a"), [_fig("a#f1", 20_000, date="2031-05-09", source="OCHA")]),
             (_doc("b"), [_fig("b#f1", 60_000, date="2031-05-09", qualifier="approximately")]))
    assert v["a#f1"].group == v["b#f1"].group
    assert v["a#f1"].contradiction and "a#f1 (20,000) and b#f1 (60,000)" in v["a#f1"].contradiction
    assert v["a#f1"].recommended and "contradiction:" in v["a#f1"].why


def test_a_count_grown_by_the_next_day_is_no_contradiction() -> None:
    """70,000 on one day and 96,000 the next is a running count, not two sources disagreeing."""
    v = _run((_doc("a", "2031-05-08"), [_fig("a#f1", 70_000, date="2031-05-08")]),
             (_doc("b", "2031-05-09"), [_fig("b#f1", 96_000, date="2031-05-09")]))
    assert v["a#f1"].group == v["b#f1"].group and v["a#f1"].contradiction is None


def test_agreeing_reports_raise_no_contradiction() -> None:
    v = _run((_doc("a"), [_fig("a#f1", 20_000, date="2031-05-09")]),
             (_doc("b"), [_fig("b#f1", 21_000, date="2031-05-09")]))
    assert v["a#f1"].contradiction is None


def test_why_lists_every_figure_considered() -> None:
    v = _run((_doc("a", "2031-05-01"), [_fig("a#f1", 5_000, date="2031-05-01")]),
             (_doc("b", "2031-05-06"), [_fig("b#f1", 6_000, date="2031-05-06")]),
             (_doc("c", "2031-05-12"), [_fig("c#f1", 8_000, date="2031-05-12")]))
    why = v["c#f1"].why
    assert why.startswith("recommended 8,000 person forced_to_flee")
    assert "(exact; 2031-05-01; a#f1): superseded" in why and "(exact; 2031-05-06; b#f1): superseded" in why


def test_smaller_report_of_the_same_moment_says_so() -> None:
    v = _run((_doc("a"), [_fig("a#f1", 8_120, date="2031-05-09")]),
             (_doc("b"), [_fig("b#f1", 7_940, date="2031-05-10")]))
    assert v["b#f1"].why == "same moment and standing, smaller than 8,120"


def test_household_count_is_shown_with_the_people_it_stands_for() -> None:
    """Both numbers are kept: the household figure stays as stated, the why adds the people."""
    sizes = HouseholdSizes(countries={"XKA": HouseholdSize(size=5.0, year=2030)})
    rules = RULES.model_copy(update={"households": sizes})
    v = _run((_doc("a"), [_fig("a#f1", 1_200, unit="household")]), rules=rules)
    assert "1,200 household" in v["a#f1"].why
    assert "= about 6,000 people at 5.0 per household (XKA, UN DESA household size 2030)" in v["a#f1"].why


def test_household_count_without_a_size_on_file_is_not_converted() -> None:
    v = _run((_doc("a"), [_fig("a#f1", 1_200, unit="household", iso3="XKZ")]))
    assert "not converted to people" in v["a#f1"].why


# --- records and inputs ------------------------------------------------------------------------


def test_with_verdicts_sets_why_on_the_recommended_figure_only() -> None:
    figs = [_fig("a#f1", 5_000, date="2031-05-01")]
    more = [_fig("b#f1", 6_000, date="2031-05-03")]
    v = _run((_doc("a", "2031-05-01"), figs), (_doc("b", "2031-05-03"), more))
    out = {f.id: f for f in with_verdicts(figs + more, v)}
    assert out["b#f1"].recommended is True and out["b#f1"].why
    assert out["a#f1"].recommended is False and out["a#f1"].why is None
    assert out["a#f1"].group == out["b#f1"].group == v["a#f1"].group


def test_unreconciled_figure_line_has_no_group_keys() -> None:
    """``extract`` output stays byte-identical: the three keys appear only once set."""
    line = to_json(_fig("a#f1", 5_000))
    assert not {"group", "recommended", "why"} & set(line)
    json.dumps(line)


def test_projections_get_no_verdict() -> None:
    """A forecast ("could displace 50,000") is not a report of a movement."""
    v = _run((_doc("a"), [_fig("a#f1", 50_000, projection=True), _fig("a#f2", 700)]))
    assert set(v) == {"a#f2"}


def test_duplicate_figure_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="figure id 'a#f1' appears twice"):
        _run((_doc("a"), [_fig("a#f1", 5_000)]), (_doc("a"), [_fig("a#f1", 5_000)]))


def test_term_in_two_classes_is_refused() -> None:
    """A term in two classes would make grouping depend on the order of the file."""
    raw = RULES.terms.model_dump()
    raw["term_classes"]["sheltered"] = [*raw["term_classes"]["sheltered"], "displaced"]
    with pytest.raises(ValidationError, match="term 'displaced' is in classes"):
        TermRules.model_validate(raw)
