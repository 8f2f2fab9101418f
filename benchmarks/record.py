"""What the benchmark scripts share: the machine's load as recorded beside a run, and the rows a
run appends, with the time and commit, to its CSV in this folder."""

from __future__ import annotations

import csv
import os
import subprocess
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def append_rows(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Append ``rows`` to ``benchmarks/<name>``, each after the time and commit (the header, which
    names those two first, is written when the file is new)."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    path = ROOT / "benchmarks" / name
    new = not path.exists()
    when = datetime.now(UTC).isoformat(timespec="seconds")
    with path.open("a", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        if new:
            w.writerow(["when", "commit", *header])
        for row in rows:
            w.writerow([when, commit.stdout.strip(), *row])
