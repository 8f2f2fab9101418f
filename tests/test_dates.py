"""Dates stage: every date anchored to the publication date, and the date a figure refers to.

Each test invents its own sentence. ``PUB`` is a Tuesday, so weekday arithmetic is visible.
"""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from uprooted.dates import DateMention, at_report_time, figure_date, find_dates, publication_period, report_period
from uprooted.records import DatePeriod
from uprooted.resources import Resources

PUB = dt.date(2023, 10, 3)  # a Tuesday


@pytest.fixture(scope="session")
def nlp(res: Resources) -> Language:
    return res.nlp  # type: ignore[no-any-return]


@pytest.fixture
def dates(nlp: Language):  # type: ignore[no-untyped-def]
    def run(text: str, pub: dt.date | None = PUB) -> list[DateMention]:
        return find_dates(nlp(text), pub)

    return run


def only(mentions: list[DateMention]) -> DatePeriod:
    assert len(mentions) == 1, [m.period for m in mentions]
    return mentions[0].period


def span(p: DatePeriod) -> tuple[str | None, str | None, str | None]:
    return p.start, p.end, p.precision


# --- days ----------------------------------------------------------------------------------------


def test_month_day_takes_the_publication_year(dates) -> None:  # type: ignore[no-untyped-def]
    p = only(dates("The camp opened on October 2."))
    assert span(p) == ("2023-10-02", "2023-10-02", "day")
    assert p.text == "on October 2"


def test_month_day_without_publication_keeps_text_and_no_dates(dates) -> None:  # type: ignore[no-untyped-def]
    """Nothing is guessed without a publication date: the year is unknown, so start and end are null."""
    p = only(dates("The camp opened on October 2.", None))
    assert span(p) == (None, None, "day")
    assert p.text == "on October 2"


def test_month_day_after_publication_is_last_year(dates) -> None:  # type: ignore[no-untyped-def]
    """News reports the past: "23 December" in an October paper is last December."""
    assert only(dates("Families fled on 23 December.")).start == "2022-12-23"


def test_ordinal_day_before_month_is_that_day(dates) -> None:  # type: ignore[no-untyped-def]
    """An earlier system read "28th October" as 2 November."""
    assert only(dates("They left on the 28th September.")).start == "2023-09-28"


def test_full_date_needs_no_publication(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("By 29 September 2017, the camps were full.", None))) == (
        "2017-09-29", "2017-09-29", "day")


def test_on_friday_is_the_friday_before_publication(dates) -> None:  # type: ignore[no-untyped-def]
    assert only(dates("Shelling began on Friday.")).start == "2023-09-29"


def test_friday_evening_is_in_the_week_before_publication(dates) -> None:  # type: ignore[no-untyped-def]
    """An earlier system put "Friday evening" in the wrong week."""
    assert only(dates("The dam broke on Friday evening.")).start == "2023-09-29"


def test_weekday_of_publication_is_publication_day(dates) -> None:  # type: ignore[no-untyped-def]
    assert only(dates("Officials said on Tuesday that the road was closed.")).start == "2023-10-03"


def test_weekday_without_publication_is_unresolved(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("Shelling began on Friday.", None))) == (None, None, "day")


def test_yesterday_is_the_day_before_publication(dates) -> None:  # type: ignore[no-untyped-def]
    assert only(dates("The river burst its banks yesterday.")).start == "2023-10-02"


def test_yesterday_without_publication_never_uses_the_clock(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("The river burst its banks yesterday.", None))) == (None, None, "day")


def test_days_ago_count_back_from_publication(dates) -> None:  # type: ignore[no-untyped-def]
    assert only(dates("The clashes erupted four days ago.")).start == "2023-09-29"


# --- weeks and months ----------------------------------------------------------------------------


def test_last_week_is_the_previous_monday_to_sunday(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("Hundreds left last week."))) == ("2023-09-25", "2023-10-01", "week")


def test_this_week_runs_from_monday_to_publication(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("Hundreds left this week."))) == ("2023-10-02", "2023-10-03", "week")


def test_last_month_is_the_previous_calendar_month(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("Homes were demolished last month."))) == ("2023-09-01", "2023-09-30", "month")


def test_earlier_this_month_runs_from_the_first_to_publication(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("Homes were demolished earlier this month."))) == (
        "2023-10-01", "2023-10-03", "month")


def test_last_month_without_publication_is_unresolved(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("Homes were demolished last month.", None))) == (None, None, "month")


def test_the_last_two_weeks_of_a_month(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("Landslides in the last two weeks of July cut the mountain road."))) == (
        "2023-07-18", "2023-07-31", "period")


def test_in_almost_two_weeks_runs_back_from_publication(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("Thousands fled the city in almost two weeks."))) == (
        "2023-09-19", "2023-10-03", "period")


def test_a_month_later_counts_from_the_date_before(dates) -> None:  # type: ignore[no-untyped-def]
    """Relative to the text's last date, so it needs no publication date."""
    got = dates("By 3 May 2019, the camp held many. A month later, it was empty.", None)
    assert got[1].period.start == "2019-06-03"


# --- periods and years ---------------------------------------------------------------------------


def test_between_dates_across_a_year_end(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("They were displaced between 12 November and 9 February."))) == (
        "2022-11-12", "2023-02-09", "period")


def test_between_dates_without_publication_is_unresolved(dates) -> None:  # type: ignore[no-untyped-def]
    p = only(dates("They were displaced between 12 November and 9 February.", None))
    assert span(p) == (None, None, "period")
    assert p.text == "between 12 November and 9 February"


def test_day_range_in_one_month(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("Villages burned between Aug. 18 and 21."))) == ("2023-08-18", "2023-08-21", "period")


def test_since_month_year_runs_to_publication(dates) -> None:  # type: ignore[no-untyped-def]
    p = only(dates("Many have fled since January 2016."))
    assert (span(p), only(dates("Many have fled since January 2016.")).text) == (
        ("2016-01-01", "2023-10-03", "period"), "since January 2016")


def test_since_without_publication_has_open_end(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("Many have fled since January 2016.", None))) == ("2016-01-01", None, "period")


def test_since_reaches_over_a_clause_to_its_date(dates) -> None:  # type: ignore[no-untyped-def]
    p = only(dates("Many have fled since fighting broke out on Sunday."))
    assert span(p) == ("2023-10-01", "2023-10-03", "period")


def test_in_year_is_the_whole_year(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("The town was rebuilt in 1994.", None))) == ("1994-01-01", "1994-12-31", "year")


def test_year_before_a_noun_is_that_year(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("Troops arrived after the 2020 war.", None))) == ("2020-01-01", "2020-12-31", "year")


def test_number_of_people_is_not_a_year(dates) -> None:  # type: ignore[no-untyped-def]
    assert dates("Officials counted 2019 people in the camp.") == []


def test_years_of_fighting_ended_in_a_year_is_a_period(dates) -> None:  # type: ignore[no-untyped-def]
    p = only(dates("After six years of fighting ended in 1994, a truce held.", None))
    assert span(p) == ("1988-01-01", "1994-12-31", "period")


def test_late_year_is_its_last_four_months(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("The offensive began in late 2014.", None))) == ("2014-09-01", "2014-12-31", "period")


# --- the date of a figure ------------------------------------------------------------------------


def figure(nlp: Language, text: str, number: str, pub: dt.date | None = PUB, kind: str = "flow") -> DatePeriod | None:
    doc = nlp(text)
    anchor = next(t for t in doc if t.text == number)
    return figure_date(anchor.sent, anchor, find_dates(doc, pub), publication_period(pub) if pub else None, kind=kind)


def test_reporting_date_dates_the_figure(nlp: Language) -> None:
    p = figure(nlp, "The ministry said on October 2 that 5,000 residents had crossed the border.", "5,000")
    assert p is not None and p.start == "2023-10-02"


def test_a_sentence_without_a_verb_still_dates_an_event(nlp: Language) -> None:
    """A headline has no verb for the walk up from the date to stop at: it stops at the root."""
    doc = nlp("Deadly clashes in the north on Monday")
    assert not any(t.pos_ in ("VERB", "AUX") for t in doc)
    anchor = next(t for t in doc if t.text == "clashes")
    p = figure_date(anchor.sent, anchor, find_dates(doc, PUB), publication_period(PUB), kind="flow",
                    reporting=frozenset({"say", "tell"}))
    assert p is not None and p.start == "2023-10-02"


def test_the_date_nearest_in_the_parse_wins(nlp: Language) -> None:
    """The flood's date, not the date of the earlier war mentioned in the same sentence."""
    text = "About 3,000 people fled on Monday, in a valley that was also hit in the 2020 war."
    p = figure(nlp, text, "3,000")
    assert p is not None and p.start == "2023-10-02"


def test_event_period_dates_the_figure(nlp: Language) -> None:
    p = figure(nlp, "About 1,200 people fled between 25 February and 3 March.", "1,200")
    assert p is not None and (p.start, p.end) == ("2023-02-25", "2023-03-03")


def test_undated_stock_takes_the_publication_date(nlp: Language) -> None:
    p = figure(nlp, "Some 4,000 people remain displaced.", "4,000", kind="stock")
    assert p is not None and (p.start, p.end, p.text) == ("2023-10-03", "2023-10-03", None)


def test_undated_figure_without_publication_has_no_date(nlp: Language) -> None:
    assert figure(nlp, "Some 4,000 people remain displaced.", "4,000", None, kind="stock") is None


def test_earlier_date_in_the_paragraph_carries_forward(nlp: Language) -> None:
    text = "Storms hit the coast on Sunday. Some 700 families were evacuated."
    p = figure(nlp, text, "700")
    assert p is not None and p.start == "2023-10-01"


def test_headline_takes_the_date_of_the_lead(nlp: Language) -> None:
    text = "Floods: 900 households displaced\n\nFloods last month displaced 900 households in the delta."
    p = figure(nlp, text, "900")
    assert p is not None and (p.start, p.end) == ("2023-09-01", "2023-09-30")


def test_range_start_takes_the_year_of_its_end(dates) -> None:  # type: ignore[no-untyped-def]
    p = only(dates("Raids went on between October and early November 2016.", None))
    assert span(p) == ("2016-10-01", "2016-11-10", "period")


def test_earlier_in_the_week_runs_from_monday_to_publication(dates) -> None:  # type: ignore[no-untyped-def]
    assert span(only(dates("Gunmen raided the village earlier in the week."))) == (
        "2023-10-02", "2023-10-03", "week")


# --- a report's own date ---------------------------------------------------------------------------


def test_a_report_title_gives_the_date_its_counts_stand_at(res: Resources) -> None:
    v = res.vocab["dates"]
    pub = dt.date(2021, 6, 14)
    p = report_period("Riverland: Floods Flash Update No. 4 (as of 11 June 2021)", pub, v)
    assert p is not None and (p.start, p.end, p.text) == ("2021-06-11", "2021-06-11", None)
    span = report_period("Eastvale - Rapid Assessment of New Arrivals (02-09 June 2021)", pub, v)
    assert span is not None and (span.start, span.end) == ("2021-06-02", "2021-06-09")
    timed = report_period("Hill Province Clashes Flash Update No. 1 (12 June 2021, 1400 hrs)", pub, v)
    assert timed is not None and timed.start == "2021-06-12"


def test_a_date_inside_a_headline_or_far_from_publication_is_not_the_reports(res: Resources) -> None:
    v = res.vocab["dates"]
    pub = dt.date(2021, 6, 14)
    assert report_period("The storms of 2 June have left thousands homeless in Riverland", pub, v) is None
    assert report_period("Riverland Floods Situation Report No. 2, 11 January 2021", pub, v) is None
    assert report_period("Riverland Floods Situation Report No. 2, 20 June 2021", pub, v) is None
    assert report_period(None, pub, v) is None


def test_currently_in_a_report_is_the_reports_date(nlp: Language, res: Resources) -> None:
    v = res.vocab["dates"]
    pub = dt.date(2021, 6, 14)
    doc = nlp("Displaced families currently live with relatives in the district (40 households).")
    report = report_period("Eastvale Flash Report (02-09 June 2021)", pub, v)
    dates = at_report_time(find_dates(doc, pub), report, v)
    anchor = next(t for t in doc if t.text == "40")
    p = figure_date(anchor.sent, anchor, dates, report, kind="stock")
    assert p is not None and (p.start, p.end, p.text) == ("2021-06-02", "2021-06-09", "currently")
    undated = nlp("Some 40 households live with relatives.")
    a2 = next(t for t in undated if t.text == "40")
    assert figure_date(a2.sent, a2, find_dates(undated, pub), report, kind="stock") == report


def test_a_date_in_another_figures_clause_is_not_this_figures(figures_of) -> None:  # type: ignore[no-untyped-def]
    """"While 120,000 were displaced since March, 9,500 are newly displaced": "since March" is the
    baseline of the 120,000 only; the new count is as of the report."""
    first, second = figures_of("While 120,000 people had been displaced since March 2031, a further 9,500 people "
                               "are newly displaced in the valley.", published="2031-06-10")
    assert (first.date.start, first.date.text) == ("2031-03-01", "since March 2031")
    assert (second.date.start, second.date.text) == ("2031-06-10", None)


def test_a_date_of_coordinated_clauses_is_shared(figures_of) -> None:  # type: ignore[no-untyped-def]
    figs = figures_of("On Monday, 5,000 people fled and 3,000 were evacuated.", published="2031-06-10")
    assert [(f.date.start, f.date.text) for f in figs] == [("2031-06-09", "On Monday")] * 2
