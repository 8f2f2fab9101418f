"""Shared fixtures: the real default resources (spaCy small pipeline, vocabularies), loaded once."""

from __future__ import annotations

import pytest

from uprooted.lexicon import Lexicon
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
