"""What writing costs the store per document, apart from extraction: the wall time, this process's
CPU time and (PostgreSQL on this machine) the server backend's CPU time of ``write_document``.

    python benchmarks/store_writes.py --shared ../shared [--db postgresql+psycopg://...] [--skip-irrelevant]

Not a test (pytest never collects it). The reference stream (geo-gwn + geo-trnews + idmc) is
extracted once, in this process; then its documents are written, one transaction each as ``ingest``
writes them, into a fresh SQLite file and, with ``--db``, into that PostgreSQL database (emptied
first). CPU times move little with the machine's load, wall time does not: on a shared machine, a
write's round trips wait for a core, so read the CPU columns as the cost and the wall column as
what this machine gave at that load. Also printed: the rows written per document and the
database's size per document (PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, text

from uprooted.pipeline import extract_docs
from uprooted.read import InputDoc
from uprooted.records import Event, Figure, Place
from uprooted.resources import load_resources
from uprooted.settings import load_settings
from uprooted.store.db import open_store, upgrade
from uprooted.store.ingest import write_document
from uprooted.store.keys import content_hash, extractor_version, id_key

ROOT = Path(__file__).resolve().parent.parent
STREAM = ("geo-gwn", "geo-trnews", "idmc")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _backend_cpu(pid: int) -> float:
    """CPU seconds of a process on this machine (a PostgreSQL backend), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _fresh(url: str) -> Engine:
    engine = open_store(url)
    if not url.startswith("sqlite"):
        meta = MetaData()
        meta.reflect(engine)
        meta.drop_all(engine)
    upgrade(engine)
    engine.dispose()
    return open_store(url)


def _write(url: str, done: list[tuple[InputDoc, list[Any]]], version: str) -> dict[str, float]:
    engine = _fresh(url)
    backend = None
    if not url.startswith("sqlite"):
        with engine.connect() as conn:
            backend = int(conn.execute(text("select pg_backend_pid()")).scalar_one())
    b0 = _backend_cpu(backend) if backend else 0.0
    t0, c0 = time.perf_counter(), _cpu()
    for item, records in done:
        write_document(engine, item, id_key(item.id), content_hash(item.text), records, version)
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    out = {"wall_ms": 1000 * wall / len(done), "client_cpu_ms": 1000 * cpu / len(done),
           "server_cpu_ms": 1000 * (_backend_cpu(backend) - b0) / len(done) if backend else 0.0}
    if backend:
        with engine.connect() as conn:
            size = conn.execute(text("select pg_database_size(current_database())")).scalar_one()
            empty = conn.execute(text("select sum(pg_total_relation_size(c.oid)) from pg_class c join pg_namespace n "
                                      "on n.oid = c.relnamespace where n.nspname = 'public'")).scalar_one()
        out["db_kb_per_doc"] = int(empty) / 1024 / len(done)
        out["db_mb"] = int(size) / 2**20
    engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--db", help="a PostgreSQL URL (its database is emptied first)")
    ap.add_argument("--skip-irrelevant", action="store_true")
    a = ap.parse_args()
    docs: list[InputDoc] = []
    for name in STREAM:
        with (Path(a.shared) / "corpus" / f"{name}.jsonl").open(encoding="utf-8") as f:
            docs.extend(InputDoc.model_validate(json.loads(line)) for line in f)
    docs = list({d.id: d for d in docs}.values())  # one document an id, as a run keeps them
    res = load_resources(load_settings(skip_irrelevant=a.skip_irrelevant, workers=1))
    done = [(item, records) for item, records in extract_docs(docs, res) if isinstance(item, InputDoc)]
    rows = {kind.__name__: sum(isinstance(r, kind) for _, recs in done for r in recs) / len(done)
            for kind in (Figure, Event, Place)}
    print(f"{len(done)} documents ({'skip-irrelevant' if a.skip_irrelevant else 'default'} mode); rows per "
          f"document: 1 document + " + " + ".join(f"{n:.2f} {k.lower()}" for k, n in rows.items()))
    one, five, fifteen = os.getloadavg()
    print(f"load average: {one:.2f} {five:.2f} {fifteen:.2f}")
    version = extractor_version(res.settings)
    with tempfile.TemporaryDirectory(prefix="uprooted-writes-") as tmp:
        for label, url in (("SQLite", f"sqlite:///{tmp}/store.sqlite"), ("PostgreSQL", a.db)):
            if url:
                print(label, {k: round(v, 2) for k, v in _write(url, done, version).items()})


if __name__ == "__main__":
    main()
