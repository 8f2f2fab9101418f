"""The sources stage's vocabulary: ``data/sources.yaml`` as a checked model, and the index that maps a
name as written to its organisation or government.

Organisations go to their canonical short name ("the UN refugee agency" is UNHCR), a country's
government bodies to "<Country> government"; acronyms match only in capitals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from ..datafiles import load_vocabulary
from ..textutil import alternation

__all__ = ["SourcesVocab", "load_sources_vocab"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(_Strict):
    """An organisation that reports figures, with every name the press gives it."""

    name: str
    full_name: str
    aliases: list[str]
    keywords: list[list[str]] = []
    iso3: str | None = None


class BackReferences(_Strict):
    person: list[str]
    organisation: list[str]
    either: list[str]


class Country(_Strict):
    names: list[str]
    demonyms: list[str]


class SourcesVocab(_Strict):
    """The schema of ``data/sources.yaml``; unknown keys stop loading."""

    organisations: list[Organisation]
    reporting_verbs: list[str]
    evidence_verbs: list[str]
    document_nouns: list[str]
    back_references: BackReferences
    role_nouns: list[str]
    government_bodies: dict[str, str]
    countries: dict[str, Country]


@lru_cache(maxsize=1)
def load_sources_vocab() -> SourcesVocab:
    """``data/sources.yaml``, parsed once per process."""
    return load_vocabulary("sources.yaml", SourcesVocab)


def _norm(text: str) -> str:
    """Lower case, "U.N."/"United Nations" as "un", no "the", no punctuation but inner hyphens."""
    s = text.replace("’", "'").replace("‘", "'")
    s = re.sub(r"\bU\.\s?N\.?", "UN ", s)
    s = s.lower()
    s = re.sub(r"\bunited nations\b", "un", s)
    s = re.sub(r"'s\b|'", " ", s)
    s = re.sub(r"[^\w\s&-]", " ", s)
    s = re.sub(r"\bthe\b", " ", s)
    return " ".join(s.split())


def _is_acronym(alias: str) -> bool:
    """Acronyms match case-sensitively: "WHO" the agency, not "who fled"."""
    return " " not in alias and len(alias) <= 8 and sum(c.isupper() for c in alias) >= 2


@dataclass(frozen=True)
class Index:
    vocab: SourcesVocab
    orgs: dict[str, Organisation]
    acronyms: re.Pattern[str]
    names: re.Pattern[str]
    by_acronym: dict[str, Organisation]
    by_name: dict[str, Organisation]
    keywords: list[tuple[frozenset[str], Organisation]]
    country: re.Pattern[str]
    by_country: dict[str, tuple[str, str]]
    body: re.Pattern[str]
    reporting: frozenset[str]
    evidence: frozenset[str]
    documents: frozenset[str]
    roles: frozenset[str]
    back_person: frozenset[str]
    back_org: frozenset[str]
    back_either: frozenset[str]


_INDEXES: dict[int, Index] = {}


def index_of(v: SourcesVocab) -> Index:
    hit = _INDEXES.get(id(v))
    if hit is not None and hit.vocab is v:
        return hit
    by_acronym: dict[str, Organisation] = {}
    by_name: dict[str, Organisation] = {}
    keywords = []
    for org in v.organisations:
        for alias in [org.name, *org.aliases]:
            if _is_acronym(alias):
                by_acronym[alias] = org
            else:
                by_name[_norm(alias)] = org
        keywords += [(frozenset(k), org) for k in org.keywords]

    by_country: dict[str, tuple[str, str]] = {}
    for iso3, c in v.countries.items():
        demonym = c.demonyms[0] if c.demonyms else c.names[0]
        for form in [*c.names, *c.demonyms]:
            by_country.setdefault(form, (iso3, demonym))
    idx = Index(
        vocab=v,
        orgs={o.name: o for o in v.organisations},
        acronyms=re.compile(r"(?<![\w-])(?:" + alternation(list(by_acronym)) + r")(?![\w-])"),
        names=re.compile(r"\b(?:" + alternation(list(by_name)) + r")\b"),
        by_acronym=by_acronym,
        by_name=by_name,
        keywords=keywords,
        country=re.compile(r"(?<![\w-])(?:" + alternation(list(by_country)) + r")(?![\w-])"),
        by_country=by_country,
        body=re.compile(r"\b(?:" + alternation([_norm(b) for b in v.government_bodies]) + r")\b"),
        reporting=frozenset(v.reporting_verbs),
        evidence=frozenset(v.evidence_verbs),
        documents=frozenset(v.document_nouns),
        roles=frozenset(v.role_nouns),
        back_person=frozenset(v.back_references.person),
        back_org=frozenset(v.back_references.organisation),
        back_either=frozenset(v.back_references.either),
    )
    _INDEXES[id(v)] = idx
    return idx


def organisation_of(text: str, idx: Index) -> Organisation | None:
    """The organisation named in ``text``: the longest alias, else a keyword set."""
    best: tuple[int, Organisation] | None = None
    for m in idx.acronyms.finditer(text):
        org = idx.by_acronym[m.group()]
        if best is None or len(m.group()) > best[0]:
            best = (len(m.group()), org)
    norm = _norm(text)
    for m in idx.names.finditer(norm):
        org = idx.by_name[m.group()]
        # A longer descriptive alias ("UN migration agency") beats the bare "UN" acronym.
        if best is None or len(m.group()) > best[0] or best[1].name == "UN":
            best = (len(m.group()), org)
    if best is not None and best[1].name != "UN":
        return best[1]
    words = set(norm.split())
    for keys, org in idx.keywords:
        if keys <= words:
            return org
    return best[1] if best else None


def government_of(text: str, idx: Index) -> tuple[str, str] | None:
    """("Uruguayan government", "URY") for "The Uruguayan government", "the government of Uruguay"."""
    body = idx.body.search(_norm(text))
    country = idx.country.search(text)
    if body is None or country is None:
        return None
    iso3, demonym = idx.by_country[country.group()]
    canonical = next(c for b, c in idx.vocab.government_bodies.items() if _norm(b) == body.group())
    return f"{demonym} {canonical}", iso3

