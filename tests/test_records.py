"""The published format: records, schema and public names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

import uprooted
from uprooted.records import Evidence, Figure, Quantity
from uprooted.schema import schemas

SCHEMA_DIR = Path(__file__).parent.parent / "docs" / "schema"


def test_exported_names_match_all() -> None:
    """Every name in __all__ exists, and every record model and error class is exported."""
    from uprooted import errors, records

    assert all(hasattr(uprooted, name) for name in uprooted.__all__)
    models = {n for n in records.__all__ if n[0].isupper() and n != "Record"}
    assert models | set(errors.__all__) <= set(uprooted.__all__)


def test_committed_schema_matches_the_models() -> None:
    for name, schema in schemas().items():
        committed = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text())
        assert committed == schema, f"docs/schema/{name}.schema.json is stale: run `uprooted schema`"


def test_records_refuse_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        Quantity(value=1, text="1", colour="red")  # type: ignore[call-arg]


def test_term_outside_idmc_vocabulary_is_refused() -> None:
    with pytest.raises(ValidationError):
        Figure(doc_id="d", id="d#f1", quantity=Quantity(value=1, text="1"), unit="person", term="moved",  # type: ignore[arg-type]
               evidence=Evidence(text="x", start=0, end=1), confidence=0.5)


def test_reason_stays_out_of_the_published_line() -> None:
    f = Figure(doc_id="d", id="d#f1", quantity=Quantity(value=1, text="1"), unit="person", term="displaced",
               evidence=Evidence(text="x", start=0, end=1), confidence=0.5, reason="why")
    assert "reason" not in uprooted.records.to_json(f)
    assert uprooted.records.to_json(f, debug=True)["reason"] == "why"


def test_extract_returns_typed_records() -> None:
    records = uprooted.extract("The storm forced 1,500 people to flee.", doc_id="t1", published="2024-01-02")
    assert isinstance(records[0], uprooted.Document) and records[0].published == "2024-01-02"
    (fig,) = [r for r in records if isinstance(r, uprooted.Figure)]
    assert fig.id == "t1#f1" and fig.doc_id == "t1"
