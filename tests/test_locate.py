"""Figure locations (``places/locate.py``): roles, nationality of the people counted, the fallback focus.

End to end on the real default gazetteer, built once per session unless UPROOTED_GAZETTEER_PATH names one.
"""

from __future__ import annotations

from typing import Any

from uprooted.dates import load_dates_vocab
from uprooted.places.gazetteer import Gazetteer
from uprooted.places.locate import figure_locations
from uprooted.places.resolve import resolve_places

CALENDAR = load_dates_vocab().calendar_words()


def _figure(nlp: Any, gazetteer: Gazetteer, text: str, number: str) -> list[tuple[str, str | None]]:
    doc = nlp(text)
    places = resolve_places(doc, gazetteer, None, doc_id="t", calendar=CALENDAR)
    anchor = next(t for t in doc if t.text == number)
    locations, _ = figure_locations(anchor.sent, anchor, places, places)
    return [(loc.role, loc.iso3) for loc in locations]


# ---- the nationality of the people counted


def test_nationality_of_the_people_counted_is_their_origin(nlp: Any, gazetteer: Gazetteer) -> None:
    assert ("origin", "SSD") in _figure(nlp, gazetteer, "Some 40,000 South Sudanese sought refuge in Uganda.", "40,000")


def test_nationals_returning_from_abroad_go_home(nlp: Any, gazetteer: Gazetteer) -> None:
    roles = _figure(nlp, gazetteer, "Some 7,000 Afghans returned from Pakistan last week.", "7,000")
    assert ("origin", "PAK") in roles and ("destination", "AFG") in roles


def test_demonym_of_someone_else_is_not_the_origin(nlp: Any, gazetteer: Gazetteer) -> None:
    roles = _figure(nlp, gazetteer, "Sudanese officials said 300 families fled to Kosti.", "300")
    assert ("origin", "SDN") not in roles


def test_demonym_before_a_word_for_returnees_names_their_home(nlp: Any, gazetteer: Gazetteer) -> None:
    """The counted people may be named apart from the number: "Afghan returnees ... stands at N"."""
    text = "The number of Afghan returnees from Iran this year stands at about 96,000."
    roles = _figure(nlp, gazetteer, text, "96,000")
    assert ("origin", "IRN") in roles and ("destination", "AFG") in roles


# ---- when the sentence names no place


def test_document_naming_places_only_as_qualifiers_still_has_a_focus(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "A Lubango fire department spokesman said the flooding forced 800 families from their homes."
    assert [iso3 for _, iso3 in _figure(nlp, gazetteer, text, "800")] == ["AGO"]


def test_a_place_name_the_recogniser_cut_into_names_is_joined(nlp: Any, gazetteer: Gazetteer) -> None:
    """The small model may read "Dera Ismail Khan" as two people's names ("Dera", "Ismail Khan");
    the gazetteer knows the whole name, so it is one place."""
    from spacy.tokens import Span

    doc = nlp("Families sheltered in Dera Ismail Khan on Monday.")
    start = next(t.i for t in doc if t.text == "Dera")
    doc.ents = [Span(doc, start, start + 1, label="PERSON"), Span(doc, start + 1, start + 3, label="PERSON")]
    places = resolve_places(doc, gazetteer, None, doc_id="t", calendar=CALENDAR)
    assert [(p.place.mention, p.place.iso3) for p in places] == [("Dera Ismail Khan", "PAK")]


def test_a_name_in_a_name_count_list_the_recogniser_called_a_date_is_a_place(res: Any, gazetteer: Gazetteer) -> None:
    """In "Balangir-4,210, Kalahandi-9,870, Sonepur-700" the recogniser may take an item for a date
    (the project's pipeline splits a name from its count at the dash)."""
    from spacy.tokens import Span

    doc = res.nlp("Evacuations by district: Balangir-4,210, Kalahandi-9,870, Sonepur-700.")
    start = next(t.i for t in doc if t.text == "Kalahandi")
    doc.ents = [Span(doc, start, start + 3, label="DATE")]
    places = resolve_places(doc, gazetteer, None, doc_id="t", calendar=CALENDAR)
    assert ("Kalahandi", "IND") in [(p.place.mention, p.place.iso3) for p in places]


# ---- where the report was given is not what it is about


def test_a_briefing_city_on_its_own_dated_line_is_not_the_focus(nlp: Any, gazetteer: Gazetteer) -> None:
    text = ("Refugee update\n\nGeneva, 14.03.2021\n\nThe agency briefed reporters in Geneva on Friday about Sudan.\n\n"
            "Fighting in Sudan continues. As of yesterday, 45,000 people had registered as refugees.")
    assert _figure(nlp, gazetteer, text, "45,000") == [("location", "SDN")]


def test_a_dateline_city_stays_the_focus_when_nothing_else_is_named(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Geneva, 14.03.2021\n\nAs of yesterday, 45,000 people had registered as refugees."
    assert _figure(nlp, gazetteer, text, "45,000") == [("location", "CHE")]
