"""The dates stage: every date a document states, anchored to its publication date, and the one a
figure refers to.

Takes a parsed spaCy ``Doc`` and the publication date; returns ``DateMention`` objects (character and
token spans, sentence index, and a ``records.DatePeriod``) and, for a figure, the ``DatePeriod`` it
refers to. ``grammar`` reads the shapes of news dates, ``find`` finds them in a document, ``choose``
picks a figure's, ``report`` reads the date a report's title says it stands at. Finding figures,
their kind (flow or stock) and where the date goes in the record is left to the figures stage and the
records stage.
"""

from __future__ import annotations

from .choose import figure_date, publication_period, reference_date
from .find import find_dates
from .report import at_report_time, report_period
from .vocab import DateMention, DatesVocab, load_dates_vocab

__all__ = [
    "DateMention", "DatesVocab", "at_report_time", "figure_date", "find_dates", "load_dates_vocab",
    "publication_period", "reference_date", "report_period",
]
