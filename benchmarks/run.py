"""Speed and memory of ``extract`` against a bare ``nlp.pipe`` of the same spaCy pipeline.

    python benchmarks/run.py --shared ../shared [--docs 320] [--repeat 2]

Not a test (pytest never collects it). Both runs happen in this process on the same texts
(the first N documents of idetect, news-dev and idmc, cycled), after a warm-up, and the result is
reported as a ratio; each run also appends a line to ``benchmarks/results.csv`` with the commit.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from itertools import cycle, islice
from pathlib import Path

from uprooted.pipeline import extract_docs
from uprooted.places import resolve_places
from uprooted.read import InputDoc
from uprooted.resources import load_resources
from uprooted.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent


def _docs(shared: Path, n: int) -> list[InputDoc]:
    pool: list[InputDoc] = []
    for name in ("idetect", "news-dev", "idmc"):
        with (shared / "corpus" / f"{name}.jsonl").open(encoding="utf-8") as f:
            pool.extend(InputDoc.model_validate(json.loads(line)) for line in f)
    return [d.model_copy(update={"id": f"{d.id}~{i}"}) for i, d in enumerate(islice(cycle(pool), n))]


def _timed(run, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Best wall time of ``repeat`` untraced runs, then the peak traced memory (MiB) of one more:
    tracing allocations slows Python code, so it never overlaps the timing."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--docs", type=int, default=320)
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    res = load_resources(load_settings())
    docs = _docs(Path(a.shared), a.docs)
    texts = [d.text for d in docs]
    size = res.settings.batch_size

    def bare() -> None:
        for _ in res.nlp.pipe(texts, batch_size=size):
            pass

    def full() -> None:
        for _ in extract_docs(docs, res):
            pass

    full()  # warm-up: lazy loads, caches
    t_bare, m_bare = _timed(bare, a.repeat)
    t_full, m_full = _timed(full, a.repeat)
    ratio = t_full / t_bare
    parsed = list(res.nlp.pipe(texts, batch_size=size))
    gazetteer = res.gazetteer()
    calendar = res.vocab["calendar"]

    def places() -> None:
        for doc, d in zip(parsed, docs, strict=True):
            resolve_places(doc, gazetteer, d.published, doc_id=d.id, calendar=calendar)

    t_places, _ = _timed(places, a.repeat)
    print(f"documents: {len(docs)}")
    print(f"bare nlp.pipe: {len(docs) / t_bare:7.1f} docs/s, peak traced memory {m_bare:6.1f} MiB")
    print(f"extract:       {len(docs) / t_full:7.1f} docs/s, peak traced memory {m_full:6.1f} MiB")
    print(f"time ratio extract / bare parse: {ratio:.2f}x  (target <= 1.3x)")
    print(f"place resolution: {t_places:.2f} s, {100 * t_places / (t_full - t_places):.1f}% on top of the rest "
          "of extraction (target <= 25%)")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    out = ROOT / "benchmarks" / "results.csv"
    new = not out.exists()
    with out.open("a", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        if new:
            w.writerow(["when", "commit", "docs", "bare_docs_per_s", "extract_docs_per_s", "ratio",
                        "bare_peak_mib", "extract_peak_mib", "places_share"])
        w.writerow([datetime.now(UTC).isoformat(timespec="seconds"), commit.stdout.strip(), len(docs),
                    round(len(docs) / t_bare, 1), round(len(docs) / t_full, 1), round(ratio, 3),
                    round(m_bare, 1), round(m_full, 1), round(t_places / (t_full - t_places), 3)])


if __name__ == "__main__":
    sys.exit(main())
