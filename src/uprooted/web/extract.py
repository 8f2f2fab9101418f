"""``POST /api/extract``: the records of one pasted text or URL, as ``uprooted extract`` gives them.

A URL is fetched by the reader (``read.read_url``) under the same rules as the command line: public
addresses only unless the settings allow more, time and size capped. The pipeline loads on the
first request (``load_resources`` caches it); requests run one at a time through it, since one
spaCy pipeline is not shared between threads. Nothing is stored: the analyst pastes to look.
"""

from __future__ import annotations

import threading
from typing import Any

from ..errors import UprootedError
from ..pipeline import error_record, extract_docs
from ..read import read_text, read_url
from ..resources import load_resources
from ..settings import Settings

__all__ = ["extract_records"]

_LOCK = threading.Lock()
_PASTED_ID = "pasted"


def extract_records(settings: Settings, *, text: str | None = None, url: str | None = None,
                    published: str | None = None, title: str | None = None) -> list[dict[str, Any]]:
    """The records of ``text`` or ``url`` as JSON objects; a document that cannot be read or
    processed gives its one ``error`` record, as in a batch."""
    try:
        doc = read_url(url, settings, published=published, title=title) if url else \
            read_text(text or "", _PASTED_ID, published=published, title=title)
    except UprootedError as exc:
        return [error_record(exc, url or _PASTED_ID).model_dump(mode="json")]
    with _LOCK:
        res = load_resources(settings)
        out: list[dict[str, Any]] = []
        for _, records in extract_docs([doc], res):
            out.extend(r.model_dump(mode="json") for r in records)
    return out
