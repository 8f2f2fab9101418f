"""Actor normalisation for the event stage: who is named in a text, under its canonical name.

Takes a parsed ``Doc`` and the actor table (``data/actors.yaml``); returns every actor mention
with its canonical name, kind and ISO 3166 alpha-3 country. It does not decide who acted on
whom (``events.py`` reads that from the dependency parse) and does not resolve place names
(the places stage does; a demonym only gives an actor its country here).

Names follow ACLED's actor naming ("Military Forces of Nigeria", a named group with its acronym in brackets)
so that records line up with the data analysts already use. Lookup is one PhraseMatcher and
one Matcher pass per document: the table can grow without slowing the per-token work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

__all__ = ["ActorMatch", "ActorSpec", "ActorTable", "ActorsFile", "CountrySpec", "GenericActorSpec"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ActorSpec(_Strict):
    """A named actor and the ways texts refer to it."""

    name: str
    kind: str
    iso3: str | None = None
    fallback: bool = False
    aliases: list[str]
    context: list[str] = Field(default_factory=list)


class GenericActorSpec(_Strict):
    """An actor built from a country: "<demonym> <noun>" -> ``name`` with ``{country}`` filled in."""

    name: str
    kind: str
    nouns: list[str]


class CountrySpec(_Strict):
    """A country's name, ISO3 code and demonyms, for the generic actors."""

    name: str
    iso3: str
    demonyms: list[str]


class ActorsFile(_Strict):
    """The schema of ``data/actors.yaml``; a kind used by an actor must be declared in ``kinds``."""

    kinds: dict[str, list[str]]
    actors: list[ActorSpec]
    generic: list[GenericActorSpec]
    countries: list[CountrySpec]

    @model_validator(mode="after")
    def _kinds_declared(self) -> ActorsFile:
        for name, kind in [(a.name, a.kind) for a in self.actors] + [(g.name, g.kind) for g in self.generic]:
            if kind not in self.kinds:
                raise ValueError(f"actor {name!r}: kind {kind!r} is not declared under kinds")
        return self


@dataclass(frozen=True)
class ActorMatch:
    """One actor mention: the span, its canonical name, country and what the kind counts as."""

    span: Span
    name: str
    iso3: str | None
    kind: str
    tags: frozenset[str]
    fallback: bool = False
    bare: bool = False


def _is_acronym(alias: str) -> bool:
    """Short capitals ("IS" and other acronyms) must match case-exactly, or "is" would become a group."""
    letters = alias.replace(".", "").replace("-", "")
    return letters.isupper() and len(letters) <= 5


class ActorTable:
    """The compiled actor table for one spaCy vocabulary: matchers built once, reused per doc."""

    def __init__(self, spec: ActorsFile, vocab: Vocab, make_doc: Any) -> None:
        self._spec = spec
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        self._exact = PhraseMatcher(vocab, attr="ORTH")
        self._context = PhraseMatcher(vocab, attr="LOWER")
        self._named: dict[str, ActorSpec] = {}
        for i, actor in enumerate(spec.actors):
            key = f"a{i}"
            self._named[key] = actor
            exact = [make_doc(a) for a in actor.aliases if _is_acronym(a)]
            loose = [make_doc(a) for a in actor.aliases if not _is_acronym(a)]
            if exact:
                self._exact.add(key, exact)
            if loose:
                self._lower.add(key, loose)
            if actor.context:
                self._context.add(key, [make_doc(c) for c in actor.context])
        # Countries (names and demonyms) and the generic nouns are two hash lookups; they are
        # joined in find(), so the table costs the same whatever the number of countries.
        self._places = PhraseMatcher(vocab, attr="LOWER")
        self._places_exact = PhraseMatcher(vocab, attr="ORTH")
        self._nouns = PhraseMatcher(vocab, attr="LOWER")
        self._country_key: dict[str, CountrySpec] = {}
        self._generic_key: dict[str, GenericActorSpec] = {}
        for ci, country in enumerate(spec.countries):
            self._country_key[f"c{ci}"] = country
            names = [country.name, *country.demonyms]
            self._places.add(f"c{ci}", [make_doc(n) for n in names if not _is_acronym(n)])
            if any(_is_acronym(n) for n in names):
                self._places_exact.add(f"c{ci}", [make_doc(n) for n in names if _is_acronym(n)])
        for gi, generic in enumerate(spec.generic):
            self._generic_key[f"g{gi}"] = generic
            self._nouns.add(f"g{gi}", [make_doc(n) for n in generic.nouns])

    def tags(self, kind: str) -> frozenset[str]:
        """What an actor kind counts as (armed, state, crowd...), plus the kind itself."""
        return frozenset([kind, *self._spec.kinds.get(kind, [])])

    def find(self, doc: Doc) -> list[ActorMatch]:
        """Every actor mention in ``doc``, longest first where mentions overlap.

        A named actor beats a generic one on the same words. A bare country name or demonym
        ("Chad", "a Chadian strike") is marked ``bare``: it stands for that state's military
        (ACLED codes a state acting in a conflict as its armed forces) only where the event
        stage finds it in the doer's or target's own slot.
        """
        strings = doc.vocab.strings
        context_ok = {strings[k] for k, _, _ in self._context(doc)}
        found: list[tuple[Span, int, ActorMatch]] = []
        for key_id, start, end in [*self._lower(doc), *self._exact(doc)]:
            key = strings[key_id]
            actor = self._named[key]
            if actor.context and key not in context_ok:
                continue
            span = doc[start:end]
            match = ActorMatch(span, actor.name, actor.iso3, actor.kind, self.tags(actor.kind), actor.fallback)
            found.append((span, 2, match))
        nouns: dict[int, list[tuple[str, int]]] = {}
        for key_id, start, end in self._nouns(doc):
            nouns.setdefault(start, []).append((strings[key_id], end))
        for key_id, start, end in [*self._places(doc), *self._places_exact(doc)]:
            country = self._country_key[strings[key_id]]
            span = doc[start:end]
            bare = ActorMatch(
                span, f"Military Forces of {country.name}", country.iso3, "state_military",
                self.tags("state_military"), bare=True,
            )
            found.append((span, 0, bare))
            # "Nigerian troops", "Chadian government forces", "Chad's military"
            for at in range(end, min(end + 3, len(doc))):
                for gkey, noun_end in nouns.get(at, []):
                    generic = self._generic_key[gkey]
                    whole = doc[start:noun_end]
                    name = generic.name.format(country=country.name)
                    match = ActorMatch(whole, name, country.iso3, generic.kind, self.tags(generic.kind))
                    found.append((whole, 1, match))
                tok = doc[at]
                if not (tok.pos_ in ("ADJ", "PROPN", "NOUN") or (at == end and tok.lower_ == "'s")):
                    break
        found.sort(key=lambda f: (-(f[0].end - f[0].start), -f[1], f[0].start))
        kept = filter_spans([f[0] for f in found])
        by_span: dict[tuple[int, int], ActorMatch] = {}
        for span, _, match in found:
            by_span.setdefault((span.start, span.end), match)
        return [by_span[(s.start, s.end)] for s in sorted(kept, key=lambda s: s.start)]
