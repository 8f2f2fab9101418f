"""The stream of a run's documents: one id per document, resumed ones skipped, and the counts the
command line reports at the end (and turns into its exit code).

Ids must be unique within a run: records, ``--resume`` and analysts all key on them. A second
document with an id already seen is not processed under it (its records would be taken for the
first one's) but reported as an ``error`` naming the id, so nothing is lost silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from .errors import MissingInputError, ReadError
from .read import InputDoc
from .records import Document, ErrorRecord

__all__ = ["Tally", "unique_inputs"]


@dataclass
class Tally:
    """What a run did: documents finished, how many failed, inputs missing, documents not in English."""

    documents: int = 0
    errors: int = 0
    missing: int = 0
    foreign: int = 0

    def exit_code(self, strict: bool) -> int:
        """1 when an input was missing, every document failed, or (``strict``) any failed; else 0."""
        if self.missing or (self.documents and self.errors == self.documents):
            return 1
        return 1 if strict and self.errors else 0

    def count(self, records: Sequence[BaseModel]) -> list[ErrorRecord]:
        """Count one finished document; its error records, for the caller to show."""
        self.documents += 1
        errors = [r for r in records if isinstance(r, ErrorRecord)]
        self.errors += bool(errors)
        self.foreign += any(isinstance(r, Document) and r.language is None for r in records)
        return errors


def unique_inputs(
    items: Iterable[InputDoc | ReadError], done: set[str], tally: Tally
) -> Iterator[InputDoc | ReadError]:
    """``items`` with the documents of ``done`` left out and every repeated id made an error."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, MissingInputError):
            tally.missing += 1
        if isinstance(item, InputDoc):
            if item.id in seen:
                yield ReadError(
                    f"duplicate id {item.id!r}: an earlier document of this run has it, so this one is left out "
                    "(give each document its own id)", doc_id=item.id,
                )
                continue
            seen.add(item.id)
            if item.id in done:
                continue
        yield item
