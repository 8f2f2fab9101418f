"""Stage 3, figures: which words of a sentence say that a group was displaced, and which speak against it.

The figures stage links each count to the nearest of these; a word fits only in the grammatical role
its vocabulary entry names (``terms.yaml``: a verb with its object or preposition, an event noun, a
noun that is the group itself, an adjective, a place to stay), so that a tagger's slips are caught here
once and not in every rule that reads a trigger.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from .counted import word
from .lexicon import Lexicon, Trigger

__all__ = ["pobjs", "sentence_triggers", "triggers_of"]


def sentence_triggers(sent: Span, lex: Lexicon) -> list[tuple[Token, Trigger | None]]:
    """(token, trigger) for each displacement word; (token, None) for each negative word."""
    found: list[tuple[Token, Trigger | None]] = []
    for tok in sent:
        trig = triggers_of(tok, lex)
        if trig:
            found.extend((tok, t) for t in trig)
        elif word(tok) in lex.negatives or tok.lower_ in lex.negatives:
            found.append((tok, None))
        elif word(tok) in lex.population_frames and any(
            c.dep_ == "prep" and c.lower_ in lex.population_frames[word(tok)] for c in tok.children
        ):
            found.append((tok, None))  # "home to 3 million people": a population
    return found


def triggers_of(tok: Token, lex: Lexicon) -> list[Trigger]:
    cands = lex.triggers.get(word(tok)) or lex.triggers.get(tok.lower_)
    if not cands:
        return []
    return [t for t in cands if _fits(tok, t)]


def _fits(tok: Token, t: Trigger) -> bool:
    pos = tok.pos_
    if t.as_ == "verb":
        if pos in ("VERB", "AUX"):
            ok = True
        else:
            ok = pos in ("ADJ", "PROPN", "NOUN") and tok.lower_ != t.lemma and tok.tag_ in ("VBN", "VBD", "JJ", "NNP")
            # "The camp shelters 1,165 families": a "noun" with a direct object is a verb mistagged, and
            # so is a headline's "noun" with a subject ("200 displaced families return to Velmora").
            ok = ok or (pos == "NOUN" and any(c.dep_ == "dobj" for c in tok.children))
            ok = ok or (pos == "NOUN" and tok.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in tok.children))
            # "The camp shelters about 1,165 families": "about" read as a preposition of a noun, though
            # the recogniser counts it into the number.
            ok = ok or (pos == "NOUN" and tok.dep_ == "ROOT" and any(
                c.dep_ == "prep" and c.ent_type_ in ("CARDINAL", "QUANTITY") for c in tok.children))
        return ok and _conditions(tok, t)
    if t.as_ in ("person", "noun"):
        if pos not in ("NOUN", "PROPN"):
            return False
        if t.compound:
            return any(c.dep_ in ("compound", "amod") and word(c) in t.compound for c in tok.children)
        return True
    if t.as_ == "adj":
        return pos in ("ADJ", "VERB", "NOUN", "PROPN")
    if pos not in ("NOUN", "PROPN"):
        return False
    if t.compound and any(c.dep_ in ("compound", "amod") and word(c) in t.compound for c in tok.children):
        return True
    if t.lemma == "refuge":
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at", "to", "into", "inside", "from")


def _conditions(tok: Token, t: Trigger) -> bool:
    if not (t.object or t.prep):
        return True
    for child in tok.children:
        if t.object and child.dep_ in ("dobj", "nsubjpass", "pobj") and word(child) in t.object:
            return True
        named_place = child.ent_type_ in ("GPE", "LOC", "FAC") or child.pos_ == "PROPN"
        if t.object_places and child.dep_ == "dobj" and named_place:
            return True
        if t.prep and child.dep_ in ("prep", "dative", "advmod", "prt") and child.lower_ in t.prep:
            if not t.pobj:
                return True
            if any(g.dep_ == "pobj" and word(g) in t.pobj for g in child.children):
                return True
        if t.object and child.dep_ == "prep" and child.lower_ in ("from", "out"):
            if any(word(g) in t.object for g in pobjs(child)):
                return True
        if t.prep and t.pobj and child.dep_ == "prep" and child.lower_ == "out" and "out" in t.prep:
            if any(word(g) in t.pobj for g in pobjs(child)):
                return True
    return False


def pobjs(prep: Token) -> list[Token]:
    """Objects of a preposition, through "out of" and "away from"."""
    found = []
    for g in prep.children:
        if g.dep_ == "pobj":
            found.append(g)
        elif g.dep_ == "prep":
            found.extend(x for x in g.children if x.dep_ == "pobj")
    return found
