"""The dates stage's vocabulary and values: ``data/dates.yaml`` as a checked model, and ``DateMention``,
what the stage returns for each date a document states.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..datafiles import load_vocabulary
from ..records import DatePeriod, Precision

__all__ = ["DateMention", "DatesVocab", "Relation", "load_dates_vocab"]


Relation = Literal["point", "since", "range", "as_of"]


class DatesVocab(BaseModel):
    """The schema of ``data/dates.yaml``; unknown keys stop loading."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    months: dict[str, int]
    weekdays: dict[str, int]
    day_parts: list[str]
    numbers: dict[str, int]
    units: dict[str, Precision]
    relative_days: dict[str, int]
    back_period_openers: list[str]
    approximators: list[str]
    year_parts: dict[str, tuple[int, int]]
    month_parts: dict[str, tuple[int, int]]
    date_prepositions: list[str]
    period_end_verbs: list[str]
    since_words: list[str]
    contrast_marks: list[str]
    as_of_words: list[str]
    range_openers: list[str]
    range_joiners: list[str]
    since_reach: int

    def calendar_words(self) -> frozenset[str]:
        """Every lowercased word that belongs to a date: month and weekday names, units, day parts.
        Place resolution uses it to tell a town the tagger called a date from a real date."""
        words = {*self.months, *self.weekdays, *self.units, *(f"{u}s" for u in self.units), *self.relative_days,
                 *self.day_parts, *self.year_parts, *self.month_parts}
        return frozenset(w.lower() for w in words)


@lru_cache(maxsize=1)
def load_dates_vocab() -> DatesVocab:
    """``data/dates.yaml``, parsed once per process."""
    return load_vocabulary("dates.yaml", DatesVocab)


@dataclass(frozen=True)
class DateMention:
    """One date the document states: where it is and the period it names.

    ``relation`` says how the words around it bend the period: ``since`` runs to publication,
    ``range`` joins two ends, ``as_of`` is the date a count stands at ("by 18 September").
    """

    start: int
    end: int
    token_start: int
    token_end: int
    sent_index: int
    period: DatePeriod
    relation: Relation = "point"

    @property
    def text(self) -> str:
        return self.period.text or ""

    @property
    def resolved(self) -> bool:
        return self.period.start is not None

