"""Doubt filters: chosen places that are more likely a local place the gazetteer lacks, or no place.

Part of the places stage, run after the first ranking. A capitalised word that happens to be a
foreign hamlet's name, a town matched only by a by-name in a country the document never names, a
far town for a name whose designator says it is no town, a small foreign town in a list of places
that all lie together elsewhere: each is dropped or turned into an unknown place.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .common import (
    BIG_TOWN,
    LIST_JOINS,
    LOCATIVE,
    NEAR_KM,
    Mention,
    bare_name,
    distance_km,
    is_dateline,
    is_reporter_line,
    is_strong,
    moved,
    namelike,
    points_besides,
)
from .names import name_key
from .vocab import place_words

__all__ = []


def foreign_byname(m: Mention, mentions: list[Mention]) -> bool:
    """A town matched only by one of its other names ("Lenk" for Ostrel) in a country that the rest
    of the document does not name: an unknown place of the document's own country is likelier."""
    c = m.choice
    if c is None or c.level != "city" or c.kind != "name" or name_key(bare_name(m)) == name_key(c.name):
        return False
    countries = {x.choice.iso3 for x in mentions if x is not m and not x.weak and x.choice is not None}
    return bool(countries) and not any(x.iso3 in countries for x in m.candidates)


def odd_one_out(doc: Any, m: Mention, mentions: list[Mention]) -> bool:
    """A small foreign town in a list of places that all lie together elsewhere ("Moynapara Char,
    Ketkipur, Shaldanga and Boropukur", Ketkipur read as a town abroad): a local village the
    gazetteer lacks, not the namesake abroad."""
    c = m.choice
    if c is None or c.level != "city" or c.population >= BIG_TOWN or c.lat is None or c.iso3 is None:
        return False

    def joined(a: Mention, b: Mention) -> bool:  # commas, "and"/"or" and unfound names between
        return a.end <= b.start and all(t.text in LIST_JOINS or namelike(t) for t in doc[a.end:b.start])

    left = right = mentions.index(m)
    while left > 0 and joined(mentions[left - 1], mentions[left]):
        left -= 1
    while right + 1 < len(mentions) and joined(mentions[right], mentions[right + 1]):
        right += 1
    group = mentions[left:right + 1]
    others = [(x.choice.iso3, x.choice.lat, x.choice.lon) for x in group if x is not m and x.choice is not None
              and x.choice.lat is not None and x.choice.level in ("city", "admin2", "admin1")]
    homes = {iso3 for iso3, _, _ in others}
    if len(homes) != 1 or c.iso3 in homes or any(distance_km(c.lat, c.lon, la, lo) <= NEAR_KM for _, la, lo in others):
        return False
    # The list's country must also be the document's more named one: with no majority, no verdict.
    named = Counter(x.choice.iso3 for x in mentions if x.choice is not None and x.choice.iso3)
    home = homes.pop()
    return home is not None and named[c.iso3] < named[home]


def _others(m: Mention, mentions: list[Mention]) -> list[Mention]:
    """The other names of the document: a name repeated ("Sadar ... Sadar") does not vouch for itself."""
    key = name_key(bare_name(m))
    return [x for x in mentions if x is not m and name_key(bare_name(x)) != key]


def misfit(m: Mention, mentions: list[Mention]) -> bool:
    """A foreign town for a name whose designator says it is no town ("Dunmarrow county" read as a
    town abroad in a story set in Kelvale), or a country for a name its designator calls a town or a
    village: the document's own place is likelier, unknown."""
    c = m.choice
    if c is not None and c.level == "country" and m.designator in ("town", "village"):
        return True  # "fighting in Tonga town": a town of the document's country, not the kingdom
    if c is None or c.level != "city" or not m.hint or "city" in m.hint or c.population >= BIG_TOWN:
        return False
    countries = {x.choice.iso3 for x in _others(m, mentions) if x.choice is not None and x.choice.iso3
                 and not (x.choice.level == "city" and x.hint and "city" not in x.hint)}
    return bool(countries) and c.iso3 not in countries


def stray_verdict(doc: Any, m: Mention, mentions: list[Mention]) -> str:
    """A weak mention (no place entity: "Phase Three", "Crimson Hand", "Moynapara Char") that is a
    capitalised word happening to be a town's name: a town outside the countries the document names
    otherwise, cut out of a longer name or standing where English puts no place ("after the Crimson
    Hand's attack"), or a hamlet; when the document names no other country, only a small town so
    placed. "drop" when the word stands where English puts no place; "unknown" when it does ("towns
    such as Ngalma, Dukuri and Bolewa"): a local place the gazetteer lacks, not the foreign hamlet of
    that name; else ""."""
    c = m.choice
    if not m.weak or c is None or is_strong(c):
        return ""
    words = place_words()
    before = doc[m.start - 1] if m.start > 0 else None
    after = doc[m.end] if m.end < len(doc) else None
    cut = (before is not None and namelike(before) and before.lower_ not in words.designators) or (
        after is not None and namelike(after) and after.lower_ not in words.designators)
    placed = (before is not None and before.lower_ in LOCATIVE - {"of"}) or moved(doc, m) or bool(m.designator) or (
        after is not None and (after.lower_ in words.geographic_nouns or after.text == ",")) or is_dateline(
        doc, m.start, m.end) or is_reporter_line(doc, m.start, m.end)
    suspicious = cut or not placed
    countries = {x.choice.iso3 for x in mentions if x is not m and not x.weak and x.choice is not None}
    if countries and c.iso3 not in countries and (suspicious or c.population < 10_000):
        return "drop" if suspicious else "unknown"
    # "Haverlock Library", "Dunsby Family Farms" in a story set far from those towns: a local site
    # named after someone, not the far namesake town.
    points = points_besides(m, [x for x in mentions if not x.weak])
    if cut and c.population < BIG_TOWN and c.lat is not None and points and all(
            distance_km(c.lat, c.lon, la, lo) > NEAR_KM for la, lo in points):
        return "unknown"
    return "drop" if not countries and c.population < BIG_TOWN and suspicious else ""

