"""Small text helpers shared by the stages: the text of a parsed document, its paragraphs, and
regular-expression alternations compiled from vocabularies."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc

__all__ = ["alternation", "doc_text", "paragraph_bounds"]


def alternation(words: Iterable[str], *, flexible_spaces: bool = False) -> str:
    """A regex alternation of ``words``, escaped and longest first, so "the end of" beats "end";
    ``flexible_spaces`` lets a space in a phrase match any run of white space."""
    items = {re.escape(w) for w in words}
    if flexible_spaces:
        items = {i.replace(r"\ ", r"\s+") for i in items}
    return "|".join(sorted(items, key=len, reverse=True))


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document: spaCy rebuilds it from every token on each access."""
    text = doc.user_data.get("uprooted.text")
    if text is None:
        text = doc.user_data["uprooted.text"] = doc.text
    return str(text)


def paragraph_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character bounds of the paragraphs: blank-line blocks, or lines when the text has no blank line
    (pages flattened to one paragraph a line). Cached on the ``Doc``; the sources stage uses it too."""
    cached = doc.user_data.get("uprooted.paragraphs")
    if cached is not None:
        return list(cached)
    text = doc_text(doc)
    sep = r"\n\s*\n" if re.search(r"\n\s*\n", text) else r"\n"
    bounds, pos = [], 0
    for m in re.finditer(sep, text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    bounds = [(s, e) for s, e in bounds if text[s:e].strip()]
    doc.user_data["uprooted.paragraphs"] = bounds
    return bounds
