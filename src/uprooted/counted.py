"""What a count counts, where the parse alone is not enough: the unit of a word, "others" after an
earlier count, a vague count that only compares ("like thousands of others") or that an exact one
glosses.

Part of the figures stage; helpers of ``figures``, which decides what is a displacement figure.
"""

from __future__ import annotations

from spacy.tokens import Token

from .lexicon import Lexicon
from .records import Unit

__all__ = ["unit_before", "unit_of", "vague_aside", "word"]


def word(tok: Token) -> str:
    """The lemma, lower-cased: what the vocabularies list."""
    return tok.lemma_.lower()


def unit_of(tok: Token, lex: Lexicon) -> Unit | None:
    """The unit a noun counts (person, household, dwelling), by its form or its lemma."""
    return lex.unit_of.get(tok.lower_) or lex.unit_of.get(word(tok))


def unit_before(number: Token, lex: Lexicon) -> Unit | None:
    """The unit of the count before ``number`` in its sentence: what "others" are others of."""
    for tok in reversed(number.doc[number.sent.start:number.i]):
        if tok.like_num and tok.head.i != tok.i and tok.dep_ in ("nummod", "quantmod", "compound"):
            return unit_of(tok.head, lex)
    return None


def vague_aside(group: Token) -> bool:
    """ "Like thousands of others who fled" compares, and "Hundreds of families - more than 2,000
    people - fled" glosses the vague count with an exact one: neither vague count is a figure."""
    holder = group if group.head.lower_ != "of" else group.head.head  # "thousands of IDPs": the number heads
    if holder.head.lower_ in ("like", "unlike") and holder.dep_ == "pobj":
        return True
    return any(c.dep_ == "appos" and any(t.like_num and not t.is_alpha for t in c.subtree)
               for t in (group, holder) for c in t.children)
