"""Figure locations: which of a sentence's places are a figure's origin, destination or location.

Part of the places stage, called by the figure stage for each figure. Takes the figure's sentence,
its anchor token (the displacement verb or noun), the places ``resolve_places`` found in the
document, and returns the figure's ``Location`` list with roles and whether the displacement is
internal or cross-border. Only literal places count: demonyms ("Bolivian forces") and
metonyms ("Velmora said") never locate a figure, nor does a dateline ("TOKA, March 3 (Reuters) -"),
which says where the reporter is. "Fled the town of Brannow" gives Brannow the role of "the town". When the
sentence names no place, an anaphor ("the region's residents") or the document's focus stands in for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..records import Location
from .common import ResolvedPlace
from .vocab import place_words

__all__ = ["figure_locations"]


def figure_locations(
    sent: Any, anchor: Any, places: Sequence[ResolvedPlace], doc_places: Sequence[ResolvedPlace] | None = None,
    *, label: bool = False, recent: int = 0,
) -> tuple[list[Location], str]:
    """The figure's locations and its displacement ("internal", "cross_border" or "unknown").

    ``places`` are the document's resolved places (those outside ``sent`` are ignored);
    ``doc_places`` defaults to ``places`` and supplies anaphors and the fallback focus. With
    ``label``, ``sent`` is the label of a list item ("Ostrel - 2,500"): a place named there is where
    the count is, though the parse of a list line reads it as a modifier. With ``recent``, a sentence
    that names no place takes the last place named in the ``recent`` sentences before it, in its
    paragraph ("... in Ostrel when the bomb exploded. Two soldiers died in the blast.").
    """
    doc = sent.doc
    doc_places = [p for p in (doc_places if doc_places is not None else places) if not _hometown(doc, p)]
    uses = ("literal", "modifier") if label else ("literal",)
    # A dateline ("TOKA, March 3 (Reuters) -") says where the reporter is, not where people moved.
    inside = [p for p in places if sent.start <= p.token_start < sent.end and p.use in uses
              and not p.dateline and not (p.candidate is not None and p.candidate.kind == "demonym")
              and not _hometown(doc, p)]
    located: list[tuple[str, ResolvedPlace]] = [(_role(sent.doc, p, anchor), p) for p in inside]
    if not any(role == "origin" for role, _ in located):
        ref = _anaphor(sent, anchor, doc_places) or _nationality(sent, anchor, places)
        if ref is not None:
            located.insert(0, ref)
    elif not any(role == "destination" for role, _ in located):
        # "3,400 Bolivians returned from Chile": people leaving another country go home.
        ref = _nationality(sent, anchor, places)
        if ref is not None and all(p.iso3 != ref[1].iso3 for role, p in located if role == "origin"):
            located.append(("destination", ref[1]))
    if located and not any(p.level == "country" for _, p in located):
        # "displaced throughout the country", "nationwide": the count is the country's, whatever towns
        # the sentence lists as examples.
        whole = _whole_country(sent, anchor, doc_places)
        if whole is not None:
            located.append(("location", whole))
    if not located:
        whole = _whole_country(sent, anchor, doc_places)
        if whole is not None:
            located.append(("location", whole))
    if not located and recent:
        near = _recent(sent, doc_places, recent)
        if near is not None:
            located.append(("location", near))
    if not located:
        focus = _focus(doc_places, before=sent.start)
        if focus is not None:
            located.append(("location", focus))
    locations = [_location(role, p) for role, p in located]
    return _dedupe(locations), _displacement(locations)


def _recent(sent: Any, doc_places: Sequence[ResolvedPlace], n: int) -> ResolvedPlace | None:
    """The last literal place of the ``n`` sentences before ``sent`` in its paragraph."""
    doc = sent.doc
    start = sent.start
    for _ in range(n):
        if start == 0 or "\n\n" in doc[start - 1].text + doc[start - 1].whitespace_:
            break
        start = doc[start - 1].sent.start
    pool = [p for p in doc_places if start <= p.token_start < sent.start and p.use == "literal"
            and not p.dateline and p.place.iso3]
    return pool[-1] if pool else None


def _hometown(doc: Any, place: ResolvedPlace) -> bool:
    """ "Sgt Ann Lowe of Tarnick, Kelvale, died in the blast": where a named person comes from says
    nothing of where the event or the movement happened."""
    tok = doc[place.token_start:place.token_end].root
    while tok.dep_ in ("conj", "appos", "compound") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("of", "from"):
        return False
    person = tok.head.head
    return bool(person.ent_type_ == "PERSON" and person.i < tok.head.i)


def _role(doc: Any, place: ResolvedPlace, anchor: Any) -> str:
    """Origin after "from"/"fled X", destination after "into"/"to"/"arrived in", else location."""
    words = place_words()
    tok = doc[place.token_start:place.token_end].root
    while tok.head.i != tok.i:
        if tok.dep_ in ("conj", "appos", "compound"):
            tok = tok.head
        elif tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in words.anaphors:
            tok = tok.head.head  # "fled the town of Brannow": the role of "the town" is Brannow's
        else:
            break
    head = tok.head
    if tok.dep_ == "pobj":
        prep = head.lower_
        if head.head.lower_ == "out" or (head.i > 0 and doc[head.i - 1].lower_ == "out"):
            prep = "out of"
        verb = head.head.lemma_
        if prep in words.origin.prepositions:
            return "origin"
        if prep in words.destination.prepositions:
            return "destination"
        if prep in ("in", "at") and verb in words.destination.arrival_verbs:
            return "destination"
    if tok.dep_ == "dobj":
        if head.lemma_ in words.origin.verbs:
            return "origin"
        if head.lemma_ in words.destination.verbs:
            return "destination"
    del anchor
    return "location"


def _anaphor(sent: Any, anchor: Any, doc_places: Sequence[ResolvedPlace]) -> tuple[str, ResolvedPlace] | None:
    """"the region's residents", "fled the province": the latest earlier place of a matching level."""
    words = place_words()
    for tok in sent:
        if tok.lower_ not in words.anaphors or not any(t.lower_ == "the" for t in tok.lefts):
            continue
        levels = words.anaphors[tok.lower_]
        earlier = [p for p in doc_places if p.token_start < tok.i and p.use == "literal" and p.level in levels]
        if earlier:
            role = "origin" if _is_origin_phrase(tok) else "location"
            del anchor
            return role, earlier[-1]
    return None


def _whole_country(sent: Any, anchor: Any, doc_places: Sequence[ResolvedPlace]) -> ResolvedPlace | None:
    """The country a sentence counts over: "the country" / "the nation" (the latest country named
    before), or "nationwide" (the country of the places named in the sentence)."""
    words = place_words()
    says_country = any(t.lower_ in words.anaphors and words.anaphors[t.lower_] == ["country"]
                       and any(c.lower_ == "the" for c in t.lefts) for t in sent)
    if says_country:
        ref = _anaphor(sent, anchor, doc_places)
        if ref is not None and ref[1].level == "country":
            return ref[1]
    if says_country or any(t.lower_ in words.nationwide for t in sent):
        # the country of the sentence's places, else the country the document names most
        inside = [p for p in doc_places if sent.start <= p.token_start < sent.end and p.use == "literal"]
        pool = inside if any(p.place.iso3 for p in inside) else [p for p in doc_places if p.use == "literal"]
        counts = Counter(p.place.iso3 for p in pool if p.place.iso3)
        if counts:
            iso3 = counts.most_common(1)[0][0]
            return next((p for p in doc_places if p.level == "country" and p.place.iso3 == iso3
                         and p.use == "literal"), None)
    return None


def _nationality(sent: Any, anchor: Any, places: Sequence[ResolvedPlace]) -> tuple[str, ResolvedPlace] | None:
    """"62,000 Eritreans have fled", "4,700 Malian returnees": the people counted are named by
    their nationality, so their country is where they came from (a demonym is never a location, but
    the counted people's own country is the figure's origin)."""
    people = anchor.head if anchor.dep_ in ("nummod", "quantmod", "compound") else anchor
    tokens = {people.i, *(t.i for t in people.children if t.dep_ in ("amod", "compound", "nmod"))}
    # "The number of Malian returnees from Niger stands at 18,300": the counted people are
    # named apart from the number, by a noun for people on the move.
    nouns = set(place_words().displaced_people)
    for p in places:
        if p.use == "modifier" and p.level == "country" and p.place.iso3 and sent.start <= p.token_start < sent.end \
                and (any(p.token_start <= i < p.token_end for i in tokens) or _names_people(sent.doc, p, nouns)):
            return "origin", p
    return None


def _names_people(doc: Any, p: ResolvedPlace, nouns: set[str]) -> bool:
    """The demonym stands right before a noun for people on the move ("Malian returnees")."""
    nxt = next((t for t in doc[p.token_end:p.token_end + 3] if not t.is_space), None)
    return nxt is not None and nxt.lemma_.lower() in nouns


def _is_origin_phrase(tok: Any) -> bool:
    """The region's people / residents / population, or "from the region", "fled the region"."""
    words = place_words()
    if tok.dep_ == "poss" and tok.head.lemma_ in ("people", "resident", "population", "inhabitant", "civilian"):
        return True
    if tok.dep_ == "pobj" and tok.head.lower_ in words.origin.prepositions:
        return True
    return tok.dep_ == "dobj" and tok.head.lemma_ in words.origin.verbs


def _focus(doc_places: Sequence[ResolvedPlace], before: int) -> ResolvedPlace | None:
    """The place the document is about: its most named literal sub-national place, else country.
    A document that names no place literally is still about the places it names as qualifiers
    ("the Ostrel fire department", "Peruvian authorities"): place names first, then demonyms."""
    literal = [p for p in doc_places if p.use == "literal" and p.place.iso3]
    # Where the reporter or the briefing is ("GENEVA, 11.01.2013") is what the document is about only
    # when it names nothing else.
    literal = [p for p in literal if not p.dateline] or literal
    if not literal:
        named = [p for p in doc_places if p.use == "modifier" and p.place.iso3]
        literal = [p for p in named if p.candidate is None or p.candidate.kind != "demonym"] or named
    if not literal:
        return None
    country = Counter(p.place.iso3 for p in literal).most_common(1)[0][0]
    local = [p for p in literal if p.place.iso3 == country and p.level != "country" and p.place.geonameid]
    pool = local or [p for p in literal if p.place.iso3 == country]
    counts = Counter(p.place.name for p in pool)
    best = counts.most_common(1)[0][0]
    del before
    return next(p for p in pool if p.place.name == best)


def _location(role: str, p: ResolvedPlace) -> Location:
    pl = p.place
    return Location(role=role, mention=pl.mention, name=pl.name, geonameid=pl.geonameid,  # type: ignore[arg-type]
                    iso3=pl.iso3, lat=pl.lat, lon=pl.lon, level=pl.level)


def _dedupe(locations: list[Location]) -> list[Location]:
    seen: set[tuple[str, str | None]] = set()
    out = []
    for loc in locations:
        key = (loc.role, loc.name)
        if key not in seen:
            seen.add(key)
            out.append(loc)
    return out


def _displacement(locations: list[Location]) -> str:
    """Cross-border when origin and destination lie in different countries, internal when the same."""
    origins = {loc.iso3 for loc in locations if loc.role == "origin" and loc.iso3}
    dests = {loc.iso3 for loc in locations if loc.role == "destination" and loc.iso3}
    if origins and dests:
        return "internal" if origins == dests else "cross_border"
    return "unknown"
