"""The exception family carries the document id."""

from __future__ import annotations

import pytest

from uprooted.datafiles import load_vocabulary
from uprooted.errors import ExtractionError, ReadError, ResourceError, UprootedError
from uprooted.lexicon import TermsFile


def test_every_error_is_an_uprooted_error() -> None:
    for cls in (ReadError, ResourceError, ExtractionError):
        assert issubclass(cls, UprootedError)


def test_extraction_error_names_stage_and_document() -> None:
    err = ExtractionError("boom", doc_id="doc-9", stage="figures")
    assert (err.doc_id, err.stage, str(err)) == ("doc-9", "figures", "doc-9: [figures] boom")


def test_missing_vocabulary_is_a_resource_error() -> None:
    with pytest.raises(ResourceError, match=r"cannot read vocabulary data/nope\.yaml"):
        load_vocabulary("nope.yaml", TermsFile)


def test_vocabulary_with_wrong_shape_names_the_file() -> None:
    with pytest.raises(ResourceError, match=r"invalid vocabulary data/units\.yaml"):
        load_vocabulary("units.yaml", TermsFile)
