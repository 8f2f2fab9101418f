"""Speed and memory of ``extract`` against a bare ``nlp.pipe`` of the spaCy pipeline it runs, as shipped.

    python benchmarks/run.py --shared ../shared [--repeat 2] [--modes bare,default,...]

Not a test (pytest never collects it). The reference stream is a monitoring feed in miniature:
``geo-gwn`` + ``geo-trnews`` (news, mostly not about displacement) + ``idmc`` (displacement
excerpts), 383 documents. Each mode runs in a fresh child process that loads the resources and warms
them on a few documents before the clock starts, so neither model loading nor a cold cache is timed;
the child samples its own memory and its workers' while it runs. Reported per mode: documents per
second (best of ``--repeat``), the ratio to the bare single-process parse measured in the same run,
the CPU seconds the run took (its own and its workers': the fairer comparison on a busy machine),
the seconds its processes were ready to run but waited for a core (the kernel's run-queue wait: how
much of the wall time other work on the machine took; near zero on an idle machine),
the peak resident memory of the main process and of the largest worker, and the peak proportional
set size of the whole process tree (shared pages counted once: what the run costs the machine).
The machine's load average is recorded with each run: on a shared machine, repeat a run taken
under load. Each run appends its rows, with the commit, to ``benchmarks/speed.csv``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

from record import append_rows, load_average  # this folder's benchmarks/record.py

ROOT = Path(__file__).resolve().parent.parent
STREAM = ("geo-gwn", "geo-trnews", "idmc")
# mode -> (what runs, workers)
MODES = {
    "bare": ("bare", 1),
    "default": ("extract", 1),
    "default-2": ("extract", 2),
    "skip": ("skip", 1),
    "skip-2": ("skip", 2),
}


# The sampler looks at the workers' run-queue waits every _LOOK seconds (a cheap read), and at the
# tree's PSS every _PSS_EVERY looks: the kernel walks every page of a process to sum its PSS, about
# 10 ms of CPU for a loaded pipeline, which at every look took a third of a core from a run of three
# processes on two cores.
_LOOK = 0.1
_PSS_EVERY = 10


def _tree_pss_mb(root: int) -> float:
    """Proportional set size of ``root`` and its children (MB): shared pages split between them."""
    total = 0
    for pid in [root, *_children(root)]:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total / 1024


def _children(root: int) -> list[int]:
    """The live children of ``root``, whichever of its threads started them."""
    found: list[int] = []
    for task in Path(f"/proc/{root}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _live_cpu(pid: int) -> float:
    """CPU seconds a live process has used so far (``/proc/PID/stat``: user and system time)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a live process (``VmHWM``), MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _run_queue_wait(pid: int) -> float | None:
    """Seconds ``pid`` has spent ready to run but waiting for a core (``/proc/PID/schedstat``)."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


def _cpu_seconds() -> float:
    """CPU time of this process and of its workers, finished (``RUSAGE_CHILDREN``) and still alive
    (workers kept between runs): unlike wall time, it hardly moves when other work shares the
    machine."""
    own, done = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    live = sum(_live_cpu(pid) for pid in _children(os.getpid()))
    return own.ru_utime + own.ru_stime + done.ru_utime + done.ru_stime + live


def _child(mode: str, shared: Path, repeat: int) -> None:
    """Run one mode in this (fresh) process and print its measures as JSON."""
    import spacy

    from uprooted.pipeline import extract_docs
    from uprooted.read import InputDoc
    from uprooted.resources import load_resources
    from uprooted.settings import load_settings

    kind, workers = MODES[mode]
    docs: list[InputDoc] = []
    for name in STREAM:
        with (shared / "corpus" / f"{name}.jsonl").open(encoding="utf-8") as f:
            docs.extend(InputDoc.model_validate(json.loads(line)) for line in f)
    settings = load_settings(skip_irrelevant=kind == "skip", workers=workers)
    # The reference is spaCy's pipeline as the model package ships it: uprooted's own loading adds a
    # component and replaces a matching step, which are part of what ``extract`` is measured on.
    bare_nlp = spacy.load(settings.spacy_model) if kind == "bare" else None
    res = None if bare_nlp is not None else load_resources(settings)
    if res is not None:
        res.gazetteer()

    def run(batch: list[InputDoc]) -> None:
        if bare_nlp is not None:
            for _ in bare_nlp.pipe([d.text for d in batch], batch_size=settings.batch_size):
                pass
        elif res is not None:
            for _ in extract_docs(batch, res):
                pass

    run(docs[:20])  # warm-up: lazy loads, caches, the event matchers
    peak = {"pss": 0.0, "worker_rss": 0.0}
    waited: dict[int, float] = {}  # worker -> its run-queue wait at the last look
    stop = threading.Event()

    def sample() -> None:
        looks = 0
        while not stop.is_set():
            if looks % _PSS_EVERY == 0:
                peak["pss"] = max(peak["pss"], _tree_pss_mb(os.getpid()))
            looks += 1
            for pid in _children(os.getpid()):
                if (w := _run_queue_wait(pid)) is not None:
                    waited[pid] = w
                peak["worker_rss"] = max(peak["worker_rss"], _peak_rss_mb(pid))
            stop.wait(_LOOK)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    best = cpu = float("inf")
    wait = 0.0
    for _ in range(repeat):
        waited.clear()
        # Workers kept from an earlier call bring the waits they had before this run.
        before = {pid: _run_queue_wait(pid) or 0.0 for pid in _children(os.getpid())}
        t0, c0, w0 = time.perf_counter(), _cpu_seconds(), _run_queue_wait(os.getpid()) or 0.0
        run(docs)
        seconds = time.perf_counter() - t0
        cpu = min(cpu, _cpu_seconds() - c0)
        for pid in _children(os.getpid()):
            if (w := _run_queue_wait(pid)) is not None:
                waited[pid] = w
        if seconds < best:
            best = seconds
            workers_wait = sum(w - before.get(pid, 0.0) for pid, w in waited.items())
            wait = (_run_queue_wait(os.getpid()) or 0.0) - w0 + workers_wait
    stop.set()
    sampler.join()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_rss = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, peak["worker_rss"])
    print(json.dumps({"mode": mode, "docs": len(docs), "seconds": best, "docs_per_s": len(docs) / best,
                      "cpu_s": cpu, "wait_s": wait,
                      "rss_main_mb": own, "rss_worker_mb": workers_rss, "pss_total_mb": peak["pss"]}))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        _child(a.child, Path(a.shared), a.repeat)
        return 0
    rows = []
    load_before = load_average()
    for mode in a.modes.split(","):
        load = load_average()
        out = subprocess.run([sys.executable, __file__, "--shared", a.shared, "--repeat", str(a.repeat),
                              "--child", mode], capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        row["load"] = load
        rows.append(row)
    bare = next((r["docs_per_s"] for r in rows if r["mode"] == "bare"), None)
    bare_cpu = next((r["cpu_s"] for r in rows if r["mode"] == "bare"), None)
    print(f"reference stream: {rows[0]['docs']} documents ({' + '.join(STREAM)}); cores: {os.cpu_count()}; "
          f"load average before: {load_before}, after: {load_average()}")
    header = (f"{'mode':<10} {'docs/s':>8} {'x bare':>7} {'CPU s':>6} {'x bare':>7} {'wait s':>6} {'RSS main':>9} "
              f"{'RSS worker':>11} {'PSS all':>8}")
    print(header + "  load (1/5/15 min)")
    for r in rows:
        ratio = f"{r['docs_per_s'] / bare:.2f}" if bare else "-"
        cpu_ratio = f"{bare_cpu / r['cpu_s']:.2f}" if bare_cpu else "-"
        print(f"{r['mode']:<10} {r['docs_per_s']:8.1f} {ratio:>7} {r['cpu_s']:6.1f} {cpu_ratio:>7} {r['wait_s']:6.1f} "
              f"{r['rss_main_mb']:7.0f}MB {r['rss_worker_mb']:9.0f}MB {r['pss_total_mb']:6.0f}MB  {r['load']}")
    append_rows("speed.csv", ["mode", "docs", "docs_per_s", "ratio_to_bare", "cpu_s", "rss_main_mb", "rss_worker_mb",
                              "pss_total_mb", "load", "wait_s"],
                ([r["mode"], r["docs"], round(r["docs_per_s"], 1), round(r["docs_per_s"] / bare, 2) if bare else "",
                  round(r["cpu_s"], 1), round(r["rss_main_mb"]), round(r["rss_worker_mb"]), round(r["pss_total_mb"]),
                  r["load"], round(r["wait_s"], 1)] for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
