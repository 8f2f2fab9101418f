"""The Python entry point: ``extract`` gives the same records as the CLI, as typed objects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from .pipeline import extract_docs
from .read import InputDoc
from .records import AnyRecord
from .resources import load_resources
from .settings import load_settings

__all__ = ["extract"]


def extract(
    text: str | InputDoc | Iterable[InputDoc],
    *,
    doc_id: str = "doc",
    published: str | None = None,
    url: str | None = None,
    title: str | None = None,
    **settings: Any,
) -> list[AnyRecord]:
    """Records (document, figures, places, events) for one text or a batch of ``InputDoc``s.

    ``settings`` override ``Settings`` fields (e.g. ``spacy_model="en_core_web_lg"``).
    """
    if isinstance(text, str):
        docs: list[InputDoc] = [InputDoc(id=doc_id, text=text, published=published, url=url, title=title)]
    elif isinstance(text, InputDoc):
        docs = [text]
    else:
        docs = list(text)
    res = load_resources(load_settings(**settings))
    out: list[AnyRecord] = []
    for _, records in extract_docs(docs, res):
        out.extend(cast(list[AnyRecord], records))
    return out
