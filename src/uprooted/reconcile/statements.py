"""What the reconcile step reads of a figure: its measure, place, period, precision and authority.

Takes a figure and the document it came from; returns a ``Statement``, the figure seen as one report
of a movement. Grouping and recommendation compare statements, never raw records, so each reading
(which country, which date, how precise) is made once and the two steps cannot read it differently.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from ..records import Document, Figure
from .rules import ReconcileRules

__all__ = ["Statement", "document_date", "read_statement"]

_OPEN_ABOVE = frozenset({"more_than", "at_least"})
_OPEN_BELOW = frozenset({"less_than", "up_to"})


@dataclass(frozen=True)
class Statement:
    """One figure as one report of a movement, with everything grouping and choosing compare."""

    figure: Figure
    document: Document
    unit_class: str
    term_class: str
    countries: frozenset[str]
    origins: frozenset[str]
    destinations: frozenset[str]
    cross_border: bool
    category: str | None
    hazard: str | None  # the hazard family of a disaster ("weather", "geophysical"), when named
    start: date | None  # the baseline the text states ("since 15 April"), else None
    end: date | None
    dated: bool  # the period comes from the text, not from the publication date
    as_of: date | None  # the moment the figure describes, for recency
    reported: date | None  # when the document gave it (publication), for the order of a running count
    low: float
    high: float
    precision: tuple[int, int]  # (exact qualifier, significant digits)
    authority: int
    authority_class: str | None
    places: frozenset[str]  # sub-national places named, by GeoNames id or lower-case name
    vague: bool  # a count in words only ("hundreds of thousands"): its value is a placeholder
    standing: bool = False  # people still in displacement at a date ("remain displaced"): a stock
    daily: bool = False  # a flow of one stated day ("crossed on Sunday", "arrived today"): a day's count

    @property
    def id(self) -> str:
        """The figure's id."""
        return self.figure.id

    @property
    def value(self) -> float:
        """The figure's best single value."""
        return float(self.figure.quantity.value)


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _significant(value: float) -> int:
    """Significant digits of a count: 70,212 has 5, "70,000" has 1, "2.3 million" has 2."""
    if value <= 0 or not math.isfinite(value):
        return 0
    digits = str(round(value)).rstrip("0")
    return len(digits)


def _bounds(f: Figure) -> tuple[float, float]:
    """The range the words allow: "more than 100,000" is open above, "up to 20,000" open below."""
    q = f.quantity
    low = float(q.low if q.low is not None else q.value)
    high = float(q.high if q.high is not None else q.value)
    if q.qualifier in _OPEN_ABOVE:
        high = math.inf
    if q.qualifier in _OPEN_BELOW:
        low = 0.0
    return low, high


def _vague(f: Figure) -> bool:
    """"Hundreds of thousands", "millions": words alone that span a range. "Three million" is a figure."""
    q = f.quantity
    spans = q.low is not None and q.high is not None and q.low != q.high
    return spans and not any(ch.isdigit() for ch in q.text)


def _daily(f: Figure, rules: ReconcileRules) -> bool:
    """A flow the text dates to one day ("12,000 crossed on Sunday", "today"): the arrivals of that day,
    which a running count of the same movement ("since the 24th") adds up. "As of Sunday" or "now"
    dates a running total instead (words in data)."""
    d = f.date
    if not (f.kind == "flow" and d is not None and d.text is not None and d.precision == "day"
            and d.start is not None and d.start == (d.end or d.start)):
        return False
    running = rules.terms.running_count_pattern
    return running is None or not running.search(d.text)


def _after(f: Figure, pattern: re.Pattern[str] | None) -> bool:
    """The pattern matches in the clause that follows the figure's number."""
    text = f.evidence.text
    at = text.find(f.quantity.text)
    if pattern is None or at < 0:
        return False
    clause = re.split(r"[,;:.()]\s", text[at + len(f.quantity.text):] + " ", maxsplit=1)[0]
    return pattern.search(clause) is not None


def _authority(f: Figure, doc: Document, rules: ReconcileRules) -> tuple[int, str | None]:
    """A named source by its words; a figure in the document's own voice by its publisher's domain."""
    auth = rules.authority
    if f.source is not None:
        found = auth.of_name(f.source.name) or (auth.of_name(f.source.mention) if f.source.mention else None)
        if found is not None:
            return found.rank, found.name
    if doc.url:
        host = urlsplit(doc.url).hostname or ""
        by_domain = auth.of_domain(host)
        if by_domain is not None:
            return by_domain.rank, by_domain.name
    if doc.title:
        found = auth.of_name(doc.title)
        if found is not None and f.source is None:
            return found.rank, found.name
    return auth.default_rank, None


def _category(f: Figure, doc: Document) -> str | None:
    """Conflict or disaster: the document's class when it has one, the figure's otherwise."""
    for cat in (doc.category, f.category):
        if cat in ("conflict", "disaster"):
            return cat
    return None


def document_date(doc: Document, figures: Sequence[Figure]) -> date | None:
    """When a document speaks: its publication date, else the latest date its figures state (a
    situation report without a date line is as of its latest "as of 25 April")."""
    published = _day(doc.published)
    if published is not None:
        return published
    stated = [_day(f.date.end or f.date.start) for f in figures if f.date is not None]
    days = [d for d in stated if d is not None]
    return max(days) if days else None


def read_statement(f: Figure, doc: Document, rules: ReconcileRules, doc_date: date | None = None) -> Statement:
    """The statement of ``f``, read once for the grouping and the recommendation. ``doc_date`` is
    the document's date (``document_date``), for a figure the text does not date."""
    terms = rules.terms
    origins = frozenset(loc.iso3 for loc in f.locations if loc.iso3 and loc.role == "origin")
    destinations = frozenset(loc.iso3 for loc in f.locations if loc.iso3 and loc.role == "destination")
    countries = frozenset(loc.iso3 for loc in f.locations if loc.iso3)
    term_class = terms.measure_of(f.term, f.evidence.text)
    cross = (
        term_class == "cross_border"
        or f.displacement == "cross_border"
        or bool(destinations - origins and origins)
    )
    if cross and origins and not destinations:
        # "Refugees from Velmora in Ostrakand": a place outside the country of origin is where they are.
        destinations = frozenset(loc.iso3 for loc in f.locations if loc.iso3 and loc.role == "location") - origins
    dated = f.date is not None and f.date.text is not None
    # Only a "since 3 May" period states a baseline; a calendar month or week ("in June") does not.
    start = _day(f.date.start) if f.date is not None and dated and f.date.precision == "period" else None
    end = _day(f.date.end or f.date.start) if f.date is not None else None
    published = _day(doc.published) or doc_date
    if end is None:
        end = published
    as_of = end if dated or published is None else published
    low, high = _bounds(f)
    rank, cls = _authority(f, doc, rules)
    category = _category(f, doc)
    hazard = None
    if category == "disaster":
        hazard = terms.hazard_of(f.evidence.text) or (terms.hazard_of(doc.title) if doc.title else None)
    places = frozenset(
        str(loc.geonameid) if loc.geonameid is not None else (loc.name or loc.mention or "").lower()
        for loc in f.locations
        if loc.level not in (None, "country", "region") and (loc.name or loc.mention or loc.geonameid)
    )
    return Statement(
        figure=f,
        document=doc,
        unit_class=terms.unit_classes[f.unit],
        term_class=term_class,
        countries=countries,
        origins=origins,
        destinations=destinations,
        cross_border=cross,
        category=category,
        hazard=hazard,
        start=start if start != end else None,
        end=end,
        dated=dated,
        as_of=as_of,
        reported=published or as_of,
        low=low,
        high=high,
        precision=(int(f.quantity.qualifier == "exact"), _significant(float(f.quantity.value))),
        authority=rank,
        authority_class=cls,
        places=places,
        vague=_vague(f),
        standing=f.kind == "stock" and _after(f, terms.state_pattern),
        daily=_after(f, terms.rate_pattern) or (_daily(f, rules) and (
            published is None or end is None
            or abs((published - end).days) <= terms.grouping.daily_count_max_age_days)),
    )
