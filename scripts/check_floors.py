"""Score the shared corpora and fail when any metric falls below its floor in benchmarks/floors.toml.

    python scripts/check_floors.py --shared ../shared

Runs ``uprooted extract --format jsonl`` once per corpus through ``shared/eval/score.py --require``;
the corpora under ``[groups.*]`` go through a store as an analyst's would (``scripts/aggregate_store.py``:
ingest, aggregate, export) and are scored with ``shared/eval/score_groups.py --require``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    a = ap.parse_args()
    shared = Path(a.shared)
    floors = tomllib.loads((ROOT / "benchmarks" / "floors.toml").read_text(encoding="utf-8"))
    uprooted = Path(sys.executable).parent / "uprooted"
    failed = [corpus for corpus, metrics in floors.pop("groups", {}).items() if not _groups(shared, corpus, metrics)]
    for corpus, metrics in floors.items():
        cmd = [sys.executable, str(shared / "eval" / "score.py"), str(shared / "corpus" / f"{corpus}.jsonl"),
               "--cmd", f"{uprooted} extract --format jsonl --no-progress", "--json"]
        for metric, floor in metrics.items():
            cmd += ["--require", f"{metric}={floor}"]
        run = subprocess.run(cmd, capture_output=True, text=True)
        print(f"{corpus}: {run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr.strip()}")
        if run.returncode != 0:
            failed.append(corpus)
            print(run.stdout, run.stderr, sep="\n")
    if failed:
        print(f"accuracy floors not reached: {', '.join(failed)}")
        return 1
    print("accuracy floors reached on all corpora")
    return 0


def _groups(shared: Path, corpus: str, metrics: dict[str, float]) -> bool:
    """Reconcile ``corpus`` across its documents through a store and check the grouping floors."""
    path = shared / "corpus" / f"{corpus}.jsonl"
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as out:
        aggregate = [sys.executable, str(ROOT / "scripts" / "aggregate_store.py"), str(path), "-o", out.name]
        made = subprocess.run(aggregate, capture_output=True, text=True)
        if made.returncode != 0:
            print(f"{corpus} (groups): aggregate failed\n{made.stderr}")
            return False
        cmd = [sys.executable, str(shared / "eval" / "score_groups.py"), str(path), "--pred", out.name, "--json"]
        for metric, floor in metrics.items():
            cmd += ["--require", f"{metric}={floor}"]
        run = subprocess.run(cmd, capture_output=True, text=True)
    print(f"{corpus} (groups): {run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr.strip()}")
    if run.returncode != 0:
        print(run.stdout, run.stderr, sep="\n")
    return run.returncode == 0


if __name__ == "__main__":
    sys.exit(main())
