"""The order of stages and what a run gives per document."""

from __future__ import annotations

from uprooted import Document, Figure, extract


def test_irrelevant_document_is_not_parsed_when_asked() -> None:
    """With skip_irrelevant, unrelated news costs only the classifier: one document line, no records."""
    text = "The home side won the cup final 3-1 after extra time, with 60,000 fans in the stadium."
    records = extract(text, skip_irrelevant=True)
    assert len(records) == 1
    assert isinstance(records[0], Document) and records[0].relevant is False


def test_relevant_document_is_parsed_when_skipping_is_on() -> None:
    records = extract("Floods forced 4,000 families to flee their homes in the delta.", skip_irrelevant=True)
    assert isinstance(records[0], Document) and records[0].relevant and records[0].category == "disaster"
    assert any(isinstance(r, Figure) for r in records)


def test_records_come_document_first_then_figures() -> None:
    records = extract("Clashes forced 2,000 people to flee the town, officials said.")
    assert isinstance(records[0], Document)
    kinds = [r.type for r in records]
    assert kinds.index("figure") < (kinds.index("place") if "place" in kinds else len(kinds))


def test_english_text_is_marked_english() -> None:
    (doc, *_) = extract("The floods forced thousands of people to leave their homes on Sunday.")
    assert isinstance(doc, Document) and doc.language == "en"


def test_text_in_another_language_is_not_marked_english() -> None:
    (doc, *_) = extract("Plus de trois mille familles ont fui leurs maisons dans la nuit de dimanche.")
    assert isinstance(doc, Document) and doc.language is None


def test_event_evidence_is_the_sentence_without_the_blank_line_after_it() -> None:
    text = "Rebels attacked the town of Korma on Monday, killing 14 civilians.\n\nMore rain is expected."
    (event, *_) = [r for r in extract(text) if r.type == "event"]
    assert event.evidence.text == "Rebels attacked the town of Korma on Monday, killing 14 civilians."  # type: ignore[attr-defined]
    assert text[event.evidence.start:event.evidence.end] == event.evidence.text  # type: ignore[attr-defined]


def test_an_event_is_dated_when_it_happened_not_when_it_was_told() -> None:
    text = "Gunmen attacked the market in Korma on Saturday, police officials told journalists on Monday."
    (event, *_) = [r for r in extract(text, published="2024-06-11") if r.type == "event"]
    assert event.date is not None and event.date.start == "2024-06-08"  # type: ignore[attr-defined]
