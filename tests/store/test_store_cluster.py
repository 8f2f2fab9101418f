"""Ingest with extraction on Dask workers (a real LocalCluster of two worker processes): the same
stored records as an ingest on this machine, a worker killed mid-run costs nothing and doubles
nothing, a second run is a no-op, and the command line's ``--dask`` without the extra says what to
install."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from uprooted.resources import Resources, load_resources
from uprooted.settings import load_settings

pytest.importorskip("distributed", reason="the cluster extra is not installed: pip install 'uprooted[cluster]'")

from distributed import Client, LocalCluster, WorkerPlugin

from uprooted.store.cluster import DaskExtraction, connect
from uprooted.store.db import open_store, upgrade
from uprooted.store.ingest import StoreTally, ingest
from uprooted.store.models import DocumentRow, EventRow, FigureRow, PlaceRow

from .conftest import DOCS, write_jsonl

UPROOTED = str(Path(sys.executable).parent / "uprooted")

# Invented: a long report first, so that its batch is still running when the test kills its worker.
_LONG = " ".join(f"Clashes near Kuressaare on day {n} forced {20 + n} families from their homes, aid workers said."
                 for n in range(400))
MANY = [{"id": "m0", "published": "2024-02-01", "text": _LONG},
        *({"id": f"m{n}", "published": "2024-02-01",
           "text": f"Heavy rain forced {100 + n} people out of their homes in Valga, Estonia, the council said."}
          for n in range(1, 12))]


class Announce(WorkerPlugin):
    """Test-only: a worker writes its process id and the task's key when it starts a task."""

    def __init__(self, path: str) -> None:
        self.path = path

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish == "executing":
            with open(self.path, "a", encoding="utf-8") as out:
                out.write(f"{os.getpid()} {key}\n")


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """Two worker processes of one thread each, on the loopback; the tests connect by address."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local:
        yield local


@pytest.fixture
def client(cluster: LocalCluster, res: Resources) -> Iterator[Client]:
    with connect(cluster.scheduler_address, 0, res.settings) as connected:
        yield connected


def _engine(url: str) -> Engine:
    engine = open_store(url)
    upgrade(engine)
    return engine


def _stored(engine: Engine) -> dict[str, Any]:
    """What a store holds, without row ids or times: documents by key, records by key and record id."""
    with engine.connect() as conn:
        docs = conn.execute(select(DocumentRow.id, DocumentRow.key, DocumentRow.content_hash, DocumentRow.status,
                                   DocumentRow.relevant, DocumentRow.category, DocumentRow.language,
                                   DocumentRow.version, DocumentRow.current)).all()
        keys = {row.id: row.key for row in docs}
        records = {}
        for table in (FigureRow, EventRow, PlaceRow):
            rows = conn.execute(select(table.document_id, table.record)).all()
            records[table.__tablename__] = sorted((keys[r.document_id], repr(r.record)) for r in rows)
    return {"documents": sorted(tuple(row[1:]) for row in docs), **records}


def _ingest(engine: Engine, res: Resources, batch: Path, client: Client | None = None) -> StoreTally:
    tally = StoreTally()
    if client is None:
        ingest(engine, [str(batch)], res, tally)
    else:
        ingest(engine, [str(batch)], res, tally, extract=DaskExtraction(client))
    return tally


# Same records -----------------------------------------------------------------------------------


def test_a_cluster_ingest_stores_what_an_ingest_on_this_machine_stores(
        store_url: str, client: Client, res: Resources, tmp_path: Path) -> None:
    batch = write_jsonl(tmp_path / "docs.jsonl", [*DOCS, *MANY[1:5]])
    here = _engine(f"sqlite:///{tmp_path / 'here.sqlite'}")
    there = _engine(store_url)
    local = _ingest(here, res, batch)
    remote = _ingest(there, res, batch, client)
    assert (remote.stored, remote.errors) == (local.stored, local.errors) == (8, 0)
    assert _stored(there) == _stored(here)
    assert len(_stored(there)["figure"]) == 8


def test_a_cluster_ingest_of_what_is_stored_already_is_a_no_op(client: Client, res: Resources,
                                                                tmp_path: Path) -> None:
    batch = write_jsonl(tmp_path / "docs.jsonl", DOCS)
    engine = _engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    _ingest(engine, res, batch, client)
    before = _stored(engine)
    tally = _ingest(engine, res, batch, client)
    assert (tally.stored, tally.versions, tally.unchanged) == (0, 0, len(DOCS))
    assert _stored(engine) == before


# A worker that dies ----------------------------------------------------------------------------


def _kill_first_worker_to_start(announced: Path, killed: list[tuple[int, str]]) -> None:
    """Wait for a worker to start a task, then kill its process (SIGKILL: no clean-up of any kind)."""
    for _ in range(6000):  # a bound on the wait, not a timing check
        lines = announced.read_text(encoding="utf-8").split("\n") if announced.exists() else []
        if lines and lines[0]:
            pid, key = lines[0].split(" ", 1)
            os.kill(int(pid), signal.SIGKILL)
            killed.append((int(pid), key))
            return
        time.sleep(0.01)


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(store_url: str, client: Client,
                                                          tmp_path: Path) -> None:
    """The killed worker's batch runs again on another worker; each document is written once."""
    res = load_resources(load_settings(batch_size=2))
    announced = tmp_path / "announced.txt"
    client.register_plugin(Announce(str(announced)), name="announce")
    engine = _engine(store_url)
    killed: list[tuple[int, str]] = []
    killer = threading.Thread(target=_kill_first_worker_to_start, args=(announced, killed))
    killer.start()
    try:
        tally = _ingest(engine, res, write_jsonl(tmp_path / "docs.jsonl", MANY), client)
    finally:
        killer.join()
        client.unregister_worker_plugin("announce")
    assert killed, "no worker was killed"
    pid, key = killed[0]
    starts = [line.split(" ", 1) for line in announced.read_text(encoding="utf-8").splitlines()]
    assert any(k == key and int(p) != pid for p, k in starts), "the killed worker's batch was not run again"
    assert (tally.stored, tally.errors) == (len(MANY), 0)
    stored = _stored(engine)
    assert sorted(k for k, *_ in stored["documents"]) == sorted(f"id:{d['id']}" for d in MANY)
    assert len(stored["figure"]) == len({r for r in stored["figure"]})
    assert sorted({k for k, _ in stored["figure"]}) == sorted(f"id:{d['id']}" for d in MANY)


# Command line ----------------------------------------------------------------------------------


def test_ingest_on_a_local_cluster_from_the_command_line(tmp_path: Path) -> None:
    batch = write_jsonl(tmp_path / "docs.jsonl", DOCS)
    store = tmp_path / "store.sqlite"
    done = subprocess.run([UPROOTED, "ingest", "--db", str(store), "--dask", "local", "--workers", "2",
                           "--no-progress", str(batch)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "4 document(s) stored, 0 new version(s), 0 unchanged" in done.stderr


def test_workers_with_a_remote_scheduler_is_refused(tmp_path: Path) -> None:
    """A running scheduler has the workers it was given; --workers would say something it cannot do."""
    done = subprocess.run([UPROOTED, "ingest", "--db", str(tmp_path / "s.sqlite"), "--dask", "tcp://127.0.0.1:9",
                           "--workers", "2", "docs.jsonl"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "--workers sizes a local cluster (--dask local)" in " ".join(done.stderr.split())


def test_dask_without_the_cluster_extra_says_how_to_install_it() -> None:
    """sys.modules[name] = None is how Python marks a module that cannot be imported."""
    done = subprocess.run([sys.executable, "-c", "import sys\n"
                           "sys.modules['distributed'] = None\n"
                           "from uprooted.cli import main\n"
                           "sys.argv = ['uprooted', 'ingest', '--dask', 'local', 'docs.jsonl']\n"
                           "main()"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "--dask needs the 'cluster' extra (distributed not installed): pip install 'uprooted[cluster]'" \
        in " ".join(done.stderr.split())
