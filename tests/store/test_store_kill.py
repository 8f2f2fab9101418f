"""An ingest killed with SIGKILL in the middle of a run, then run again: every document stored
once, with all its records, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from uprooted.errors import StoreError
from uprooted.pipeline import extract_docs
from uprooted.read import InputDoc
from uprooted.records import Figure
from uprooted.resources import Resources
from uprooted.store.db import open_store, translate
from uprooted.store.models import DocumentRow, FigureRow

from .conftest import write_jsonl

UPROOTED = str(Path(sys.executable).parent / "uprooted")
DOCS = [{"id": f"k{n}", "text": f"Floods forced {100 + n} people to leave their homes, the council said."}
        for n in range(240)]


def _stored(url: str) -> int:
    """Documents committed so far (0 while the other process has not created the schema yet)."""
    engine = open_store(url)
    try:
        with translate(doing="count"), engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(DocumentRow)).scalar_one())
    except StoreError:
        return 0
    finally:
        engine.dispose()


def test_an_ingest_killed_mid_run_and_run_again_loses_and_doubles_nothing(store_url: str, res: Resources,
                                                                          tmp_path: Path) -> None:
    batch = write_jsonl(tmp_path / "docs.jsonl", DOCS)
    command = [UPROOTED, "ingest", "--db", store_url, "--no-progress", str(batch)]
    env = {**os.environ, "UPROOTED_BATCH_SIZE": "4"}  # commits come in small steps
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(12000):  # a bound on the wait, not a timing check
        if proc.poll() is not None or _stored(store_url) >= 8:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = _stored(store_url)
    assert 0 < killed_at < len(DOCS), "the run was not stopped mid-ingest"

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(DOCS) - killed_at} document(s) stored, 0 new version(s), {killed_at} unchanged" in rerun.stderr

    engine = open_store(store_url)
    with engine.connect() as conn:
        doc_ids = sorted(conn.execute(select(DocumentRow.doc_id)).scalars())
        figures = sorted(conn.execute(select(FigureRow.record_id, FigureRow.value)).all())
    engine.dispose()
    assert doc_ids == sorted(d["id"] for d in DOCS)
    expected = sorted((r.id, float(r.quantity.value)) for _, records in
                      extract_docs([InputDoc(**d) for d in DOCS], res) for r in records if isinstance(r, Figure))
    assert [tuple(f) for f in figures] == expected
