"""What every step of toponym resolution shares: the mention being resolved, the resolved place, the
words of English place syntax, distances and the cut-offs the steps agree on.

Part of the places stage; imported by the steps in ``resolve.py``'s order (find, use, rank, doubt,
placement), never importing them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..records import Place
from .gazetteer import Candidate
from .vocab import place_words

__all__ = []


# Entity labels whose spans are taken as place names; other spans must earn it (see _plausible).
PLACE_LABELS = {"GPE", "LOC", "FAC", "NORP"}


OTHER_LABELS = {"ORG", "PERSON", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"}


LOCATIVE = {"in", "from", "to", "into", "near", "at", "across", "outside", "towards", "toward", "of",
             "around", "through", "via", "between", "inside", "within", "throughout", "reach", "reached"}


DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
               "northeastern", "northwestern", "southeastern", "southwestern", "north-east", "north-west",
               "south-east", "south-west", "northeast", "northwest", "southeast", "southwest", "upper",
               "lower", "greater", "occupied", "rural", "downtown", "coastal"}


STRONG_LEVELS = {"country", "region", "admin1"}


# Cut-offs the steps share. A town of this many people is a city in its own right: it is no
# namesake of its province, no local village misread, no stray hamlet.
BIG_TOWN = 100_000
# A town of this many people that bears the name of the unit it lies in is the unit's seat: a bare
# name of both means the town (a province's label point may lie far from its seat).
SEAT_TOWN = 10_000
# How far a place may lie from the document's other places and still belong with them (a list of
# villages, a facility's host town, a doubtful namesake).
NEAR_KM = 300.0


@dataclass
class Mention:
    start: int  # token indices, end exclusive
    end: int
    text_start: int
    text_end: int
    text: str
    label: str
    candidates: list[Candidate]
    hint: list[str] = field(default_factory=list)  # preferred levels from designators
    inside: list[Candidate] = field(default_factory=list)  # places named inside an unknown name
    container: int | None = None  # index of a mention that contains this one ("X, Y")
    weak: bool = False  # found outside a place entity: must agree with the document's countries
    designator: str = ""  # the designator word next to the name ("department", "county")
    next_word: str = ""  # the lower-case word after the mention ("government" in "Kelvale government")
    facility: bool = False  # a building, street or site ("Greywell Parish Church"): lies in a named town
    dateline: bool = False  # opens a dateline ("TOKA, March 3 (Reuters) -"): where the reporter is
    use: str = "literal"
    choice: Candidate | None = None
    score_margin: float = 0.0
    reason: str = ""


@dataclass(frozen=True)
class ResolvedPlace:
    """A place mention with its resolution: the published ``place`` record and its token span."""

    place: Place
    start: int  # character offsets in the document
    end: int
    token_start: int
    token_end: int
    use: str
    candidate: Candidate | None = None
    dateline: bool = False  # the city of a dateline: where the reporter is, not where people moved

    @property
    def level(self) -> str | None:
        return self.place.level

    @property
    def iso3(self) -> str | None:
        return self.place.iso3


def points_besides(m: Mention, mentions: list[Mention]) -> list[tuple[float, float | None]]:
    """Where the other mentions' towns and regions lie: what a doubtful place must be near."""
    return [(x.choice.lat, x.choice.lon) for x in mentions if x is not m and x.choice is not None
            and x.choice.lat is not None and x.choice.level in ("city", "admin2", "admin1")]


def moved(doc: Any, m: Mention) -> bool:
    """The object of a verb of leaving or reaching ("fled Velmora", "reached Ostrel and Brannow"): English
    puts a place there, whatever the entity recogniser said."""
    words = place_words()
    verbs = {*words.origin.verbs, *words.destination.verbs}
    tok = doc[m.start:m.end].root
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("dobj", "obj") and tok.head.lemma_.lower() in verbs


LIST_JOINS = {",", "and", "or", "&"}


def is_strong(c: Candidate) -> bool:
    """A country, region or state, or a name from our own lists (demonym, curated, abbreviation): a
    place whatever the entity recogniser said, unlike a town known only by its GeoNames name."""
    return c.level in STRONG_LEVELS or c.kind != "name"


def namelike(tok: Any) -> bool:
    """A token that can be (part of) a place name: capitalised proper noun or adjective, or a connector
    inside one ("Bosnia and Herzegovina", "Tell al-Sabkha")."""
    if tok.is_title or (tok.is_upper and len(tok) > 1):
        if tok.is_upper and tok.is_alpha and len(tok) > 2 and opens_line(tok.doc, tok.i):
            return True  # a dateline in capitals ("PORT TARNICK", "NORTH KELVALE"): tags go wrong
        if tok.is_sent_start and tok.is_title and (tok.tag_ == "NNS" or (
                tok.tag_ == "NN" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].is_lower)):
            return False  # "Rivers devour homes", "Relief camps were opened": a common noun opening a sentence
        return bool((tok.pos_ in ("PROPN", "ADJ", "NOUN") and tok.is_alpha) or "." in tok.text or "-" in tok.text)
    return False


def opens_line(doc: Any, i: int) -> bool:
    """Token ``i`` starts the text or a line."""
    return i == 0 or "\n" in doc[i - 1].text


def is_dateline(doc: Any, start: int, end: int) -> bool:
    """A capitalised place opening a line and followed by a comma or dash: "TOKA, Congo (Reuters)"."""
    line_start = opens_line(doc, start) or (doc[start - 1].whitespace_ == "" and doc[start - 1].is_space)
    return line_start and end < len(doc) and doc[end].text in (",", "-", "—", "–")


def is_reporter_line(doc: Any, start: int, end: int) -> bool:
    """A real dateline, not a paragraph opening on a place ("Marrask, a coastal district, had"): the
    line goes on to a dash before any verb ("TOKA, March 3 (Reuters) -", "OSTREL, Kelvale —")."""
    if not is_dateline(doc, start, end) and not (
            (opens_line(doc, start) or (doc[start - 1].text == "/" and start >= 2 and namelike(doc[start - 2])))
            and end < len(doc) and doc[end].text in ("(", "/")):
        return False
    for tok in doc[end:end + 12]:
        if tok.text in ("-", "—", "–", "--", "―"):
            return True
        if "\n" in tok.text or tok.i == len(doc) - 1:
            # "GENEVA, 11.01.2013" alone on its line: where and when the report was given.
            line = [t for t in doc[end + 1:tok.i + (tok.i == len(doc) - 1)] if not t.is_space]
            return bool(line) and all(t.ent_type_ == "DATE" or t.like_num or t.is_punct for t in line)
        if tok.pos_ in ("VERB", "AUX"):
            return False
    return False


def bare_name(m: Mention) -> str:
    """The mention without the designator it was extended over ("Velmora region" -> "Velmora")."""
    if m.hint and m.text.rsplit(" ", 1)[-1].lower() in place_words().designators:
        return m.text.rsplit(" ", 1)[0]
    return m.text


def distance_km(la1: float, lo1: float | None, la2: float, lo2: float | None) -> float:
    p1, p2 = math.radians(la1), math.radians(la2)
    dl = math.radians((lo2 or 0.0) - (lo1 or 0.0))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(h)))

