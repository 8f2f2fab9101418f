"""Texts the parser cannot take as they are: longer than spaCy's limit, or holding NUL bytes."""

from __future__ import annotations

import time

from uprooted import extract
from uprooted.pipeline import extract_docs
from uprooted.read import InputDoc
from uprooted.records import ErrorRecord, Figure
from uprooted.resources import Resources


def test_a_text_over_the_parser_limit_is_parsed_in_pieces_at_blank_lines(res: Resources) -> None:
    """A long report used to be refused whole (spaCy's max_length); now every block is read."""
    blocks = [f"Floods forced {n},000 people to flee the Brenmoor valley on Monday." for n in range(2, 8)]
    text = "\n\n".join(blocks)
    old = res.nlp.max_length
    res.nlp.max_length = 150
    try:
        ((_, records),) = list(extract_docs([InputDoc(id="long", text=text)], res))
    finally:
        res.nlp.max_length = old
    assert not [r for r in records if isinstance(r, ErrorRecord)]
    figures = [r for r in records if isinstance(r, Figure)]
    assert sorted(f.quantity.value for f in figures) == [2000, 3000, 4000, 5000, 6000, 7000]
    assert all(text[f.evidence.start:f.evidence.end] == f.evidence.text for f in figures)


def test_a_nul_byte_inside_a_number_does_not_split_the_figure() -> None:
    text = "Floods forced 5,0\x0000 people to flee on Monday."
    (fig,) = [r for r in extract(text) if isinstance(r, Figure)]
    assert fig.quantity.value == 5000
    assert text[fig.evidence.start:fig.evidence.end] == fig.evidence.text


def test_marking_block_starts_costs_the_same_per_line_in_a_long_document(res: Resources) -> None:
    """Sentence starts at blank lines are marked in one pass: set token by token, each mark rescanned
    the whole document, so a document eight times longer took some sixty times as long."""
    from uprooted.components import block_boundaries

    def cost(lines: int) -> float:
        doc = res.nlp.make_doc("\n\n".join(f"Storm Delta reached Kelvale on day {n}" for n in range(lines)))
        best = float("inf")
        for _ in range(3):
            t0 = time.process_time()
            block_boundaries(doc)
            best = min(best, time.process_time() - t0)
        assert sum(bool(t.is_sent_start) for t in doc) == lines
        return best

    assert cost(8000) < 24 * cost(1000)
