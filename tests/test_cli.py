"""The command line end to end, in a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

UPROOTED = str(Path(sys.executable).parent / "uprooted")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([UPROOTED, *args], input=stdin, capture_output=True, text=True, timeout=300)


def test_jsonl_batch_with_a_bad_line_reports_it_and_goes_on(tmp_path: Path) -> None:
    batch = tmp_path / "docs.jsonl"
    batch.write_text(
        json.dumps({"id": "ok-1", "text": "The flood forced 2,100 people to flee."}) + "\n"
        + "this is not json\n"
        + json.dumps({"id": "ok-2", "text": "About 40 families returned home."}) + "\n"
    )
    out = run("extract", "--format", "jsonl", str(batch))
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in out.stdout.splitlines()]
    errors = [r for r in records if r["type"] == "error"]
    assert errors == [{"type": "error", "doc_id": "docs.jsonl:2", "error": "line 2 is not JSON: Expecting value",
                       "stage": None}]
    figures = {(r["doc_id"], r["quantity"]["value"]) for r in records if r["type"] == "figure"}
    assert figures == {("ok-1", 2100), ("ok-2", 40)}


def test_resume_skips_documents_already_written(tmp_path: Path) -> None:
    batch = tmp_path / "docs.jsonl"
    docs = [{"id": f"d{i}", "text": f"Officials said {i + 1},000 people fled."} for i in range(3)]
    batch.write_text("".join(json.dumps(d) + "\n" for d in docs[:2]))
    out_file = tmp_path / "out.jsonl"
    assert run("extract", "-f", "jsonl", "-o", str(out_file), str(batch)).returncode == 0
    batch.write_text("".join(json.dumps(d) + "\n" for d in docs))
    assert run("extract", "-f", "jsonl", "-o", str(out_file), "--resume", str(batch)).returncode == 0
    ids = [json.loads(line)["doc_id"] for line in out_file.read_text().splitlines()
           if json.loads(line)["type"] == "document"]
    assert ids == ["d0", "d1", "d2"]


def test_stdin_text_and_csv_output() -> None:
    out = run("extract", "--format", "csv", "-", stdin="Some 3,500 residents were evacuated on Monday.")
    assert out.returncode == 0, out.stderr
    header, row = out.stdout.splitlines()[:2]
    assert header.startswith("doc_id,id,value,low,high,qualifier")
    assert row.startswith('stdin,stdin#f1,3500,3500,3500,approximately,"Some 3,500",person,evacuated')


def test_table_shows_the_figures_of_a_text_file(tmp_path: Path) -> None:
    article = tmp_path / "story.txt"
    article.write_text("Heavy rain displaced 6,300 households in the delta.")
    out = run("extract", str(article))
    assert out.returncode == 0, out.stderr
    assert "6,300" in out.stdout and "household" in out.stdout and "displaced" in out.stdout


def test_unknown_spacy_pipeline_is_a_clear_error() -> None:
    out = run("extract", "--spacy-model", "no_such_pipeline", "-", stdin="x")
    assert out.returncode == 2
    assert "cannot load spaCy pipeline 'no_such_pipeline'" in out.stderr


def test_single_file_flags_fill_the_document_record(tmp_path: Path) -> None:
    article = tmp_path / "story.txt"
    article.write_text("On Friday, 1,200 people fled the fighting.")
    out = run("extract", "-f", "jsonl", "--published", "2024-06-10", "--url", "https://example.org/s",
              "--title", "People flee", str(article))
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in out.stdout.splitlines()]
    doc = records[0]
    assert (doc["type"], doc["published"], doc["url"], doc["title"]) == (
        "document", "2024-06-10", "https://example.org/s", "People flee")
    (fig,) = [r for r in records if r["type"] == "figure"]
    assert fig["date"]["start"] == "2024-06-07"  # the Friday before publication


def test_timeline_orders_events_before_the_flight_they_caused(tmp_path: Path) -> None:
    article = tmp_path / "story.txt"
    article.write_text(
        "Rebels attacked the town of Korma on 2 May, killing 14 civilians.\n\n"
        "By 5 May, more than 6,000 people had fled Korma following the attack, officials said."
    )
    out = subprocess.run([UPROOTED, "timeline", "--published", "2024-05-06", str(article)], capture_output=True,
                         text=True, timeout=300, env={**__import__("os").environ, "COLUMNS": "200"})
    assert out.returncode == 0, out.stderr
    attack, flight = out.stdout.index("2024-05-02"), out.stdout.index("6,000")
    assert attack < flight
