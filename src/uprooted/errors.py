"""The exception family: every failure names the document it happened in.

    UprootedError            carries ``doc_id`` (None when no document is concerned)
    ├── ReadError            a document cannot be fetched, decoded or parsed into text
    │   └── MissingInputError    a file or folder named as input does not exist
    ├── ResourceError        a vocabulary, model or gazetteer is missing or invalid
    ├── ExtractionError      a pipeline stage failed on a document (adds ``stage``)
    ├── RecordError          an output record fails validation against the format
    └── StoreError           the store (SQLite or PostgreSQL) cannot be opened, migrated or written
        ├── NotFoundError        a document or record named is not in the store
        └── DecisionError        an analyst's decision cannot be taken as given

The CLI turns any of these into an ``error`` record and goes on with the batch.
"""

from __future__ import annotations

__all__ = [
    "DecisionError", "ExtractionError", "MissingInputError", "NotFoundError", "ReadError", "RecordError",
    "ResourceError", "StoreError", "UprootedError",
]


class UprootedError(Exception):
    """Base class: raised for any failure uprooted knows how to report per document."""

    def __init__(self, message: str, *, doc_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.doc_id = doc_id
        self.stage: str | None = None  # the pipeline stage it happened in, when one did

    def __str__(self) -> str:
        return f"{self.doc_id}: {self.message}" if self.doc_id else self.message


class ReadError(UprootedError):
    """Raised when a document cannot be fetched, decoded or turned into text."""


class MissingInputError(ReadError):
    """Raised when a path given as input does not exist: the run cannot be complete."""


class ResourceError(UprootedError):
    """Raised when a vocabulary file, the spaCy pipeline or the gazetteer is missing or invalid."""


class ExtractionError(UprootedError):
    """Raised when a pipeline stage fails on one document; ``stage`` names the step."""

    def __init__(self, message: str, *, doc_id: str | None = None, stage: str) -> None:
        super().__init__(f"[{stage}] {message}", doc_id=doc_id)
        self.stage: str | None = stage


class RecordError(UprootedError):
    """Raised when a record would not validate against FORMAT.md."""


class StoreError(UprootedError):
    """Raised when the store cannot be opened, is at another schema version, or refuses a write."""


class NotFoundError(StoreError):
    """Raised when a document, figure or event named by its id is not among the store's current ones."""


class DecisionError(StoreError):
    """Raised when a decision cannot be taken as given: a correction outside the format, a merge
    without the figure to join."""
