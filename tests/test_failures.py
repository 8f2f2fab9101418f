"""What a failing stage gives: our errors name document and stage; a bug raises when strict."""

from __future__ import annotations

from typing import Any

import pytest

import uprooted.pipeline as pipeline
from uprooted.errors import ExtractionError, ResourceError
from uprooted.pipeline import extract_docs
from uprooted.read import InputDoc
from uprooted.records import ErrorRecord, Figure
from uprooted.resources import load_resources
from uprooted.settings import load_settings

DOCS = [
    InputDoc(id="first", text="Floods forced 300 families from their homes on Monday."),
    InputDoc(id="second", text="About 120 people fled the clashes, officials said."),
]


def _run(strict: bool) -> dict[str, list[Any]]:
    res = load_resources(load_settings(strict=strict))
    return {item.id: records for item, records in extract_docs(DOCS, res)}  # type: ignore[union-attr]


def _broken_on(doc_id: str, exc: Exception) -> Any:
    real = pipeline.find_dates

    def find_dates(doc: Any, *args: Any) -> Any:
        if doc.text.startswith(next(d.text for d in DOCS if d.id == doc_id)[:20]):
            raise exc
        return real(doc, *args)

    return find_dates


def test_a_bug_raises_in_strict_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "find_dates", _broken_on("first", TypeError("unsupported operand")))
    with pytest.raises(TypeError, match="unsupported operand"):
        _run(strict=True)


def test_a_bug_becomes_the_document_error_naming_the_stage_when_not_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """One bad document must not cost a long run: it is reported, loudly, and the batch goes on."""
    monkeypatch.setattr(pipeline, "find_dates", _broken_on("first", TypeError("unsupported operand")))
    out = _run(strict=False)
    (error,) = out["first"]
    assert isinstance(error, ErrorRecord)
    assert (error.doc_id, error.stage) == ("first", "dates")
    assert error.error == "[dates] internal error: TypeError: unsupported operand"
    assert any(isinstance(r, Figure) for r in out["second"])


def test_our_own_error_names_document_and_stage_even_when_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "find_dates", _broken_on("second", ResourceError("dates vocabulary gone")))
    out = _run(strict=True)
    (error,) = out["second"]
    assert isinstance(error, ErrorRecord)
    assert (error.doc_id, error.stage, error.error) == ("second", "dates", "dates vocabulary gone")
    assert any(isinstance(r, Figure) for r in out["first"])


def test_an_extraction_error_keeps_the_stage_it_was_raised_with() -> None:
    err = ExtractionError("bad span", doc_id="d", stage="figures")
    with pytest.raises(ExtractionError) as caught, pipeline._stage("records", "d", strict=True):
        raise err
    assert caught.value.stage == "figures"
