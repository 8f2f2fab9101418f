"""spaCy components registered under ``uprooted.*`` names.

``uprooted.block_boundaries`` runs before the parser and starts a sentence after every blank
line, so a headline or photo caption never fuses with the paragraph after it. A single line
break is left to the parser: wrapped text breaks lines inside sentences.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["block_boundaries"]


@Language.component("uprooted.block_boundaries", assigns=["token.is_sent_start"])
def block_boundaries(doc: Doc) -> Doc:
    """Start a sentence after any whitespace run holding two line breaks."""
    for i in range(len(doc) - 1):
        tok = doc[i]
        gap = (tok.text if tok.is_space else "") + tok.whitespace_
        if gap.count("\n") >= 2 and not doc[i + 1].is_space:
            doc[i + 1].is_sent_start = True
        elif tok.is_space and tok.text.count("\n") >= 2:
            doc[i + 1].is_sent_start = True
    return doc
