"""Mending PDF damage while keeping offsets into the original text."""

from __future__ import annotations

import pytest

from uprooted.normalize import normalize
from uprooted.resources import Resources


@pytest.fixture(scope="module")
def mend(res: Resources):
    def run(text: str) -> str:
        return normalize(text, res.vocab["words"]).text

    return run


@pytest.mark.parametrize(
    ("damaged", "mended"),
    [
        pytest.param("about 900 peoplewere evacuated", "about 900 people were evacuated", id="fused-function-word"),
        pytest.param("at least150,000 people", "at least 150,000 people", id="letter-digit"),
        pytest.param("about 7,000 fami-lies", "about 7,000 families", id="broken-hyphenation"),
        pytest.param("floods  displaced   4,400  people", "floods displaced 4,400 people", id="space-runs"),
        pytest.param("12,000 people,300 of whom", "12,000 people, 300 of whom", id="comma-digit"),
        pytest.param("they fledKorma town", "they fled Korma town", id="camel-case"),
        pytest.param("forced to  ee the con ict", "forced to flee the conflict", id="lost-ligatures"),
        pytest.param("the regionâ€™s camps", "the region’s camps", id="cp1252-mojibake"),
    ],
)
def test_damage_is_mended(damaged: str, mended: str, mend) -> None:  # type: ignore[no-untyped-def]
    assert mend(damaged) == mended


@pytest.mark.parametrize(
    "clean",
    ["A long-term plan for New York.", "McAllister met the IDPs in Uvira on 3 May 2021.", "Airstrikes hit the town."],
)
def test_clean_text_passes_unchanged(clean: str, mend) -> None:  # type: ignore[no-untyped-def]
    assert mend(clean) == clean


def test_offsets_map_back_to_the_original(res: Resources) -> None:
    text = "Rain.  About 900 peoplewere evacuated."
    norm = normalize(text, res.vocab["words"])
    start = norm.text.index("About")
    end = norm.text.index("evacuated") + len("evacuated")
    s, e = norm.original_span(start, end)
    assert text[s:e] == "About 900 peoplewere evacuated"


def test_a_run_of_letters_far_longer_than_any_word_is_left_alone_quickly(mend) -> None:
    """Every cut of a 200,000-letter "word" used to be tried: seconds per document."""
    import time

    text = "About 30 people fled. " + "x" * 200_000
    started = time.monotonic()
    assert mend(text) == text
    assert time.monotonic() - started < 0.5
