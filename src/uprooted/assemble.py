"""The records stage: mentions found by the earlier stages become the published records of FORMAT.md.

Takes one document's figure and event mentions, dates and resolved places, and returns ``document``,
``figure``, ``event`` and ``place`` records with offsets, mentions and evidence as the original text
has them (``normalize`` may have mended it). Choosing what a figure is stays with ``figures``;
here only the chosen values are put together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from .category import CategoryVerdict
from .dates import DateMention, figure_date, publication_period
from .events import EventMention
from .figures import FigureMention
from .normalize import Normalized
from .places import ResolvedPlace, figure_locations
from .read import InputDoc
from .records import DatePeriod, Document, Event, Evidence, Figure, Location, Place
from .sources import SourcesVocab, document_source, figure_source

__all__ = ["document_record", "event_records", "figure_records", "original_place", "record_id"]


def document_record(inp: InputDoc, verdict: CategoryVerdict, figures: list[Figure]) -> Document:
    """The ``document`` line: relevant when the classifier says so or a figure was found."""
    return Document(
        doc_id=inp.id, title=inp.title, published=inp.published, url=inp.url, language=_language(inp.text),
        relevant=verdict.relevant or bool(figures), category=verdict.category,
    )


def _language(text: str) -> str | None:
    """"en" when English function words are common enough; None otherwise: uprooted reads English
    only, and says so rather than labelling a French report English."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = re.findall(r"[a-z]+", text[:3000].lower())
    if len(words) < 3:
        return None
    share = sum(w in STOP_WORDS for w in words) / len(words)
    return "en" if share >= 0.12 else None


def original_place(p: ResolvedPlace, inp: InputDoc, norm: Normalized) -> Place:
    """The place record with offsets and mention as the document has them."""
    if not norm.offsets:
        return p.place
    start, end = norm.original_span(p.start, p.end)
    return p.place.model_copy(update={"start": start, "end": end, "mention": inp.text[start:end]})


def event_records(
    inp: InputDoc,
    mentions: list[EventMention],
    dates: list[DateMention],
    places: list[ResolvedPlace],
    norm: Normalized,
    reporting: frozenset[str] = frozenset(),
    reference: dt.date | None = None,
) -> list[Event]:
    """Published ``event`` records: ACLED type and actors from ``events``, date and places attached here.
    ``reference`` stands in for a missing publication date (``dates.reference_date``)."""
    published = inp.published_date() or reference
    default = publication_period(published) if published else None
    out: list[Event] = []
    for n, m in enumerate(mentions, 1):
        when = _original_date(figure_date(m.sentence, m.anchor, dates, default, kind="flow",
                                          reporting=reporting), inp, norm)
        located, _ = figure_locations(m.sentence, m.anchor, places, recent=2)
        # An event happens somewhere: the roles of a movement (origin, destination) do not apply.
        where = [loc.model_copy(update={"role": "location"}) for loc in located]
        event = m.to_event(inp.id, record_id(inp, "e", n), date=when, locations=where)
        evidence = _evidence(inp, norm, event.evidence.start, event.evidence.end)
        out.append(event.model_copy(update={"evidence": evidence}))
    return out


def record_id(inp: InputDoc, kind: str, n: int) -> str:
    """``doc#f3``, ``doc#e1``: numbered by mention, so a figure dropped below the confidence
    threshold leaves a gap rather than renumbering the rest (event links keep pointing right)."""
    return f"{inp.id}#{kind}{n}"


def _original_date(period: DatePeriod | None, inp: InputDoc, norm: Normalized) -> DatePeriod | None:
    """Dates keep their wording as the document has it (``normalize`` may have respaced it)."""
    if period is None or period.text is None or not norm.offsets or period.text in inp.text:
        return period
    return period.model_copy(update={"text": " ".join(period.text.split())})


def _evidence(inp: InputDoc, norm: Normalized, start: int, end: int) -> Evidence:
    """The sentence as it stands in the document, whatever ``normalize`` mended."""
    start, end = norm.original_span(start, end)
    raw = inp.text[start:end]
    lead = len(raw) - len(raw.lstrip())
    return Evidence(text=raw.strip(), start=start + lead, end=start + lead + len(raw.strip()))


def figure_records(
    inp: InputDoc,
    mentions: list[FigureMention],
    dates: list[DateMention],
    places: list[ResolvedPlace],
    norm: Normalized,
    min_confidence: float,
    sources: SourcesVocab,
    reference: dt.date | None = None,
    report: DatePeriod | None = None,
    country: Callable[[str], Location | None] | None = None,
) -> list[Figure]:
    """Published ``figure`` records for the figures of one document; ``reference`` stands in for a
    missing publication date, and ``report`` (the date a report's title gives) goes before both.
    ``country`` gives a country's own location, for totals over a table's rows."""
    out: list[Figure] = []
    published = inp.published_date() or reference
    default = report or (publication_period(published) if published else None)
    for n, m in enumerate(mentions, 1):
        if m.confidence < min_confidence:
            continue
        sent = m.sent
        locations, displacement = figure_locations(m.scope or sent, m.number, places, places,
                                                   label=m.scope is not None)
        if m.whole and country is not None and locations and locations[0].iso3:
            whole = country(locations[0].iso3)
            locations = [whole] if whole is not None else locations
        out.append(Figure(
            doc_id=inp.id,
            id=record_id(inp, "f", n),
            quantity=m.quantity.to_quantity(),
            unit=m.unit,
            term=m.term,
            kind=m.kind,
            displacement="cross_border" if m.cross_border else displacement,  # type: ignore[arg-type]
            locations=locations,
            date=_original_date(figure_date(sent, m.number, dates, default, kind=m.kind,
                                            others=[o.number for o in mentions if o is not m and o.sent == sent]),
                                inp, norm),
            source=figure_source(sent, m.number, sent.doc, sources),
            evidence=_evidence(inp, norm, sent.start_char, sent.end_char),
            confidence=m.confidence,
            projection=m.projection,
            reason=m.reason,
        ))
    shared = document_source(inp.title or _first_line(inp.text), [f.source for f in out], sources)
    if shared is not None:
        out = [f if f.source is not None else f.model_copy(update={"source": shared}) for f in out]
    return out


def _first_line(text: str) -> str:
    """A document's own title when it came without one: its first line, if short."""
    line = text.lstrip().split("\n", 1)[0]
    return line if len(line) <= 200 else ""

