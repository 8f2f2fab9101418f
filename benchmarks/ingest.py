"""Speed of ``ingest`` (into a fresh store) against ``extract --format jsonl`` on the same stream.

    python benchmarks/ingest.py --shared ../shared [--repeat 2] [--db postgresql+psycopg://...]

Not a test (pytest never collects it). Both run in this process, after a warm-up, on the reference
stream (geo-gwn, geo-trnews and idmc, read from their JSONL files as the commands read them): the
extract side reads, extracts and writes JSONL to a file; the ingest side reads, looks each document
up, extracts and commits it with its records. The store must not be the bottleneck: the ratio
ingest / extract is the figure to watch (target: 1.10 or less). Runs alternate; the best of each
is kept. Prints one line with the commit, the times and the ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from uprooted.batch import Tally, unique_inputs
from uprooted.output import JsonlWriter
from uprooted.pipeline import extract_docs
from uprooted.read import iter_inputs
from uprooted.resources import load_resources
from uprooted.settings import load_settings
from uprooted.store.db import open_store, upgrade
from uprooted.store.ingest import StoreTally, ingest

ROOT = Path(__file__).resolve().parent.parent
STREAM = ("geo-gwn.jsonl", "geo-trnews.jsonl", "idmc.jsonl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--db", help="a PostgreSQL URL of an empty database to ingest into (default: SQLite files)")
    args = parser.parse_args()
    targets = [str(args.shared / "corpus" / name) for name in STREAM]
    res = load_resources(load_settings())
    res.gazetteer()
    work = Path(tempfile.mkdtemp(prefix="uprooted-bench-"))
    for _, _ in extract_docs(unique_inputs(iter_inputs(targets[2], res.settings), set(), Tally()), res):
        pass  # warm-up: caches, lazy resources

    def run_extract(n: int) -> float:
        started = time.perf_counter()
        with (work / f"extract-{n}.jsonl").open("w", encoding="utf-8") as out:
            writer = JsonlWriter(out)

            def inputs():  # type: ignore[no-untyped-def]
                for target in targets:
                    yield from iter_inputs(target, res.settings)

            for _, records in extract_docs(unique_inputs(inputs(), set(), Tally()), res):
                writer.write(records)
        return time.perf_counter() - started

    def run_ingest(n: int) -> tuple[float, int]:
        url = args.db or f"sqlite:///{work / f'store-{n}.sqlite'}"
        engine = open_store(url)
        upgrade(engine)
        tally = StoreTally()
        started = time.perf_counter()
        ingest(engine, targets, res, tally)
        elapsed = time.perf_counter() - started
        engine.dispose()
        if args.db:
            with open_store(url).begin() as conn:
                conn.exec_driver_sql("TRUNCATE document, figure, event, place, ingest_error CASCADE")
        return elapsed, tally.documents

    extract_times, ingest_times, documents = [], [], 0
    for n in range(args.repeat):
        extract_times.append(run_extract(n))
        took, documents = run_ingest(n)
        ingest_times.append(took)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    best_extract, best_ingest = min(extract_times), min(ingest_times)
    print(f"commit {commit.stdout.strip() or '?'}: {documents} documents; extract --format jsonl {best_extract:.1f} s "
          f"({documents / best_extract:.1f} docs/s), ingest {best_ingest:.1f} s ({documents / best_ingest:.1f} "
          f"docs/s); ingest / extract = {best_ingest / best_extract:.3f} "
          f"(runs: extract {', '.join(f'{t:.1f}' for t in extract_times)}; "
          f"ingest {', '.join(f'{t:.1f}' for t in ingest_times)})")


if __name__ == "__main__":
    main()
