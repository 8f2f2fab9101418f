"""Naming a source: the published ``Source`` for the span a figure is attributed to.

Part of the sources stage. A person's name stands for the person, a known organisation or
government body for its canonical name, and a back reference ("the agency", "officials") for the
source of its kind named before it in the document.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from ..records import Source
from .syntax import attributions, noun_phrase, sentences_of
from .vocab import Index, Organisation, government_of, organisation_of

__all__ = []


def _head_person(span: Span) -> Span | None:
    """The person a phrase names when its head is a PERSON ("IOM envoy Margit Vollenweider")."""
    root = span.root
    for ent in span.ents:
        if ent.label_ == "PERSON" and (ent.start <= root.i < ent.end or root.dep_ == "appos"):
            return ent
    for ent in span.ents:
        if ent.label_ == "PERSON" and ent.start == span.start:
            return ent
        if ent.label_ == "PERSON" and ent.end == root.i + 1:
            return ent
    return None


_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"})


def _plain(span: Span) -> str:
    words = list(span)
    while words and words[0].lower_ in _DETERMINERS:
        words = words[1:]
    text = span.doc[words[0].i:span.end].text if words else span.text
    return " ".join(text.split())


def _is_back_reference(span: Span, idx: Index) -> str | None:
    """ "it", "he", "the agency": which kind of earlier source it points to, else ``None``."""
    words = [t for t in span if t.lower_ not in _DETERMINERS and not t.is_punct]
    if len(words) != 1 or words[0].pos_ == "PROPN":
        return None
    w = words[0].lower_
    if w in idx.back_person:
        return "person"
    if w in idx.back_org:
        return "organisation"
    if w in idx.back_either:
        return "either"
    return None


def _name(span: Span, idx: Index) -> Source:
    mention = " ".join(span.text.split())
    person = _head_person(span)
    if person is not None:
        return Source(name=_full_name(person), mention=mention)
    if _surname(span):
        return Source(name=_full_name(span), mention=mention)
    org = organisation_of(span.text, idx)
    if org is not None:
        return organisation_source(org, mention)
    gov = government_of(span.text, idx)
    if gov is not None:
        return Source(name=gov[0], mention=mention, iso3=gov[1])
    root = span.root
    if root.ent_type_ == "GPE" and root.text in idx.by_country:
        iso3, demonym = idx.by_country[root.text]
        return Source(name=f"{demonym} government", mention=mention, iso3=iso3)
    for ent in span.ents:
        # The phrase is the organisation ("the Kelvale State Emergency Management Agency"), not a
        # person or a document located by one ("a local councillor in Tarnick").
        if ent.label_ == "ORG" and (ent.start <= root.i < ent.end or root.lower_ in idx.documents):
            return Source(name=_plain(ent), mention=mention)
    return Source(name=_plain(span), mention=mention)


def _surname(span: Span) -> bool:
    """One proper name that ends a person named earlier ("Edward Ofori ... Ofori said"), whatever
    label the recogniser gave it this time."""
    return len(span) == 1 and span[0].pos_ == "PROPN" and _introduced(span) is not None


def _introduced(surname: Span) -> Span | None:
    """The person named in full before ``surname`` whose name it ends ("Ada Okafor ... Okafor")."""
    return next((e for e in reversed(surname.doc.ents) if e.end <= surname.start and e.label_ == "PERSON"
                 and len(e) > 1 and e[-1].text == surname.text), None)


_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "madam", "gen", "col", "maj", "capt", "lt", "sgt"})


def _full_name(person: Span) -> str:
    """A surname alone ("Okafor said") names the person introduced earlier in full ("Ada Okafor")."""
    if len(person) != 1:
        return person.text
    doc = person.doc
    full = _introduced(person)
    if full is not None:
        return full.text
    # "Mr. James Iorvana, said ... Iorvana confirmed": the recogniser may not have called it a person.
    for tok in reversed(doc[:person.start]):
        if tok.text == person.text and tok.i > 0:
            first = tok.i
            while first > 0 and first > tok.i - 3 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].is_title \
                    and doc[first - 1].lower_.rstrip(".") not in _HONORIFICS:
                first -= 1
            if first < tok.i:
                return doc[first:tok.i + 1].text
    return person.text


def organisation_source(org: Organisation, mention: str | None) -> Source:
    """Acronym first, then the full name: analysts search by either ("IOM", "Organization for Migration"),
    so both stand as plain words ("IOM – International Organization for Migration")."""
    full = re.sub(r"\s*\([^)]*\)$", "", org.full_name)
    name = org.name if full.lower() == org.name.lower() else f"{org.name} – {full}"
    return Source(name=name, mention=mention, iso3=org.iso3)


def resolve(span: Span, idx: Index, *, depth: int = 0) -> Source | None:
    """The source a phrase names, following a pronoun or "the agency" back to the last source."""
    kind = _is_back_reference(span, idx)
    if kind is None:
        return _name(span, idx)
    if depth > 3:
        return None
    earlier = _previous_source(span, kind, idx)
    if earlier is None:
        return None if span.root.pos_ == "PRON" else _name(span, idx)
    return resolve(earlier, idx, depth=depth + 1)


def _fits(span: Span, kind: str, idx: Index) -> bool:
    if kind == "either":
        return True
    person = _head_person(span) is not None or span.root.lower_ in idx.back_person or _surname(span)
    return person if kind == "person" else not person


def _previous_source(span: Span, kind: str, idx: Index) -> Span | None:
    """The last source-like phrase before ``span``: an attribution, else a named subject."""
    doc = span.doc
    sents = sentences_of(doc)
    k = next(i for i, s in enumerate(sents) if s.start <= span.start < s.end)
    same = sents[k]
    plural = span.root.lower_ in ("they", "them")
    for s in [same, *reversed(sents[max(0, k - 4):k])]:
        found: list[Span] = []
        for _verb, head in attributions(s, idx):
            if head.i < span.start or s is not same:
                found.append(noun_phrase(head))
        for tok in s:
            if tok.dep_ in ("nsubj", "nsubjpass") and (tok.i < span.start or s is not same) and (
                tok.ent_type_ in ("ORG", "PERSON") or organisation_of(tok.text, idx) is not None
            ):
                found.append(noun_phrase(tok))
        found = [f for f in found if f.start != span.start and _fits(f, kind, idx)]
        if plural:
            # "The society sent 120 Red Cross volunteers. They counted ...": "they" is the volunteers.
            many = [np for t in s if t.tag_ in ("NNS", "NNPS") and t.lemma_.lower() in idx.roles
                    and t.dep_ in ("nsubj", "nsubjpass", "dobj") and (t.i < span.start or s is not same)
                    and organisation_of((np := noun_phrase(t)).text, idx) is not None]
            found = many or found
        if found:
            return max(found, key=lambda f: f.start)
    return None

