"""Worker processes: the same records as one process, in input order."""

from __future__ import annotations

import json

from uprooted.errors import ReadError
from uprooted.pipeline import extract_docs, worker_count
from uprooted.read import InputDoc
from uprooted.resources import load_resources
from uprooted.settings import load_settings

PLACES = ["Tarrow", "Kelmar", "Varno", "Dorvo", "Pellin", "Ostrava", "Lindum", "Carvel"]


def _docs() -> list[InputDoc]:
    """Invented documents of different lengths, so that batches finish out of order."""
    docs = []
    for i, place in enumerate(PLACES * 2):
        filler = " The market reopened after the holiday." * (i % 5) * 10
        text = f"Floods forced {(i + 1) * 120} families to flee their homes near {place}, officials said.{filler}"
        docs.append(InputDoc(id=f"d{i}", text=text, published="2024-05-09"))
    return docs


def _run(workers: int, items: list[InputDoc | ReadError]) -> list[tuple[str, list[str]]]:
    res = load_resources(load_settings(workers=workers, batch_size=2))
    out = []
    for item, records in extract_docs(items, res):
        doc_id = item.id if isinstance(item, InputDoc) else str(item.doc_id)
        out.append((doc_id, [json.dumps(r.model_dump(mode="json"), sort_keys=True) for r in records]))
    return out


def test_two_workers_keep_input_order() -> None:
    docs = _docs()
    assert [doc_id for doc_id, _ in _run(2, list(docs))] == [d.id for d in docs]


def test_one_and_two_workers_give_identical_records() -> None:
    """Workers change where a batch runs, never what it gives."""
    docs: list[InputDoc | ReadError] = list(_docs())
    assert _run(2, docs) == _run(1, docs)


def test_a_read_error_keeps_its_place_among_worker_results() -> None:
    """Read errors never travel to a worker: their record is made where the order is kept."""
    docs: list[InputDoc | ReadError] = list(_docs())
    docs.insert(5, ReadError("cannot decode line 6", doc_id="bad"))
    results = _run(2, docs)
    assert results[5][0] == "bad" and '"type": "error"' in results[5][1][0]
    assert [doc_id for doc_id, _ in results] == [d.id if isinstance(d, InputDoc) else "bad" for d in docs]


def test_worker_count_follows_the_setting() -> None:
    assert worker_count(load_settings(workers=3)) == 3
    assert worker_count(load_settings(workers=0)) >= 1
