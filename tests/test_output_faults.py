"""Output that survives faults: a run killed with SIGKILL, a file size limit, a full device. After
``--resume`` every document is in the output exactly once, whole."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from uprooted.output import csv_cell, resume_jsonl

UPROOTED = str(Path(sys.executable).parent / "uprooted")


def _docs(n: int) -> list[dict[str, str]]:
    return [{"id": f"k{i}", "text": f"On Monday {100 + i} families fled the floods near the dam, officials said."}
            for i in range(n)]


def _write_batch(path: Path, docs: list[dict[str, str]]) -> None:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))


def _check_whole(out: Path, ids: list[str]) -> None:
    """Every line is JSON; each document appears once, followed by exactly its ``record_count``
    records; no error line is left."""
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    documents = [r for r in records if r["type"] == "document"]
    assert sorted(d["doc_id"] for d in documents) == sorted(ids)
    per_doc = Counter(r["doc_id"] for r in records)
    assert all(per_doc[d["doc_id"]] == d["record_count"] + 1 for d in documents)
    assert not [r for r in records if r["type"] == "error"]


def _document_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b'"type": "document"')
    except FileNotFoundError:
        return 0


def test_a_run_killed_mid_batch_resumes_with_every_document_once(tmp_path: Path) -> None:
    """A kill -9 used to lose the rest of the document being written, glue the next line onto the
    torn one and, on a second resume, write duplicates."""
    batch, out = tmp_path / "docs.jsonl", tmp_path / "out.jsonl"
    docs = _docs(150)
    _write_batch(batch, docs)
    env = {**os.environ, "UPROOTED_BATCH_SIZE": "1"}
    cmd = [UPROOTED, "extract", "-f", "jsonl", "-o", str(out), "--no-progress", str(batch)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _document_lines(out) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # The kill may land between two writes of one document: cut the last one the way that leaves it.
    data = out.read_bytes()
    last = data.rindex(b'{"type": "document"')
    out.write_bytes(data[: last + (len(data) - last) // 2])
    for _ in range(2):  # a second resume must change nothing
        run = subprocess.run([*cmd, "--resume"], env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        _check_whole(out, [d["id"] for d in docs])


def _processes_with(marker: str) -> list[int]:
    """Live processes whose command line holds ``marker`` (zombies are dead and excluded)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if marker in (entry / "cmdline").read_bytes().decode(errors="replace") and \
                    " Z " not in (entry / "stat").read_text():
                found.append(int(entry.name))
        except (OSError, ValueError):
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_worker_processes_die_with_a_killed_run(tmp_path: Path) -> None:
    """An orphaned worker kept the killed run's files and sockets open (a store's transaction with
    them, so the rerun waited on its locks for ever)."""
    batch, out = tmp_path / "docs.jsonl", tmp_path / "out.jsonl"
    _write_batch(batch, _docs(60))
    env = {**os.environ, "UPROOTED_BATCH_SIZE": "2"}
    cmd = [UPROOTED, "extract", "-f", "jsonl", "-o", str(out), "--no-progress", "--workers", "2", str(batch)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _document_lines(out) < 6 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert len(_processes_with(str(out))) >= 2, "the run should have started its workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while _processes_with(str(out)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _processes_with(str(out))
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (4000, 4000))


def test_a_file_size_limit_mid_run_is_one_message_and_resume_completes(tmp_path: Path) -> None:
    batch, out = tmp_path / "docs.jsonl", tmp_path / "out.jsonl"
    docs = _docs(12)
    _write_batch(batch, docs)
    cmd = [UPROOTED, "extract", "-f", "jsonl", "-o", str(out), "--no-progress", str(batch)]
    run = subprocess.run(cmd, preexec_fn=_limit_file_size, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert run.stderr.strip() == f"error: cannot write {out}: File too large"
    assert 0 < out.stat().st_size <= 4000
    run = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    _check_whole(out, [d["id"] for d in docs])


@pytest.mark.parametrize("where", ["option", "redirect"])
def test_a_full_device_is_one_message_and_exit_1(tmp_path: Path, where: str) -> None:
    batch = tmp_path / "docs.jsonl"
    _write_batch(batch, _docs(2))
    cmd = [UPROOTED, "extract", "-f", "jsonl", "--no-progress", str(batch)]
    with open("/dev/full", "w") as full:
        if where == "option":
            run = subprocess.run([*cmd, "-o", "/dev/full"], capture_output=True, text=True, timeout=300)
        else:
            run = subprocess.run(cmd, stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert run.returncode == 1
    target = "/dev/full" if where == "option" else "the standard output"
    assert run.stderr.strip() == f"error: cannot write {target}: No space left on device"


def test_output_that_is_also_the_input_is_refused_and_left_intact(tmp_path: Path) -> None:
    batch = tmp_path / "docs.jsonl"
    _write_batch(batch, _docs(2))
    before = batch.read_bytes()
    run = subprocess.run([UPROOTED, "extract", "-f", "jsonl", "-o", str(batch), str(batch)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 2
    assert run.stderr.strip() == f"error: --output {batch} is also an input: it would be overwritten while read"
    assert batch.read_bytes() == before


# --- resume on hand-made files ---------------------------------------------------------------------


def _unit(doc_id: str, n: int) -> list[str]:
    head = {"type": "document", "doc_id": doc_id, "record_count": n}
    return [json.dumps(head)] + [json.dumps({"type": "place", "doc_id": doc_id, "n": k}) for k in range(n)]


def test_resume_keeps_whole_documents_and_drops_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    lines = [*_unit("a", 2), json.dumps({"type": "error", "doc_id": "b", "error": "x"}), *_unit("c", 3)[:2],
             *_unit("a", 2), *_unit("d", 1)]
    out.write_text("\n".join(lines) + "\n" + '{"type": "document", "doc_id": "e", "rec')
    assert resume_jsonl(out) == {"a", "d"}
    assert out.read_text().splitlines() == [*_unit("a", 2), *_unit("d", 1)]


def test_resume_leaves_a_clean_file_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("\n".join([*_unit("a", 1), *_unit("b", 0)]) + "\n")
    inode = out.stat().st_ino
    assert resume_jsonl(out) == {"a", "b"}
    assert out.stat().st_ino == inode


# --- CSV ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=x"])
def test_csv_cell_that_a_spreadsheet_would_run_is_neutralised(cell: str) -> None:
    assert csv_cell(cell) == "'" + cell


def test_csv_numbers_and_plain_text_pass() -> None:
    assert (csv_cell(-3), csv_cell("Some 300"), csv_cell(None)) == (-3, "Some 300", None)
