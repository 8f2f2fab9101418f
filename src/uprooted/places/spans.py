"""Finding mentions, the span level: whether a stretch of tokens is a place name, where it begins and
ends, and which gazetteer candidates it may keep.

Part of the places stage, used by ``find.py``: trims articles and possessives, extends a name over
its designator ("X province"), reads names embedded in unknown names (an airport, a church), and
refuses persons' names, events and capitalised common words.
"""

from __future__ import annotations

from typing import Any

from .common import BIG_TOWN, DIRECTIONS, LOCATIVE, STRONG_LEVELS, Mention, is_dateline, is_strong, namelike
from .gazetteer import Candidate, Gazetteer
from .names import name_key
from .vocab import place_words

__all__ = []


def inside_person(doc: Any, m: Mention) -> bool:
    """A town's name in the middle of a person's ("Anwar Tarnick Uddin"): part of the name.
    At either end it may still be a place the recogniser joined to a name, so only the middle counts."""
    first, last = doc[m.start], doc[m.end - 1]
    return (first.ent_type_ == "PERSON" and last.ent_type_ == "PERSON" and first.ent_iob_ == "I"
            and m.end < len(doc) and doc[m.end].ent_type_ == "PERSON" and doc[m.end].ent_iob_ == "I"
            and not any(is_strong(c) for c in m.candidates))


def facility_span(doc: Any, start: int, end: int) -> list[Mention]:
    """A capitalised name ending in a word for a building, street or site ("Greywell Parish Church",
    "Kestrel Street") that the gazetteer lacks: one unknown place, later put in the town named last."""
    start, end = _trim(doc, start, end)
    while end > start and doc[end - 1].text in ("'s", "’s"):
        end -= 1
    if end - start < 2 or doc[end - 1].lower_ not in place_words().facility_words:
        return []
    if not all(namelike(t) or t.lower_ in ("of", "de", "the", "'s", "’s", "-") for t in doc[start:end]):
        return []
    m = make_mention(doc, start, end, "FAC", [])
    m.facility = True
    return [m]


def named_event(doc: Any, start: int, end: int) -> bool:
    """A storm or other named event, not a place: "cyclone Tamsin", "Typhoon Kelso"."""
    words = set(place_words().event_words)
    if start > 0 and doc[start - 1].lower_ in words:
        return True
    return any(t.lower_ in words for t in doc[start:end])


def _trim(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace and punctuation the entity recogniser left at the edges ("Velmora\\n\\n"), and a
    leading article: "the Kessel Strip" is named "Kessel Strip"."""
    while start < end and (doc[start].is_space or doc[start].is_punct or doc[start].lower_ in ("the", "a")):
        start += 1
    while end > start and (doc[end - 1].is_space or (doc[end - 1].is_punct and doc[end - 1].text != ".")):
        end -= 1
    return start, end


def _clean_bounds(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Drop a leading direction ("northern") and a trailing possessive."""
    while start < end - 1 and doc[start].lower_ in {"the", "a"} | DIRECTIONS:
        start += 1
    while end > start + 1 and doc[end - 1].text in ("'s", "’s", "'", "’", ".", ",", "-"):
        end -= 1
    return start, end


# The Arabic article as written before a name with a hyphen, lower-case in English text.
_ARTICLE_PREFIXES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an"})


def admit(doc: Any, start: int, end: int, cands: list[Candidate]) -> list[Candidate]:
    """The candidates a written form can stand for. A lower-case word names no place; a short
    all-capital word ("IOM", "WFP", "EU") is an acronym, so only our curated names and abbreviations
    count, unless it opens a dateline ("TOKA, Congo"); one or two letters never match a mere alternate
    name ("Ka")."""
    first = doc[start]
    article = (first.lower_ in _ARTICLE_PREFIXES and start + 2 < end and doc[start + 1].text == "-"
               and doc[start + 2].text[:1].isupper())  # "al-Malikiyah": the Arabic article, lower-case
    if not (first.text[:1].isupper() or first.text[:1].isdigit() or article):
        return []
    text = doc[start:end].text
    letters = sum(ch.isalpha() for ch in text)
    if (not text.isupper() and letters <= 3
            and not (start >= 2 and doc[start - 1].text in (",", "(") and doc[start - 2].text[:1].isupper())):
        # A state's abbreviation in AP style follows its town ("Annapolis, Md.", "Pellaby County (Ga.)");
        # alone, "Md" is the usual short form of a common given name.
        cands = [c for c in cands if not (c.kind == "abbreviation" and c.level == "admin1")]
    if letters <= 2 or (text.isupper() and letters <= 4 and not is_dateline(doc, start, end)):
        return [c for c in cands if c.kind != "name"]
    if letters <= 6 and not text.isupper():  # "Car" is not the CAR (Central African Republic)
        return [c for c in cands if not _acronym_only(c, text)]
    return cands


def _acronym_only(c: Candidate, text: str) -> bool:
    """Whether ``c`` goes by ``text`` only as an all-capital acronym ("CAR", "DRC")."""
    key = name_key(text)
    forms = [f for f in (c.name, *c.alts.split("|")) if f and name_key(f) == key]
    return bool(forms) and all(f.isupper() for f in forms)


def match_span(
    doc: Any, start: int, end: int, label: str, gaz: Gazetteer, *, trusted: bool
) -> list[Mention]:
    """The mention for an entity span: the whole name, else the name without its designator or
    direction words, else (for place entities) an unknown place with no candidates."""
    words = place_words()
    start, end = _trim(doc, start, end)
    if start >= end:
        return []
    s, e = _clean_bounds(doc, start, end)
    tries = [(s, e)]
    if e - s > 1 and doc[e - 1].lower_ in words.designators:
        tries.append((s, e - 1))
    if (s, e) != (start, end):
        tries.insert(0, (start, end))
        if s != start and e != end:  # "South Africa's" is South Africa before it is Africa
            tries.insert(1, (start, e))
    for a, b in tries:
        cands = admit(doc, a, b, gaz.lookup(doc[a:b].text))
        if label == "NORP" and cands and not any(c.kind == "demonym" for c in cands):
            # A group's name is no town's ("Lutheran"), but a big city's own name misread as a
            # group's ("fled Velmora") still is that city.
            cands = [c for c in cands if c.level in STRONG_LEVELS or (
                c.level == "city" and c.population >= BIG_TOWN and name_key(c.name) == name_key(doc[a:b].text))]
        if cands and (trusted or _plausible(doc, a, b, cands)):
            m = make_mention(doc, a, b, label, cands)
            m.weak = not trusted
            return [m]
    if trusted and label != "NORP":
        span_words = {t.lower_ for t in doc[s:e]}
        if e - s > 1 and span_words & {"and", ",", "&", "-", "/"}:  # "Syria and Iraq": several names
            several = embedded_names(doc, start, e, gaz, trusted_context=True)  # "Upper Tarn and Kelvale"
            for m in several:
                m.weak = False
            if several:
                return several
        unknown = make_mention(doc, s, e, label, [])
        unknown.facility = doc[e - 1].lower_ in words.facility_words and e - s > 1
        inner = [m for m in embedded_names(doc, s, e, gaz) if m.label != "NORP"] if e - s > 1 else []
        if inner:  # "Pellaby International Airport" is not in the gazetteer, but lies where its name says
            unknown.inside = inner[0].candidates
        elif e - s > 1 and doc[e - 1].lower_ in {*words.geographic_nouns, *words.facility_words, "islands"}:
            # "Marrask Islands", "Ostrel Lake": the name before the generic word, if a place, is near
            unknown.inside = [c for c in admit(doc, s, e - 1, gaz.lookup(doc[s:e - 1].text)) if c.level != "region"]
        return [unknown]
    return []


def _plausible(doc: Any, start: int, end: int, cands: list[Candidate]) -> bool:
    """Whether a name the NER did not call a place should count as one: a country, demonym or
    region does; a town needs a large population, a locative word before it, a designator after it
    (an admin unit a plural one: "Mrauk-U townships"), or to stand in brackets after a place as its
    other name."""
    best = cands[0]
    if any(is_strong(c) for c in cands):
        return True
    if best.population >= BIG_TOWN:
        return True
    before = doc[start - 1].lower_ if start > 0 else ""
    after = doc[end].lower_ if end < len(doc) else ""
    if before == "(" and after == ")" and start > 1 and doc[start - 2].ent_type_ in ("GPE", "LOC"):
        return True  # "Derik (al-Malikiyah)": the other name of the place just named
    words = place_words()
    unit = words.singular_designator(after)
    if unit and any(c.level in ("admin1", "admin2") and c.level in words.designators[unit] for c in cands):
        return True  # "Maungdaw and Mrauk-U townships": a list of units before their plural designator
    return before in LOCATIVE or after in words.designators or after == ","


def embedded_names(doc: Any, start: int, end: int, gaz: Gazetteer, *, trusted_context: bool = False) -> list[Mention]:
    """Place names inside a longer name ("Velmora Police", "Peruvian Foreign Ministry"), longest first.

    Inside organisation names only strong places count (countries, demonyms, regions, big cities);
    in a bare run of capitalised words ``trusted_context`` also admits towns after a locative word.
    The mentions found are weak: a town must then lie in one of the document's countries.
    """
    words = place_words()
    generic = {*words.designators, *words.geographic_nouns, *words.facility_words, "centre", "center", "gulf",
               "coast", "island", "islands"}
    out: list[Mention] = []
    i = start
    while i < end:
        matched = False
        for j in range(min(end, i + 4), i, -1):
            tok_text = doc[i:j].text
            if doc[i].lower_ in ("the", "of", "and") or doc[j - 1].lower_ in ("of", "and", "the"):
                continue
            if all(t.lower_ in DIRECTIONS | generic for t in doc[i:j]):  # "Central", "Islands": no names
                continue
            if doc[i].is_punct or doc[j - 1].is_punct:
                continue
            cands = admit(doc, i, j, gaz.lookup(tok_text))
            if not cands:
                continue
            strong = any(is_strong(c) or c.population >= BIG_TOWN for c in cands)
            # A town's own name opening an organisation's ("Velmora Heights Police Department", "Brannow
            # PD") names where it is; it must then lie in the document's countries (see stray).
            town = any(c.exact and c.population >= 10_000 and name_key(c.name) == name_key(tok_text) for c in cands)
            if strong or (trusted_context and _plausible(doc, i, j, cands)) or (town and i == start):
                label = "NORP" if any(c.kind == "demonym" for c in cands) else "GPE"
                m = make_mention(doc, i, j, label, cands)
                m.weak = True
                out.append(m)
                i = m.end
                matched = True
                break
        if not matched:
            i += 1
    return out


def make_mention(doc: Any, start: int, end: int, label: str, cands: list[Candidate]) -> Mention:
    """A mention over tokens [start, end). A designator next to it ("Velmora region", "the city of
    Tarnick") says which levels to prefer; a capitalised one is part of the name ("Ostrel
    Township", "Kelvale State") and the mention extends over it, a lower-case one is not."""
    words = place_words()
    hint: list[str] = []
    designator = ""
    if end < len(doc) and doc[end].lower_ in words.designators and label != "NORP":
        designator = doc[end].lower_
        if doc[end].text[:1].isupper() and not doc[end].is_upper:
            end += 1
    elif end < len(doc) and label != "NORP" and (plural := words.singular_designator(doc[end].lower_)):
        designator = plural  # "Sundpur and Kalir upazilas": each name is one, the word not part of it
    elif end - start > 1 and doc[end - 1].lower_ in words.designators:
        designator = doc[end - 1].lower_
        if not doc[end - 1].text[:1].isupper():
            end -= 1
    elif start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in words.designators:
        designator = doc[start - 2].lower_
    if designator:
        hint = list(words.designators[designator])
    span = doc[start:end]
    return Mention(start=start, end=end, text_start=span.start_char, text_end=span.end_char,
                    text=span.text, label=label, candidates=cands, hint=hint, designator=designator,
                    next_word=doc[end].lower_ if end < len(doc) else "")

