"""The reconcile step's rules: term classes, thresholds, source authority and household sizes.

Every threshold and word list of the step lives in ``data/reconcile.yaml``, ``data/authority.yaml`` and
``data/household_size.yaml``; this module parses them into one ``ReconcileRules`` object that the
grouping and the recommendation receive. A user's own authority file replaces the default one, since
which agency to trust is a decision of the analyst, not of the program.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..datafiles import load_vocabulary
from ..errors import ResourceError
from ..records import Term, Unit

__all__ = [
    "AffinityWeights",
    "AuthorityClass",
    "AuthorityRules",
    "GroupingRules",
    "HouseholdSize",
    "HouseholdSizes",
    "RecommendRules",
    "ReconcileRules",
    "TermRules",
    "load_rules",
]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GroupingRules(_Strict):
    """When figures of different documents may be one movement."""

    max_gap_days: int = Field(ge=0)
    max_lag_days: int = Field(ge=0)
    max_start_gap_days: int = Field(ge=0)
    one_statement_per_document: bool = True
    daily_counts_join: bool = False
    running_count_words: list[str] = Field(default_factory=list)
    rate_words: list[str] = Field(default_factory=list)
    state_words: list[str] = Field(default_factory=list)
    daily_count_max_age_days: int = Field(default=3, ge=0)
    breakdown_min_parts: int = Field(default=0, ge=0)
    same_document_tolerance: float = Field(ge=0.0, lt=1.0)
    cumulative_classes: list[str] = Field(default_factory=list)
    cumulative_tolerance: float = Field(ge=0.0, lt=1.0)


class AffinityWeights(_Strict):
    """The order of joins among compatible figures; see ``data/reconcile.yaml``."""

    time_weight: float
    time_scale_days: float = Field(gt=0.0)
    same_term: float
    same_place: float
    other_place: float
    same_destination: float
    one_destination: float
    unproven_crossing: float


class RecommendRules(_Strict):
    """How the figure to publish is chosen and when a group is flagged as contradictory."""

    restatement_tolerance: float = Field(ge=0.0, lt=1.0)
    same_moment_days: int = Field(ge=0)
    contradiction_margin: float = Field(gt=0.0)


def _phrases(words: list[str]) -> re.Pattern[str] | None:
    """Whole-word, any-spacing, case-blind pattern of the phrases, longest first; None for none."""
    if not words:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(r"\s+".join(map(re.escape, w.split()))
                                                for w in sorted(words, key=len, reverse=True))
                      + r")(?![\w])", re.IGNORECASE)


class CombinedClass(_Strict):
    """A measure that counts two classes at once ("homes damaged or destroyed"), told by its words."""

    of: list[str] = Field(min_length=2)
    words: list[str] = Field(min_length=1)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Whole-phrase pattern of the words, any spacing."""
        found = _phrases(self.words)
        assert found is not None  # at least one word, by the field's bound
        return found


class TermRules(_Strict):
    """``data/reconcile.yaml``: term and unit classes and the thresholds of the step."""

    term_classes: dict[str, list[Term]]
    combined_classes: dict[str, CombinedClass] = Field(default_factory=dict)
    hazards: dict[str, list[str]] = Field(default_factory=dict)
    cross_border_joins: list[tuple[str, str]] = Field(default_factory=list)
    unit_classes: dict[Unit, str]
    grouping: GroupingRules
    affinity: AffinityWeights
    recommend: RecommendRules

    @model_validator(mode="after")
    def _every_term_once(self) -> TermRules:
        """A term in two classes, or in none, would make grouping depend on file order."""
        seen: dict[str, str] = {}
        for name, terms in self.term_classes.items():
            for term in terms:
                if term in seen:
                    raise ValueError(f"term {term!r} is in classes {seen[term]!r} and {name!r}")
                seen[term] = name
        missing = set(Term.__args__) - set(seen)  # type: ignore[attr-defined]
        if missing:
            raise ValueError(f"terms in no class: {sorted(missing)}")
        known = set(self.term_classes) | set(self.combined_classes)
        for name, combined in self.combined_classes.items():
            if name in self.term_classes or set(combined.of) - set(self.term_classes):
                raise ValueError(f"combined class {name!r} must be new and combine known classes")
        for pair in [*self.cross_border_joins, self.grouping.cumulative_classes]:
            unknown = set(pair) - known
            if unknown:
                raise ValueError(f"unknown term classes {sorted(unknown)}")
        return self

    @cached_property
    def class_of(self) -> dict[str, str]:
        """Term -> its class."""
        return {term: name for name, terms in self.term_classes.items() for term in terms}

    def measure_of(self, term: str, text: str) -> str:
        """The class of a figure of ``term`` stated in ``text``: a combined class when the text
        counts both of its classes at once ("damaged or destroyed")."""
        cls = self.class_of[term]
        for name, combined in self.combined_classes.items():
            if cls in combined.of and combined.pattern.search(text):
                return name
        return cls

    @cached_property
    def hazard_patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        """(family, whole-word pattern of its words), in file order."""
        return [
            (family, re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                                + r")(?![\w])", re.IGNORECASE))
            for family, words in self.hazards.items() if words
        ]

    @cached_property
    def running_count_pattern(self) -> re.Pattern[str] | None:
        """Whole-word pattern of the words that make a dated count a running total ("as of Sunday")."""
        return _phrases(self.grouping.running_count_words)

    @cached_property
    def rate_pattern(self) -> re.Pattern[str] | None:
        """Whole-word pattern of the words that make a count a rate ("10,000 a day")."""
        return _phrases(self.grouping.rate_words)

    @cached_property
    def state_pattern(self) -> re.Pattern[str] | None:
        """Whole-word pattern of the words that make a stock a standing count ("remain displaced")."""
        return _phrases(self.grouping.state_words)

    def hazard_of(self, text: str) -> str | None:
        """The one hazard family the text names, or None when it names none or several."""
        found = {family for family, pattern in self.hazard_patterns if pattern.search(text)}
        return found.pop() if len(found) == 1 else None


class AuthorityClass(_Strict):
    """A kind of source (UN agency, government, media) with its rank and how to recognise it."""

    name: str
    rank: int
    words: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """Whole-word, case-insensitive match of any of the words."""
        if not self.words:
            return None
        alternatives = "|".join(re.escape(w) for w in sorted(self.words, key=len, reverse=True))
        return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)


class AuthorityRules(_Strict):
    """``data/authority.yaml``: source classes, first match wins."""

    classes: list[AuthorityClass]
    default_rank: int = 1

    def of_name(self, name: str) -> AuthorityClass | None:
        """The class of a source name, or None when no word of any class is in it."""
        for cls in self.classes:
            if cls.pattern is not None and cls.pattern.search(name):
                return cls
        return None

    def of_domain(self, host: str) -> AuthorityClass | None:
        """The class of a publisher's host name ("www.unhcr.org"), by domain suffix or label."""
        host = host.lower().removeprefix("www.")
        labels = host.split(".")
        for cls in self.classes:
            for domain in cls.domains:
                d = domain.lower()
                if host == d or host.endswith("." + d) or ("." not in d and d in labels):
                    return cls
        return None


class HouseholdSize(_Strict):
    """Persons per household in one country, with the reference year of the estimate."""

    size: float = Field(gt=0.0)
    year: int


class HouseholdSizes(_Strict):
    """``data/household_size.yaml``: ISO 3166 alpha-3 -> average household size."""

    countries: dict[str, HouseholdSize]


class ReconcileRules(_Strict):
    """Everything the reconcile step reads from data, in one object."""

    terms: TermRules
    authority: AuthorityRules
    households: HouseholdSizes


def _user_file(path: Path, model: type[AuthorityRules]) -> AuthorityRules:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResourceError(f"cannot read authority file {path}: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ResourceError(f"invalid authority file {path}: {exc}") from exc


def load_rules(authority: Path | None = None) -> ReconcileRules:
    """The shipped rules; ``authority`` names the user's own source ranking, which replaces the default."""
    return ReconcileRules(
        terms=load_vocabulary("reconcile.yaml", TermRules),
        authority=_user_file(authority, AuthorityRules) if authority else load_vocabulary(
            "authority.yaml", AuthorityRules),
        households=load_vocabulary("household_size.yaml", HouseholdSizes),
    )
