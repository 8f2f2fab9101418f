"""The order of the stages, nothing else: read -> parse -> quantities -> figures -> records.

``extract_docs`` takes ``InputDoc``s (or the ``ReadError`` a reader produced in their place) and
yields, for each document, the list of records it gave, in input order. Documents are parsed in
batches with ``nlp.pipe``; a failure in one document becomes an ``error`` record for that
document and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from pydantic import BaseModel

from .errors import ExtractionError, ReadError, UprootedError
from .figures import FigureMention, find_figures
from .normalize import Normalized, normalize
from .quantities import find_quantities
from .read import InputDoc
from .records import Document, ErrorRecord, Evidence, Figure
from .resources import Resources

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
    settings = res.settings
    for batch in _batches(inputs, settings.batch_size):
        good = [d for d in batch if isinstance(d, InputDoc)]
        known, glue = res.vocab["known_words"], res.vocab["glue_words"]
        mended = {id(d): normalize(d.text, known, glue) for d in good}
        texts = (mended[id(d)].text for d in good)
        parsed = iter(res.nlp.pipe(texts, batch_size=settings.batch_size))
        for item in batch:
            if isinstance(item, ReadError):
                yield item, [error_record(item)]
                continue
            doc = next(parsed)
            try:
                yield item, _records(item, doc, mended[id(item)], res)
            except UprootedError as exc:
                exc.doc_id = exc.doc_id or item.id
                yield item, [error_record(exc)]
            except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
                err = ExtractionError(f"{type(exc).__name__}: {exc}", doc_id=item.id, stage="extract")
                yield item, [error_record(err)]


def _records(inp: InputDoc, doc: Any, norm: Normalized, res: Resources) -> list[BaseModel]:
    lex = res.vocab["lexicon"]
    quantities = find_quantities(doc.text, lex)
    mentions = find_figures(doc, quantities, lex)
    figures = figure_records(inp, mentions, norm, res)
    document = Document(
        doc_id=inp.id, title=inp.title, published=inp.published, url=inp.url,
        relevant=bool(figures), category="unknown",
    )
    return [document, *figures]


def _evidence(inp: InputDoc, norm: Normalized, start: int, end: int) -> Evidence:
    """The sentence as it stands in the document, whatever ``normalize`` mended."""
    start, end = norm.original_span(start, end)
    raw = inp.text[start:end]
    lead = len(raw) - len(raw.lstrip())
    return Evidence(text=raw.strip(), start=start + lead, end=start + lead + len(raw.strip()))


def figure_records(
    inp: InputDoc, mentions: list[FigureMention], norm: Normalized, res: Resources
) -> list[Figure]:
    """Published ``figure`` records for the figures of one document."""
    out: list[Figure] = []
    for n, m in enumerate(mentions, 1):
        if m.confidence < res.settings.min_confidence:
            continue
        sent = m.sent
        out.append(Figure(
            doc_id=inp.id,
            id=f"{inp.id}#f{n}",
            quantity=m.quantity.to_quantity(),
            unit=m.unit,
            term=m.term,
            kind=m.kind,
            displacement="cross_border" if m.cross_border else "unknown",
            evidence=_evidence(inp, norm, sent.start_char, sent.end_char),
            confidence=m.confidence,
            reason=m.reason,
        ))
    return out
