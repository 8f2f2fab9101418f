"""Peak memory of ``uprooted extract`` against the number of documents: it must not grow with them.

    python benchmarks/memory.py [--small 300] [--large 30000] [--stdin]

Not a test (pytest never collects it): it runs the command line twice in a child process, on
``--small`` and ``--large`` distinct invented documents (from a file, or through stdin), and
reports each run's peak resident memory (``ru_maxrss`` of that child) and their ratio. Inputs and
outputs stream, so the two peaks should lie within a few per cent.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

UPROOTED = str(Path(sys.executable).parent / "uprooted")


def _write_docs(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = (f"Report {i}: about {i % 9000 + 50} families fled the floods near Tarrowby on day {i % 28 + 1}, "
                    f"officials said. Roads to the {i}th district stayed closed.")
            f.write(json.dumps({"id": f"doc-{i}", "text": text}) + "\n")


def _peak(n: int, stdin: bool, folder: Path) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one run over ``n`` documents."""
    batch, out = folder / f"docs-{n}.jsonl", folder / f"out-{n}.jsonl"
    _write_docs(batch, n)
    args = [UPROOTED, "-q", "extract", "-f", "jsonl", "--no-progress", "-o", str(out)]
    started = time.monotonic()
    with batch.open("rb") as source:
        proc = subprocess.Popen([*args, "-" if stdin else str(batch)], stdin=source if stdin else subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"uprooted failed on {n} documents")
    return usage.ru_maxrss / 1024, time.monotonic() - started


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", type=int, default=300)
    ap.add_argument("--large", type=int, default=30_000)
    ap.add_argument("--stdin", action="store_true", help="feed the documents through stdin")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = _peak(a.small, a.stdin, Path(tmp))
        large = _peak(a.large, a.stdin, Path(tmp))
    for n, (mb, secs) in ((a.small, small), (a.large, large)):
        print(f"{n:>7} documents: peak RSS {mb:7.1f} MB in {secs:6.1f} s")
    ratio = large[0] / small[0]
    print(f"ratio {ratio:.3f} ({'within' if ratio <= 1.10 else 'over'} 10%)")
    return 0 if ratio <= 1.10 else 1


if __name__ == "__main__":
    sys.exit(main())
