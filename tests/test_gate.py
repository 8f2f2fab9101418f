"""The relevance gate: which documents and sentences the parser must read."""

from __future__ import annotations

import pytest

from uprooted import Figure, extract
from uprooted.gate import Gate, focus, kept_spans
from uprooted.normalize import Normalized
from uprooted.resources import Resources


@pytest.fixture(scope="module")
def gate(res: Resources) -> Gate:
    return res.vocab["gate"]  # type: ignore[no-any-return]


# --- documents with a figure always pass ------------------------------------------------------------

FIGURE_TEXTS = [
    "Floods forced 4,000 families to flee their homes in the delta.",
    "Some 1,200 people were evacuated from Tarrow on Sunday.",
    "About 300 households left their homes after the dam broke.",
    "Fighting drove 5,000 villagers from their land last week.",
    "At least 82 houses were washed away by the river.",
    "Nearly two thousand residents took refuge in schools and churches.",
    "The storm destroyed 640 homes along the coast.",
    "Officials said 9,500 IDPs now live in Kelmar camp.",
    "More than 700 refugees crossed into the neighbouring country overnight.",
    "Hundreds of families sought shelter in the town hall.",
    "The eviction of 150 families from the riverside settlement began on Monday.",
    "Rebels burned 37 houses in Dorvo.",
]


@pytest.mark.parametrize("text", FIGURE_TEXTS, ids=[t.split()[0] + "-" + t.split()[1] for t in FIGURE_TEXTS])
def test_gate_passes_every_text_the_pipeline_finds_a_figure_in(text: str, gate: Gate) -> None:
    """A document the gate rejects is never parsed under skip_irrelevant: it must pass wherever the
    full pipeline finds a figure."""
    assert any(isinstance(r, Figure) for r in extract(text))
    assert gate.verdict(None, text).passes


def test_gate_passes_a_cue_and_a_count_in_neighbouring_sentences(gate: Gate) -> None:
    """A heading and its count may stand on two lines: "Displaced" over "4,500 people"."""
    assert gate.verdict(None, "Displaced\n4,500 people in three districts").passes


def test_gate_passes_on_the_title(gate: Gate) -> None:
    assert gate.verdict("3,000 flee floods in the north", "Rain fell for a week on the hills.").passes


# --- documents without a figure are rejected ----------------------------------------------------------


def test_gate_rejects_news_without_a_displacement_cue(gate: Gate) -> None:
    assert not gate.verdict(None, "The home side won the final 3-1 in front of 60,000 fans.").passes


def test_gate_rejects_a_cue_without_a_count(gate: Gate) -> None:
    assert not gate.verdict(None, "Residents fled when the river rose.").passes


def test_a_trigger_that_needs_its_object_is_no_cue_without_it(gate: Gate) -> None:
    """"left" counts only with what was left ("their homes"): "left 3 points behind" is football."""
    assert not gate.verdict(None, "The striker left 3 defenders behind and scored.").passes
    assert gate.verdict(None, "The flood left 3 families without shelter.").passes


# --- candidate sentences and the blanked text ---------------------------------------------------------


def test_candidates_are_the_sentences_with_a_cue_and_a_count(gate: Gate) -> None:
    text = "The minister visited the port on Monday. Floods displaced 2,400 people in Varno. Trade resumed."
    (span,) = gate.verdict(None, text).candidates
    assert text[span[0]:span[1]] == "Floods displaced 2,400 people in Varno."


def test_focus_keeps_the_map_to_the_original_text() -> None:
    text = "First line here.\n\nFloods displaced 2,400 people.\nLast line."
    start = text.index("Floods")
    kept = focus(Normalized(text=text, offsets=[]), [(0, 16), (start, start + 30)])
    assert kept.text == "First line here.\n\nFloods displaced 2,400 people."
    cut = kept.text.index("Floods")
    assert kept.original_span(cut, cut + 6) == (start, start + 6)


def test_focus_cuts_with_a_blank_line_so_no_sentence_runs_across() -> None:
    text = "Officials met. The market reopened. Floods displaced 2,400 people."
    start = text.index("Floods")
    kept = focus(Normalized(text=text, offsets=[]), [(0, 14), (start, len(text))])
    assert kept.text == "Officials met.\n\nFloods displaced 2,400 people."


def test_kept_spans_add_the_lead_and_the_neighbours() -> None:
    text = "Headline words\nA dated lead. Filler one. Before it. Floods displaced 2,400 people. Said officials. Far."
    start = text.index("Floods")
    kept = [text[s:e] for s, e in kept_spans(text, [(start, start + 31)], neighbours=1, lead=2)]
    assert kept == ["Headline words", "A dated lead.", "Before it.", "Floods displaced 2,400 people.",
                    "Said officials."]


def test_skipping_keeps_figure_offsets_into_the_original_text() -> None:
    """Cut-out sentences keep their map, so evidence offsets point into the text as given."""
    text = ("The council met on Tuesday to discuss the budget for roads.\n\n"
            "Floods forced 4,000 families to flee their homes in the delta, officials said.\n\n"
            "The match between the two clubs was postponed until next season.")
    skipped = [r for r in extract(text, skip_irrelevant=True) if isinstance(r, Figure)]
    full = [r for r in extract(text) if isinstance(r, Figure)]
    assert skipped and [f.evidence for f in skipped] == [f.evidence for f in full]
    assert text[skipped[0].evidence.start:skipped[0].evidence.end] == skipped[0].evidence.text
