"""spaCy components registered under ``uprooted_*`` names (spaCy forbids dots in factory names).

``uprooted_block_boundaries`` runs after the tagger and before the parser. It starts a sentence
after every blank line, so a headline or photo caption never fuses with the paragraph after it,
and after a single line break when the next line opens with a capital or a bullet and the line
before did not stop on a word that needs a continuation ("of", "the", ","): scraped pages put
headlines and list items on lines of their own, while wrapped text breaks inside phrases.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

__all__ = ["block_boundaries"]

_CONTINUES = frozenset({"DT", "IN", "CC", "TO", "PRP$", "POS", ",", "HYPH", "CD"})
_BULLETS = frozenset("-•*–—·")


@Language.component("uprooted_block_boundaries", assigns=["token.is_sent_start"])
def block_boundaries(doc: Doc) -> Doc:
    """Mark sentence starts at blank lines and at line breaks that open a new block."""
    prev_word: Token | None = None
    for i in range(len(doc) - 1):
        tok = doc[i]
        gap = (tok.text if tok.is_space else "") + tok.whitespace_
        nxt = doc[i + 1]
        if not tok.is_space:
            prev_word = tok
        if nxt.is_space or "\n" not in gap:
            continue
        if gap.count("\n") >= 2 or ((nxt.text[:1].isupper() or nxt.text[:1] in _BULLETS or nxt.text[:1] in "\"“'") and (
            prev_word is None or prev_word.tag_ not in _CONTINUES
        )):
            nxt.is_sent_start = True
    return doc
