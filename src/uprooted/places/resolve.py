"""Toponym resolution: every place a document names, resolved to the gazetteer in context.

Part of the places stage. Takes a parsed spaCy ``Doc`` and the ``Gazetteer`` and returns one
``ResolvedPlace`` per place mention, in text order, each carrying a ``records.Place``. It finds
mentions (spaCy's entities, plus capitalised names the small model misses or mislabels), decides
their use (literal, metonymy, modifier) and ranks each mention's candidates by context: the
countries and admin regions the document names, "X, Y" and "X in Y province" patterns, the words
around the name ("Donetsk region", "the city of", "the Quebec government"), the kind and population
of the feature (a town known by a state's own name yields to the state: "Missouri" is not Bozeman),
and the distance to the document's other places. Names the gazetteer lacks still become places: a
building or street ("Holy Redeemer Church") is put in the town the document named last in its main
country, any other unknown name in a place of its sentence or the document's focus, never in an ocean.
A dateline city is flagged, so that ``link.py`` does not take where the reporter is for where people
fled. Which places are a figure's origin or destination is ``link.py``'s job.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..records import Place
from .gazetteer import Candidate, Gazetteer
from .names import name_key
from .vocab import place_ranker, place_words

__all__ = ["ResolvedPlace", "Tracer", "resolve_places"]

# Called with (mention start, mention end, candidate, features) for every candidate scored; the last
# call for a pair carries the final context. Used to train the weights, not by the pipeline.
Tracer = Callable[[int, int, Candidate, dict[str, float]], None]

# Entity labels whose spans are taken as place names; other spans must earn it (see _plausible).
_PLACE_LABELS = {"GPE", "LOC", "FAC", "NORP"}
_OTHER_LABELS = {"ORG", "PERSON", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"}
_LOCATIVE = {"in", "from", "to", "into", "near", "at", "across", "outside", "towards", "toward", "of",
             "around", "through", "via", "between", "inside", "within", "throughout", "reach", "reached"}
_DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
               "northeastern", "northwestern", "southeastern", "southwestern", "north-east", "north-west",
               "south-east", "south-west", "northeast", "northwest", "southeast", "southwest", "upper",
               "lower", "greater", "occupied", "rural", "downtown", "coastal"}
_STRONG_LEVELS = {"country", "region", "admin1"}


@dataclass
class _Mention:
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
    next_word: str = ""  # the lower-case word after the mention ("government" in "Quebec government")
    facility: bool = False  # a building, street or site ("Holy Redeemer Church"): lies in a named town
    dateline: bool = False  # opens a dateline ("GOMA, March 3 (Reuters) -"): where the reporter is
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


def resolve_places(
    doc: Any, gazetteer: Gazetteer, published: str | None = None, *, doc_id: str = "",
    calendar: frozenset[str], trace: Tracer | None = None,
) -> list[ResolvedPlace]:
    """Every place mention of ``doc``, resolved; unknown names get ``geonameid`` None, low confidence.

    ``published`` is accepted for symmetry with the other stages; names do not depend on it yet.
    ``calendar`` holds the date words (``DatesVocab.calendar_words``) that keep a date from being
    read as a town the tagger called a date.
    """
    del published
    mentions = _find_mentions(doc, gazetteer, calendar)
    _link_containers(doc, mentions)
    _decide_use(doc, mentions)
    _rank(mentions, trace)
    stray = {id(m): _stray(doc, m, mentions) for m in mentions}
    kept = [m for m in mentions if stray[id(m)] != "drop"]
    foreign = [m for m in kept if stray[id(m)] == "unknown" or _foreign_byname(m, kept) or _misfit(m, kept)
               or _odd_one_out(doc, m, kept)]
    for m in foreign:  # a place the gazetteer lacks, more likely than a foreign town's by-name
        m.candidates, m.choice = [], None
    if len(kept) < len(mentions) or foreign:
        mentions = kept
        _rank(mentions, trace)
    return [_to_record(doc, m, mentions, gazetteer, doc_id) for m in mentions]


def _foreign_byname(m: _Mention, mentions: list[_Mention]) -> bool:
    """A town matched only by one of its other names ("Essa" for Saltash) in a country that the rest
    of the document does not name: an unknown place of the document's own country is likelier."""
    c = m.choice
    if c is None or c.level != "city" or c.kind != "name" or name_key(_bare(m)) == name_key(c.name):
        return False
    countries = {x.choice.iso3 for x in mentions if x is not m and not x.weak and x.choice is not None}
    return bool(countries) and not any(x.iso3 in countries for x in m.candidates)


def _odd_one_out(doc: Any, m: _Mention, mentions: list[_Mention]) -> bool:
    """A small foreign town in a list of places that all lie together elsewhere ("Sugandha Char,
    Rajapur, Bishkhali and Nalchhiti", Rajapur read as a town in India): a local village the
    gazetteer lacks, not the namesake abroad."""
    c = m.choice
    if c is None or c.level != "city" or c.population >= 100_000 or c.lat is None or c.iso3 is None:
        return False

    def joined(a: _Mention, b: _Mention) -> bool:  # commas, "and"/"or" and unfound names between
        return a.end <= b.start and all(t.text in _LIST_JOINS or _namelike(t) for t in doc[a.end:b.start])

    left = right = mentions.index(m)
    while left > 0 and joined(mentions[left - 1], mentions[left]):
        left -= 1
    while right + 1 < len(mentions) and joined(mentions[right], mentions[right + 1]):
        right += 1
    group = mentions[left:right + 1]
    others = [(x.choice.iso3, x.choice.lat, x.choice.lon) for x in group if x is not m and x.choice is not None
              and x.choice.lat is not None and x.choice.level in ("city", "admin2", "admin1")]
    homes = {iso3 for iso3, _, _ in others}
    if len(homes) != 1 or c.iso3 in homes or any(_km(c.lat, c.lon, la, lo) <= 300 for _, la, lo in others):
        return False
    # The list's country must also be the document's more named one: with no majority, no verdict.
    named = Counter(x.choice.iso3 for x in mentions if x.choice is not None and x.choice.iso3)
    home = homes.pop()
    return home is not None and named[c.iso3] < named[home]


def _misfit(m: _Mention, mentions: list[_Mention]) -> bool:
    """A foreign town for a name whose designator says it is no town ("Panyang county" read as a
    Chinese town in a story about South Sudan): the document's own county is likelier, unknown."""
    c = m.choice
    if c is None or c.level != "city" or not m.hint or "city" in m.hint or c.population >= 100_000:
        return False
    countries = {x.choice.iso3 for x in mentions if x is not m and x.choice is not None and x.choice.iso3
                 and not (x.choice.level == "city" and x.hint and "city" not in x.hint)}
    return bool(countries) and c.iso3 not in countries


def _stray(doc: Any, m: _Mention, mentions: list[_Mention]) -> str:
    """A weak mention (no place entity: "Level Four", "Hamas", "Sugandha Char") that is a capitalised
    word happening to be a town's name: a town outside the countries the document names otherwise,
    cut out of a longer name or standing where English puts no place ("after Hamas' attack"), or a
    hamlet; when the document names no other country, only a small town so placed. "drop" when the
    word stands where English puts no place; "unknown" when it does ("towns such as Kirawa, Baga and
    Damasak"): a local place the gazetteer lacks, not the foreign hamlet of that name; else ""."""
    c = m.choice
    if not m.weak or c is None or _strong(c):
        return ""
    words = place_words()
    before = doc[m.start - 1] if m.start > 0 else None
    after = doc[m.end] if m.end < len(doc) else None
    cut = (before is not None and _namelike(before) and before.lower_ not in words.designators) or (
        after is not None and _namelike(after) and after.lower_ not in words.designators)
    placed = (before is not None and before.lower_ in _LOCATIVE - {"of"}) or _moved(doc, m) or bool(m.designator) or (
        after is not None and (after.lower_ in words.geographic_nouns or after.text == ",")) or _dateline(
        doc, m.start, m.end) or _reporter_line(doc, m.start, m.end)
    suspicious = cut or not placed
    countries = {x.choice.iso3 for x in mentions if x is not m and not x.weak and x.choice is not None}
    if countries and c.iso3 not in countries and (suspicious or c.population < 10_000):
        return "drop" if suspicious else "unknown"
    # "Carnegie Library", "Pitman Family Farms" in a story set far from those towns: a local site
    # named after someone, not the far namesake town.
    points = _points_besides(m, [x for x in mentions if not x.weak])
    if cut and c.population < 100_000 and c.lat is not None and points and all(
            _km(c.lat, c.lon, la, lo) > 300 for la, lo in points):
        return "unknown"
    return "drop" if not countries and c.population < 100_000 and suspicious else ""


def _points_besides(m: _Mention, mentions: list[_Mention]) -> list[tuple[float, float | None]]:
    """Where the other mentions' towns and regions lie: what a doubtful place must be near."""
    return [(x.choice.lat, x.choice.lon) for x in mentions if x is not m and x.choice is not None
            and x.choice.lat is not None and x.choice.level in ("city", "admin2", "admin1")]


def _moved(doc: Any, m: _Mention) -> bool:
    """The object of a verb of leaving or reaching ("fled Kherson", "reached Goris and Vayk"): English
    puts a place there, whatever the entity recogniser said."""
    words = place_words()
    verbs = {*words.origin.verbs, *words.destination.verbs}
    tok = doc[m.start:m.end].root
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("dobj", "obj") and tok.head.lemma_.lower() in verbs


# ---------------------------------------------------------------- finding mentions


def _find_mentions(doc: Any, gaz: Gazetteer, calendar: frozenset[str]) -> list[_Mention]:
    taken = [False] * len(doc)
    found: list[_Mention] = []

    def take(m: _Mention) -> None:
        found.append(m)
        for i in range(m.start, m.end):
            taken[i] = True

    for m in _joined_names(doc, gaz):
        take(m)
    ents = [e for e in doc.ents if e.label_ in _PLACE_LABELS | _OTHER_LABELS]
    for ent in ents:
        if ent.label_ in _PLACE_LABELS and not any(taken[ent.start : ent.end]) and not _named_event(
                doc, ent.start, ent.end):
            end = _continued(doc, ent.start, ent.end, gaz)
            if any(taken[ent.end : end]):
                end = ent.end
            for m in _match_span(doc, ent.start, end, ent.label_, gaz, trusted=True):
                take(m)
    for ent in ents:
        if ent.label_ in _OTHER_LABELS and not any(taken[ent.start : ent.end]) and not _named_event(
                doc, ent.start, ent.end):
            whole = _match_span(doc, ent.start, ent.end, ent.label_, gaz, trusted=False)
            if not whole and ent.label_ != "PERSON":
                whole = _embedded(doc, ent.start, ent.end, gaz) or _facility(doc, ent.start, ent.end)
            for m in whole:
                take(m)
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME") and not any(taken[ent.start : ent.end]) and _misread_date(ent, gaz, calendar):
            for m in _match_span(doc, ent.start, ent.end, "GPE", gaz, trusted=True):
                take(m)
    # "11 billion US dollars", "Canadian dollars": a currency is named after its country.
    for ent in doc.ents:
        if ent.label_ == "MONEY" and not any(taken[ent.start : ent.end]):
            for m in _embedded(doc, ent.start, ent.end, gaz):
                if m.candidates and all(c.level == "country" for c in m.candidates[:1]):
                    take(m)
    # Capitalised names outside any entity: runs of proper nouns the model did not label.
    i = 0
    while i < len(doc):
        tok = doc[i]
        if taken[i] or not _namelike(tok) or tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT"):
            i += 1
            continue
        j = i
        while j < len(doc) and not taken[j] and _namelike(doc[j]) and j - i < 5:
            j += 1
        if not _named_event(doc, i, j):
            site = _facility(doc, i, j)
            inner = _embedded(doc, i, j, gaz, trusted_context=True)
            if site and not any(c.level == "country" for m in inner for c in m.candidates):
                # One name ("Royal Street", "Baghdad Airport"), not a town's name and a word: the town
                # inside is kept as a hint of where it lies.
                site[0].inside = inner[0].candidates if inner else []
                inner = site
            for m in inner:
                if not _inside_person(doc, m):
                    take(m)
        i = j
    for m in _cued_names(doc, taken, found, gaz):
        take(m)
    for i, tok in enumerate(doc):
        if not taken[i] and "/" in tok.text:
            found.extend(_slashed(doc, i, gaz))
        elif not taken[i] and "-" in tok.text[1:]:
            found.extend(_hyphen_joined(doc, i, gaz))
    found.extend(_repeated(doc, taken, found))
    found.sort(key=lambda m: m.start)
    _acronym_aliases(doc, found)
    for m in found:
        m.dateline = _reporter_line(doc, m.start, m.end)
    return found


_CONNECTORS = {"do", "da", "dos", "das", "de", "del", "di", "du", "of", "upon", "on", "sur", "am", "an", "la"}


def _continued(doc: Any, start: int, end: int, gaz: Gazetteer) -> int:
    """The end of a place name the recogniser cut short before a lowercase connector: "Rio Grande" +
    "do Sul", "Stratford" + "upon Avon". The longer span counts only when the gazetteer knows it whole."""
    best = end
    for extra in (2, 3):
        stop = end + extra
        if stop > len(doc) or doc[end].lower_ not in _CONNECTORS or doc[end].text != doc[end].lower_:
            break
        last = doc[stop - 1]
        if not last.is_title or last.is_sent_start:
            continue
        if any((c.exact and name_key(c.name) == name_key(doc[start:stop].text)) or c.kind != "name"
               for c in gaz.lookup(doc[start:stop].text)):
            best = stop
    return best


def _repeated(doc: Any, taken: list[bool], found: list[_Mention]) -> list[_Mention]:
    """One sense per document: a name the document uses as a place is a place wherever it stands
    alone again, though the entity recogniser called it a person ("Nelson residents") or missed it.
    Only whole names are repeated, never one that is part of a longer name ("Nelson Mandela")."""
    sources: dict[tuple[str, ...], _Mention] = {}
    for m in found:
        if not m.weak and m.text == doc[m.start:m.end].text:
            sources.setdefault(tuple(t.text for t in doc[m.start:m.end]), m)
    texts = [t.text for t in doc]
    out: list[_Mention] = []
    for key, m in sources.items():
        n = len(key)
        for i in range(len(doc) - n + 1):
            if texts[i] != key[0] or any(taken[i:i + n]) or tuple(texts[i:i + n]) != key:
                continue
            if (i > 0 and _namelike(doc[i - 1])) or (i + n < len(doc) and _namelike(doc[i + n])):
                continue
            copy = _mention(doc, i, i + n, m.label, list(m.candidates))
            copy.facility, copy.inside = m.facility, m.inside
            out.append(copy)
            for j in range(copy.start, copy.end):
                taken[j] = True
    return out


_LIST_JOINS = {",", "and", "or", "&"}


def _strong(c: Candidate) -> bool:
    """A country, region or state, or a name from our own lists (demonym, curated, abbreviation): a
    place whatever the entity recogniser said, unlike a town known only by its GeoNames name."""
    return c.level in _STRONG_LEVELS or c.kind != "name"


def _cued_names(doc: Any, taken: list[bool], found: list[_Mention], gaz: Gazetteer) -> list[_Mention]:
    """Names the entity recogniser and the gazetteer both missed, that English still marks as places:
    a list that holds a known place ("Sugandha Char, Rajapur, Bishkhali and Nalchhiti"), a name or list
    before a designator or geographic noun ("Ka Paing and Thee Kone villages", "Zinda Jan district"),
    after "<noun> of" ("the community of Martissant") or after "areas such as". Reports of
    displacement name villages no gazetteer has; each becomes a place, looked up or else unknown."""
    words = place_words()
    after_cues = {*words.designators, *words.geographic_nouns, "ports", "port"}
    of_cues = {*words.designators, *words.geographic_nouns, *words.place_of_nouns}
    items: list[tuple[int, int, _Mention | None]] = [
        (m.start, m.end, m) for m in found if m.label != "NORP" and (m.candidates or m.label in _PLACE_LABELS)]
    i = 0
    while i < len(doc):
        if taken[i] or not _namelike(doc[i]) or doc[i].ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "NORP"):
            i += 1
            continue
        j = i
        while j < len(doc) and not taken[j] and _namelike(doc[j]) and j - i < 4:
            j += 1
        items.append((i, j, None))
        i = j
    items.sort(key=lambda t: t[0])
    groups: list[list[tuple[int, int, _Mention | None]]] = []
    for item in items:
        prev = groups[-1][-1] if groups else None
        between = doc[prev[1]:item[0]] if prev is not None else None
        if between is not None and len(between) and all(t.lower_ in _LIST_JOINS for t in between):
            groups[-1].append(item)
        else:
            groups.append([item])
    out: list[_Mention] = []
    for group in groups:
        runs = [(a, b) for a, b, m in group if m is None]
        if not runs:
            continue
        first, last = group[0][0], group[-1][1]
        before = [t.lower_ for t in doc[max(0, first - 3):first]]
        after = doc[last].lower_ if last < len(doc) else ""
        listed = len(group) > 1 and any(m is not None and m.candidates and not m.weak
                                        and m.label in _PLACE_LABELS for _, _, m in group)
        of_noun = doc[first - 2] if first >= 2 and doc[first - 1].lower_ == "of" else None
        cued = (after in after_cues or (of_noun is not None and of_noun.text in of_cues)
                or (before[-2:] == ["such", "as"] and before[-3:-2] and before[-3] in words.list_nouns)
                or (before[-1:] == ["including"] and before[-2:-1] and before[-2] in words.list_nouns))
        if not (listed or cued):
            continue
        for a, b in runs:
            span = doc[a:b]
            labels = {t.ent_type_ for t in span} - {""}
            if labels & {"ORG", "PERSON", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"} and not cued:
                continue  # "Iran, Russia and Hezbollah": a list of actors, not of places
            if span.text.isupper() and len(span.text) <= 5:
                continue  # an acronym ("UNHCR camps")
            out.extend(_match_span(doc, a, b, "GPE", gaz, trusted=True))
    return out


def _misread_date(ent: Any, gaz: Gazetteer, calendar: frozenset[str]) -> bool:
    """A town the small model labelled a date ("in Manbij near the Turkish border"): no number and no
    calendar word in it, and the name is a town's own name, of some size."""
    if any(t.like_num or t.lower_ in calendar or not t.is_title for t in ent):
        return False
    key = name_key(ent.text)
    return any(c.exact and name_key(c.name) == key and (c.level in _STRONG_LEVELS or c.population >= 20_000)
               for c in gaz.lookup(ent.text))


def _joined_names(doc: Any, gaz: Gazetteer) -> list[_Mention]:
    """"Sistan and Baluchestan province", "Azad Jammu and Kashmir": one unit whose name joins two
    names with "and", which the entity recogniser splits in two. Taken whole when the gazetteer knows
    the joined name as a country, admin unit or region."""
    out: list[_Mention] = []
    last = 0
    for i, tok in enumerate(doc):
        if tok.lower_ not in ("and", "&") or i < max(1, last) or i + 1 >= len(doc):
            continue
        if not (_namelike(doc[i - 1]) and _namelike(doc[i + 1])):
            continue
        found = None
        for left in (3, 2, 1):
            for right in (3, 2, 1):
                a, b = i - left, i + 1 + right
                if a < last or b > len(doc) or not all(_namelike(t) for t in (*doc[a:i], *doc[i + 1:b])):
                    continue
                cands = [c for c in _admit(doc, a, b, gaz.lookup(doc[a:b].text))
                         if c.exact and c.level in ("country", "admin1", "admin2", "region")]
                if cands:
                    found = _mention(doc, a, b, "GPE", cands)
                    break
            if found is not None:
                break
        if found is not None:
            out.append(found)
            last = found.end
    return out


def _inside_person(doc: Any, m: _Mention) -> bool:
    """A town's name in the middle of a person's ("Kazi Tasmin Ara Ajmiri"): part of the name.
    At either end it may still be a place the recogniser joined to a name, so only the middle counts."""
    first, last = doc[m.start], doc[m.end - 1]
    return (first.ent_type_ == "PERSON" and last.ent_type_ == "PERSON" and first.ent_iob_ == "I"
            and m.end < len(doc) and doc[m.end].ent_type_ == "PERSON" and doc[m.end].ent_iob_ == "I"
            and not any(_strong(c) for c in m.candidates))


def _slashed(doc: Any, i: int, gaz: Gazetteer) -> list[_Mention]:
    """Names joined by a slash in one token ("CAIRO/DUBAI (Reuters)", "Itas/Gadau"): each part that
    is a country, a region or a town of some size is a mention of its own, over its characters."""
    tok = doc[i]
    parts = tok.text.split("/")
    if not all(len(p) >= 3 and p.isalpha() and p[:1].isupper() for p in parts):
        return []
    out: list[_Mention] = []
    offset = tok.idx
    for part in parts:
        cands = [c for c in gaz.lookup(part) if c.exact]
        if cands and any(_strong(c) or c.population >= 50_000 for c in cands):
            out.append(_Mention(start=i, end=i + 1, text_start=offset, text_end=offset + len(part), text=part,
                                label="GPE", candidates=cands, weak=True))
        offset += len(part) + 1
    return out


def _hyphen_joined(doc: Any, i: int, gaz: Gazetteer) -> list[_Mention]:
    """A country kept in one token with a participle ("U.S.-led", as spaCy keeps "U.S."): a mention
    over its characters. Other "X-led" the tokenizer splits, and the entity recogniser finds X."""
    tok = doc[i]
    name, _, rest = tok.text.rpartition("-")
    if not name[:1].isupper() or rest.lower() not in place_words().agent_participles:
        return []
    cands = [c for c in gaz.lookup(name) if c.exact and (c.level == "country" or c.kind != "name")]
    if not cands:
        return []
    return [_Mention(start=i, end=i + 1, text_start=tok.idx, text_end=tok.idx + len(name), text=name,
                     label="GPE", candidates=cands)]


def _facility(doc: Any, start: int, end: int) -> list[_Mention]:
    """A capitalised name ending in a word for a building, street or site ("Holy Redeemer Church",
    "Royal Street") that the gazetteer lacks: one unknown place, later put in the town named last."""
    start, end = _trim(doc, start, end)
    while end > start and doc[end - 1].text in ("'s", "’s"):
        end -= 1
    if end - start < 2 or doc[end - 1].lower_ not in place_words().facility_words:
        return []
    if not all(_namelike(t) or t.lower_ in ("of", "de", "the", "'s", "’s", "-") for t in doc[start:end]):
        return []
    m = _mention(doc, start, end, "FAC", [])
    m.facility = True
    return [m]


def _named_event(doc: Any, start: int, end: int) -> bool:
    """A storm or other named event, not a place: "cyclone Bulbul", "Typhoon Paolo"."""
    words = set(place_words().event_words)
    if start > 0 and doc[start - 1].lower_ in words:
        return True
    return any(t.lower_ in words for t in doc[start:end])


def _acronym_aliases(doc: Any, mentions: list[_Mention]) -> None:
    """"the Cordillera Administrative Region (CAR)": an acronym in brackets right after a name is that
    name again, whatever else the letters may stand for."""
    by_start = {m.start: k for k, m in enumerate(mentions)}
    for prev in list(mentions):
        i = prev.end
        if not (i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")" and doc[i + 1].is_upper):
            continue
        initials = "".join(w[0] for w in prev.text.replace("-", " ").split() if w[:1].isupper())
        if len(initials) < 2 or doc[i + 1].text.replace(".", "") != initials:
            continue
        alias = _Mention(start=i + 1, end=i + 2, text_start=doc[i + 1].idx, text_end=doc[i + 1].idx + len(doc[i + 1]),
                         text=doc[i + 1].text, label=prev.label, candidates=prev.candidates, hint=prev.hint,
                         inside=prev.inside, designator=prev.designator)
        if i + 1 in by_start:
            mentions[by_start[i + 1]] = alias
        else:
            mentions.append(alias)
    mentions.sort(key=lambda m: m.start)


def _namelike(tok: Any) -> bool:
    """A token that can be (part of) a place name: capitalised proper noun or adjective, or a connector
    inside one ("Bosnia and Herzegovina", "Deir al-Balah")."""
    if tok.is_title or (tok.is_upper and len(tok) > 1):
        if tok.is_upper and tok.is_alpha and len(tok) > 2 and _opens_line(tok.doc, tok.i):
            return True  # a dateline in capitals ("OKLAHOMA CITY", "SOUTH WAZIRISTAN"): tags go wrong
        return bool((tok.pos_ in ("PROPN", "ADJ", "NOUN") and tok.is_alpha) or "." in tok.text or "-" in tok.text)
    return False


def _trim(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace and punctuation the entity recogniser left at the edges ("Karabakh\\n\\n"), and a
    leading article: "the Gaza Strip" is named "Gaza Strip"."""
    while start < end and (doc[start].is_space or doc[start].is_punct or doc[start].lower_ in ("the", "a")):
        start += 1
    while end > start and (doc[end - 1].is_space or (doc[end - 1].is_punct and doc[end - 1].text != ".")):
        end -= 1
    return start, end


def _clean_bounds(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Drop a leading direction ("northern") and a trailing possessive."""
    while start < end - 1 and doc[start].lower_ in {"the", "a"} | _DIRECTIONS:
        start += 1
    while end > start + 1 and doc[end - 1].text in ("'s", "’s", "'", "’", ".", ",", "-"):
        end -= 1
    return start, end


def _admit(doc: Any, start: int, end: int, cands: list[Candidate]) -> list[Candidate]:
    """The candidates a written form can stand for. A lower-case word names no place; a short
    all-capital word ("IOM", "SDF", "EU") is an acronym, so only our curated names and abbreviations
    count, unless it opens a dateline ("GOMA, Congo"); one or two letters never match a mere alternate
    name ("Ka")."""
    first = doc[start]
    if not (first.text[:1].isupper() or first.text[:1].isdigit()):
        return []
    text = doc[start:end].text
    letters = sum(ch.isalpha() for ch in text)
    if (not text.isupper() and letters <= 3
            and not (start >= 2 and doc[start - 1].text in (",", "(") and doc[start - 2].text[:1].isupper())):
        # A state's abbreviation in AP style follows its town ("Annapolis, Md.", "Walker County (Ga.)");
        # alone, "Md" is the usual short form of Muhammad.
        cands = [c for c in cands if not (c.kind == "abbreviation" and c.level == "admin1")]
    if letters <= 2 or (text.isupper() and letters <= 4 and not _dateline(doc, start, end)):
        return [c for c in cands if c.kind != "name"]
    if letters <= 6 and not text.isupper():  # "Car" is not the CAR (Central African Republic)
        return [c for c in cands if not _acronym_only(c, text)]
    return cands


def _acronym_only(c: Candidate, text: str) -> bool:
    """Whether ``c`` goes by ``text`` only as an all-capital acronym ("CAR", "DRC")."""
    key = name_key(text)
    forms = [f for f in (c.name, *c.alts.split("|")) if f and name_key(f) == key]
    return bool(forms) and all(f.isupper() for f in forms)


def _opens_line(doc: Any, i: int) -> bool:
    """Token ``i`` starts the text or a line."""
    return i == 0 or "\n" in doc[i - 1].text


def _dateline(doc: Any, start: int, end: int) -> bool:
    """A capitalised place opening a line and followed by a comma or dash: "GOMA, Congo (Reuters)"."""
    line_start = _opens_line(doc, start) or (doc[start - 1].whitespace_ == "" and doc[start - 1].is_space)
    return line_start and end < len(doc) and doc[end].text in (",", "-", "—", "–")


def _reporter_line(doc: Any, start: int, end: int) -> bool:
    """A real dateline, not a paragraph opening on a place ("Bagerhat, a coastal district, had"): the
    line goes on to a dash before any verb ("GOMA, March 3 (Reuters) -", "KABUL, Afghanistan —")."""
    if not _dateline(doc, start, end) and not (
            (_opens_line(doc, start) or (doc[start - 1].text == "/" and start >= 2 and _namelike(doc[start - 2])))
            and end < len(doc) and doc[end].text in ("(", "/")):
        return False
    for tok in doc[end:end + 12]:
        if tok.text in ("-", "—", "–", "--", "―"):
            return True
        if tok.pos_ in ("VERB", "AUX") or "\n" in tok.text:
            return False
    return False


def _match_span(
    doc: Any, start: int, end: int, label: str, gaz: Gazetteer, *, trusted: bool
) -> list[_Mention]:
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
        cands = _admit(doc, a, b, gaz.lookup(doc[a:b].text))
        if label == "NORP" and cands and not any(c.kind == "demonym" for c in cands):
            # A group's name is no town's ("Christian"), but a big city's own name misread as a
            # group's ("fled Aleppo") still is that city.
            cands = [c for c in cands if c.level in _STRONG_LEVELS or (
                c.level == "city" and c.population >= 100_000 and name_key(c.name) == name_key(doc[a:b].text))]
        if cands and (trusted or _plausible(doc, a, b, cands)):
            m = _mention(doc, a, b, label, cands)
            m.weak = not trusted
            return [m]
    if trusted and label != "NORP":
        span_words = {t.lower_ for t in doc[s:e]}
        if e - s > 1 and span_words & {"and", ",", "&", "-", "/"}:  # "Syria and Iraq": several names
            several = _embedded(doc, start, e, gaz, trusted_context=True)  # "Lower Shabelle and Hiraan"
            for m in several:
                m.weak = False
            if several:
                return several
        unknown = _mention(doc, s, e, label, [])
        unknown.facility = doc[e - 1].lower_ in words.facility_words and e - s > 1
        inner = [m for m in _embedded(doc, s, e, gaz) if m.label != "NORP"] if e - s > 1 else []
        if inner:  # "Dulles International Airport" is not in the gazetteer, but lies where its name says
            unknown.inside = inner[0].candidates
        elif e - s > 1 and doc[e - 1].lower_ in {*words.geographic_nouns, *words.facility_words, "islands"}:
            # "Goulburn Islands", "Sabine Lake": the name before the generic word, if a place, is near
            unknown.inside = [c for c in _admit(doc, s, e - 1, gaz.lookup(doc[s:e - 1].text)) if c.level != "region"]
        return [unknown]
    return []


def _plausible(doc: Any, start: int, end: int, cands: list[Candidate]) -> bool:
    """Whether a name the NER did not call a place should count as one: a country, demonym or
    region does; a town needs a large population or a locative word before it or a designator after."""
    best = cands[0]
    if any(_strong(c) for c in cands):
        return True
    if best.population >= 100_000:
        return True
    before = doc[start - 1].lower_ if start > 0 else ""
    after = doc[end].lower_ if end < len(doc) else ""
    return before in _LOCATIVE or after in place_words().designators or after == ","


def _embedded(doc: Any, start: int, end: int, gaz: Gazetteer, *, trusted_context: bool = False) -> list[_Mention]:
    """Place names inside a longer name ("Toronto Police", "Russian Foreign Ministry"), longest first.

    Inside organisation names only strong places count (countries, demonyms, regions, big cities);
    in a bare run of capitalised words ``trusted_context`` also admits towns after a locative word.
    The mentions found are weak: a town must then lie in one of the document's countries.
    """
    words = place_words()
    generic = {*words.designators, *words.geographic_nouns, *words.facility_words, "centre", "center", "gulf",
               "coast", "island", "islands"}
    out: list[_Mention] = []
    i = start
    while i < end:
        matched = False
        for j in range(min(end, i + 4), i, -1):
            tok_text = doc[i:j].text
            if doc[i].lower_ in ("the", "of", "and") or doc[j - 1].lower_ in ("of", "and", "the"):
                continue
            if all(t.lower_ in _DIRECTIONS | generic for t in doc[i:j]):  # "Central", "Islands": no names
                continue
            if doc[i].is_punct or doc[j - 1].is_punct:
                continue
            cands = _admit(doc, i, j, gaz.lookup(tok_text))
            if not cands:
                continue
            strong = any(_strong(c) or c.population >= 100_000 for c in cands)
            # A town's own name opening an organisation's ("Beverly Hills Police Department", "Slidell
            # PD") names where it is; it must then lie in the document's countries (see _stray).
            town = any(c.exact and c.population >= 10_000 and name_key(c.name) == name_key(tok_text) for c in cands)
            if strong or (trusted_context and _plausible(doc, i, j, cands)) or (town and i == start):
                label = "NORP" if any(c.kind == "demonym" for c in cands) else "GPE"
                m = _mention(doc, i, j, label, cands)
                m.weak = True
                out.append(m)
                i = m.end
                matched = True
                break
        if not matched:
            i += 1
    return out


def _mention(doc: Any, start: int, end: int, label: str, cands: list[Candidate]) -> _Mention:
    """A mention over tokens [start, end). A designator next to it ("Donetsk region", "the city of
    Wad Madani") says which levels to prefer; a capitalised one is part of the name ("Yinmabin
    Township", "Kachin State") and the mention extends over it, a lower-case one is not."""
    words = place_words()
    hint: list[str] = []
    designator = ""
    if end < len(doc) and doc[end].lower_ in words.designators and label != "NORP":
        designator = doc[end].lower_
        if doc[end].text[:1].isupper() and not doc[end].is_upper:
            end += 1
    elif end - start > 1 and doc[end - 1].lower_ in words.designators:
        designator = doc[end - 1].lower_
        if not doc[end - 1].text[:1].isupper():
            end -= 1
    elif start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in words.designators:
        designator = doc[start - 2].lower_
    if designator:
        hint = list(words.designators[designator])
    span = doc[start:end]
    return _Mention(start=start, end=end, text_start=span.start_char, text_end=span.end_char,
                    text=span.text, label=label, candidates=cands, hint=hint, designator=designator,
                    next_word=doc[end].lower_ if end < len(doc) else "")


# ---------------------------------------------------------------- context


def _link_containers(doc: Any, mentions: list[_Mention]) -> None:
    """"X, Y" and "X in Y (province)": Y is where X lies, when Y can contain X."""
    by_start = {m.start: k for k, m in enumerate(mentions)}
    for k, m in enumerate(mentions):
        nxt = m.end
        if nxt < len(doc) and doc[nxt].text == "," and nxt + 1 in by_start:
            m.container = by_start[nxt + 1]
        elif nxt < len(doc) and doc[nxt].lower_ == "in":
            j = nxt + 1
            while j < len(doc) and doc[j].lower_ in {"the"} | _DIRECTIONS:
                j += 1
            if j in by_start:
                m.container = by_start[j]
        if m.container is not None and mentions[m.container].label == "NORP":
            m.container = None
        del k


def _decide_use(doc: Any, mentions: list[_Mention]) -> None:
    """Demonyms and names qualifying a noun are modifiers; a place that is the subject of a verb of
    speech or decision stands for its government (metonymy)."""
    words = place_words()
    verbs = set(words.metonymy_verbs)
    # "Rakhine state", "the Norfolk coast": the name qualifies a word for a place, and still is one.
    geographic = set(words.designators) | set(words.anaphors) | set(words.geographic_nouns)
    for m in mentions:
        # A name the recogniser called a group is still where people went or came from ("fled Belgorod").
        if (m.candidates and all(c.kind == "demonym" for c in m.candidates[:1])) or (
                m.label == "NORP" and not _moved(doc, m)):
            m.use = "modifier"
            continue
        root = doc[m.start:m.end].root
        if _hyphen_agent(doc, m, words.agent_participles) or (
                root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in verbs):
            m.use = "metonymy"
        elif root.dep_ in ("compound", "amod", "nmod") and root.head.pos_ == "NOUN" and not (
            m.start <= root.head.i < m.end) and root.head.lemma_.lower() not in geographic:
            m.use = "modifier"


def _hyphen_agent(doc: Any, m: _Mention, participles: list[str]) -> bool:
    """ "Iran-backed", "U.S.-led": the name is joined by a hyphen to a participle of agency."""
    if m.text_end < doc[m.end - 1].idx + len(doc[m.end - 1].text):  # "U.S.-led" is one token
        rest = doc.text[m.text_end:doc[m.end - 1].idx + len(doc[m.end - 1].text)]
        return rest[:1] == "-" and rest[1:].lower() in participles
    return (m.end + 1 < len(doc) and doc[m.end].text == "-" and doc[m.end].whitespace_ == ""
            and doc[m.end + 1].lower_ in participles)


def _bare(m: _Mention) -> str:
    """The mention without the designator it was extended over ("Donetsk region" -> "Donetsk")."""
    if m.hint and m.text.rsplit(" ", 1)[-1].lower() in place_words().designators:
        return m.text.rsplit(" ", 1)[0]
    return m.text


_GOVERNMENT_WORDS = {"gov.", "gov", "governor", "government", "premier", "legislature", "lawmakers",
                     "lieutenant", "statehouse"}


def _governed(m: _Mention) -> bool:
    """A name followed by a word for its government ("New York Gov.", "the Quebec government") is a
    state, province or country: a town has a mayor and a council."""
    return m.next_word in _GOVERNMENT_WORDS


def _features(c: Candidate, m: _Mention, k: int, ctx: _Context, countries: Counter[str]) -> dict[str, float]:
    """What speaks for candidate ``c`` of mention ``m`` (the k-th) in this document, as named values;
    ``data/place_ranker.yaml`` weighs them. Each reads one clue an analyst would use."""
    f: dict[str, float] = {f"level {c.level}": 1.0}
    if c.level == "city":
        f["log population"] = math.log10(c.population + 1)
        f["capital"] = float(c.feature == "PPLC")
        rival = max((o.population for o in m.candidates if o.level == "city" and o.id != c.id), default=0)
        f["population gap"] = max(-3.0, min(3.0, math.log10(c.population + 1) - math.log10(rival + 1)))
    elif c.level in ("admin1", "admin2"):
        f["unit log population"] = math.log10(c.population + 1)
    if not c.exact:
        f["inexact spelling"] = 1.0
    own_key = name_key(_bare(m))
    own_name = c.kind != "name" or own_key == name_key(c.name)  # its own name, not a by-name
    f["own name"] = float(own_name)
    if c.kind != "name":
        f[c.kind] = 1.0
    if c.level in ("city", "admin2", "place") and m.container is None:
        # A town known by the own name of a country, region or state ("Lebanon", Pennsylvania;
        # "Missouri" for Bozeman; "Mexico" for Mexico City) is that place's namesake.
        # A demonym ("English") or a curated region ("Middle East") is such a rival too; a state only
        # in the town's own country (San Jose, California owes nothing to Costa Rica's province).
        # A building news names for a government ("White House") counts as a region.
        rivals = {"region" if o.kind == "curated" else o.level for o in m.candidates
                  if o.id != c.id and (o.level in _STRONG_LEVELS or o.kind == "curated") and (
                      o.kind == "demonym" or (o.kind in ("name", "curated") and name_key(o.name) == own_key))
                  and (o.level != "admin1" or o.iso3 == c.iso3)}
        if rivals and own_name and c.feature != "PPLC":  # Washington, the capital, is no namesake
            f["namesake of a country or region"] = float(bool(rivals & {"country", "region"}))
            # A big city gives its name to its province ("Kharkiv", "Chattogram"), not the reverse.
            f["namesake of a state"] = float("admin1" in rivals and c.population < 100_000)
        elif rivals and c.feature == "PPLC":
            f["capital known by the country's name"] = float("country" in rivals)
        elif rivals:
            f["another place's own name"] = 1.0
    if c.level in ("admin1", "country") and _governed(m):
        f["government"] = 1.0
    if m.hint and c.level in m.hint:
        f["designator"] = 1.0 - 0.2 * m.hint.index(c.level)
        unit_type = c.feature.partition(":")[2]
        if unit_type and m.designator:  # the country's own word for its units: "Huila department"
            f["designator is the unit's own word" if m.designator in unit_type.split() else
              "designator is not the unit's word"] = 1.0
    elif m.hint and c.level == "country":
        f["designator against a country"] = 1.0
    if c.iso3 is None:
        f["no country"] = 1.0
    if c.iso3 and countries:  # the countries the document's other mentions name
        f["document country"] = countries.get(c.iso3, 0.0) / max(countries.values())
        f["document country share"] = countries.get(c.iso3, 0.0) / sum(countries.values())
        if c.iso3 not in countries and c.level != "country":
            f["outside the document's countries"] = 1.0
    if c.admin1 and ctx.admin1.get(name_key(c.admin1), set()) - {k} and c.level != "admin1":
        f["admin region named"] = 1.0
    if c.level == "admin1" and ctx.towns_in.get(name_key(c.name), set()) - {k}:
        f["contains named towns"] = 1.0
    for j in ctx.contained.get(k, ()):  # Y of "X, Y": the state or country the town X lies in
        inner = ctx.choices.get(j)
        if inner is not None and inner.iso3 == c.iso3 and (c.level == "country" or (
                c.level == "admin1" and inner.admin1 and name_key(inner.admin1) == name_key(c.name))):
            f["contains X of X, Y"] = 1.0
    cont = ctx.choices.get(m.container) if m.container is not None else None
    if cont is not None and cont.iso3 == c.iso3:
        f["X, Y pattern"] = 1.0
        if cont.level in ("admin1", "admin2") and c.admin1 and name_key(c.admin1) == name_key(cont.name):
            f["X, Y pattern: in that region"] = 1.0
        if cont.lat is not None and c.lat is not None and _km(cont.lat, cont.lon, c.lat, c.lon) < 300:
            f["X, Y pattern: near it"] = 1.0
    if ctx.points and c.lat is not None and c.level in ("city", "admin2", "place"):
        near = min((_km(c.lat, c.lon or 0.0, la, lo) for j, la, lo in ctx.points if j != k), default=1e9)
        if near < 50:
            f["within 50 km of other places"] = 1.0
        elif near < 250:
            f["within 250 km of other places"] = 1.0
    if m.weak:
        f[f"found outside an entity: {c.level}"] = 1.0
    if m.label in ("LOC", "NORP", "FAC"):
        f[f"{m.label}: {c.level}"] = 1.0
    return f


def _score(c: Candidate, m: _Mention, k: int, ctx: _Context, countries: Counter[str]) -> tuple[float, str]:
    """How well candidate ``c`` fits mention ``m`` in the document; the reason names the top factor."""
    weights = place_ranker().weights
    features = _features(c, m, k, ctx, countries)
    if ctx.trace is not None:
        ctx.trace(m.text_start, m.text_end, c, features)
    parts = {name: weights.get(name, 0.0) * value for name, value in features.items()}
    top = max(parts, key=lambda n: parts[n])
    return sum(parts.values()), top


@dataclass
class _Context:
    countries: Counter[str]
    # Context from other mentions, keyed so that a mention never counts as its own evidence.
    admin1: dict[str, set[int]]  # admin-1 regions chosen -> the mentions that chose them
    choices: dict[int, Candidate | None]
    points: list[tuple[int, float, float]]  # (mention, lat, lon) of the places chosen
    towns_in: dict[str, set[int]] = field(default_factory=dict)  # admin-1 names of the towns chosen
    own: dict[int, Counter[str]] = field(default_factory=dict)  # each mention's own country votes
    contained: dict[int, list[int]] = field(default_factory=dict)  # Y -> the X of each "X, Y"
    trace: Tracer | None = None  # sees every candidate's features (scripts/train_place_ranker.py)


def _rank(mentions: list[_Mention], trace: Tracer | None = None) -> None:
    """Two passes: the first uses the document's countries, the second adds admin regions, "X, Y"
    containers and distance to the places the first pass chose."""
    votes: Counter[str] = Counter()  # weights: 2 a sure country name, 1 an unambiguous town
    own: dict[int, Counter[str]] = {}  # what each mention added, so that it is not its own evidence
    for k, m in enumerate(mentions):
        own[k] = Counter()
        if not m.candidates:
            continue
        # Only names that cannot mean another country vote ("Georgia" could be the US state; "Middle
        # East" the region as well as a Baltimore neighbourhood).
        isos = {c.iso3 for c in m.candidates if c.iso3}
        rivals = {c.iso3 for c in m.candidates if c.exact and c.level in ("country", "admin1", "region")}
        strong = [c for c in m.candidates if c.exact and (c.level == "country" or c.kind == "demonym")]
        if strong and len(rivals - {None}) <= 1 and strong[0].iso3:
            own[k][strong[0].iso3] += 2
        elif len(isos) == 1 and not any(c.iso3 is None and c.exact for c in m.candidates):
            own[k][isos.pop()] += 1
        votes += own[k]
    ctx = _Context(countries=votes, admin1={}, choices={}, points=[], own=own, trace=trace)
    for k, m in enumerate(mentions):
        if m.container is not None:
            ctx.contained.setdefault(m.container, []).append(k)
    for _ in range(2):
        for k, m in enumerate(mentions):
            _choose(m, k, ctx)
            ctx.choices[k] = m.choice
        chosen = [(k, m.choice) for k, m in enumerate(mentions) if m.choice is not None]
        # The towns chosen count as the document's countries only when nothing surer names one: else
        # one wrong namesake (Kent, Washington) pulls the next ones abroad (Fife, Washington).
        ctx.countries = votes + Counter(c.iso3 for _, c in chosen
                                        if c.iso3 and (c.level != "city" or not votes))
        ctx.own = {k: own[k] + Counter([c.iso3] if c is not None and c.iso3 else []) for k, c in ctx.choices.items()}
        ctx.admin1, ctx.towns_in = {}, {}
        for k, c in chosen:
            if c.level == "admin1":
                ctx.admin1.setdefault(name_key(c.name), set()).add(k)
            elif c.admin1 and c.level in ("city", "admin2"):
                ctx.towns_in.setdefault(name_key(c.admin1), set()).add(k)
        ctx.points = [(k, c.lat, c.lon) for k, c in chosen
                      if c.lat is not None and c.lon is not None and c.level in ("city", "admin2", "admin1")]


def _choose(m: _Mention, k: int, ctx: _Context) -> None:
    if not m.candidates:
        return
    countries = ctx.countries - ctx.own.get(k, Counter())
    scored = sorted(((*_score(c, m, k, ctx, countries), c) for c in m.candidates), key=lambda t: -t[0])
    best_score, reason, best = scored[0]
    if best.level in ("admin1", "admin2") and not m.hint:
        # A city at the centre of a unit of the same name (Xankendi, Herat) is the better answer:
        # it carries the GeoNames id readers expect, and the unit is rarely meant without "province".
        town = next((c for _, _, c in scored if c.level == "city" and c.iso3 == best.iso3
                     and c.lat is not None and best.lat is not None
                     and _km(c.lat, c.lon, best.lat, best.lon) < 30), None)
        if town is not None:
            best, reason = town, "city at the centre of the unit of the same name"
    m.choice = best
    m.score_margin = best_score - scored[1][0] if len(scored) > 1 else 3.0
    m.reason = f"{reason}; {len(scored)} candidates" if len(scored) > 1 else "only candidate"


def _km(la1: float, lo1: float | None, la2: float, lo2: float | None) -> float:
    p1, p2 = math.radians(la1), math.radians(la2)
    dl = math.radians((lo2 or 0.0) - (lo1 or 0.0))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(h)))


# ---------------------------------------------------------------- records


def _focus(mentions: list[_Mention], gaz: Gazetteer) -> Candidate | None:
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


def _inside(m: _Mention, mentions: list[_Mention]) -> Candidate | None:
    """The best candidate of a place named inside an unknown name ("Dulles International Airport"),
    in one of the document's countries when it names any; never an ocean or continent ("Pacific Coast
    region" lies on a coast of the document's country). A small town inside a facility's name must lie
    near the document's other places: "Royal Street" is no street of Royal City."""
    isos = Counter(x.choice.iso3 for x in mentions if x.choice is not None and x is not m)
    pool = [c for c in m.inside if c.iso3 and (not isos or c.iso3 in isos or (
        (c.level == "country" or c.population >= 100_000) and name_key(c.name) in name_key(m.text)))]
    points = _points_besides(m, mentions)

    def near(c: Candidate) -> bool:
        return c.lat is not None and any(_km(c.lat, c.lon, la, lo) < 300 for la, lo in points)

    if m.facility:
        pool = [c for c in pool if c.level in _STRONG_LEVELS or c.population >= 100_000 or near(c)]
    # "Old Town Manassas" lies by the document's other places, not in the biggest town of that name.
    pool = [c for c in pool if near(c)] or pool
    if not pool:
        return None
    return max(pool, key=lambda c: (c.level != "city", c.population))


def _last_town(m: _Mention, mentions: list[_Mention]) -> Candidate | None:
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
    # Washington Square of Philadelphia in a story about New Orleans): no host for a facility. Towns
    # the recogniser missed count only when they have company and the recognised ones have none.
    sure = [x for x in towns if not x.weak]
    towns = ([x for x in sure if _has_company(x, mentions)]
             or [x for x in towns if _has_company(x, mentions, km=150)] or sure)
    before = [x for x in towns if x.start < m.start]
    pick = before[-1] if before else next((x for x in towns if x.start > m.start), None)
    return pick.choice if pick is not None else None


def _has_company(m: _Mention, mentions: list[_Mention], km: float = 300) -> bool:
    """Whether another place the document resolved (not ``m``'s own, named again) lies within ``km``."""
    c = m.choice
    if c is None or c.lat is None:
        return False
    others = [x for x in mentions if x.choice is not None and x.choice.id != c.id]
    return any(_km(c.lat, c.lon, la, lo) < km for la, lo in _points_besides(m, others))


def _local(doc: Any, m: _Mention, mentions: list[_Mention]) -> Candidate | None:
    """The place an unknown name most likely lies in: the nearest sub-national place resolved in the
    same sentence ("Kirawa, a town in Borno State"; "Yinmabin Township ... Sagaing Region")."""
    sent = doc[m.start].sent
    near = [(abs(x.start - m.start), x.choice) for x in mentions
            if x.choice is not None and x.use == "literal" and sent.start <= x.start < sent.end
            and x.choice.level not in ("country",) and x.choice.iso3]
    return min(near, key=lambda t: t[0])[1] if near else None


def _to_record(doc: Any, m: _Mention, mentions: list[_Mention], gaz: Gazetteer, doc_id: str) -> ResolvedPlace:
    c = m.choice
    if c is not None:
        confidence = 0.55 + 0.4 * (1 - math.exp(-max(m.score_margin, 0.0) / 2))
        place = Place(doc_id=doc_id, mention=m.text, start=m.text_start, end=m.text_end, name=c.name,
                      geonameid=c.geonameid if c.geonameid and c.geonameid < 2_000_000_000 else None,
                      iso3=c.iso3, admin1=c.admin1, lat=_round(c.lat), lon=_round(c.lon),
                      level=c.level,  # type: ignore[arg-type]
                      also_known_as=c.also_known_as, use=m.use,  # type: ignore[arg-type]
                      confidence=round(confidence, 3), reason=m.reason)
    else:
        if m.facility:
            focus = _inside(m, mentions) or _last_town(m, mentions) or _local(doc, m, mentions) or _focus(
                mentions, gaz)
        else:
            focus = _inside(m, mentions) or _local(doc, m, mentions) or _focus(mentions, gaz)
        place = Place(doc_id=doc_id, mention=m.text, start=m.text_start, end=m.text_end, name=m.text,
                      iso3=focus.iso3 if focus else None, lat=_round(focus.lat) if focus else None,
                      lon=_round(focus.lon) if focus else None, level="place",
                      use=m.use,  # type: ignore[arg-type]
                      confidence=0.15,
                      reason=f"not in gazetteer; placed at {focus.name}" if focus else "not in gazetteer")
    return ResolvedPlace(place=place, start=m.text_start, end=m.text_end, token_start=m.start,
                         token_end=m.end, use=m.use, candidate=c, dateline=m.dateline)


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 5)
