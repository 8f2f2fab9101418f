"""Reading how many: digits, words, scales, vague amounts, ranges and qualifiers."""

from __future__ import annotations

import pytest

from uprooted.lexicon import Lexicon
from uprooted.quantities import find_quantities


def one(text: str, lex: Lexicon):
    found = find_quantities(text, lex)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("12,500 people", 12500, id="thousands-separator"),
        pytest.param("2.3 million people", 2_300_000, id="decimal-million"),
        pytest.param("1.5m people", 1_500_000, id="attached-m"),
        pytest.param("1.4 mn people", 1_400_000, id="mn"),
        pytest.param("twelve families", 12, id="word"),
        pytest.param("twenty-five thousand people", 25_000, id="compound-words"),
        pytest.param("three million people", 3_000_000, id="word-scale"),
        pytest.param("14 000 people", 14_000, id="space-separator"),
        pytest.param("33 thousand people", 33_000, id="digits-and-word-scale"),
        pytest.param("two lakh people", 200_000, id="word-lakh"),
        pytest.param("four crore rupees", 40_000_000, id="word-crore"),
        pytest.param("households/12,000 people", 12_000, id="count-after-a-word-and-slash"),
    ],
)
def test_value_is_read(text: str, value: int, lex: Lexicon) -> None:
    assert one(text, lex).value == value


def test_between_sets_range(lex: Lexicon) -> None:
    q = one("between 2,000 and 4,000 fled", lex)
    assert (q.qualifier, q.low, q.high, q.value) == ("range", 2000, 4000, 2000)


def test_hyphenated_range(lex: Lexicon) -> None:
    q = one("2,000-4,000 people", lex)
    assert (q.qualifier, q.low, q.high) == ("range", 2000, 4000)


def test_range_shares_the_scale_of_its_upper_bound(lex: Lexicon) -> None:
    q = one("2 to 3 million people", lex)
    assert (q.low, q.high) == (2_000_000, 3_000_000)


def test_tens_of_thousands_is_a_vague_range(lex: Lexicon) -> None:
    q = one("tens of thousands fled", lex)
    assert (q.low, q.high, q.qualifier, q.vague) == (20_000, 90_000, "approximately", True)


def test_a_dozen_is_twelve(lex: Lexicon) -> None:
    assert one("a dozen families", lex).value == 12


def test_hundreds_is_vague(lex: Lexicon) -> None:
    q = one("hundreds were evacuated", lex)
    assert q.vague and q.low == 200


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("about 2,000 people", "approximately"),
        ("some 2,000 people", "approximately"),
        ("nearly 2,000 people", "approximately"),
        ("an estimated 2,000 people", "approximately"),
        ("over 2,000 people", "more_than"),
        ("more than 2,000 people", "more_than"),
        ("at least 2,000 people", "at_least"),
        ("up to 2,000 people", "up_to"),
        ("as many as 2,000 people", "up_to"),
        ("fewer than 2,000 people", "less_than"),
    ],
)
def test_qualifier_before_number(text: str, qualifier: str, lex: Lexicon) -> None:
    q = one(text, lex)
    assert q.qualifier == qualifier
    assert q.text.endswith("2,000") and q.start == 0


def test_or_more_after_number_is_at_least(lex: Lexicon) -> None:
    assert one("2,000 or more people", lex).qualifier == "at_least"


def test_year_is_flagged(lex: Lexicon) -> None:
    assert one("in 2019 the river rose", lex).year_like


def test_qualifier_needs_a_word_boundary(lex: Lexicon) -> None:
    """'Moreover 500' must not read as 'over 500'."""
    assert one("Moreover 500 people", lex).qualifier == "exact"


# --- adversarial numerals ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["10^400 people fled", "10 ** 6 people fled", "2.5e9 people fled"])
def test_a_power_is_no_count_and_neither_are_its_parts(text: str, lex: Lexicon) -> None:
    """"10^400" used to give the counts 10 and 400."""
    assert find_quantities(text, lex) == []


@pytest.mark.parametrize(("text", "value"), [("one million million people", 10**12),
                                             ("a thousand thousand people", 10**6)])
def test_a_scale_word_after_a_scale_word_multiplies(text: str, value: int, lex: Lexicon) -> None:
    """"one million million" used to be read as two million."""
    assert one(text, lex).value == value


def test_a_range_written_high_to_low_is_still_a_range(lex: Lexicon) -> None:
    q = one("between 5,000 and 2,000 people fled", lex)
    assert (q.qualifier, q.low, q.high, q.value) == ("range", 2000, 5000, 2000)


def test_a_range_high_to_low_shares_the_scale_of_its_second_number(lex: Lexicon) -> None:
    q = one("between 4 and 2 million people fled", lex)
    assert (q.qualifier, q.low, q.high) == ("range", 2_000_000, 4_000_000)
