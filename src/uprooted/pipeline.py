"""The order of the stages, nothing else: read -> parse -> quantities -> figures -> records.

``extract_docs`` takes ``InputDoc``s (or the ``ReadError`` a reader produced in their place) and
yields, for each document, the list of records it gave, in input order. Documents are parsed in
batches with ``nlp.pipe``; a failure in one document becomes an ``error`` record for that
document and the batch goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from pydantic import BaseModel

from .category import CategoryVerdict
from .dates import DateMention, figure_date, find_dates
from .dedupe import link_restatements
from .errors import ExtractionError, ReadError, UprootedError
from .events import EventMention, detect_events
from .figures import FigureMention, find_figures
from .normalize import Normalized, normalize
from .places import ResolvedPlace, figure_locations, resolve_places
from .quantities import find_quantities
from .read import InputDoc
from .records import Category, DatePeriod, Document, ErrorRecord, Event, Evidence, Figure, Place
from .resources import Resources
from .sources import figure_source
from .timeline import attach_figures, link_figures

__all__ = ["extract_docs", "figure_records"]


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def error_record(exc: UprootedError, fallback_id: str = "unknown") -> ErrorRecord:
    """The ``error`` line for a failure, naming the document."""
    return ErrorRecord(doc_id=exc.doc_id or fallback_id, error=exc.message, stage=getattr(exc, "stage", None))


def extract_docs(
    inputs: Iterable[InputDoc | ReadError], res: Resources
) -> Iterator[tuple[InputDoc | ReadError, list[BaseModel]]]:
    """Records for each input, in order, parsing documents in batches."""
    for batch in _batches(inputs, res.settings.batch_size):
        results: list[list[BaseModel] | None] = []
        todo: list[tuple[int, InputDoc, CategoryVerdict, Normalized]] = []
        for item in batch:
            results.append(None)
            if isinstance(item, ReadError):
                results[-1] = [error_record(item)]
                continue
            try:
                verdict = res.vocab["category"].classify(_head_and_body(item))
                if res.settings.skip_irrelevant and not verdict.relevant:
                    results[-1] = [_document(item, verdict, [])]
                    continue
                todo.append((len(results) - 1, item, verdict, normalize(item.text, res.vocab["words"])))
            except _STAGE_FAILURES as exc:
                results[-1] = [_failure(exc, item.id, "prepare")]
        for (slot, item, verdict, norm), doc in zip(todo, _parse(todo, res), strict=True):
            if isinstance(doc, BaseModel):
                results[slot] = [doc]
                continue
            try:
                results[slot] = _records(item, doc, norm, verdict, res)
            except _STAGE_FAILURES as exc:
                results[slot] = [_failure(exc, item.id, "extract")]
        for item, records in zip(batch, results, strict=True):
            yield item, records or []


_STAGE_FAILURES = (UprootedError, ValueError, KeyError, IndexError, TypeError, AttributeError, re.error)


def _failure(exc: Exception, doc_id: str, stage: str) -> ErrorRecord:
    """An error record for a stage that failed on one document; the batch goes on."""
    if isinstance(exc, UprootedError):
        exc.doc_id = exc.doc_id or doc_id
        return error_record(exc)
    return error_record(ExtractionError(f"{type(exc).__name__}: {exc}", doc_id=doc_id, stage=stage))


def _parse(todo: list[tuple[int, InputDoc, CategoryVerdict, Normalized]], res: Resources) -> list[Any]:
    """Parsed docs in batch (``nlp.pipe``); if the batch fails, one by one, so only the bad document fails."""
    texts = [norm.text for _, _, _, norm in todo]
    try:
        return list(res.nlp.pipe(texts, batch_size=res.settings.batch_size))
    except _STAGE_FAILURES:
        out: list[Any] = []
        for (_, item, _, _), text in zip(todo, texts, strict=True):
            try:
                out.append(res.nlp(text))
            except _STAGE_FAILURES as exc:
                out.append(_failure(exc, item.id, "parse"))
        return out


_CLASSIFY_CHARS = 3000


def _head_and_body(inp: InputDoc) -> str:
    """Title and lead: a report's crisis is named early, and a long tail only costs time."""
    text = f"{inp.title}\n\n{inp.text}" if inp.title and inp.title not in inp.text[:500] else inp.text
    return text[:_CLASSIFY_CHARS]


_OVERRIDE = 0.8


def _own_category(model: Any, sentence: str, doc: CategoryVerdict) -> Category:
    """A figure takes its document's category unless its own sentence is clearly of another
    crisis: a flood report that recalls the war which first displaced people."""
    others = [c for c in ("conflict", "disaster") if c != doc.category]
    if not any(model.names_crisis(sentence, c) for c in others):
        return doc.category
    own = model.classify(sentence)
    if own.category != doc.category and own.category in ("conflict", "disaster"):
        if own.probabilities.get(own.category, 0.0) >= _OVERRIDE:
            return own.category  # type: ignore[no-any-return]
    return doc.category


def _document(inp: InputDoc, verdict: CategoryVerdict, figures: list[Figure]) -> Document:
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


def _records(inp: InputDoc, doc: Any, norm: Normalized, verdict: CategoryVerdict, res: Resources) -> list[BaseModel]:
    lex = res.vocab["lexicon"]
    quantities = find_quantities(norm.text, lex)
    mentions = find_figures(doc, quantities, lex)
    dates = find_dates(doc, inp.published_date(), res.vocab["dates"])
    places = resolve_places(doc, res.gazetteer(), inp.published, doc_id=inp.id, calendar=res.vocab["calendar"])
    figures = figure_records(inp, mentions, dates, places, norm, res)
    model = res.vocab["category"]
    by_sentence: dict[str, Category] = {}
    for f in figures:
        if f.evidence.text not in by_sentence:
            by_sentence[f.evidence.text] = _own_category(model, f.evidence.text, verdict)
    figures = link_restatements([f.model_copy(update={"category": by_sentence[f.evidence.text]}) for f in figures])
    event_mentions = detect_events(doc, res.vocab["events"])
    links = link_figures(
        {_record_id(inp, "f", n): m for n, m in enumerate(mentions, 1)},
        {_record_id(inp, "e", n): m for n, m in enumerate(event_mentions, 1)},
        res.vocab["events"],
    )
    events = attach_figures(
        event_records(inp, event_mentions, dates, places, norm, frozenset(res.vocab["sources"].reporting_verbs)),
        links, kept={f.id for f in figures}
    )
    place_records = [_original_place(p, inp, norm) for p in places]
    return [_document(inp, verdict, figures), *figures, *events, *place_records]


def _original_place(p: ResolvedPlace, inp: InputDoc, norm: Normalized) -> Place:
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
) -> list[Event]:
    """Published ``event`` records: ACLED type and actors from ``events``, date and places attached here."""
    published = inp.published_date()
    out: list[Event] = []
    for n, m in enumerate(mentions, 1):
        when = _original_date(figure_date(m.sentence, m.anchor, dates, published, kind="flow",
                                          reporting=reporting), inp, norm)
        located, _ = figure_locations(m.sentence, m.anchor, places)
        # An event happens somewhere: the roles of a movement (origin, destination) do not apply.
        where = [loc.model_copy(update={"role": "location"}) for loc in located]
        event = m.to_event(inp.id, _record_id(inp, "e", n), date=when, locations=where)
        evidence = _evidence(inp, norm, event.evidence.start, event.evidence.end)
        out.append(event.model_copy(update={"evidence": evidence}))
    return out


def _record_id(inp: InputDoc, kind: str, n: int) -> str:
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
    res: Resources,
) -> list[Figure]:
    """Published ``figure`` records for the figures of one document."""
    out: list[Figure] = []
    published = inp.published_date()
    for n, m in enumerate(mentions, 1):
        if m.confidence < res.settings.min_confidence:
            continue
        sent = m.sent
        locations, displacement = figure_locations(sent, m.number, places)
        out.append(Figure(
            doc_id=inp.id,
            id=_record_id(inp, "f", n),
            quantity=m.quantity.to_quantity(),
            unit=m.unit,
            term=m.term,
            kind=m.kind,
            displacement="cross_border" if m.cross_border else displacement,  # type: ignore[arg-type]
            locations=locations,
            date=_original_date(figure_date(sent, m.number, dates, published, kind=m.kind), inp, norm),
            source=figure_source(sent, m.number, sent.doc, res.vocab["sources"]),
            evidence=_evidence(inp, norm, sent.start_char, sent.end_char),
            confidence=m.confidence,
            projection=m.projection,
            reason=m.reason,
        ))
    return out
