"""The event stage's matchers: trigger phrases, actor names and cue words found in a parsed document.

Part of the event stage. Phrases from the vocabulary become spaCy ``PhraseMatcher`` and ``Matcher``
patterns (on lemmas, with "..." gaps of up to four tokens), compiled once per vocabulary; ``view``
reads one document into the triggers, actors and cues that ``detect.py`` weighs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import LEMMA, LOWER
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from ..actors import ActorMatch, ActorTable
from .vocab import EventVocab

__all__ = []


PLACE_ENTS = {"GPE", "LOC", "FAC"}


_TIME_ENTS = {"DATE", "TIME"}


def _gap_patterns(phrase: str, make_doc: Any) -> list[list[dict[str, Any]]]:
    """Token patterns for a phrase with a "..." gap (up to four tokens): one on lemmas, one on
    lower-cased text. Few phrases need a gap, so the slower token Matcher stays small."""
    by_lemma: list[dict[str, Any]] = []
    by_lower: list[dict[str, Any]] = []
    for part in phrase.split():
        if part == "...":
            gap = {"IS_PUNCT": False, "OP": "{0,4}"}
            by_lemma.append(gap)
            by_lower.append(gap)
            continue
        word_part, _, pos = part.partition("/")
        extra = {"POS": pos} if pos else {}
        for tok in make_doc(word_part):
            word = tok.lower_
            by_lemma.append({"LEMMA": {"IN": [word, word.capitalize(), word.upper()]}, **extra})
            by_lower.append({"LOWER": word, **extra})
    return [by_lemma, by_lower]


class _PhraseIndex:
    """Every phrase of the vocabulary, found by hash lookup in one pass over the document.

    A phrase is written in lemma form and matched on lemmas (so "clash" finds "clashed") and on
    lower-cased text (so a word the lemmatiser gets wrong is still found). "storm/NOUN" keeps
    a word to one part of speech, checked after the lookup; phrases with "..." go to a small
    token Matcher. PhraseMatcher cost does not grow with the number of phrases, which keeps
    the stage cheap on every document however far users extend the vocabulary.
    """

    def __init__(self, vocab: Vocab, make_doc: Any) -> None:
        self._vocab = vocab
        self._make_doc = make_doc
        self._lemma = PhraseMatcher(vocab, attr="LEMMA")
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        self._gapped = Matcher(vocab)
        self._gap_words: list[list[int]] = []  # each gapped phrase's words, as string hashes
        self._pos: dict[str, list[str | None]] = {}
        self._label: dict[str, str] = {}

    def add(self, label: str, phrase: str) -> None:
        key = f"p{len(self._label)}"
        self._label[key] = label
        if "..." in phrase.split():
            self._gapped.add(key, _gap_patterns(phrase, self._make_doc))
            needed = [part.partition("/")[0].lower() for part in phrase.split() if part != "..."]
            self._gap_words.append([self._vocab.strings.add(w) for w in needed])
            return
        words: list[str] = []
        pos: list[str | None] = []
        for part in phrase.split():
            word_part, _, tag = part.partition("/")
            for tok in self._make_doc(word_part):
                words.append(tok.lower_)
                pos.append(tag or None)
        self._pos[key] = pos
        variants = {
            tuple(words),
            (words[0].capitalize(), *words[1:]),
            tuple(w.capitalize() for w in words),
            tuple(w.upper() for w in words),
        }
        self._lemma.add(key, [Doc(self._vocab, words=list(v), lemmas=list(v)) for v in variants])
        self._lower.add(key, [Doc(self._vocab, words=words)])

    def _may_gap(self, doc: Doc) -> bool:
        """Whether some gapped phrase has all its words in ``doc``: the token Matcher is the slow
        part of the pass, and most documents hold none of these phrases."""
        present = set(doc.count_by(LOWER)) | set(doc.count_by(LEMMA))
        return any(all(w in present for w in words) for words in self._gap_words)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        strings = doc.vocab.strings
        found: set[tuple[str, int, int]] = set()
        for key_id, start, end in [*self._lemma(doc), *self._lower(doc)]:
            key = strings[key_id]
            pos = self._pos[key]
            if any(tag and doc[start + i].pos_ != tag for i, tag in enumerate(pos)):
                continue
            found.add((self._label[key], start, end))
        for key_id, start, end in self._gapped(doc) if self._may_gap(doc) else []:
            found.add((self._label[strings[key_id]], start, end))
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))


class Compiled:
    """The vocabulary turned into one phrase index (rules, cues, negative cues) and the actor table."""

    def __init__(self, vocab: EventVocab, doc: Doc) -> None:
        from spacy.lang.en import English

        make_doc = English(vocab=doc.vocab).make_doc
        spec = vocab.event_types
        self.spec = spec
        self.index = _PhraseIndex(doc.vocab, make_doc)
        for i, rule in enumerate(spec.rules):
            for phrase in rule.phrases:
                self.index.add(f"r{i}", phrase)
        for name, phrases in spec.cues.items():
            for phrase in phrases:
                self.index.add(f"c:{name}", phrase)
        for name, neg in spec.negative_cues.items():
            for phrase in neg.phrases:
                self.index.add(f"n:{name}", phrase)
        for phrase in spec.fatalities.lemmas:
            self.index.add("fatal", phrase)
        self.actors = ActorTable(vocab.actors, doc.vocab, make_doc)
        self.event_type = {s: t for t, subs in spec.types.items() for s in subs}
        self.numbers = {k.lower(): v for k, v in spec.fatalities.numbers.items()}


# Matchers built, by the identities of the event vocabulary and of the spaCy vocabulary their
# patterns live in: built once per process and pipeline.
_COMPILED: dict[tuple[int, int], tuple[EventVocab, Compiled]] = {}


def compiled(vocab: EventVocab, doc: Doc) -> Compiled:
    """Matchers for ``vocab`` in ``doc``'s spaCy vocabulary, built on first use."""
    key = (id(vocab), id(doc.vocab))
    hit = _COMPILED.get(key)
    if hit is None or hit[0] is not vocab:
        hit = _COMPILED[key] = (vocab, Compiled(vocab, doc))
    return hit[1]


@dataclass
class DocView:
    """What one document's matcher pass found, indexed by sentence and by token."""

    sents: list[Span]
    sent_of: dict[int, int]
    cues: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    cue_tokens: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    negative: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    fatal_tokens: set[int] = field(default_factory=set)
    triggers: list[tuple[int, Span]] = field(default_factory=list)
    actor_at: dict[int, ActorMatch] = field(default_factory=dict)


# Entities whose words name a thing rather than tell what happened ("the Riverside Detention Centre",
# "the Campaign for Clean Rivers", "the War Requiem").
_NAME_ENTS = frozenset({"ORG", "FAC", "WORK_OF_ART", "LAW", "PRODUCT"})


def _in_name(doc: Doc, start: int, end: int) -> bool:
    """A trigger inside a proper name, by the recogniser's entity or by a capitalised word of an
    institution right after it ("Detention Center"), is part of the name, not an event."""
    if all(doc[i].ent_type_ in _NAME_ENTS for i in range(start, end)):
        return True
    after = doc[end] if end < len(doc) else None
    return (doc[start].is_title and doc[start].i > doc[start].sent.start and after is not None
            and after.is_title and after.lower_ in _INSTITUTION_WORDS)


_INSTITUTION_WORDS = frozenset({"centre", "center", "facility", "unit", "office", "agency", "department",
                                "commission", "council", "court", "act", "committee", "fund", "law", "camp"})


def read_view(doc: Doc, comp: Compiled) -> DocView:
    sents = [s for s in doc.sents if s.text.strip()]
    sent_of = {t.i: si for si, s in enumerate(sents) for t in s}
    view = DocView(sents=sents, sent_of=sent_of)
    seen: set[tuple[str, int, int]] = set()
    matches = comp.index(doc)
    masked = {i for key, s, e in matches if key == "c:not_trigger" for i in range(s, e)}
    for key, start, end in matches:
        if (key, start, end) in seen or start not in sent_of:
            continue
        seen.add((key, start, end))
        # "16 March" is a date, not a march; "riot police" are not a riot.
        if all(doc[i].ent_type_ in _TIME_ENTS for i in range(start, end)):
            continue
        if key[0] == "r" and (any(i in masked for i in range(start, end)) or _in_name(doc, start, end)):
            continue
        si = sent_of[start]
        if key.startswith("r"):
            view.triggers.append((int(key[1:]), doc[start:end]))
        elif key.startswith("c:"):
            view.cues[si].add(key[2:])
            view.cue_tokens[key[2:]].update(range(start, end))
        elif key.startswith("n:"):
            view.negative[si].add(key[2:])
        else:
            view.fatal_tokens.update(range(start, end))
    for match in comp.actors.find(doc):
        for t in match.span:
            view.actor_at[t.i] = match
    return view

