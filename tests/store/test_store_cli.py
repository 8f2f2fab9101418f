"""The store's commands as an analyst types them: upgrade, ingest, decide, reprocess, and the
messages of a store that is not ready."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from uprooted.cli import app
from uprooted.store.db import head_revision, open_store
from uprooted.store.decisions import decisions_for

from .conftest import DOCS, write_jsonl


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, " ".join(result.output.split())


def test_db_upgrade_creates_the_schema_then_has_nothing_to_do(store_url: str) -> None:
    assert _run("db", "upgrade", "--db", store_url) == (0, f"store schema: empty -> {head_revision()}")
    assert _run("db", "upgrade", "--db", store_url) == (0, f"store schema already at {head_revision()}")


def test_a_decision_made_on_the_command_line_survives_reprocess_all(store_url: str, tmp_path: Path) -> None:
    batch = write_jsonl(tmp_path / "docs.jsonl", DOCS[:1])
    code, said = _run("ingest", "--db", store_url, "--no-progress", str(batch))
    assert (code, said) == (0, "1 document(s) stored, 0 new version(s), 0 unchanged")
    code, said = _run("db", "decide", "s1#f1", "reject", "--note", "counted twice", "--db", store_url)
    assert code == 0 and said.startswith("reject recorded for s1#f1 (key ")
    assert _run("reprocess", "--all", "--no-progress", "--db", store_url) == (0, "1 document(s) extracted again")
    engine = open_store(store_url)
    [decision] = decisions_for(engine, "s1#f1")
    engine.dispose()
    assert (decision.action, decision.note) == ("reject", "counted twice")


def test_a_decision_on_an_unknown_record_names_it(store_url: str) -> None:
    _run("db", "upgrade", "--db", store_url)
    code, said = _run("db", "decide", "nothing#f9", "accept", "--db", store_url)
    assert (code, said) == (1, "error: nothing#f9: no figure or event with this id in the store's current documents")


def test_export_from_a_database_never_set_up_says_what_to_run(tmp_path: Path) -> None:
    code, said = _run("export", "--db", str(tmp_path / "empty.sqlite"), "--format", "csv")
    assert (code, said) == (2, "error: the store is empty or not uprooted's: run `uprooted db upgrade` "
                               "(or ingest documents) first")


def test_a_merge_on_the_command_line_names_the_group_to_join(store_url: str, tmp_path: Path) -> None:
    """`db decide ID merge --into OTHER` keeps the figure whose group to join; without it, one message."""
    batch = write_jsonl(tmp_path / "docs.jsonl", DOCS[:3])
    _run("ingest", "--db", store_url, "--no-progress", str(batch))
    assert _run("db", "decide", "s1#f1", "merge", "--db", store_url) == (
        1, "error: s1#f1: a merge needs another figure whose group this one's joins")
    code, said = _run("db", "decide", "s1#f1", "merge", "--into", "s3#f1", "--analyst", "eda", "--db", store_url)
    assert code == 0 and said.startswith("merge recorded for s1#f1")
    engine = open_store(store_url)
    [decision] = decisions_for(engine, "s1#f1")
    engine.dispose()
    assert (decision.action, decision.analyst, decision.edit["into_id"]) == ("merge", "eda", "s3#f1")


def test_db_token_prints_a_new_token_for_the_reviewer(store_url: str) -> None:
    from uprooted.store.tokens import reviewer_for

    _run("db", "upgrade", "--db", store_url)
    result = CliRunner().invoke(app, ["db", "token", "Ines Costa", "--db", store_url])
    assert result.exit_code == 0
    engine = open_store(store_url)
    assert reviewer_for(engine, result.stdout.strip()) == "Ines Costa"
    engine.dispose()
    assert _run("db", "token", "Ines Costa", "--revoke", "--db", store_url) == (0, "1 token(s) of Ines Costa revoked")
