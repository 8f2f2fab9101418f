"""Analysts' review in the store: corrections checked against the format and logged with what stood
before (never overwritten), merges that need a figure to join, and the replay of merges and splits
over reconciliation's verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from uprooted.errors import DecisionError, NotFoundError
from uprooted.reconcile import Verdict
from uprooted.resources import Resources
from uprooted.store.decisions import corrected, decide, decisions_for, review_states
from uprooted.store.ingest import StoreTally, ingest
from uprooted.store.regroup import apply_regroupings

from .conftest import DOCS, write_jsonl


@pytest.fixture
def stored(engine: Engine, res: Resources, tmp_path: Path) -> Engine:
    ingest(engine, [str(write_jsonl(tmp_path / "docs.jsonl", DOCS[:1]))], res, StoreTally())
    return engine


def test_corrections_are_logged_with_what_stood_before(stored: Engine) -> None:
    decide(stored, "s1#f1", "edit", edit={"value": "3100"}, analyst="lina")
    decide(stored, "s1#f1", "edit", edit={"value": 3200, "date": "2024-05-06"}, analyst="omar")
    log = decisions_for(stored, "s1#f1")
    assert [(d.analyst, d.edit) for d in log] == [
        ("lina", {"value": 3100.0}), ("omar", {"value": 3200.0, "date": {"start": "2024-05-06", "end": "2024-05-06"}})]
    assert [d.previous["values"]["value"] for d in log if d.previous] == [3000, 3100.0]
    (state,) = review_states(stored).values()
    assert (state.action, state.corrections["value"], state.decisions) == ("edit", 3200.0, 2)


def test_a_correction_outside_the_format_names_the_field_and_the_figure(stored: Engine) -> None:
    with pytest.raises(DecisionError) as caught:
        decide(stored, "s1#f1", "edit", edit={"unit": "tents"})
    assert caught.value.doc_id == "s1#f1"
    assert caught.value.message == "cannot correct unit: Input should be 'person', 'household' or 'dwelling'"


def test_an_unknown_field_cannot_be_corrected(stored: Engine) -> None:
    with pytest.raises(DecisionError, match=r"^s1#f1: cannot correct evidence: Extra inputs are not permitted$"):
        decide(stored, "s1#f1", "edit", edit={"evidence": "something else"})


def test_a_merge_needs_another_figure(stored: Engine) -> None:
    with pytest.raises(DecisionError, match="a merge needs another figure"):
        decide(stored, "s1#f1", "merge")
    with pytest.raises(NotFoundError):
        decide(stored, "s1#f1", "merge", into="nowhere#f1")


def test_a_place_corrected_by_name_keeps_the_coordinates_of_that_place() -> None:
    record = {"locations": [{"name": "Tartu", "iso3": "EST", "lat": 58.4, "lon": 26.7, "role": "origin",
                             "level": "city"}], "quantity": {"value": 5}}
    (place,) = corrected(record, {"place": {"name": "tartu"}})["locations"]
    assert (place["lat"], place["lon"], place["iso3"], place["role"]) == (58.4, 26.7, "EST", "location")


# ---- merges and splits replayed over the verdicts ---------------------------------------------


def _verdicts() -> dict[str, Verdict]:
    return {"a#f1": Verdict("g1", True, "recommended a#f1"), "b#f1": Verdict("g1", False, "older"),
            "c#f1": Verdict("g1", False, "less sure"), "d#f1": Verdict("g2", True, "recommended d#f1")}


IDS = {"ka": "a#f1", "kb": "b#f1", "kc": "c#f1", "kd": "d#f1"}
CONFIDENCE = {"a#f1": 0.9, "b#f1": 0.8, "c#f1": 0.5, "d#f1": 0.7}


def test_splitting_the_recommended_figure_lets_the_most_confident_left_stand_in() -> None:
    out = apply_regroupings(_verdicts(), IDS, CONFIDENCE, {}, [("split", "ka", None)])
    assert (out["a#f1"].group, out["a#f1"].recommended) == ("g1/a#f1", True)
    assert [f for f, v in out.items() if v.group == "g1" and v.recommended] == ["b#f1"]


def test_a_rejected_figure_split_off_is_not_recommended() -> None:
    out = apply_regroupings(_verdicts(), IDS, CONFIDENCE, {"c#f1": "rejected by an analyst"}, [("split", "kc", None)])
    assert (out["c#f1"].recommended, out["c#f1"].why) == (False, "rejected by an analyst")


def test_a_merged_group_keeps_the_recommended_figure_of_the_group_it_joins() -> None:
    out = apply_regroupings(_verdicts(), IDS, CONFIDENCE, {}, [("merge", "kd", "ka")])
    assert {v.group for v in out.values()} == {"g1"}
    assert [f for f, v in out.items() if v.recommended] == ["a#f1"]
    assert out["d#f1"].why == "its group g2 was merged into g1 by an analyst"


def test_decisions_on_figures_no_longer_stored_are_skipped() -> None:
    assert apply_regroupings(_verdicts(), IDS, CONFIDENCE, {}, [("split", "gone", None)]) == _verdicts()
