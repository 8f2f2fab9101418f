"""What a user of the command line can count on: exit codes, clear messages before anything
loads, ids that cannot break the output, --version, -q, streaming stdin, set-up failures."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from uprooted.cli import app

UPROOTED = str(Path(sys.executable).parent / "uprooted")
runner = CliRunner()


def _batch(path: Path, *docs: dict[str, str] | str) -> Path:
    path.write_text("".join((d if isinstance(d, str) else json.dumps(d)) + "\n" for d in docs))
    return path


GOOD = {"id": "g1", "text": "Heavy rain forced 2,400 people to flee their homes on Monday."}


# --- ids that used to break the output ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_rich_markup_in_an_id_is_printed_as_it_is(tmp_path: Path, fmt: str) -> None:
    """An id "[/x]" used to crash table and CSV output mid-run (Rich read it as a closing tag)."""
    batch = _batch(tmp_path / "d.jsonl", {**GOOD, "id": "[/x]"}, {"id": "[/y]", "title": "no text"})
    result = runner.invoke(app, ["extract", "-f", fmt, str(batch)])
    assert result.exit_code == 0, result.output
    assert "[/x]" in result.stdout
    assert "[/y]: document has neither a text nor an html string" in result.stderr


def test_csv_ids_starting_a_formula_are_neutralised(tmp_path: Path) -> None:
    batch = _batch(tmp_path / "d.jsonl", {**GOOD, "id": "=HYPERLINK(\"http://x\")"})
    result = runner.invoke(app, ["extract", "-f", "csv", str(batch)])
    row = result.stdout.splitlines()[1]
    assert row.startswith('"\'=HYPERLINK(""http://x"")","\'=HYPERLINK(""http://x"")#f1",2400')


def test_a_duplicate_id_is_an_error_record_not_a_silent_loss(tmp_path: Path) -> None:
    batch = _batch(tmp_path / "d.jsonl", GOOD, {**GOOD, "text": "About 70 families fled."})
    result = runner.invoke(app, ["extract", "-f", "jsonl", str(batch)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["quantity"]["value"] for r in records if r["type"] == "figure"] == [2400]
    (error,) = [r for r in records if r["type"] == "error"]
    assert error == {"type": "error", "doc_id": "g1", "stage": None, "error": (
        "duplicate id 'g1': an earlier document of this run has it, so this one is left out "
        "(give each document its own id)")}


# --- exit codes -----------------------------------------------------------------------------------


def test_a_missing_input_exits_1_without_pointing_at_records_that_do_not_exist(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nosuch.txt")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{tmp_path / 'nosuch.txt'}: no such file, folder or URL",
                                          "1 of 1 document(s) could not be processed (listed above)"]


def test_every_document_failing_exits_1(tmp_path: Path) -> None:
    batch = _batch(tmp_path / "d.jsonl", "not json", "[1]")
    assert runner.invoke(app, ["extract", "-f", "jsonl", str(batch)]).exit_code == 1


def test_strict_fails_the_run_on_any_error_record(tmp_path: Path) -> None:
    batch = _batch(tmp_path / "d.jsonl", GOOD, "not json")
    assert runner.invoke(app, ["extract", "-f", "jsonl", str(batch)]).exit_code == 0
    assert runner.invoke(app, ["extract", "-f", "jsonl", "--strict", str(batch)]).exit_code == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--published", "someday"], "error: --published 'someday' is not a date (give YYYY-MM-DD)"),
    (["--resume"], "error: --resume needs --output FILE (the file to pick up)"),
    (["--resume", "-o", "{tmp}/out.csv", "-f", "csv"],
     "error: --resume works with --format jsonl only: a table or CSV cannot be picked up where it stopped"),
    (["-o", "{tmp}/no/such/folder/out.jsonl", "--spacy-model", "no_such_pipeline"],
     "error: cannot write {tmp}/no/such/folder/out.jsonl: the folder {tmp}/no/such/folder does not exist"),
])
def test_usage_errors_exit_2_before_the_model_loads(tmp_path: Path, args: list[str], message: str) -> None:
    """The missing folder is reported, not the missing spaCy pipeline: nothing was loaded yet."""
    batch = _batch(tmp_path / "d.jsonl", GOOD)
    result = runner.invoke(app, ["extract", *(a.format(tmp=tmp_path) for a in args), str(batch)])
    assert result.exit_code == 2
    assert result.stderr.strip() == message.format(tmp=tmp_path)


# --- options everyone expects ------------------------------------------------------------------------


def test_version_and_its_data_sources() -> None:
    from uprooted import __version__

    assert runner.invoke(app, ["--version"]).stdout.strip() == f"uprooted {__version__}"
    verbose = runner.invoke(app, ["--version", "-v"]).stdout
    assert "GeoNames" in verbose and "CC BY 4.0" in verbose


def test_quiet_keeps_errors_and_drops_notices(tmp_path: Path) -> None:
    result = runner.invoke(app, ["-q", "extract", str(tmp_path / "nosuch.txt")])
    assert result.stderr.splitlines() == [f"{tmp_path / 'nosuch.txt'}: no such file, folder or URL"]


def test_help_does_not_import_spacy() -> None:
    code = "import sys, uprooted.cli; print('spacy' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "False", run.stderr


def test_a_document_not_in_english_gets_a_notice(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Les autorités ont annoncé que des centaines de familles ont quitté leurs maisons après "
                    "les pluies torrentielles dans la vallée.")
    result = runner.invoke(app, ["extract", str(note)])
    assert "1 document(s) do not read as English" in result.stderr


def test_a_folder_does_not_read_the_output_of_an_earlier_run(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("About 900 people fled the fighting near the border post.")
    out = tmp_path / "records.jsonl"
    for _ in range(2):
        result = runner.invoke(app, ["extract", "-f", "jsonl", "-o", str(out), str(tmp_path)])
        assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["type"], r["doc_id"]) for r in records if r["type"] in ("document", "error")] == [
        ("document", "story.txt")]


def test_timeline_writes_jsonl_to_a_file(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Gunmen attacked the village of Norvale on 3 May.\n\n"
                     "By 6 May, some 1,500 people had fled Norvale, aid workers said.")
    out = tmp_path / "timeline.jsonl"
    result = runner.invoke(app, ["timeline", "-f", "jsonl", "-o", str(out), "--published", "2024-05-07", str(story)])
    assert result.exit_code == 0, result.output
    types = [json.loads(line)["type"] for line in out.read_text().splitlines()]
    assert types[0] == "event" and "figure" in types


# --- stdin -----------------------------------------------------------------------------------------


def test_latin1_through_stdin_reads_as_from_a_file(tmp_path: Path) -> None:
    text = "Le préfet a confirmé que 3 000 habitants ont été évacués vers Mérelle, près du fleuve."
    (tmp_path / "note.txt").write_bytes(text.encode("latin-1"))
    from_file = runner.invoke(app, ["extract", "-f", "jsonl", str(tmp_path / "note.txt")]).stdout
    from_stdin = runner.invoke(app, ["extract", "-f", "jsonl", "-"], input=text.encode("latin-1")).stdout
    assert from_file.replace('"note.txt', '"stdin') == from_stdin


def test_stdin_batch_streams_records_before_the_input_ends() -> None:
    """stdin used to be read whole first: 30,000 documents meant 928 MB before the first record."""
    env = {**os.environ, "UPROOTED_BATCH_SIZE": "1"}
    proc = subprocess.Popen([UPROOTED, "extract", "-f", "jsonl", "--no-progress", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write((json.dumps(GOOD) + "\n").encode())
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 120)  # stdin is still open
        assert ready, "no record before the end of the input"
        first = json.loads(proc.stdout.readline())
        assert (first["type"], first["doc_id"]) == ("document", "g1")
    finally:
        proc.kill()
        proc.wait(timeout=120)


# --- set-up failures ---------------------------------------------------------------------------------


def _run_env(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "UPROOTED_GAZETTEER_PATH"}
    return subprocess.run([UPROOTED, *args], capture_output=True, text=True, timeout=300, env={**base, **env})


def test_a_corrupt_gazetteer_is_one_message_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "gazetteer.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    started = time.monotonic()
    run = _run_env(["extract", "-"], UPROOTED_GAZETTEER_PATH=str(bad))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"error: cannot open the gazetteer {bad}:")
    assert time.monotonic() - started < 120


def test_an_unwritable_cache_is_one_message_and_exit_2(tmp_path: Path) -> None:
    """A file where the cache folder should be: the gazetteer cannot be built there."""
    (tmp_path / ".cache").write_text("")
    run = _run_env(["extract", "-"], HOME=str(tmp_path))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"error: cannot open the gazetteer {tmp_path}/.cache/uprooted/" in run.stderr


def test_the_packaged_notice_is_the_notice_file() -> None:
    """``--version -v`` prints the packaged copy; it must say what the repository's NOTICE says."""
    root = Path(__file__).resolve().parent.parent
    assert (root / "src/uprooted/data/NOTICE.txt").read_text() == (root / "NOTICE").read_text()


def test_two_first_runs_build_the_gazetteer_once_and_clear_a_killed_build(tmp_path: Path) -> None:
    """The build takes a lock, and a temporary file a killed build left behind is removed."""
    cache = tmp_path / ".cache" / "uprooted"
    cache.mkdir(parents=True)
    from uprooted.places.gazetteer import default_gazetteer_path

    name = default_gazetteer_path().name
    (cache / f"{name}.k1ll3d.tmp").write_bytes(b"half a database")
    base = {k: v for k, v in os.environ.items() if k != "UPROOTED_GAZETTEER_PATH"}
    env = {**base, "HOME": str(tmp_path)}
    runs = [subprocess.Popen([UPROOTED, "extract", "-f", "jsonl", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env) for _ in range(2)]
    outs = [run.communicate(b"About 60 people fled the fire.", timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outs
    notices = [err.decode().count("building the place gazetteer") for _, err in outs]
    assert sorted(notices) == [0, 1]
    assert sorted(p.name for p in cache.iterdir()) == [name, f"{name}.lock"]


def test_a_page_without_text_is_reported_once_not_logged_by_the_html_reader(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body>" + "<div>" * 50 + "</body></html>")
    result = runner.invoke(app, ["extract", str(page)])
    assert result.stderr.splitlines() == ["empty.html: no main text found in the HTML page",
                                          "1 of 1 document(s) could not be processed (listed above)"]


def test_timeline_table_prints_markup_in_ids_and_sentences_as_it_is(tmp_path: Path) -> None:
    batch = _batch(tmp_path / "d.jsonl", {"id": "[/t]", "text": "Gunmen attacked [/b] Norvale on 3 May.\n\n"
                                                                "By 6 May, some 1,500 people had fled Norvale."})
    result = runner.invoke(app, ["timeline", "--published", "2024-05-07", str(batch)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "[/t]" in result.stdout and "[/b]" in result.stdout
