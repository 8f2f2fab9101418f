"""spaCy components registered under ``uprooted_*`` names (spaCy forbids dots in factory names).

``uprooted_block_boundaries`` runs after the tagger and before the parser. It starts a sentence
after every blank line, so a headline or photo caption never fuses with the paragraph after it, and
after a single line break when the next line opens with a capital or a bullet and the line before
did not stop on a word that needs a continuation ("of", "the", ","): scraped pages put headlines and
list items on lines of their own, while wrapped text breaks inside phrases (a document's short first
line is its headline, whatever its case). It never starts one at a
lower-case word that follows a word or a number on its line ("2,460 people displaced" in a key-figure
box, which the parser cuts after the count), and starts one at a capitalised function word pasted
after a lower-case word or a count with no stop between (key figures run together).
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
    text = doc.text
    for i in range(len(doc) - 1):
        tok = doc[i]
        gap = (tok.text if tok.is_space else "") + tok.whitespace_
        nxt = doc[i + 1]
        if not tok.is_space:
            prev_word = tok
        if nxt.is_space:
            continue
        if "\n" not in gap:
            # "2,460 people displaced": a lower-case word straight after a number or a word on the
            # same line continues the sentence (the parser otherwise cuts after a bare count).
            if nxt.text[:1].islower() and not tok.is_space and not tok.is_punct:
                nxt.is_sent_start = False
            elif _run_on(tok, nxt):
                nxt.is_sent_start = True
            continue
        if gap.count("\n") >= 2:
            nxt.is_sent_start = True
            continue
        opens = nxt.text[:1].isupper() or nxt.text[:1] in _BULLETS or nxt.text[:1] in "\"“'"
        if opens and (prev_word is None or prev_word.tag_ not in _CONTINUES) and _ends_a_block(text, nxt):
            nxt.is_sent_start = True
    return doc


_NO_BREAK_AFTER = frozenset({"IN", "DT", "TO", "CC", "POS", "PRP$", "HYPH", "WDT"})


def _run_on(tok: Token, nxt: Token) -> bool:
    """Key figures pasted without stops ("... 39,627 families) The number of victims rose to 53 ...
    still displaced In Bekasi City ..."): a capitalised function word after a lower-case word, a
    number or a closing bracket opens a new sentence."""
    if not (nxt.is_title and nxt.is_stop) or nxt.text == "I":
        return False
    if tok.tag_ in _NO_BREAK_AFTER or tok.is_space:
        return False
    return (tok.is_lower and tok.is_alpha) or tok.like_num or tok.text == ")"


def _ends_a_block(text: str, nxt: Token) -> bool:
    """A line ends a block when it ends a sentence, is a headline (mostly capitalised words) or a
    bullet, or the next line is a bullet; prose wrapped inside a sentence is none of these."""
    end = text.rfind("\n", 0, nxt.idx)
    line = text[text.rfind("\n", 0, end) + 1:end].strip()
    if not line or nxt.text[:1] in _BULLETS or line[:1] in _BULLETS:
        return True
    if line[-1] in ".!?:;\"”'’)":
        return True
    if not text[:end].strip().count("\n") and len(line.split()) <= 20:
        return True  # the first line of a document is its headline, in sentence case or not
    words = [w for w in line.split() if w[:1].isalpha()]
    return bool(words) and sum(w[:1].isupper() for w in words) >= 0.6 * len(words)
