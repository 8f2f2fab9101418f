"""Attribution: who the document says gave a figure, from its sentence, quotation, paragraph or lead.

Takes a parsed spaCy ``Doc``, the sentence of a figure and the figure's anchor token; returns a
``records.Source`` (canonical ``name``, the ``mention`` as written, ``iso3`` for a government or a
national agency) or ``None`` when the document states the figure in its own voice. Finding the
figures, and deciding whether a source makes a figure more or less credible, is left to others.

How English attributes a figure, in the order tried:

1. in the figure's sentence, a reporting verb whose clause holds the figure ("The Uruguayan
   government said on May 12 that ...", "..., UNHCR said in a statement", "OCHA reported"),
   "according to X", or a document that shows it ("official records show");
2. inside a quotation, whoever the quotation is attributed to ("She stated: “... 41,260 ...”");
3. a paragraph opened by "According to X," keeps X for the sentences after it, and a sentence
   with "reportedly" takes the attribution before it;
4. the wire-copy lead: an unattributed lead followed by ", the UN migration agency said on
   Thursday" (an organisation or a government, never a quoted person).

Pronouns and back-references ("it said", "the agency added", "he stated") take the last source
named before them. Names go through ``data/sources.yaml``: organisations to their canonical short
name (UNHCR, IOM, OCHA...), a country's body to "<demonym> government" with the country's ISO3;
a named person keeps their name, anything else the words of the mention.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from ..records import Source
from ..textutil import doc_text, paragraph_bounds
from .naming import organisation_source, resolve
from .syntax import attributions, in_sentence, noun_phrase, sentences_of
from .vocab import Index, SourcesVocab, government_of, index_of, load_sources_vocab, organisation_of

__all__ = ["figure_source"]


_QUOTES = re.compile('[“«"]')


_OPEN_QUOTES = "“«"


_CLOSE_QUOTES = "”»"


def _quote_bounds(doc: Doc, pos: int) -> tuple[int, int] | None:
    """Character bounds of the double-quoted passage holding ``pos``, within its paragraph."""
    text = doc_text(doc)
    para_start, para_end = next(((s, e) for s, e in paragraph_bounds(doc) if s <= pos < e), (0, len(text)))
    if not _QUOTES.search(text, para_start, pos):
        return None
    opened: int | None = None
    straight_open = False
    for i in range(para_start, pos):
        c = text[i]
        if c in _OPEN_QUOTES:
            opened = i
        elif c in _CLOSE_QUOTES:
            opened = None
        elif c == '"':
            straight_open = not straight_open
            opened = i if straight_open else None
    if opened is None:
        return None
    for i in range(pos, para_end):
        if text[i] in _CLOSE_QUOTES or text[i] == '"':
            return opened, i
    return opened, para_end


def _quote_speaker(doc: Doc, anchor: Token, idx: Index) -> Span | None:
    bounds = _quote_bounds(doc, anchor.idx)
    if bounds is None:
        return None
    open_at, close_at = bounds
    for s in sentences_of(doc):
        if s.start_char <= close_at < s.end_char:
            for verb, head in attributions(s, idx):
                if verb.idx > close_at and verb.lower_ != "according":
                    return noun_phrase(head)
        if s.start_char <= open_at < s.end_char:
            for verb, head in attributions(s, idx):
                if verb.idx < open_at and verb.lower_ != "according":
                    return noun_phrase(head)
    return None


def _paragraph_sentences_before(sent: Span) -> list[Span]:
    doc = sent.doc
    para_start = next((s for s, e in paragraph_bounds(doc) if s <= sent.start_char < e), 0)
    return [s for s in sentences_of(doc) if para_start <= s.start_char and s.end_char <= sent.start_char]


def _carried(sent: Span, idx: Index) -> Span | None:
    """A paragraph opened by "According to X," keeps X; "reportedly" takes the last attribution."""
    before = _paragraph_sentences_before(sent)
    reportedly = any(t.lower_ in ("reportedly", "allegedly") for t in sent)
    for s in reversed(before):
        for verb, head in attributions(s, idx):
            if verb.lower_ == "according" and (verb.i == s.start or reportedly):
                return noun_phrase(head)
            if reportedly:
                return noun_phrase(head)
    return None


def _wire_lead(sent: Span, idx: Index) -> Span | None:
    """ "12,600 fled. Shelters are full, the UN migration agency said on Thursday.": the source
    of an unattributed lead comes in the next sentence, as an organisation or a government."""
    doc = sent.doc
    if any(c in sent.text for c in '"“”'):
        return None
    nxt = next((s for s in sentences_of(doc) if s.start >= sent.end and s.text.strip()), None)
    if nxt is None or any(c in nxt.text for c in '"“”'):
        return None
    for verb, head in attributions(nxt, idx):
        if verb.lower_ not in ("said", "reported", "added", "noted"):
            continue
        np = noun_phrase(head)
        if np.start < verb.i and any(t.text == "," for t in doc[nxt.start:np.start]) and (
            organisation_of(np.text, idx) is not None or government_of(np.text, idx) is not None
        ):
            return np
    return None


def figure_source(sent: Span, anchor: Token, doc: Doc, vocab: SourcesVocab | None = None) -> Source | None:
    """Who ``doc`` says gave the figure at ``anchor`` in ``sent``; ``None`` in the document's own voice."""
    idx = index_of(vocab or load_sources_vocab())
    finders: list[Callable[[], Span | None]] = [
        lambda: in_sentence(sent, anchor, idx),
        lambda: _quote_speaker(doc, anchor, idx),
        lambda: _carried(sent, idx),
        lambda: _wire_lead(sent, idx),
    ]
    for finder in finders:
        span = finder()
        if span is not None:
            source = resolve(span, idx)
            if source is not None:
                return source
    return None


def document_source(title: str | None, sources: list[Source | None], vocab: SourcesVocab) -> Source | None:
    """Who gave the figures a document states in its own voice: the one organisation or government
    its attributed figures all cite ("the UN said" in the lead, unattributed counts further down), else
    the organisation its title names (a report's issuer: "Agency X situation report"). A person, or
    several sources, give none: the document may be weighing them."""
    idx = index_of(vocab)
    named: dict[str, Source] = {}
    for s in sources:
        if s is not None:  # "the United Nations" and "the UN" are one organisation
            org = organisation_of(s.name, idx)
            named.setdefault(org.name if org is not None else s.name, s)
    if len(named) == 1:
        (only,) = named.values()
        if only.iso3 or organisation_of(only.name, idx) is not None:
            return Source(name=only.name, mention=None, iso3=only.iso3)
        return None
    if not named and title:
        org = organisation_of(title, idx)
        if org is not None:
            return organisation_source(org, None)
    return None
