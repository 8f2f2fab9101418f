"""Finding mentions, the document level: every place name of a parsed document, in text order.

Part of the places stage. Starts from spaCy's entities and adds what the small model misses or
mislabels: names joined by slashes or hyphens, names cut before a lowercase connector, names cued by
lists, designators and "areas such as", a name used as a place standing alone again (one sense per
document), towns tagged as dates, and acronyms of names given in full. Deciding what each name
refers to is left to the later steps.
"""

from __future__ import annotations

import re
from typing import Any

from .common import (
    LIST_JOINS,
    OTHER_LABELS,
    PLACE_LABELS,
    STRONG_LEVELS,
    Mention,
    is_reporter_line,
    is_strong,
    namelike,
)
from .gazetteer import Gazetteer
from .names import name_key
from .spans import admit, embedded_names, facility_span, inside_person, make_mention, match_span, named_event
from .vocab import place_words

__all__ = []


def find_mentions(doc: Any, gaz: Gazetteer, calendar: frozenset[str]) -> list[Mention]:
    taken = [False] * len(doc)
    found: list[Mention] = []

    def take(m: Mention) -> None:
        found.append(m)
        for i in range(m.start, m.end):
            taken[i] = True

    for m in _joined_names(doc, gaz):
        take(m)
    ents = [e for e in doc.ents if e.label_ in PLACE_LABELS | OTHER_LABELS]
    for ent in ents:
        if ent.label_ in PLACE_LABELS | OTHER_LABELS and not any(taken[ent.start : ent.end]):
            end = _cut_short(doc, ent.start, ent.end, gaz)
            if end > ent.end and not any(taken[ent.end:end]):
                for m in match_span(doc, ent.start, end, "GPE", gaz, trusted=True):
                    take(m)
                continue
            start = _cut_short(doc, ent.start, ent.end, gaz, left=True)
            if start < ent.start and not any(taken[start:ent.start]):
                for m in match_span(doc, start, ent.end, "GPE", gaz, trusted=True):
                    take(m)
    for ent in ents:  # "Kelvale's Ostrel province": two places, the possessor and the possessed
        poss = next((t.i for t in ent if t.text in ("'s", "’s") and ent.start < t.i < ent.end - 1), None)
        if ent.label_ in PLACE_LABELS and poss is not None and not any(taken[ent.start:ent.end]):
            for a, b in ((ent.start, poss), (poss + 1, ent.end)):
                for m in match_span(doc, a, b, ent.label_, gaz, trusted=True):
                    take(m)
    for ent in ents:
        if ent.label_ in PLACE_LABELS and not any(taken[ent.start : ent.end]) and not named_event(
                doc, ent.start, ent.end):
            end = _continued(doc, ent.start, ent.end, gaz)
            if any(taken[ent.end : end]):
                end = ent.end
            for m in match_span(doc, ent.start, end, ent.label_, gaz, trusted=True):
                take(m)
    for ent in ents:
        if ent.label_ in OTHER_LABELS and not any(taken[ent.start : ent.end]) and not named_event(
                doc, ent.start, ent.end):
            whole = match_span(doc, ent.start, ent.end, ent.label_, gaz, trusted=False)
            if not whole and ent.label_ != "PERSON":
                whole = embedded_names(doc, ent.start, ent.end, gaz) or facility_span(doc, ent.start, ent.end)
            for m in whole:
                take(m)
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME") and not any(taken[ent.start : ent.end]) and _misread_date(ent, gaz, calendar):
            for m in match_span(doc, ent.start, ent.end, "GPE", gaz, trusted=True):
                take(m)
    # "7.5 billion US dollars", "Canadian dollars": a currency is named after its country.
    for ent in doc.ents:
        if ent.label_ == "MONEY" and not any(taken[ent.start : ent.end]):
            for m in embedded_names(doc, ent.start, ent.end, gaz):
                if m.candidates and all(c.level == "country" for c in m.candidates[:1]):
                    take(m)
    # Capitalised names outside any entity: runs of proper nouns the model did not label.
    i = 0
    while i < len(doc):
        tok = doc[i]
        if taken[i] or not namelike(tok) or tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT"):
            i += 1
            continue
        j = i
        while j < len(doc) and not taken[j] and namelike(doc[j]) and j - i < 5:
            j += 1
        if not named_event(doc, i, j):
            site = facility_span(doc, i, j)
            inner = embedded_names(doc, i, j, gaz, trusted_context=True)
            if site and not any(c.level == "country" for m in inner for c in m.candidates):
                # One name ("Kestrel Street", "Velmora Airport"), not a town's name and a word: the town
                # inside is kept as a hint of where it lies.
                site[0].inside = inner[0].candidates if inner else []
                inner = site
            for m in inner:
                if not inside_person(doc, m):
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
    # "at 10:00 WIB": a clock time and its time zone, whatever the recogniser called it.
    found = [m for m in found if not _CLOCK.search(doc[m.start:m.end].text)]
    found.sort(key=lambda m: m.start)
    _share_designators(doc, found)
    found = _without_body_acronyms(doc, found)
    _acronym_aliases(doc, found)
    for m in found:
        m.dateline = is_reporter_line(doc, m.start, m.end)
    return found


_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_CONNECTORS = {"do", "da", "dos", "das", "de", "del", "di", "du", "of", "upon", "on", "sur", "am", "an", "la"}
# Small words inside the name of a body ("Ministry of Defence", "Office for the Coordination ...").
_BODY_WORDS = _CONNECTORS | {"and", "for", "the"}


def _cut_short(doc: Any, start: int, end: int, gaz: Gazetteer, *, left: bool = False) -> int:
    """The end (``left``: the start) of a place name the recogniser cut into pieces ("Dera" + "Ghazi
    Khan", or "Dera Ghazi" + "Khan", taken for a person's names): the longer span counts only when the
    gazetteer knows it whole, as an admin unit or a town of its exact name."""
    for extra in (3, 2, 1):
        a, b = (start - extra, end) if left else (start, end + extra)
        added = doc[a:start] if left else doc[end:b]
        if a < 0 or b > len(doc) or not all(namelike(t) and t.ent_type_ not in ("DATE", "TIME") for t in added):
            continue
        if left and doc[a].is_sent_start and doc[a].pos_ != "PROPN":
            continue
        text = doc[a:b].text
        key = name_key(text)
        if any(c.exact and c.level in ("country", "admin1", "admin2", "city") and name_key(c.name) == key
               for c in gaz.lookup(text)):
            return a if left else b
    return start if left else end


def _continued(doc: Any, start: int, end: int, gaz: Gazetteer) -> int:
    """The end of a place name the recogniser cut short before a lowercase connector: "Serra Tavares" +
    "do Oeste", "Stratford" + "upon Avon". The longer span counts only when the gazetteer knows it whole."""
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


def _repeated(doc: Any, taken: list[bool], found: list[Mention]) -> list[Mention]:
    """One sense per document: a name the document uses as a place is a place wherever it stands
    alone again, though the entity recogniser called it a person ("Ambrel residents") or missed it.
    Only whole names are repeated, never one that is part of a longer name ("Ambrel Castellanos")."""
    sources: dict[tuple[str, ...], Mention] = {}
    for m in found:
        if not m.weak and m.text == doc[m.start:m.end].text:
            sources.setdefault(tuple(t.text for t in doc[m.start:m.end]), m)
    texts = [t.text for t in doc]
    out: list[Mention] = []
    for key, m in sources.items():
        n = len(key)
        for i in range(len(doc) - n + 1):
            if texts[i] != key[0] or any(taken[i:i + n]) or tuple(texts[i:i + n]) != key:
                continue
            if (i > 0 and namelike(doc[i - 1])) or (i + n < len(doc) and namelike(doc[i + n])):
                continue
            copy = make_mention(doc, i, i + n, m.label, list(m.candidates))
            copy.facility, copy.inside = m.facility, m.inside
            out.append(copy)
            for j in range(copy.start, copy.end):
                taken[j] = True
    return out


def _cued_names(doc: Any, taken: list[bool], found: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """Names the entity recogniser and the gazetteer both missed, that English still marks as places:
    a list that holds a known place ("Moynapara Char, Ketkipur, Shaldanga and Boropukur"), a name or list
    before a designator or geographic noun ("Nat Kyin and Hpa Lwe villages", "Sarband Khel district"),
    after "<noun> of" ("the community of Morne Tabac") or after "areas such as". Reports of
    displacement name villages no gazetteer has; each becomes a place, looked up or else unknown."""
    words = place_words()
    after_cues = {*words.designators, *words.geographic_nouns, "ports", "port"}
    of_cues = {*words.designators, *words.geographic_nouns, *words.place_of_nouns}
    items: list[tuple[int, int, Mention | None]] = [
        (m.start, m.end, m) for m in found if m.label != "NORP" and (m.candidates or m.label in PLACE_LABELS)]
    i = 0
    while i < len(doc):
        if taken[i] or not namelike(doc[i]) or (doc[i].ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "NORP")
                                                and not _counted_item(doc, i, i + 1)):
            i += 1
            continue
        j = i
        while j < len(doc) and not taken[j] and namelike(doc[j]) and j - i < 4:
            j += 1
        items.append((i, j, None))
        i = j
    items.sort(key=lambda t: t[0])
    groups: list[list[tuple[int, int, Mention | None]]] = []
    for item in items:
        prev = groups[-1][-1] if groups else None
        between = doc[prev[1]:item[0]] if prev is not None else None
        if between is not None and len(between) and all(t.lower_ in LIST_JOINS for t in between):
            groups[-1].append(item)
        else:
            groups.append([item])
    out: list[Mention] = []
    for group in groups:
        runs = [(a, b) for a, b, m in group if m is None]
        if not runs:
            continue
        first, last = group[0][0], group[-1][1]
        before = [t.lower_ for t in doc[max(0, first - 3):first]]
        after = doc[last].lower_ if last < len(doc) else ""
        listed = len(group) > 1 and any(m is not None and m.candidates and not m.weak
                                        and m.label in PLACE_LABELS for _, _, m in group)
        of_noun = doc[first - 2] if first >= 2 and doc[first - 1].lower_ == "of" else None
        cued = (after in after_cues or words.singular_designator(after) is not None
                or (of_noun is not None and of_noun.text in of_cues)
                or (len(group) == 1 and _counted_item(doc, first, last) and _counted_items(doc, first) > 1)
                or (len(group) > 1 and _moved_to(doc, first, [(a, b) for a, b, _ in group]))
                or (before[-2:] == ["such", "as"] and before[-3:-2] and before[-3] in words.list_nouns)
                or (before[-1:] == ["including"] and before[-2:-1] and before[-2] in words.list_nouns))
        if not (listed or cued):
            continue
        for a, b in runs:
            span = doc[a:b]
            labels = {t.ent_type_ for t in span} - {""}
            if labels & {"ORG", "PERSON", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"} and not cued:
                continue  # "Iran, Russia and the Crimson Hand": a list of actors, not of places
            if span.text.isupper() and len(span.text) <= 5:
                continue  # an acronym ("UNHCR camps")
            out.extend(match_span(doc, a, b, "GPE", gaz, trusted=True))
    return out


def _share_designators(doc: Any, found: list[Mention]) -> None:
    """"Sundpur and Kalir upazilas": a plural designator after a list names the kind of every item."""
    words = place_words()
    for k in range(len(found) - 1, 0, -1):
        m = found[k]
        if not m.designator or m.end >= len(doc) or words.singular_designator(doc[m.end].lower_) is None:
            continue
        j = k
        while j > 0 and all(t.text in LIST_JOINS for t in doc[found[j - 1].end:found[j].start]) and (
                found[j - 1].end < found[j].start):
            j -= 1
            if not found[j].designator:
                found[j].designator, found[j].hint = m.designator, list(m.hint)


def _counted_item(doc: Any, a: int, b: int) -> bool:
    """ "Rayagada-10,141": a name joined to its count by a dash, an item of a breakdown list."""
    return b + 1 < len(doc) and doc[b].text in ("-", "–") and doc[b + 1].like_num and not doc[b + 1].is_alpha


def _counted_items(doc: Any, i: int) -> int:
    """How many "Name-count" items the sentence of token ``i`` lists."""
    sent = doc[i].sent
    return sum(1 for t in sent if sent.start < t.i < sent.end - 1 and namelike(doc[t.i - 1])
               and _counted_item(doc, t.i - 1, t.i))


def _moved_to(doc: Any, first: int, runs: list[tuple[int, int]]) -> bool:
    """The names at ``first`` follow "from" / "to" / "into" on a verb of movement ("coming from ...",
    "spread south into ..."); a list of them is a list of places, even of names taken for people."""
    words = place_words()
    preps = {*words.origin.prepositions, *words.destination.prepositions}
    if first < 1 or doc[first - 1].lower_ not in preps:
        return False
    phrase = {t.i for t in doc[first - 1].subtree}
    if not all(doc[a:b].root.i in phrase for a, b in runs):
        return False  # "withdraw from Syria, Trump stands alone": the list ends with the phrase
    verb = doc[first - 1].head
    for _ in range(2):
        if verb.pos_ == "VERB":
            return verb.lemma_.lower() in words.destination.movement_verbs
        verb = verb.head
    return False


def _misread_date(ent: Any, gaz: Gazetteer, calendar: frozenset[str]) -> bool:
    """A town the small model labelled a date ("in Ostrel near the northern border"): no number and no
    calendar word in it, and the name is a town's own name, of some size."""
    if any(t.like_num or t.lower_ in calendar or not t.is_title for t in ent):
        return False
    key = name_key(ent.text)
    return any(c.exact and name_key(c.name) == key and (c.level in STRONG_LEVELS or c.population >= 20_000)
               for c in gaz.lookup(ent.text))


def _joined_names(doc: Any, gaz: Gazetteer) -> list[Mention]:
    """"Tarn and Kelvale province", "Upper Marrask and Dune": one unit whose name joins two
    names with "and", which the entity recogniser splits in two. Taken whole when the gazetteer knows
    the joined name as a country, admin unit or region."""
    out: list[Mention] = []
    last = 0
    for i, tok in enumerate(doc):
        if tok.lower_ not in ("and", "&") or i < max(1, last) or i + 1 >= len(doc):
            continue
        if not (namelike(doc[i - 1]) and namelike(doc[i + 1])):
            continue
        found = None
        for left in (3, 2, 1):
            for right in (3, 2, 1):
                a, b = i - left, i + 1 + right
                if a < last or b > len(doc) or not all(namelike(t) for t in (*doc[a:i], *doc[i + 1:b])):
                    continue
                cands = [c for c in admit(doc, a, b, gaz.lookup(doc[a:b].text))
                         if c.exact and c.level in ("country", "admin1", "admin2", "region")]
                if cands:
                    found = make_mention(doc, a, b, "GPE", cands)
                    break
            if found is not None:
                break
        if found is not None:
            out.append(found)
            last = found.end
    return out


def _slashed(doc: Any, i: int, gaz: Gazetteer) -> list[Mention]:
    """Names joined by a slash in one token ("VELMORA/OSTREL (Reuters)", "Tarnick/Brannow"): each part that
    is a country, a region or a town of some size is a mention of its own, over its characters."""
    tok = doc[i]
    parts = tok.text.split("/")
    if not all(len(p) >= 3 and p.isalpha() and p[:1].isupper() for p in parts):
        return []
    out: list[Mention] = []
    offset = tok.idx
    for part in parts:
        cands = [c for c in gaz.lookup(part) if c.exact]
        if cands and any(is_strong(c) or c.population >= 50_000 for c in cands):
            out.append(Mention(start=i, end=i + 1, text_start=offset, text_end=offset + len(part), text=part,
                                label="GPE", candidates=cands, weak=True))
        offset += len(part) + 1
    return out


def _hyphen_joined(doc: Any, i: int, gaz: Gazetteer) -> list[Mention]:
    """A country kept in one token with a participle ("U.S.-led", as spaCy keeps "U.S."): a mention
    over its characters. Other "X-led" the tokenizer splits, and the entity recogniser finds X."""
    tok = doc[i]
    name, _, rest = tok.text.rpartition("-")
    if not name[:1].isupper() or rest.lower() not in place_words().agent_participles:
        return []
    cands = [c for c in gaz.lookup(name) if c.exact and (c.level == "country" or c.kind != "name")]
    if not cands:
        return []
    return [Mention(start=i, end=i + 1, text_start=tok.idx, text_end=tok.idx + len(name), text=name,
                     label="GPE", candidates=cands)]


def _without_body_acronyms(doc: Any, mentions: list[Mention]) -> list[Mention]:
    """"the Ministry of Defence (MoD)": an acronym in brackets after a name that holds no place stands
    for that body wherever the document writes it, even where a town shares the letters."""
    bodies: set[str] = set()
    for i in range(2, len(doc) - 1):
        if doc[i - 1].text != "(" or doc[i + 1].text != ")" or not doc[i].text.isalpha():
            continue
        acronym = doc[i].text
        capitals = "".join(c for c in acronym if c.isupper())
        if len(capitals) < 2:
            continue
        j, initials = i - 2, ""
        while j >= 0 and len(initials) < len(capitals) and (
                doc[j].text[:1].isupper() or doc[j].lower_ in _BODY_WORDS):
            initials = (doc[j].text[0] if doc[j].text[:1].isupper() else "") + initials
            j -= 1
        if initials != capitals or any(m.start < i - 1 and m.end > j + 1 for m in mentions):
            continue
        bodies.add(acronym)
    return [m for m in mentions if m.text not in bodies] if bodies else mentions


def _acronym_aliases(doc: Any, mentions: list[Mention]) -> None:
    """"the Kelvale Uplands Region (KUR)": an acronym in brackets right after a name is that
    name again, whatever else the letters may stand for."""
    by_start = {m.start: k for k, m in enumerate(mentions)}
    for prev in list(mentions):
        i = prev.end
        if not (i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")" and doc[i + 1].is_upper):
            continue
        initials = "".join(w[0] for w in prev.text.replace("-", " ").split() if w[:1].isupper())
        if len(initials) < 2 or doc[i + 1].text.replace(".", "") != initials:
            continue
        alias = Mention(start=i + 1, end=i + 2, text_start=doc[i + 1].idx, text_end=doc[i + 1].idx + len(doc[i + 1]),
                         text=doc[i + 1].text, label=prev.label, candidates=prev.candidates, hint=prev.hint,
                         inside=prev.inside, designator=prev.designator)
        if i + 1 in by_start:
            mentions[by_start[i + 1]] = alias
        else:
            mentions.append(alias)
    mentions.sort(key=lambda m: m.start)

