"""Stage 0, gate: which documents, and which sentences in them, the parser must read.

Takes: a document's title and text (before normalisation), and the vocabularies that define a
figure (``terms.yaml`` triggers, ``numbers.yaml``, ``relevance_keywords.yaml``).
Returns: ``GateVerdict``: whether the document passes, and the character spans of its candidate
sentences, those with a displacement cue and a number.
Leaves to others: the category and ``relevant`` flag (the classifier), figures, places, events.

A figure needs a count and a word that says the counted group moved, so a sentence with neither
cannot hold one. The scan is a regular expression over rough sentences (cut at stops and line
breaks): thousands of documents a second, against some twenty for the parse. It errs broad: a
trigger lemma counts in every inflection (irregular forms from the spaCy lemmatizer's tables), and
one whose rule needs an object or a preposition ("left their homes", "went back") counts when one of
those words is in the same sentence. A document it passes is only parsed; one it rejects loses its
figures, so its recall on labelled displacement documents is what ``scripts/gate_recall.py`` checks.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .lexicon import Lexicon, Trigger
from .normalize import Normalized

__all__ = ["Gate", "GateVerdict", "build_gate", "focus", "kept_spans"]

# Rough sentence ends: a stop before a space, or any line break (headlines, list items and key-figure
# boxes stand on lines of their own). Over-cutting is made up for by the neighbour rule of
# ``Gate.verdict``.
_ROUGH_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n\s*")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_DIGIT = re.compile(r"\d")
_CUT = "\n\n"
# The longest line read as an item of a breakdown list after a candidate.
_LIST_ITEM = 80
# How many words may stand between a trigger and the object or preposition its rule needs, and
# between a compound word and the trigger it comes before.
_AFTER = 5
_BEFORE = 2
# How many words from a common trigger ("returned", "arrived", "damage") a unit word may stand.
_UNIT = 8


@dataclass(frozen=True, slots=True)
class GateVerdict:
    """Whether a document reports displacement by the cheap scan, and where."""

    passes: bool
    candidates: tuple[tuple[int, int], ...]  # [start, end) of candidate sentences in the scanned text


@dataclass(frozen=True)
class Gate:
    """The compiled scan; build it with ``build_gate`` (once, in the loader)."""

    stems: re.Pattern[str]  # relevance cues: stems and phrases, anchored at a word start
    plain: frozenset[str]  # trigger forms that are cues wherever they stand (the counted groups: "refugees")
    with_unit: frozenset[str]  # trigger forms that are cues beside a unit word ("returned" near "families")
    units: frozenset[str]  # what a figure counts (units.yaml): people, families, homes
    after: Mapping[str, frozenset[str]]  # trigger form -> words one of which must follow it closely
    before: Mapping[str, frozenset[str]]  # trigger form -> words one of which must come just before
    numbers: frozenset[str]  # number words ("two", "hundreds", "dozens")

    def _cue_spans(self, text: str) -> list[int]:
        """Start offsets of every displacement cue in ``text``."""
        found = [m.start() for m in self.stems.finditer(text)]
        words = [(m.start(), m.group().lower()) for m in _WORD.finditer(text)]
        lowered = [w for _, w in words]
        for i, (start, word) in enumerate(words):
            if word in self.plain:
                found.append(start)
                continue
            if word in self.with_unit and not self.units.isdisjoint(lowered[max(0, i - _UNIT):i + _UNIT + 1]):
                found.append(start)
                continue
            after, before = self.after.get(word), self.before.get(word)
            if (after and not after.isdisjoint(lowered[i + 1:i + 1 + _AFTER])) or (
                    before and not before.isdisjoint(lowered[max(0, i - _BEFORE):i])):
                found.append(start)
        return found

    def has_number(self, sentence: str) -> bool:
        """A count in ``sentence``: digits or a number word ("two", "hundreds", "dozens")."""
        if _DIGIT.search(sentence):
            return True
        return any(m.group().lower() in self.numbers for m in _WORD.finditer(sentence))

    def counted(self, text: str) -> list[tuple[int, int]]:
        """The rough sentences of ``text`` with a count: where a figure can be when the classifier,
        not a cue word, called the document relevant."""
        return [(s, e) for s, e in _rough_sentences(text) if self.has_number(text[s:e])]

    def verdict(self, title: str | None, text: str) -> GateVerdict:
        """Candidate sentences of ``text`` (a cue and a number together, or a cue next to a sentence
        with a number: "Thousands fled.\\n\\nSome 4,000 of them..."), and whether the title or any
        sentence passes."""
        cues = self._cue_spans(text)
        titled = bool(title) and bool(self._cue_spans(title or "")) and self.has_number(title or "")
        if not cues:
            return GateVerdict(passes=titled, candidates=())
        pieces = _rough_sentences(text)
        starts = [s for s, _ in pieces]
        found: set[tuple[int, int]] = set()
        for n in sorted({bisect_right(starts, at) - 1 for at in cues}):
            if n < 0:
                continue
            span = pieces[n]
            if self.has_number(text[span[0]:span[1]]):
                found.add(span)
                continue
            for m in (n - 1, n + 1):
                if 0 <= m < len(pieces) and self.has_number(text[pieces[m][0]:pieces[m][1]]):
                    found |= {span, pieces[m]}
                    break
        return GateVerdict(passes=bool(found) or titled, candidates=tuple(sorted(found)))


def kept_spans(text: str, candidates: Iterable[tuple[int, int]], neighbours: int, lead: int) -> list[tuple[int, int]]:
    """The rough sentences to parse: the candidates, ``neighbours`` on each side of each (a source
    named in the next sentence, a date in the one before), the list items with counts that follow
    one (a breakdown under a heading: "Punjab - 6,100"), and the first ``lead`` of the text (its
    dateline and opening), merged and in order."""
    pieces = _rough_sentences(text)
    starts = [s for s, _ in pieces]
    chosen = set(range(min(lead, len(pieces))))
    for start, _ in candidates:
        n = bisect_right(starts, start) - 1
        last = min(len(pieces), n + neighbours + 1)
        while last < len(pieces) and _is_list_item(text[pieces[last][0]:pieces[last][1]]):
            last += 1
        chosen.update(range(max(0, n - neighbours), last))
    return [pieces[n] for n in sorted(chosen)]


def _is_list_item(piece: str) -> bool:
    """A short line with a count: an item of a breakdown."""
    return len(piece) <= _LIST_ITEM and _DIGIT.search(piece) is not None


def focus(norm: Normalized, spans: Iterable[tuple[int, int]]) -> Normalized:
    """Only ``spans`` of the mended text, in order: spans that touch (nothing but white space between)
    are one piece, and a blank line stands where text was left out, so no sentence runs across a cut.
    The map to the original text goes with it, as ``normalize``'s does, so records point into the
    document as given. Cutting, not blanking to spaces, keeps the later stages' regular expressions
    off runs of thousands of spaces."""
    text = norm.text
    origin = norm.offsets or list(range(len(text)))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and not text[merged[-1][1]:start].strip():
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    offsets: list[int] = []
    for start, end in merged:
        if parts:
            parts.append(_CUT)
            offsets.extend([offsets[-1]] * len(_CUT))
        parts.append(text[start:end])
        offsets.extend(origin[start:end])
    return Normalized(text="".join(parts), offsets=offsets)


def _rough_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each rough sentence, blank pieces left out."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _ROUGH_END.finditer(text):
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _inflections(lemma: str, irregular: Mapping[str, Iterable[str]]) -> set[str]:
    """Every form a trigger lemma may take in news text: regular endings and irregular forms."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing", *irregular.get(lemma, ())}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) >= 3 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # "stopped", "dropping"
    return {f.lower() for f in forms}


def _needs(trigger: Trigger) -> tuple[set[str], set[str]]:
    """The words a trigger's rule needs beside it: an object, preposition or prepositional object
    after it ("left their homes", "went back"), a compound word before it ("host families")."""
    after = {w.lower() for w in (*(trigger.object or ()), *(trigger.prep or ()), *(trigger.pobj or ()))}
    return after, {w.lower() for w in trigger.compound or ()}


def build_gate(lexicon: Lexicon, patterns: Iterable[str], irregular: Mapping[str, Iterable[str]]) -> Gate:
    """The gate from the figure vocabulary: every trigger of ``terms.yaml`` (with the words its rule
    needs, if any), the relevance cues of ``relevance_keywords.yaml`` and the number words of
    ``numbers.yaml``. ``irregular`` maps a lemma to its irregular forms (the lemmatizer's tables)."""
    plain: set[str] = set()
    counted: set[str] = set()
    after: dict[str, set[str]] = {}
    before: dict[str, set[str]] = {}
    for lemma, triggers in lexicon.triggers.items():
        forms = _inflections(lemma, irregular)
        needs = [_needs(t) for t in triggers]
        if any(not a and not b for a, b in needs):
            # A trigger that is itself the counted group is a cue alone; one that says what happened
            # to a group is common English ("return", "damage", "safety") and needs the group near it.
            if any(t.as_ == "person" for t in triggers):
                plain |= forms
            else:
                counted |= forms
            continue
        for form in forms:
            for a, b in needs:
                if a:
                    after.setdefault(form, set()).update(a)
                if b:
                    before.setdefault(form, set()).update(b)
    numbers = lexicon.numbers
    words = {w for w in (*numbers.units, *numbers.tens, *numbers.scales) if len(w) >= 3}
    words |= {phrase.split()[-1] for phrase in numbers.vague}
    return Gate(
        stems=re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.IGNORECASE),
        plain=frozenset(plain),
        with_unit=frozenset(counted - plain),
        units=frozenset(w.lower() for w in lexicon.unit_of),
        after={k: frozenset(v) for k, v in after.items() if k not in plain and k not in counted},
        before={k: frozenset(v) for k, v in before.items() if k not in plain and k not in counted},
        numbers=frozenset(words),
    )
