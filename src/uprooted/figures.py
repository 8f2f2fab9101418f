"""Stage 3, figures: which quantities are displacement figures, and of what (term, unit, kind).

Takes a parsed spaCy ``Doc`` and the ``QuantityMention``s of its text; returns
``FigureMention``s that still point at their tokens, so later stages (places, dates, sources)
can read the same sentence. A number becomes a figure only when the dependency parse ties the
group it counts to a displacement word more closely than to a death, injury, "affected" or
population word; the distance is counted in edges of the parse tree, not in words, so
"killed 12 people and displaced 5,000" splits correctly. Nothing defaults to ``displaced``:
a number with no trigger within reach is not a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from .counted import unit_before, unit_of, vague_aside, word
from .lexicon import Lexicon, Trigger
from .quantities import QuantityMention
from .records import Kind, Term, Unit
from .textutil import doc_text
from .triggers import pobjs, sentence_triggers, triggers_of

__all__ = ["FigureMention", "find_figures", "internal_refugees", "sentence_triggers"]

_MAX_EDGES = 4
_SKIP_ENTS = frozenset({"MONEY", "PERCENT", "TIME", "ORDINAL"})
_CURRENCY = frozenset("$€£¥₹₦")
_SUBJ = frozenset({"nsubj", "nsubjpass"})
# A number right after these names a site, a ward or a note, and counts nothing.
_IDENTIFIER = re.compile(r"(?:\b(?:No|Nr|Ward|Rt)\.?\s*|#|\[)$")
# A number opening a line and closed by these is the line's number in a list.
_ENUMERATION = re.compile(r"[.)\-]\s")


@dataclass(frozen=True, slots=True)
class FigureMention:
    """A displacement figure found in a sentence, still tied to its tokens."""

    quantity: QuantityMention
    number: Token
    group: Token
    trigger: Token
    sent: Span
    unit: Unit
    term: Term
    kind: Kind
    cross_border: bool
    confidence: float
    reason: str
    projection: bool = False
    scope: Span | None = None  # where its places are read, when narrower than the sentence (a list item)
    whole: bool = False  # a total over the places of a table's rows: located by their country


def find_figures(doc: Doc, quantities: list[QuantityMention], lex: Lexicon) -> list[FigureMention]:
    """The quantities of ``doc`` that the parse ties to a displacement term."""
    out: list[FigureMention] = []
    triggers_by_sent: dict[int, list[tuple[Token, Trigger | None]]] = {}
    for q in quantities:
        span = doc.char_span(q.core_start, q.core_end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        # "8, 210 people": the parse splits a number written with a comma and a space; its last
        # part is the one that counts the noun.
        number = span[-1] if ", " in q.text else _span_head(span)
        sent = number.sent
        if sent.start not in triggers_by_sent:
            triggers_by_sent[sent.start] = sentence_triggers(sent, lex)
        found = _classify(q, span, number, sent, triggers_by_sent[sent.start], lex)
        if found is not None:
            out.append(found)
    return out


def _span_head(span: Span) -> Token:
    for tok in span:
        if tok.head.i < span.start or tok.head.i >= span.end or tok.head.i == tok.i:
            return tok
    return span[-1]


def _not_a_count(q: QuantityMention, span: Span, number: Token, doc: Doc, lex: Lexicon) -> str | None:
    """Why this number is a date, age, share, sum or duration rather than a count, or None."""
    # "412 HHs": the recogniser reads an unknown abbreviation after a count as a currency.
    counted = span.end < len(doc) and unit_of(doc[span.end], lex) is not None
    if number.ent_type_ in _SKIP_ENTS and not (number.ent_type_ == "MONEY" and counted):
        return f"entity {number.ent_type_}"
    before = doc_text(doc)[max(0, q.core_start - 4):q.core_start]
    text = doc_text(doc)
    if _IDENTIFIER.search(text[max(0, q.core_start - 6):q.core_start]):
        return "a number that names (No. 4, #12, [3])"
    line_start = text.rfind("\n", max(0, q.core_start - 12), q.core_start) + 1
    if (line_start > 0 or q.core_start < 12) and not text[line_start:q.core_start].strip(" \t•-*") and (
            _ENUMERATION.match(text, q.core_end)):
        return "the number of a list item (1. ..., 2- ...)"
    words_before = text[max(0, q.core_start - 8):q.core_start].lower().split()
    if any(c in _CURRENCY for c in before) or (words_before and words_before[-1] in ("rs", "rs.", "php", "us")):
        return "money"  # "Rs 5,000", never the end of a word ("the camp shelters 1,165 families")
    after = doc[span.end:span.end + 2]
    if len(after) and after[0].text in ("%", "-") and (after[0].text == "%" or (
            len(after) > 1 and (word(after[1]) in lex.never or after[1].lower_ in ("year", "old")))):
        return "share or compound modifier"
    if len(after) and after[0].lower_ in ("percent", "per", "pc"):
        return "share"
    if q.year_like:
        return "year"
    if q.value > lex.numbers.max_plausible:
        return "implausibly large"
    return None


def _group(number: Token, lex: Lexicon) -> tuple[Token, Unit | None, str]:
    """The noun the number counts ("2,000 households" -> households) and its unit."""
    doc = number.doc
    nxt = doc[number.i + 1] if number.i + 1 < len(doc) else None
    slash = number.i + 2 < len(doc) and doc[number.i + 2].text in ("/", "(")
    if nxt is not None and slash and number.dep_ == "nummod" and nxt.head.i == number.head.i and nxt.dep_ in (
            "nmod", "compound") and (own := unit_of(nxt, lex)) is not None and unit_of(number.head, lex) not in (
            None, own):
        return nxt, own, ""  # "3,120 households/15,600 people": the parse gives both counts the last noun
    tok = number
    while tok.dep_ in ("quantmod", "nummod", "compound", "nmod", "amod", "appos") and tok.head.i != tok.i:
        head = tok.head
        if head.like_num and tok.dep_ != "appos":
            tok = head
            continue
        if head.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") and tok.dep_ != "appos":
            tok = head
        break
    if tok is not number and word(tok) in lex.count_nouns:
        named = next((p for c in tok.children if c.lower_ == "of" for p in pobjs(c)), None)
        if named is not None:
            tok = named
        elif any(c.dep_ in ("amod", "compound") and triggers_of(c, lex) for c in tok.children):
            return tok, "person", ""  # "the displaced number 45,000" read as a noun phrase
    if tok is not number:
        unit = unit_of(tok, lex)
        if tok.lower_ in lex.triggers:  # "7,924 Households Displaced": the compound says what is counted
            unit = next((u for c in tok.children if c.dep_ == "compound" and (u := unit_of(c, lex))), unit)
        if unit is None and tok.ent_type_ == "NORP" and tok.tag_ in ("NNPS", "NNS"):
            unit = "person"
        if unit is None and (triggers_of(tok, lex) or (tok.pos_ == "PROPN" and tok.lower_.endswith("s"))):
            unit = "person"
        if tok.lower_ == "others":
            unit = unit_before(number, lex) or unit  # "61 houses were burnt while 5 others were damaged"
        if unit is None and tok.dep_ in ("nmod", "compound") and tok.head.pos_ == "NOUN" and (
                head_unit := unit_of(tok.head, lex)):
            return tok.head, head_unit, ""  # "10 erosion affected families": the count is of the families
        if unit is None:
            return tok, None, f"counts '{tok.text}'"
        return tok, unit, ""
    for child in number.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    unit = unit_of(pobj, lex)
                    if unit is None and pobj.lower_ in ("them", "whom", "these", "those"):
                        return number, "person", ""
                    if unit is not None:
                        return number, unit, ""
                    return number, None, f"counts '{pobj.text}'"
    return number, None, ""


def _apposed(group: Token) -> Token | None:
    """The noun phrase a count stands beside as an apposition: up through its "of" phrases, since the
    parser hangs the apposition on the last noun ("the people of the villages of Velmora, 3,000 ...")."""
    if group.dep_ != "appos":
        return None
    top = group.head
    while top.dep_ == "pobj" and top.head.dep_ == "prep" and top.head.lower_ == "of":
        top = top.head.head
    if top.pos_ == "NUM" or any(c.dep_ == "nummod" for c in top.children):
        return None  # "46 deaths, 25 missing, 628,000 relocated": a list of counts, not an apposition
    return top if top.i != group.head.i or top.dep_ in _SUBJ | {"dobj"} else None


def _is_partitive_whole(group: Token, lex: Lexicon) -> bool:
    """'5,000 of the 20,000 residents', 'a quarter of the 40,000 inhabitants': the whole, not a figure."""
    head = group.head
    if group.dep_ != "pobj" or head.lower_ != "of" or head.head.i == group.i:
        return False
    part = head.head
    if not (part.like_num or word(part) in lex.partitive_words):
        return False
    # "half of the 111,000 people displaced": a whole that is itself a displacement figure stays one.
    return not any(c.dep_ in ("acl", "amod", "relcl") and triggers_of(c, lex) for c in group.children)


def _ancestors(tok: Token) -> list[Token]:
    chain = [tok]
    while chain[-1].head.i != chain[-1].i and len(chain) < 40:
        chain.append(chain[-1].head)
    return chain


def _edges(a: Token, b: Token, lex: Lexicon) -> int:
    """Edges between two tokens in the parse tree; light verbs ("rose to", "reached") and count nouns
    ("a maximum of 500 have been evacuated") are free."""
    up_a = _ancestors(a)
    pos_b = {t.i: n for n, t in enumerate(_ancestors(b))}
    for n, t in enumerate(up_a):
        if t.i in pos_b:
            path = up_a[:n] + list(reversed(_ancestors(b)[:pos_b[t.i]])) + [t]
            free = sum(1 for x in path if x.i not in (a.i, b.i)
                       and (word(x) in lex.light_verbs or word(x) in lex.count_nouns))
            # Crossing into a coordinated clause or list item ("12 died and 250 were left homeless",
            # "46 deaths, 628,000 relocated") costs more: coordinated items do not govern each other.
            clauses = sum(1 for x in path if x.dep_ in ("conj", "appos") and x.pos_ != "ADP" and x.i != t.i)
            # A subset ("including 1 million who fled") does not lend its verb to the whole.
            subsets = sum(1 for x in path[1:] if x.lower_ in lex.subset_words)
            # More than one verb between the group and the word means another clause's story
            # ("40 people share a tent, he said, adding that families are displaced").
            inner = [x for x in path if x.i not in (a.i, b.i) and x.pos_ == "VERB" and word(x) not in lex.light_verbs]
            ids = {x.i for x in inner}
            # "forced 1,000 people to stay in shelters": a control verb and its complement are one clause.
            verbs = sum(1 for x in inner if not (x.dep_ in ("xcomp", "advcl") and x.head.i in ids))
            if verbs > 1:
                return 99
            return n + pos_b[t.i] - free + 2 * clauses + 3 * subsets
    return 99


def _count_noun_subject(group: Token, lex: Lexicon) -> Token | None:
    """'The number of returnees is 97,883': the group named by the count noun."""
    head = group.head
    hops = 0
    while (head.pos_ == "ADP" or word(head) in lex.count_nouns) and hops < 4 and head.head.i != head.i:
        head = head.head
        hops += 1
    if word(head) not in lex.light_verbs:
        return None
    for child in head.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and word(child) in lex.count_nouns and child.i != group.i:
            for prep in child.children:
                if prep.lower_ == "of":
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            return pobj
    return None


def _neutralised(neg: Token, sent_triggers: list[tuple[Token, Trigger | None]], lex: Lexicon) -> bool:
    """'remain displaced', 'an evacuation order affects': a trigger qualifies the negative word."""
    if word(neg) not in lex.qualifiable:
        return False
    positives = {tok.i for tok, t in sent_triggers if t is not None}
    for child in neg.children:
        if child.dep_ in ("acomp", "oprd", "xcomp", "attr", "prep", "nsubj", "advmod", "ccomp"):
            if any(t.i in positives for t in child.subtree):
                return True
    return False


def _classify(
    q: QuantityMention,
    span: Span,
    number: Token,
    sent: Span,
    sent_triggers: list[tuple[Token, Trigger | None]],
    lex: Lexicon,
) -> FigureMention | None:
    doc = number.doc
    if _not_a_count(q, span, number, doc, lex):
        return None
    group, unit, why = _group(number, lex)
    if why:
        return None
    if group is number and number.lower_ == "one":
        return None  # "let one in", "no one was hurt": a pronoun, not a count
    if word(group) in lex.never or (number.ent_type_ == "DATE" and unit is None):
        return None
    if word(group) in lex.container_words and any(
            t.like_num and t.i != number.i and unit_of(t.head, lex) == "dwelling"
            for c in group.children if c.dep_ in ("acl", "relcl", "prep") for t in c.subtree):
        return None  # "2,100 buildings containing 9,400 flats": the flats are the homes
    if _is_partitive_whole(group, lex):
        return None
    if q.vague and vague_aside(group):
        return None
    starts = [group] if group is number else [group, number]
    if group.dep_ == "conj" and group is not number and (
            unit_of(group.head, lex) is not None or group.head.dep_ in _SUBJ):
        starts.append(group.head)  # "319 families or 1,170 individuals are staying...": a shared predicate
    if group.dep_ == "pobj" and group.head.lower_ == "with" and group.head.head.lower_ in ("along", "together"):
        starts.append(group.head.head)  # "Pavitra, along with 180 other villagers, are living in shelters"
    named = _count_noun_subject(group, lex)
    if named is not None:
        starts.append(named)
        unit = unit or unit_of(named, lex)
    whole = _apposed(group)
    if whole is not None:
        starts.append(whole)  # "the population of the 50 villages, roughly 30,000 people, were displaced"
    best: tuple[tuple[int, int, int], Token, Trigger | None] | None = None
    for tok, trig in sent_triggers:
        if trig is not None and trig.unit == "dwelling" and unit == "person":
            continue
        if trig is not None and trig.as_ == "person" and tok.i != group.i and unit == "dwelling":
            continue
        if trig is not None and trig.as_ == "place" and tok.i == group.i:
            if unit == "dwelling":
                return None  # "moved to 977 shelters": places are counted, not people or homes
            continue  # "rations distributed in 300 families": the families are counted, not a place to stay
        if trig is None and tok.i in span_ids(span):
            continue
        if trig is None and whole is not None and tok.i == whole.i:
            continue  # the noun the count stands beside is the group itself, not a rival ("population")
        if trig is not None and trig.object and group.head.i == tok.i and word(group) in trig.object:
            continue  # "left 3,000 homes without power": the homes are counted, not left behind
        if trig is None and _neutralised(tok, sent_triggers, lex):
            continue
        if trig is None and word(tok) in lex.qualifiable and tok.head.i == group.i and tok.i != group.i:
            continue  # "people living along the coast": a weak word describing the group, not governing it
        if trig is not None and trig.as_ == "verb" and _someone_else_moves(tok, starts):
            continue
        d = min(_edges(s, tok, lex) if s.i != tok.i else 0 for s in starts)
        if named is not None and tok.i == named.i:
            d = 0
        if d > _MAX_EDGES:
            continue
        # Ties: "killed" beats a displacement word (a count governed as closely by a death is not
        # a figure), which beats a weak negative such as "living" or "assist"; then the nearer word.
        strength = 1 if trig is not None else (2 if word(tok) in lex.qualifiable else 0)
        rank = (d, strength, abs(tok.i - group.i))
        if best is None or rank < best[0]:
            best = (rank, tok, trig)
    if best is None:
        return None
    (d, _, _), tok, trig = best
    if trig is None:
        return None
    if trig.as_ == "noun" and tok.dep_ in ("dobj", "nsubjpass") and word(tok.head) in lex.preventing_verbs:
        return None  # "the court halted the eviction of 300 families": it did not happen
    if unit is None:
        if group is not number or d > 3 or (d == 3 and number.dep_ not in _SUBJ | {"dobj", "attr"}):
            return None  # a bare number needs its verb close by: "250 were left homeless"
        unit = trig.unit or "person"
    if unit == "dwelling" and trig.as_ in ("person", "place", "adj") and trig.unit != "dwelling":
        return None
    if (trig.as_ == "person" and tok.i == group.i) or (tok.head.i == group.i and tok.dep_ in ("amod", "compound")):
        # "150 displaced households went back": the predicate says what happened, not the modifier.
        tok, trig = _governing_movement(group, sent_triggers, lex) or _placed(group, sent_triggers, lex) or (tok, trig)
    if trig.as_ == "verb" and word(tok) in lex.placement_verbs:
        trig = _named_place(tok, sent_triggers) or trig
    term, cross = trig.term, trig.cross_border
    if term == "destroyed_housing" and any(c.dep_ == "advmod" and c.lower_ in lex.partial_words for c in tok.children):
        term = "partially_destroyed_housing"  # "5 others were partially burned"
    if trig.as_ == "verb" and trig.term == "forced_to_flee" and _goes_abroad(tok, lex):
        term, cross = "refugee", True
    if trig.as_ == "verb" and term == "sheltered" and _goes_abroad(tok, lex, ("in", "into", "to", "across")):
        term, cross = "refugee", True  # "took refuge in neighbouring Uganda": sheltered abroad are refugees
    confidence = round(max(0.35, 0.95 - 0.12 * max(0, d - 1)), 2)
    reason = f"'{group.text}' {d} edge(s) from '{tok.text}' ({trig.as_} -> {term})"
    hedge = _hedged(tok, lex)
    if hedge:
        # A projection ("could be displaced") is flagged and ranked low, so that an analyst who
        # counts what happened can drop it, and one who tracks risk can keep it.
        confidence = min(confidence, 0.45)
        reason += f"; hedged by '{hedge}'"
    return FigureMention(
        quantity=q, number=number, group=group, trigger=tok, sent=sent, unit=unit, term=term,
        kind="stock" if unit == "person" and _in_state(tok, lex) else trig.kind, cross_border=cross,
        confidence=confidence, reason=reason, projection=bool(hedge),
    )


def _someone_else_moves(verb: Token, starts: list[Token]) -> bool:
    """ "Thousands turned out as the leader arrived": the verb of an adverbial clause has a subject of
    its own and the group is no part of that clause, so it says nothing of the group."""
    if verb.dep_ != "advcl":
        return False  # "families whose houses were destroyed": the group's own clause
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")
           and c.lower_ not in ("who", "that", "which") and c.tag_ not in ("WDT", "WP")]
    if not own:
        return False
    inside = {t.i for t in verb.subtree}
    return not any(s.i in inside for s in starts)


def _governing_movement(
    group: Token, sent_triggers: list[tuple[Token, Trigger | None]], lex: Lexicon
) -> tuple[Token, Trigger] | None:
    """'relocated 2,300 refugees', '5,000 IDPs returned': the verb says what happened to the group."""
    head = group.head
    if group.dep_ not in _SUBJ | {"dobj"}:
        return None
    verbs = {v.i for v in (head, *head.conjuncts) if word(v) in lex.status_verbs}  # "left the camps and returned"
    found = [(tok, t) for tok, t in sent_triggers if tok.i in verbs and t is not None and t.as_ == "verb"]
    return found[-1] if found else None


def _in_state(tok: Token, lex: Lexicon) -> bool:
    """'remain displaced', 'are still displaced': the trigger says where people are, not that they moved."""
    if any(c.dep_ in ("advmod", "aux", "auxpass") and word(c) in lex.state_words for c in tok.children):
        return True
    return tok.dep_ in ("acomp", "oprd", "xcomp", "advcl") and word(tok.head) in lex.state_words


def _placed(group: Token, sent_triggers: list[tuple[Token, Trigger | None]],
            lex: Lexicon) -> tuple[Token, Trigger] | None:
    """ "14,000 displaced people are living in camps": where displaced people stay says which
    displacement they are in; a school, church or hall that houses them is a collective site."""
    verb = group.head
    if group.dep_ not in _SUBJ or word(verb) not in lex.placement_verbs:
        return None
    named = _named_place(verb, sent_triggers)
    if named is not None:
        return verb, named
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "at", "inside"):
            for pobj in pobjs(prep):
                if word(pobj) in lex.collective_sites:
                    site = next((t for t in lex.triggers.get("camp", []) if t.as_ == "place"), None)
                    return (verb, site) if site is not None else None
    return None


def _named_place(verb: Token, sent_triggers: list[tuple[Token, Trigger | None]]) -> Trigger | None:
    """The place trigger a placement verb leads to: 'took refuge in 300 relief camps'."""
    places = {tok.i: t for tok, t in sent_triggers if t is not None and t.as_ == "place" and t.lemma != "refuge"}
    for child in verb.children:
        if (child.dep_ == "prep" and child.lower_ in ("in", "at", "inside", "within")) or (
            child.dep_ == "dobj" and word(child) in ("refuge", "shelter")
        ):
            for pobj in pobjs(child) if child.dep_ == "prep" else [p for c in child.children for p in pobjs(c)]:
                found = places.get(pobj.i) or next(
                    (places[c.i] for c in pobj.children if c.dep_ == "conj" and c.i in places), None
                )
                if found is not None:
                    return found
    return None


def _hedged(trigger: Token, lex: Lexicon) -> str | None:
    """'are expected to flee', 'could be displaced', 'at risk of eviction': a projection."""
    tok: Token | None = trigger
    for _ in range(3):
        if tok is None:
            return None
        auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
        perfect = any(c.lower_ in ("have", "'ve") for c in auxes)  # "may have been destroyed": an estimate
        for child in auxes:
            if child.lower_ in lex.hedges and not perfect:
                return child.text
        if word(tok) in lex.hedges and tok is not trigger:
            return tok.text
        if tok.dep_ not in ("xcomp", "pcomp", "pobj", "prep", "acomp", "ccomp") or tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def span_ids(span: Span) -> range:
    """Token indices of a span (a cheap membership test)."""
    return range(span.start, span.end)


def _goes_abroad(verb: Token, lex: Lexicon, preps: tuple[str, ...] = ("into", "to", "across", "over")) -> bool:
    """'fled into Cameroon', 'fled across the border': flight that crosses a border."""
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ in lex.abroad_words:
            return True
        if child.dep_ == "prep" and child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                if word(pobj) in lex.abroad_words or pobj.lower_ in lex.abroad_words or pobj.lower_ in lex.countries:
                    return True
    return False


def internal_refugees(m: FigureMention, lex: Lexicon) -> FigureMention:
    """In a disaster report, "refugees" of a flood or a storm are people displaced at home: news in
    several countries' English calls evacuees refugees. They stay refugees when the sentence crosses
    a border (a verb of crossing, "border", "abroad")."""
    if m.term != "refugee" or m.trigger.pos_ == "VERB":
        return m
    if any(t.lower_ in lex.abroad_words or word(t) in lex.abroad_words for t in m.sent):
        return m
    return replace(m, term="displaced", cross_border=False)
