"""Actor normalisation for the event stage: who is named in a text, under its canonical name.

Takes a parsed ``Doc`` and the actor table (``data/actors.yaml``); returns every actor mention
with its canonical name, kind and ISO 3166 alpha-3 country. It does not decide who acted on
whom (``events.py`` reads that from the dependency parse) and does not resolve place names
(the places stage does; a demonym only gives an actor its country here).

Names follow ACLED's actor naming ("Military Forces of Nigeria", "Rapid Support Forces (RSF)")
so that records line up with the data analysts already use. Lookup is one PhraseMatcher and
one Matcher pass per document: the table can grow without slowing the per-token work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from spacy.matcher import Matcher, PhraseMatcher
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
        for spec in [*self.actors, *self.generic]:
            if spec.kind not in self.kinds:
                raise ValueError(f"actor {spec.name!r}: kind {spec.kind!r} is not declared under kinds")
        return self


@dataclass(frozen=True)
class ActorMatch:
    """One actor mention: the span, its canonical name, country and what the kind counts as."""

    span: Span
    name: str
    iso3: str | None
    kind: str
    tags: frozenset[str]


def _is_acronym(alias: str) -> bool:
    """Short capitals ("IS", "RSF") must match case-exactly, or "is" would become a group."""
    letters = alias.replace(".", "").replace("-", "")
    return letters.isupper() and len(letters) <= 5


class ActorTable:
    """The compiled actor table for one spaCy vocabulary: matchers built once, reused per doc."""

    def __init__(self, spec: ActorsFile, vocab: Vocab, make_doc: Any) -> None:
        self._spec = spec
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        self._exact = PhraseMatcher(vocab, attr="ORTH")
        self._generic = Matcher(vocab)
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
        modifier = {"POS": {"IN": ["ADJ", "PROPN", "NOUN"]}, "OP": "{0,2}"}
        self._generic_key: dict[str, tuple[GenericActorSpec, CountrySpec]] = {}
        self._country_key: dict[str, CountrySpec] = {}
        for ci, country in enumerate(spec.countries):
            names = [[{"LOWER": t.lower_} for t in make_doc(d)] for d in country.demonyms]
            owners = [[{"LOWER": t.lower_} for t in make_doc(country.name)] + [{"LOWER": "'s"}]]
            ckey = f"c{ci}"
            self._country_key[ckey] = country
            self._generic.add(ckey, [[{"LOWER": t.lower_} for t in make_doc(country.name)]])
            for gi, generic in enumerate(spec.generic):
                key = f"g{gi}:{ci}"
                self._generic_key[key] = (generic, country)
                single = [n.lower() for n in generic.nouns if len(make_doc(n)) == 1]
                multi = [[{"LOWER": t.lower_} for t in make_doc(n)] for n in generic.nouns if len(make_doc(n)) > 1]
                patterns = []
                for head in names:
                    patterns.append([*head, modifier, {"LOWER": {"IN": single}}])
                    patterns.extend([*head, modifier, *noun] for noun in multi)
                for head in owners:
                    patterns.append([*head, {"LOWER": {"IN": single}}])
                    patterns.extend([*head, *noun] for noun in multi)
                self._generic.add(key, patterns)

    def tags(self, kind: str) -> frozenset[str]:
        """What an actor kind counts as (armed, state, crowd...), plus the kind itself."""
        return frozenset([kind, *self._spec.kinds.get(kind, [])])

    def find(self, doc: Doc) -> list[ActorMatch]:
        """Every actor mention in ``doc``, longest first where mentions overlap.

        A named actor beats a generic one on the same words; a bare country name counts only
        when nothing longer covers it, and stands for that state's military (ACLED codes a state
        acting in a conflict as its armed forces).
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
            found.append((span, 2, ActorMatch(span, actor.name, actor.iso3, actor.kind, self.tags(actor.kind))))
        for key_id, start, end in self._generic(doc):
            key = strings[key_id]
            span = doc[start:end]
            if key in self._country_key:
                country = self._country_key[key]
                match = ActorMatch(
                    span, f"Military Forces of {country.name}", country.iso3, "state_military",
                    self.tags("state_military"),
                )
                found.append((span, 0, match))
                continue
            generic, country = self._generic_key[key]
            name = generic.name.format(country=country.name)
            found.append((span, 1, ActorMatch(span, name, country.iso3, generic.kind, self.tags(generic.kind))))
        found.sort(key=lambda f: (-(f[0].end - f[0].start), -f[1], f[0].start))
        kept = filter_spans([f[0] for f in found])
        by_span = {}
        for span, _, match in found:
            by_span.setdefault((span.start, span.end), match)
        return [by_span[(s.start, s.end)] for s in sorted(kept, key=lambda s: s.start)]
