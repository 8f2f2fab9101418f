"""Worker processes: the same records as one process, in input order."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time
from typing import Any

import pytest

from uprooted import pipeline
from uprooted.errors import ReadError
from uprooted.pipeline import extract_docs, worker_count
from uprooted.read import InputDoc
from uprooted.resources import Resources, load_resources
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


def test_a_long_input_goes_to_the_workers_from_its_first_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process reads and collects; parsing the first batch here kept the workers waiting."""
    here: list[int] = []
    real = pipeline._in_zone

    def counted(batch: list[InputDoc | ReadError], res: Resources) -> Any:
        here.append(os.getpid())
        return real(batch, res)

    monkeypatch.setattr(pipeline, "_in_zone", counted)
    parent = os.getpid()
    docs: list[InputDoc | ReadError] = list(_docs())
    assert [doc_id for doc_id, _ in _run(2, docs)] == [d.id for d in _docs()]
    assert parent not in here


def test_an_input_shorter_than_a_batch_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("workers started for one short batch")

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", no_pool)
    docs: list[InputDoc | ReadError] = list(_docs()[:1])
    assert [doc_id for doc_id, _ in _run(2, docs)] == ["d0"]


def test_a_second_run_finds_the_workers_of_the_first() -> None:
    """Workers outlive a call: loaded once, their caches warm for the next."""
    docs: list[InputDoc | ReadError] = list(_docs())
    first = _run(2, docs)
    res = load_resources(load_settings(workers=2, batch_size=2))
    pool = pipeline._pool(res, 2)
    workers = {p.pid for p in multiprocessing.active_children()}
    assert len(workers) >= 2
    assert _run(2, docs) == first
    assert pipeline._pool(res, 2) is pool
    after = {p.pid for p in multiprocessing.active_children()}
    assert len(after) >= 2 and after <= workers  # a pool dropped before may still be ending


def test_workers_that_died_between_runs_are_replaced() -> None:
    docs: list[InputDoc | ReadError] = list(_docs())
    first = _run(2, docs)
    res = load_resources(load_settings(workers=2, batch_size=2))
    pool = pipeline._pool(res, 2)
    for pid in {pool.submit(os.getpid).result() for _ in range(8)}:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while not getattr(pool, "_broken", False) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _run(2, docs) == first
    assert pipeline._pool(res, 2) is not pool


def test_workers_can_be_stopped_and_start_again() -> None:
    docs: list[InputDoc | ReadError] = list(_docs())
    first = _run(2, docs)
    pipeline.shutdown_workers()
    assert not pipeline._pools
    assert _run(2, docs) == first
