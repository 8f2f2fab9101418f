"""Extraction on Dask distributed workers, for ``uprooted ingest --dask ADDRESS`` (a running
scheduler) or ``--dask local`` (a cluster of worker processes on this machine).

It takes the documents ``ingest`` has not stored yet and yields each with its records, in input
order, like ``pipeline.extract_docs``: the store's code stays the one writer. Documents go to the
workers in batches of ``Settings.batch_size``; each worker loads uprooted's resources once, when it
starts (``LoadResources``, a worker plugin the scheduler also gives to workers that join or are
restarted later), and runs the pipeline in its own process.

Writes happen here, in the process that runs ``ingest``, not on the workers. A worker that dies
mid-batch has written nothing, and the scheduler runs its batch again on another worker; its result
reaches the store once, in one transaction per document, and ``write_document`` would still find a
document already stored. This is safe on SQLite (one writer) and costs little on PostgreSQL:
writing takes a few milliseconds a document against a few hundred for extracting it (see
docs/scale.md), so one writer keeps up with dozens of workers. The rest of the module needs the
``cluster`` extra (dask and distributed): the command line checks for it
(``store.missing_cluster_extra``) before importing this module.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from itertools import islice
from typing import Any

import dask.config
from distributed import CancelledError, Client, Future, KilledWorker, LocalCluster, WorkerPlugin
from pydantic import BaseModel

from ..errors import ReadError, UprootedError
from ..pipeline import error_record, extract_docs
from ..read import InputDoc
from ..records import ErrorRecord
from ..resources import Resources, load_resources
from ..settings import Settings

__all__ = ["DaskExtraction", "LoadResources", "connect", "extract_batch"]

# Batches in flight per worker thread: one running, the next ones waiting on the worker, so that a
# worker never idles while this process writes.
_AHEAD = 3


# One batch at a time per process: spaCy's memory zones and the resources' caches are not shared
# between threads, and a worker started with several threads would otherwise run batches side by side.
_one_at_a_time = threading.Lock()


def extract_batch(docs: list[InputDoc], settings: Settings) -> list[list[BaseModel]]:
    """On a worker: the records of each document of a batch, in order (the pipeline, in this process)."""
    with _one_at_a_time:
        return [records for _, records in extract_docs(docs, load_resources(settings))]


def _in_process(settings: Settings) -> Settings:
    """A worker's settings: everything in the worker process, which Dask counts as one worker."""
    return settings.model_copy(update={"workers": 1})


def _batches(items: Iterable[InputDoc | ReadError], size: int) -> Iterator[list[InputDoc | ReadError]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class DaskExtraction:
    """``extract_docs`` on a Dask cluster: a function of the same shape for ``ingest(extract=...)``."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def __call__(self, inputs: Iterable[InputDoc | ReadError],
                 res: Resources) -> Iterator[tuple[InputDoc | ReadError, list[BaseModel]]]:
        settings = _in_process(res.settings)
        pending: deque[tuple[list[InputDoc | ReadError], Future[list[list[BaseModel]]] | None]] = deque()
        for batch in _batches(inputs, settings.batch_size):
            docs = [item for item in batch if isinstance(item, InputDoc)]
            future = self.client.submit(extract_batch, docs, settings, pure=False) if docs else None
            pending.append((batch, future))
            while len(pending) >= self._limit():
                yield from self._collect(*pending.popleft())
        while pending:
            yield from self._collect(*pending.popleft())

    def _limit(self) -> int:
        """Batches to keep in flight: a few per worker thread the cluster has now (it may grow or shrink)."""
        threads: dict[str, int] = self.client.nthreads()
        return _AHEAD * max(1, sum(threads.values()))

    def _collect(self, batch: list[InputDoc | ReadError], future: Future[list[list[BaseModel]]] | None
                 ) -> Iterator[tuple[InputDoc | ReadError, list[BaseModel]]]:
        """A batch's inputs paired with their records: the worker's for documents, the error for the
        rest. A batch whose workers kept dying (the scheduler gives up after a few) becomes an error
        of each of its documents, kept by the store until a later run gets them through."""
        records: Iterator[list[BaseModel]] = iter(())
        lost: str | None = None
        if future is not None:
            try:
                records = iter(future.result())
            except KilledWorker as exc:
                lost = f"the Dask workers extracting this document's batch died, time after time: {exc}"
            except CancelledError as exc:
                raise UprootedError(f"the Dask cluster cancelled a batch (was the scheduler lost?): {exc}") from exc
            finally:
                future.release()
        for item in batch:
            if isinstance(item, ReadError):
                yield item, [error_record(item)]
            elif lost is not None:
                yield item, [ErrorRecord(doc_id=item.id, error=lost, stage="cluster")]
            else:
                yield item, next(records)


class LoadResources(WorkerPlugin):
    """A worker's set-up: uprooted's resources (spaCy pipeline, vocabularies, gazetteer) loaded once,
    before its first batch, so that no batch pays for them."""

    name = "uprooted-resources"

    def __init__(self, settings: Settings) -> None:
        self.settings = _in_process(settings)

    def setup(self, worker: Any) -> None:
        load_resources(self.settings).gazetteer()


@contextmanager
def connect(address: str, workers: int, settings: Settings) -> Iterator[Client]:
    """A client of the scheduler at ``address``, or of a cluster of ``workers`` processes on this
    machine (``local``, listening on the loopback only), whose workers have loaded the resources."""
    # Dask's own messages (workers joining, leaving, restarted) at the level the command line chose.
    level = logging.getLogger().getEffectiveLevel()
    logging.getLogger("distributed").setLevel(level)
    with ExitStack() as stack:
        if address == "local":
            stack.enter_context(dask.config.set({"distributed.nanny.pre-spawn-environ": _worker_environ()}))
        try:
            if address == "local":
                cluster: LocalCluster | None = stack.enter_context(LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=None, silence_logs=level))
                client = stack.enter_context(Client(cluster))
            else:
                client = stack.enter_context(Client(address, timeout="30s"))
        except (OSError, TimeoutError) as exc:
            raise UprootedError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        try:
            client.register_plugin(LoadResources(settings))
        except (UprootedError, OSError, sqlite3.Error) as exc:
            raise UprootedError(f"a Dask worker cannot load the model or the gazetteer: {exc}") from exc
        yield client


def _worker_environ() -> dict[str, Any]:
    """The environment Dask gives the worker processes it starts, but glibc's default for returning
    freed memory to the system: Dask asks for it after every 64 KB freed, which cost extraction about
    10% more CPU here, while the pipeline's memory zones keep a worker's memory flat anyway."""
    environ: dict[str, Any] = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    return environ
