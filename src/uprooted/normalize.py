"""Stage 1b, normalise: mend the damage that PDF and web extraction leave in text, keeping offsets.

Reports copied out of PDFs lose spaces at line ends ("familieswere moved", "nearly12,500"),
keep hyphens of broken lines ("tempo-rary") and pad words with runs of spaces. The parser reads
such text badly, so this stage rewrites it and returns a map from every character of the new
text to its position in the original: records always point into the document as given.
Only joins and splits where both sides are English words are made (the word list is the one
the spaCy pipeline's lemmatizer ships), so ordinary text passes through unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Normalized", "WordLists", "normalize"]

_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]{2,}|[\t\u00a0\u2009\u202f]")
_HYPHENATED = re.compile(r"\b([a-z]{2,})-([a-z]{2,})\b")
_LETTER_DIGIT = re.compile(
    r"(?<=[a-z]{2})(?=\d{1,3}(?:,\d{3})+\b|\d{3,}\b|\d+(?:\.\d+)?\s?(?:million|billion|thousand)\b)"
)
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z]{3,}\b)")
_COMMA_DIGIT = re.compile(r"(?<=[a-z]),(?=\d)")
# Fused words are two or three words long; a longer run of letters is no text to mend, and trying
# every cut of it would take time quadratic in its length.
_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{5,60}(?![A-Za-z])")
# NULs and other control characters (a UTF-16 file read byte by byte, a bad copy): deleted, so
# "5,0\x0000 fled" is one count; tab, newlines and form feed are layout and stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CAMEL = re.compile(r"(?<=[a-z]{2})(?=[A-Z])|(?<=[A-Z]{2})(?=[a-z]{3,})")


@dataclass(frozen=True, slots=True)
class WordLists:
    """English words: ``known`` (any form the pipeline has seen), ``dictionary`` (real words only,
    for judging a fragment), ``glue`` (function words PDF extraction fuses onto neighbours)."""

    known: frozenset[str]
    dictionary: frozenset[str]
    glue: frozenset[str]
    mojibake: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Normalized:
    """Mended text and, for each of its characters, the offset in the original text."""

    text: str
    offsets: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the mended text back to the original."""
        if not self.offsets:
            return start, end
        end = max(end, start + 1)
        return self.offsets[min(start, len(self.offsets) - 1)], self.offsets[min(end, len(self.offsets)) - 1] + 1


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offsets: list[int] = []

    def add(self, text: str, origin: int) -> None:
        self.parts.append(text)
        self.offsets.extend(range(origin, origin + len(text)))

    def insert(self, text: str, at: int) -> None:
        self.parts.append(text)
        self.offsets.extend([at] * len(text))


def _edits(text: str, words: WordLists) -> list[tuple[int, int, str]]:
    """(start, end, replacement) edits on the original text, left to right, not overlapping."""
    known, glue = words.known, words.glue
    edits: list[tuple[int, int, str]] = []
    for bad, good in words.mojibake.items():
        start = text.find(bad)
        while start != -1:
            edits.append((start, start + len(bad), good))
            start = text.find(bad, start + len(bad))
    for m in _SPACES.finditer(text):
        edits.append((m.start(), m.end(), " "))
    for m in _HYPHENATED.finditer(text):
        left, right = m[1], m[2]
        if (left + right) in known and not (left in known and right in known):
            edits.append((m.start(2) - 1, m.start(2), ""))
    for rx in (_LETTER_DIGIT, _DIGIT_LETTER):
        for m in rx.finditer(text):
            edits.append((m.start(), m.start(), " "))
    for m in _COMMA_DIGIT.finditer(text):
        edits.append((m.end(), m.end(), " "))
    ligatures = _ligatures(text, words.dictionary)
    damage = len(edits) - sum(1 for m in _SPACES.finditer(text))
    compounds: list[tuple[int, int, str]] = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word.lower() in known:
            continue
        cuts, glued = _splits(word, known, glue)
        target = edits if glued else compounds
        target.extend((m.start() + cut, m.start() + cut, " ") for cut in cuts)
        damage += bool(glued and cuts)
    edits.extend((m.start(), m.end(), "") for m in _CONTROL.finditer(text))
    if damage >= 2:
        # Two content words fused ("Iraqiarmy") are split only in text damaged elsewhere: in clean
        # text an unknown word is more likely a compound the word list lacks ("airstrikes").
        edits.extend(compounds)
    # Ligature repairs first: where they overlap a respacing, the repair carries the space too.
    edits = ligatures + sorted(edits, key=lambda e: (e[0], e[1]))
    edits.sort(key=lambda e: (e[0], e[1]))
    kept: list[tuple[int, int, str]] = []
    last = -1
    for e in edits:
        if e[0] >= last:
            kept.append(e)
            last = max(e[1], e[0] + (1 if e[1] > e[0] else 0))
    return kept


_LOWER_WORD = re.compile(r"[a-z]+")
_LIGATURE_LETTERS = ("fl", "fi", "ff", "ffi", "ffl")


def _ligatures(text: str, dictionary: frozenset[str]) -> list[tuple[int, int, str]]:
    """PDF ligatures lost in copying leave a gap: "a  ood warning" (flood), "o cials" (officials)."""
    edits: list[tuple[int, int, str]] = []
    prev: re.Match[str] | None = None
    for word in _LOWER_WORD.finditer(text):
        before, prev = prev, word
        right = word.group(0)
        if len(right) < 2 or (right in dictionary and len(right) > 2):
            continue
        if before is not None and text[before.end():word.start()] == " ":
            lig = next((lg for lg in _LIGATURE_LETTERS if before.group(0) + lg + right in dictionary), None)
            if lig is not None:
                edits.append((before.end(), word.start(), lig))
                continue
        if text[max(0, word.start() - 2):word.start()] == "  ":
            lig = next((lg for lg in _LIGATURE_LETTERS if lg + right in dictionary), None)
            if lig is not None:
                edits.append((word.start() - 2, word.start(), " " + lig))
    return edits


def _splits(word: str, known: frozenset[str], glue: frozenset[str]) -> tuple[list[int], bool]:
    """Cut points that turn a fused token into known words, and whether the evidence is strong
    (a case change or a function word on one side) rather than two content words side by side."""
    camel = []
    for m in _CAMEL.finditer(word):
        cut = m.start()
        left, right = word[:cut], word[cut:]
        if (left[-1].islower() and (len(left) >= 3 or left.lower() in glue) and left.lower() in known) or (
            right[0].islower() and right.lower() in known
        ):
            camel.append(cut)
    if camel:
        return camel, True
    low = word.lower()
    if word[0].isupper():
        # A capitalised word is most likely a name the list lacks ("Tarnick", "Ostrel"): only a long
        # function word glued to its end ("Velmorabetween") is split off.
        return _glued_tail(low, known, glue)
    best: int | None = None
    best_glued = False
    for i in range(2, len(low) - 1):
        left, right = low[:i], low[i:]
        if left not in known or right not in known:
            continue
        glued = left in glue or right in glue
        if glued or (len(left) >= 4 and len(right) >= 4):
            better = best is None or (glued and not best_glued) or (
                glued == best_glued and abs(len(low) / 2 - i) < abs(len(low) / 2 - best)
            )
            if better:
                best, best_glued = i, glued
    return ([best] if best is not None else []), best_glued


def _glued_tail(low: str, known: frozenset[str], glue: frozenset[str]) -> tuple[list[int], bool]:
    for i in range(3, len(low) - 2):
        if low[i:] in glue and len(low) - i >= 4 and low[:i] in known:
            return [i], True
    return [], False


def normalize(text: str, words: WordLists) -> Normalized:
    """Mend spacing, broken hyphenation and fused words; identity (no copy) when nothing changes."""
    edits = _edits(text, words)
    if not edits:
        return Normalized(text, [])
    out = _Builder()
    pos = 0
    for start, end, repl in edits:
        out.add(text[pos:start], pos)
        if repl:
            if end > start:
                out.add(repl[: end - start], start) if len(repl) <= end - start else out.insert(repl, start)
            else:
                out.insert(repl, start)
        pos = end
    out.add(text[pos:], pos)
    return Normalized("".join(out.parts), out.offsets)
