"""Toponym resolution: every place a document names, resolved to the gazetteer in context.

Part of the places stage. Takes a parsed spaCy ``Doc`` and the ``Gazetteer`` and returns one
``ResolvedPlace`` per place mention, in text order, each carrying a ``records.Place``. It finds
mentions (spaCy's entities, plus capitalised names the small model misses or mislabels), decides
their use (literal, metonymy, modifier) and ranks each mention's candidates by context: the
countries and admin regions the document names, "X, Y" and "X in Y province" patterns, the words
around the name ("Velmora region", "the city of", "the Kelvale government"), the kind and population
of the feature (a town known by a state's own name yields to the state: "Missouri" is not Bozeman),
and the distance to the document's other places. Names the gazetteer lacks still become places: a
building or street ("Greywell Parish Church") is put in the town the document named last in its main
country, any other unknown name in a place of its sentence or the document's focus, never in an ocean.
A dateline city is flagged, so that ``link.py`` does not take where the reporter is for where people
fled. Which places are a figure's origin or destination is ``link.py``'s job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .common import Mention, ResolvedPlace, bare_name, is_strong
from .doubt import foreign_byname, misfit, odd_one_out, stray_verdict
from .features import Tracer
from .find import find_mentions
from .gazetteer import Gazetteer
from .names import name_key
from .placement import to_record
from .rank import rank_mentions, shipped_weights
from .use import decide_use, link_containers

__all__ = ["ResolvedPlace", "Tracer", "resolve_places"]


def resolve_places(
    doc: Any, gazetteer: Gazetteer, published: str | None = None, *, doc_id: str = "",
    calendar: frozenset[str], weights: Mapping[str, float] | None = None, trace: Tracer | None = None,
) -> list[ResolvedPlace]:
    """Every place mention of ``doc``, resolved; unknown names get ``geonameid`` None, low confidence.

    ``published`` is accepted for symmetry with the other stages; names do not depend on it yet.
    ``calendar`` holds the date words (``DatesVocab.calendar_words``) that keep a date from being
    read as a town the tagger called a date. ``weights`` rank the candidates (default: the shipped
    ``data/place_ranker.yaml``; the trainer passes its own), and ``trace`` sees every candidate's features.
    """
    del published
    weights = shipped_weights() if weights is None else weights
    mentions = find_mentions(doc, gazetteer, calendar)
    link_containers(doc, mentions)
    decide_use(doc, mentions)
    rank_mentions(mentions, weights, trace)
    stray = {id(m): stray_verdict(doc, m, mentions) for m in mentions}
    kept = [m for m in mentions if stray[id(m)] != "drop"]
    foreign = [m for m in kept if stray[id(m)] == "unknown" or foreign_byname(m, kept) or misfit(m, kept)
               or odd_one_out(doc, m, kept)]
    # One sense per document: "Sadar upazila" read as no foreign town makes every "Sadar" unknown.
    unknown_names = {name_key(bare_name(m)) for m in foreign}
    # A country's name goes unknown only on a designator's word ("Tonga town ... fled Tonga").
    towns = {name_key(bare_name(m)) for m in foreign if m.choice is not None and m.choice.level == "country"}
    foreign += [m for m in kept if m not in foreign and m.choice is not None
                and name_key(bare_name(m)) in unknown_names
                and (not is_strong(m.choice) or name_key(bare_name(m)) in towns)]
    for m in foreign:  # a place the gazetteer lacks, more likely than a foreign town's by-name
        m.candidates, m.choice = [], None
    if len(kept) < len(mentions) or foreign:
        mentions = kept
        rank_mentions(mentions, weights, trace)
    _same_district(mentions)
    _same_country(doc, mentions)
    return [to_record(doc, m, mentions, gazetteer, doc_id) for m in mentions]


def _same_country(doc: Any, mentions: list[Mention]) -> None:
    """One sense per document: a name read as a country twice or more is that country again where one
    mention went to a namesake state or town, unless a designator after it says so ("Kelvale State");
    "the territory of Kelvale" is any land's."""
    countries: dict[str, list[int]] = {}
    for m in mentions:
        if m.choice is not None and m.choice.level == "country" and m.choice.kind == "name":
            countries.setdefault(name_key(m.text), []).append(m.choice.id)
    for m in mentions:
        ids = countries.get(name_key(m.text), [])
        c = m.choice
        if len(ids) < 2 or len(set(ids)) > 1 or c is None or c.level == "country":
            continue
        if m.designator and not (m.start >= 2 and doc[m.start - 1].lower_ == "of"
                                 and doc[m.start - 2].lower_ == m.designator):
            continue  # "Kelvale State" names the state; "the territory of Kelvale" names no kind
        country = next((k for k in m.candidates if k.id == ids[0]), None)
        if country is not None and country.iso3 != c.iso3:
            m.choice, m.reason = country, "the country this name stands for elsewhere in the document"


def _same_district(mentions: list[Mention]) -> None:
    """One sense per document: "Khogyani district ... families in Khogyani" is the district again, not
    a town far off that has the name only as one of its other names."""
    units = {name_key(bare_name(m)): m.choice for m in mentions
             if m.designator and m.choice is not None and m.choice.level == "admin2"}
    for m in mentions:
        unit = units.get(name_key(m.text))
        c = m.choice
        if unit is not None and not m.designator and c is not None and c.id != unit.id and c.level == "city" \
                and c.kind == "name" and name_key(c.name) != name_key(m.text):
            m.choice = unit

