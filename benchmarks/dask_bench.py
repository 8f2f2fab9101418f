"""Throughput of ``ingest --dask``: a LocalCluster of 1 worker against one of 2, on the reference stream,
and the stored records against an ingest on this machine.

    python benchmarks/dask_bench.py --shared ../shared [--workers 1,2] [--skip-irrelevant] [--db URL]

Not a test (pytest never collects it). The reference stream is ``geo-gwn`` + ``geo-trnews`` + ``idmc``
(383 documents), read from their JSONL files as ``ingest`` reads them. First an ingest in this
process (``workers = 1``) into a fresh SQLite store: the reference for the records and for one
process's speed. Then, for each cluster size, a fresh cluster whose workers load the resources and
are warmed on a few documents before the clock starts, and an ingest into a fresh store (SQLite, or
a fresh database under ``--db``: a PostgreSQL server URL whose database is emptied first). Reported
per run: documents per second, the ratio to one worker measured in the same run, the CPU seconds of
the workers and of this process (the one writer), the wall time of the store's lookups and writes
per document (what one writer can sustain), the peak resident memory of the largest worker,
whether the stored records are identical to the reference, and the machine's load average (the
machine may be shared: a ratio measured under load says less). Rows are appended, with the commit,
to ``benchmarks/dask.csv``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ingest import time_store_calls  # this folder's benchmarks/ingest.py: the same wrapper of the store's calls
from record import append_rows, load_average  # this folder's benchmarks/record.py
from sqlalchemy import Engine, MetaData, select

from uprooted.read import InputDoc
from uprooted.resources import load_resources
from uprooted.settings import Settings, load_settings
from uprooted.store.cluster import DaskExtraction, connect, extract_batch
from uprooted.store.db import open_store, upgrade
from uprooted.store.ingest import StoreTally, ingest
from uprooted.store.models import DocumentRow, EventRow, FigureRow, PlaceRow

ROOT = Path(__file__).resolve().parent.parent
STREAM = ("geo-gwn", "geo-trnews", "idmc")
WARM = 12  # documents each worker extracts before the clock starts


SPENT = time_store_calls()


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _worker_usage() -> dict[str, float]:
    """On a worker: its CPU seconds so far and its peak resident memory (MB)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024}


def _fresh(url: str | None, folder: Path, name: str) -> Engine:
    """A store at the newest schema with nothing in it."""
    engine = open_store(url or f"sqlite:///{folder / name}.sqlite")
    if url:
        meta = MetaData()
        meta.reflect(engine)
        meta.drop_all(engine)
    upgrade(engine)
    return engine


def _stored(engine: Engine) -> dict[str, Any]:
    """What a store holds, without row ids or times."""
    with engine.connect() as conn:
        docs = conn.execute(select(DocumentRow.id, DocumentRow.key, DocumentRow.content_hash, DocumentRow.status,
                                   DocumentRow.relevant, DocumentRow.category, DocumentRow.language)).all()
        keys = {row.id: row.key for row in docs}
        records: dict[str, Any] = {"documents": sorted(tuple(row[1:]) for row in docs)}
        for table in (FigureRow, EventRow, PlaceRow):
            rows = conn.execute(select(table.document_id, table.record)).all()
            records[table.__tablename__] = sorted((keys[r.document_id], json.dumps(r.record, sort_keys=True))
                                                  for r in rows)
    return records


def _targets(shared: Path) -> list[str]:
    return [str(shared / "corpus" / f"{name}.jsonl") for name in STREAM]


def _warm_docs(shared: Path) -> list[InputDoc]:
    with (shared / "corpus" / f"{STREAM[-1]}.jsonl").open(encoding="utf-8") as f:
        return [InputDoc.model_validate(json.loads(line)) for line, _ in zip(f, range(WARM), strict=False)]


def _here(settings: Settings, targets: list[str], folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The reference: ingest in this process, one process."""
    res = load_resources(settings.model_copy(update={"workers": 1}))
    res.gazetteer()
    ingest(_fresh(None, folder, "warm-here"), targets[-1:], res, StoreTally())  # warm-up
    engine = _fresh(None, folder, "here")
    tally = StoreTally()
    t0, c0, SPENT[0] = time.perf_counter(), _own_cpu(), 0.0
    ingest(engine, targets, res, tally)
    seconds = time.perf_counter() - t0
    row = {"run": "this process", "workers": 1, "docs": tally.documents, "seconds": seconds,
           "store_ms": 1000 * SPENT[0] / tally.documents,
           "docs_per_s": tally.documents / seconds, "worker_cpu_s": 0.0, "client_cpu_s": _own_cpu() - c0,
           "worker_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "identical": True}
    return row, _stored(engine)


def _cluster(settings: Settings, workers: int, targets: list[str], folder: Path, url: str | None,
             warm: list[InputDoc], reference: dict[str, Any]) -> dict[str, Any]:
    with connect("local", workers, settings) as client:
        client.run(extract_batch, warm, settings.model_copy(update={"workers": 1}))
        engine = _fresh(url, folder, f"cluster-{workers}")
        before = client.run(_worker_usage)
        tally = StoreTally()
        t0, c0, SPENT[0] = time.perf_counter(), _own_cpu(), 0.0
        ingest(engine, targets, load_resources(settings), tally, extract=DaskExtraction(client))
        seconds = time.perf_counter() - t0
        store_ms = 1000 * SPENT[0] / tally.documents
        client_cpu = _own_cpu() - c0
        after = client.run(_worker_usage)
    worker_cpu = sum(after[w]["cpu"] - before[w]["cpu"] for w in after if w in before)
    return {"run": f"cluster of {workers}", "workers": workers, "docs": tally.documents, "seconds": seconds,
            "docs_per_s": tally.documents / seconds, "worker_cpu_s": worker_cpu, "client_cpu_s": client_cpu,
            "store_ms": store_ms,
            "worker_rss_mb": max(u["rss"] for u in after.values()), "identical": _stored(engine) == reference}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--workers", default="1,2", help="cluster sizes to run, in order")
    ap.add_argument("--skip-irrelevant", action="store_true")
    ap.add_argument("--db", help="a PostgreSQL URL for the cluster runs' stores (emptied before each run)")
    a = ap.parse_args()
    shared = Path(a.shared)
    settings = load_settings(skip_irrelevant=a.skip_irrelevant)
    targets = _targets(shared)
    mode = "skip-irrelevant" if a.skip_irrelevant else "default"
    rows = []
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="uprooted-dask-bench-") as tmp:
        folder = Path(tmp)
        row, reference = _here(settings, targets, folder)
        row["load"] = load_average()
        rows.append(row)
        warm = _warm_docs(shared)
        for n in (int(w) for w in a.workers.split(",")):
            load = load_average()
            row = _cluster(settings, n, targets, folder, a.db, warm, reference)
            row["load"] = f"{load} -> {load_average()}"
            rows.append(row)
    one = next((r["docs_per_s"] for r in rows if r["run"] == "cluster of 1"), None)
    print(f"reference stream: {rows[0]['docs']} documents ({' + '.join(STREAM)}); mode: {mode}; "
          f"store: {'PostgreSQL' if a.db else 'SQLite'}; cores: {os.cpu_count()}; load average before: "
          f"{load_before}, after: {load_average()}")
    print(f"{'run':<14} {'docs/s':>7} {'x 1 wkr':>8} {'worker CPU s':>13} {'client CPU s':>13} {'store ms/doc':>13} "
          f"{'RSS worker':>11} "
          f"{'identical':>9}  load (1/5/15 min)")
    for r in rows:
        ratio = f"{r['docs_per_s'] / one:.2f}" if one else "-"
        print(f"{r['run']:<14} {r['docs_per_s']:7.1f} {ratio:>8} {r['worker_cpu_s']:13.1f} {r['client_cpu_s']:13.1f} "
              f"{r['store_ms']:13.1f} {r['worker_rss_mb']:9.0f}MB {r['identical']!s:>9}  {r['load']}")
    append_rows("dask.csv", ["mode", "store", "run", "docs", "docs_per_s", "ratio_to_one_worker", "worker_cpu_s",
                             "client_cpu_s", "store_ms_per_doc", "worker_rss_mb", "identical", "load"],
                ([mode, "postgresql" if a.db else "sqlite", r["run"], r["docs"], round(r["docs_per_s"], 1),
                  round(r["docs_per_s"] / one, 2) if one else "", round(r["worker_cpu_s"], 1),
                  round(r["client_cpu_s"], 1), round(r["store_ms"], 1), round(r["worker_rss_mb"]), r["identical"],
                  r["load"]] for r in rows))
    return 0 if all(r["identical"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
