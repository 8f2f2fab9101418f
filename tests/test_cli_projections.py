"""Projections stay out of the fact rows of the table and the CSV, and flagged in JSONL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

UPROOTED = str(Path(sys.executable).parent / "uprooted")
TEXT = "Some 3,500 residents were evacuated on Monday. Another 9,000 could be displaced if the dam fails."


def _run(fmt: str) -> str:
    out = subprocess.run([UPROOTED, "extract", "--format", fmt, "--no-progress", "-"], input=TEXT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_jsonl_keeps_the_projection_flagged() -> None:
    figures = [r for r in map(json.loads, _run("jsonl").splitlines()) if r["type"] == "figure"]
    assert {(f["quantity"]["value"], f["projection"]) for f in figures} == {(3500, False), (9000, True)}


def test_csv_and_table_rows_are_facts_only() -> None:
    assert "3500" in _run("csv") and "9000" not in _run("csv")
    table = _run("table")
    assert "3,500" in table and "9,000" not in table
