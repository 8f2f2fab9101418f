"""Placement and records: the published ``place`` record of each mention, and where a name the
gazetteer lacks is put.

Part of the places stage, its last step. An unknown name takes a place named inside it, the town
the document names near it (a facility), the nearest place of its sentence, or the document's
focus, in that order; never a point from another country, and always a low confidence.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from ..records import Place
from .common import BIG_TOWN, NEAR_KM, STRONG_LEVELS, Mention, ResolvedPlace, bare_name, distance_km, points_besides
from .gazetteer import OWN_IDS, Candidate, Gazetteer
from .names import name_key
from .vocab import place_words

__all__ = []


def _focus(mentions: list[Mention], gaz: Gazetteer) -> Candidate | None:
    """The document's focus: its most named sub-national place in its main country, else that country."""
    countries = Counter(m.choice.iso3 for m in mentions if m.choice is not None and m.choice.iso3)
    if not countries:
        return None
    main = countries.most_common(1)[0][0]
    local = Counter(m.choice.id for m in mentions
                    if m.choice is not None and m.choice.iso3 == main and m.choice.level != "country")
    if local:
        top = local.most_common(1)[0][0]
        best = next(m.choice for m in mentions if m.choice is not None and m.choice.id == top)
        if best.level != "admin1":
            return best
        # A state's centre can lie hundreds of km from everything the document names in it: an
        # unknown site in "Virginia" lies in the document's most named town of Virginia.
        towns = Counter(m.choice.id for m in mentions if m.choice is not None and m.choice.level == "city"
                        and m.use == "literal" and m.choice.iso3 == main
                        and m.choice.admin1 and name_key(m.choice.admin1) == name_key(best.name))
        if not towns:
            return best
        town = towns.most_common(1)[0][0]
        return next(m.choice for m in mentions if m.choice is not None and m.choice.id == town)
    return gaz.country(main)


def _inside(m: Mention, mentions: list[Mention]) -> Candidate | None:
    """The best candidate of a place named inside an unknown name ("Pellaby International Airport"),
    in one of the document's countries when it names any; never an ocean or continent ("Atlantic Coast
    district" lies on a coast of the document's country). A small town inside a facility's name must lie
    near the document's other places: "Kestrel Street" is no street of a town called Kestrel."""
    isos = Counter(x.choice.iso3 for x in mentions if x.choice is not None and x is not m)
    pool = [c for c in m.inside if c.iso3 and (not isos or c.iso3 in isos or (
        (c.level == "country" or c.population >= BIG_TOWN) and name_key(c.name) in name_key(m.text)))]
    points = points_besides(m, mentions)

    def near(c: Candidate) -> bool:
        return c.lat is not None and any(distance_km(c.lat, c.lon, la, lo) < NEAR_KM for la, lo in points)

    if m.facility:
        pool = [c for c in pool if c.level in STRONG_LEVELS or c.population >= BIG_TOWN or near(c)]
    # "Old Town Brannow" lies by the document's other places, not in the biggest town of that name.
    pool = [c for c in pool if near(c)] or pool
    if not pool:
        return None
    return max(pool, key=lambda c: (c.level != "city", c.population))


def _last_town(m: Mention, mentions: list[Mention]) -> Candidate | None:
    """The town a facility most likely lies in: the last town named before it, else the first after;
    a town in the document's main country when it names one there (a namesake abroad is no host)."""
    towns = [x for x in mentions if x.choice is not None and x.choice.level == "city" and x.use != "modifier"
             and x.choice.iso3]
    countries = Counter(x.choice.iso3 for x in mentions if x.choice is not None and x.choice.iso3)
    if countries:
        main = countries.most_common(1)[0][0]
        home = [x for x in towns if x.choice is not None and x.choice.iso3 == main]
        towns = home or towns
    # A town with no other place of the document near it is likely a namesake read wrongly (the
    # Market Square of a far-off Brannow in a story about Velmora): no host for a facility. Towns
    # the recogniser missed count only when they have company and the recognised ones have none.
    sure = [x for x in towns if not x.weak]
    towns = ([x for x in sure if _has_company(x, mentions)]
             or [x for x in towns if _has_company(x, mentions, km=_MISSED_TOWN_KM)] or sure)
    before = [x for x in towns if x.start < m.start]
    pick = before[-1] if before else next((x for x in towns if x.start > m.start), None)
    return pick.choice if pick is not None else None


def _has_company(m: Mention, mentions: list[Mention], km: float = NEAR_KM) -> bool:
    """Whether another place the document resolved (not ``m``'s own, named again) lies within ``km``."""
    c = m.choice
    if c is None or c.lat is None:
        return False
    others = [x for x in mentions if x.choice is not None and x.choice.id != c.id]
    return any(distance_km(c.lat, c.lon, la, lo) < km for la, lo in points_besides(m, others))


def _came_from(doc: Any, i: int) -> bool:
    """The name at token ``i`` is where people came from: "from" opens the list it stands in."""
    j = i - 1
    while j >= 0 and (doc[j].is_punct or doc[j].lower_ in ("and", "or") or doc[j].pos_ == "PROPN"):
        j -= 1
    return j >= 0 and doc[j].lower_ == "from"


def _local(doc: Any, m: Mention, mentions: list[Mention]) -> Candidate | None:
    """The place an unknown name most likely lies in: the nearest sub-national place resolved in the
    same sentence ("Ngalma, a town in Kelvale State"; "Ostrel Township ... Upper Tarn Region"), but
    not one people came from ("the camp shelters families coming from Ostrel")."""
    sent = doc[m.start].sent
    near = [(abs(x.start - m.start), x.choice) for x in mentions
            if x.choice is not None and x.use == "literal" and sent.start <= x.start < sent.end
            and x.choice.level not in ("country",) and x.choice.iso3
            and not _came_from(doc, x.start)]
    return min(near, key=lambda t: t[0])[1] if near else None


# A resolved place's confidence runs from _SURE_FLOOR (a close call) towards _SURE_FLOOR + _SURE_SPAN as
# the margin over the runner-up grows; a name the gazetteer lacks gets _UNKNOWN, whatever its placement.
_SURE_FLOOR = 0.55
_SURE_SPAN = 0.4
_UNKNOWN = 0.15
# A facility's host town may lie this far from the document's other places when the recogniser missed it.
_MISSED_TOWN_KM = 150.0


def _name_span(m: Mention, mentions: list[Mention]) -> tuple[str, int]:
    """The mention's text and end offset without a trailing designator of a unit ("Upper Tarn State"
    -> "Upper Tarn"), known to the gazetteer or not. It stays when a town's name has it ("Velmora
    City"), and when the document names the same name with another designator ("Ostrel City" and "Ostrel
    District" are two places)."""
    bare = bare_name(m)
    word = m.text[len(bare):].strip().lower()
    c = m.choice
    if bare == m.text or word not in place_words().name_only_designators:
        return m.text, m.text_end
    if c is not None and c.level == "city" and word in c.name.lower().split():
        return m.text, m.text_end
    if any(bare_name(x) == bare and x.text not in (m.text, bare) for x in mentions):
        return m.text, m.text_end
    return bare, m.text_end - (len(m.text) - len(bare))


def to_record(doc: Any, m: Mention, mentions: list[Mention], gaz: Gazetteer, doc_id: str) -> ResolvedPlace:
    c = m.choice
    mention, end = _name_span(m, mentions)
    if c is not None:
        confidence = _SURE_FLOOR + _SURE_SPAN * (1 - math.exp(-max(m.score_margin, 0.0) / 2))
        place = Place(doc_id=doc_id, mention=mention, start=m.text_start, end=end, name=c.name,
                      geonameid=c.geonameid if c.geonameid and c.geonameid < OWN_IDS else None,
                      iso3=c.iso3, admin1=c.admin1, lat=_round(c.lat), lon=_round(c.lon),
                      level=c.level,  # type: ignore[arg-type]
                      also_known_as=c.also_known_as, use=m.use,  # type: ignore[arg-type]
                      confidence=round(confidence, 3), reason=m.reason,
                      pcode=c.feature[5:] or None if c.kind == "user" and c.feature.startswith("USER:") else None)
    else:
        if m.facility:
            focus = _inside(m, mentions) or _last_town(m, mentions) or _local(doc, m, mentions) or _focus(
                mentions, gaz)
        else:
            focus = _inside(m, mentions) or _local(doc, m, mentions) or _focus(mentions, gaz)
        place = Place(doc_id=doc_id, mention=mention, start=m.text_start, end=end, name=mention,
                      iso3=focus.iso3 if focus else None, lat=_round(focus.lat) if focus else None,
                      lon=_round(focus.lon) if focus else None, level="place",
                      use=m.use,  # type: ignore[arg-type]
                      confidence=_UNKNOWN,
                      reason=f"not in gazetteer; placed at {focus.name}" if focus else "not in gazetteer")
    return ResolvedPlace(place=place, start=m.text_start, end=m.text_end, token_start=m.start,
                         token_end=m.end, use=m.use, candidate=c, dateline=m.dateline)


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 5)

