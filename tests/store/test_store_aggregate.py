"""``uprooted aggregate`` on a real store: figures of several documents grouped, one recommended with
its why, written onto the rows, exported and read back; analysts' rejections honoured; the same store
aggregated twice gives the same export, and a new report regroups."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from uprooted.cli import app
from uprooted.errors import StoreError
from uprooted.reconcile import load_rules
from uprooted.resources import Resources
from uprooted.store.aggregate import aggregate
from uprooted.store.decisions import decide
from uprooted.store.ingest import StoreTally, ingest
from uprooted.store.models import DocumentRow, FigureRow

from .conftest import write_jsonl

# Invented reports: one flood movement told by a ministry and by aid workers, and an earthquake
# elsewhere. The place names were checked absent from the evaluation corpora.
FLOOD_MINISTRY = {"id": "a1", "published": "2025-04-14", "url": "https://news.example.org/floods/a1",
                  "text": "Floods forced 12,400 people to flee their homes in the Varnholt district of Estonia "
                          "on Sunday, the Interior Ministry said."}
FLOOD_AID = {"id": "a2", "published": "2025-04-15", "url": "https://relief.example.net/a2",
             "text": "Aid workers said about 12,000 people had fled the floods in Varnholt, Estonia since Sunday."}
QUAKE = {"id": "a3", "published": "2025-04-15", "url": "https://news.example.org/quake/a3",
         "text": "An earthquake destroyed 300 homes in Quellomarca, Peru on Monday, officials said."}
FLOOD_LATER = {"id": "a4", "published": "2025-04-18", "url": "https://wire.example.com/a4",
               "text": "The floods in Varnholt, Estonia have now forced 15,200 people to flee their homes since "
                       "Sunday, the Red Cross said on Friday."}


def _ingest(engine: Engine, res: Resources, folder: Path, *docs: dict[str, Any], name: str = "docs") -> None:
    tally = StoreTally()
    ingest(engine, [str(write_jsonl(folder / f"{name}.jsonl", list(docs)))], res, tally)
    assert tally.errors == 0


def _run(url: str, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--db", url])
    assert result.exit_code == 0, result.output
    return result.output


def _export(url: str, folder: Path, fmt: str = "jsonl") -> Path:
    out = folder / f"export.{fmt}"
    _run(url, "export", "--format", fmt, "-o", str(out))
    return out


def _figures(path: Path) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


@pytest.fixture
def flood(engine: Engine, res: Resources, tmp_path: Path) -> Engine:
    """A store holding the two reports of the flood and the earthquake, not yet aggregated."""
    _ingest(engine, res, tmp_path, FLOOD_MINISTRY, FLOOD_AID, QUAKE)
    return engine


# Grouping and recommending ------------------------------------------------------------------------


def test_two_reports_of_one_movement_share_a_group_with_one_recommended(flood: Engine, tmp_path: Path) -> None:
    url = flood.url.render_as_string(hide_password=False)
    _run(url, "aggregate", "--no-progress")
    figures = _figures(_export(url, tmp_path))
    a1, a2, quake = figures["a1#f1"], figures["a2#f1"], figures["a3#f1"]
    assert a1["group"] == a2["group"] != quake["group"]
    assert [a1["recommended"], a2["recommended"]].count(True) == 1
    chosen, other = (a1, a2) if a1["recommended"] else (a2, a1)
    assert chosen["why"].startswith("recommended ")
    assert other["id"] in chosen["why"]  # every figure considered is listed with the reason it lost
    assert "why" not in other
    assert (quake["recommended"], quake["why"].endswith("the only report of this movement")) == (True, True)


def test_csv_export_carries_group_and_recommended(flood: Engine, tmp_path: Path) -> None:
    url = flood.url.render_as_string(hide_password=False)
    _run(url, "aggregate", "--no-progress")
    with _export(url, tmp_path, "csv").open(encoding="utf-8", newline="") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    assert rows["a1#f1"]["group"] == rows["a2#f1"]["group"] != ""
    assert sorted([rows["a1#f1"]["recommended"], rows["a2#f1"]["recommended"]]) == ["no", "yes"]


def test_aggregating_twice_gives_the_same_export_and_changes_no_row(flood: Engine, tmp_path: Path) -> None:
    rules = load_rules()
    first = aggregate(flood, rules)
    url = flood.url.render_as_string(hide_password=False)
    jsonl, table = _export(url, tmp_path).read_bytes(), _export(url, tmp_path, "csv").read_bytes()
    again = aggregate(flood, rules)
    assert (first.changed, again.changed) == (3, 0)
    assert (_export(url, tmp_path).read_bytes(), _export(url, tmp_path, "csv").read_bytes()) == (jsonl, table)


def test_a_new_report_regroups_and_supersedes_the_earlier_counts(flood: Engine, res: Resources,
                                                                   tmp_path: Path) -> None:
    """Group ids hash their members: the flood's group gets a new id when a third report joins it."""
    url = flood.url.render_as_string(hide_password=False)
    aggregate(flood, load_rules())
    before = _figures(_export(url, tmp_path))["a1#f1"]["group"]
    _ingest(flood, res, tmp_path, FLOOD_LATER, name="later")
    aggregate(flood, load_rules())
    figures = _figures(_export(url, tmp_path))
    assert figures["a1#f1"]["group"] == figures["a2#f1"]["group"] == figures["a4#f1"]["group"] != before
    assert [f["id"] for f in figures.values() if f["group"] == figures["a4#f1"]["group"] and f["recommended"]] == [
        "a4#f1"]


def test_the_contradiction_of_a_group_is_kept_on_its_rows(engine: Engine, res: Resources, tmp_path: Path) -> None:
    """Two reports of the same day that disagree by far more than the margin: flagged, never averaged."""
    low = {"id": "c1", "published": "2025-06-02", "url": "https://news.example.org/c1",
           "text": "Fighting forced 4,000 people to flee Orlenby, Estonia on Sunday, the army said."}
    high = {"id": "c2", "published": "2025-06-02", "url": "https://relief.example.net/c2",
            "text": "Fighting forced 9,500 people to flee Orlenby, Estonia on Sunday, the United Nations said."}
    _ingest(engine, res, tmp_path, low, high)
    assert aggregate(engine, load_rules()).contradictions == 1
    with engine.connect() as conn:
        flags = dict(conn.execute(select(FigureRow.record_id, FigureRow.contradiction)).all())
    assert flags["c1#f1"] == flags["c2#f1"]
    assert "c1#f1 (4,000) and c2#f1 (9,500) report the same moment" in str(flags["c1#f1"])


# Analysts' decisions ------------------------------------------------------------------------------


def _recommended(engine: Engine) -> dict[str, tuple[bool | None, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(select(FigureRow.record_id, FigureRow.recommended, FigureRow.why)
                            .join(DocumentRow, DocumentRow.id == FigureRow.document_id)
                            .where(DocumentRow.current.is_(True))).all()
    return {r.record_id: (r.recommended, r.why) for r in rows}


def test_a_rejected_figure_is_never_recommended_and_the_why_says_so(flood: Engine) -> None:
    aggregate(flood, load_rules())
    chosen = next(fid for fid, (rec, _) in _recommended(flood).items() if rec and fid != "a3#f1")
    other = "a2#f1" if chosen == "a1#f1" else "a1#f1"
    decide(flood, chosen, "reject", note="counted twice")
    aggregate(flood, load_rules())
    after = _recommended(flood)
    assert after[chosen][0] is False and after[other][0] is True
    assert f"{chosen}): rejected by an analyst (counted twice)" in str(after[other][1])
    assert str(after[chosen][1]).startswith("rejected by an analyst (counted twice)")


def test_a_group_of_rejected_figures_recommends_none(flood: Engine) -> None:
    decide(flood, "a3#f1", "reject")
    aggregate(flood, load_rules())
    rec, why = _recommended(flood)["a3#f1"]
    assert rec is False
    assert str(why).startswith("no figure to publish: 300 dwelling destroyed_housing")


def test_a_rejection_outlives_the_regrouping_a_new_report_brings(flood: Engine, res: Resources,
                                                                 tmp_path: Path) -> None:
    """Decisions are kept by document, sentence and wording, not by group, whose id changes."""
    decide(flood, "a1#f1", "reject")
    _ingest(flood, res, tmp_path, FLOOD_LATER, name="later")
    decide(flood, "a4#f1", "reject")
    aggregate(flood, load_rules())
    after = _recommended(flood)
    assert (after["a1#f1"][0], after["a4#f1"][0], after["a2#f1"][0]) == (False, False, True)


def test_a_later_accept_lifts_a_rejection(flood: Engine) -> None:
    """The last decision on a figure stands."""
    aggregate(flood, load_rules())
    chosen = next(fid for fid, (rec, _) in _recommended(flood).items() if rec and fid != "a3#f1")
    decide(flood, chosen, "reject")
    decide(flood, chosen, "accept")
    aggregate(flood, load_rules())
    assert _recommended(flood)[chosen][0] is True


# What the store holds -----------------------------------------------------------------------------


def test_a_replaced_version_loses_its_verdicts(flood: Engine, res: Resources, tmp_path: Path) -> None:
    aggregate(flood, load_rules())
    changed = {**FLOOD_AID, "text": FLOOD_AID["text"].replace("12,000", "12,300")}
    _ingest(flood, res, tmp_path, changed, name="changed")
    aggregate(flood, load_rules())
    with flood.connect() as conn:
        old = conn.execute(select(FigureRow.group, FigureRow.recommended, FigureRow.why)
                           .join(DocumentRow, DocumentRow.id == FigureRow.document_id)
                           .where(DocumentRow.doc_id == "a2", DocumentRow.current.is_(False))).all()
    assert [tuple(r) for r in old] == [(None, None, None)]


def test_two_stored_documents_of_one_id_are_two_reports(engine: Engine, res: Resources, tmp_path: Path) -> None:
    """The same JSONL id under two URLs is two documents: their figures may join one group."""
    _ingest(engine, res, tmp_path, {**FLOOD_MINISTRY, "id": "same"}, name="first")
    _ingest(engine, res, tmp_path, {**FLOOD_AID, "id": "same"}, name="second")
    aggregate(engine, load_rules())
    with engine.connect() as conn:
        rows = conn.execute(select(FigureRow.group, FigureRow.recommended)).all()
    assert len(rows) == 2 and rows[0].group == rows[1].group
    assert sorted(bool(r.recommended) for r in rows) == [False, True]


def test_a_stored_figure_that_no_longer_reads_is_a_store_error_naming_its_document(flood: Engine) -> None:
    with flood.begin() as conn:
        conn.execute(update(FigureRow).where(FigureRow.record_id == "a2#f1").values(record={"id": "a2#f1"}))
    with pytest.raises(StoreError) as caught:
        aggregate(flood, load_rules())
    assert caught.value.doc_id == "a2"
    assert caught.value.message.startswith("stored figure 'a2#f1' no longer reads as a figure: ")
    assert _recommended(flood)["a1#f1"] == (None, None)  # nothing written


# The command line ---------------------------------------------------------------------------------


def test_aggregate_says_what_it_did(flood: Engine) -> None:
    output = _run(flood.url.render_as_string(hide_password=False), "aggregate", "--no-progress")
    assert "3 figure(s) of 3 document(s) in 2 group(s), 0 flagged as contradictory, 0 rejected by analysts; " \
           "3 figure(s) changed" in output


def test_an_unreadable_authority_file_is_one_message_and_exit_2(flood: Engine, tmp_path: Path) -> None:
    url = flood.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["aggregate", "--db", url, "--authority", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "cannot read authority file" in result.output


def test_aggregate_on_a_store_never_set_up_asks_for_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["aggregate", "--db", str(tmp_path / "new.sqlite")])
    assert result.exit_code == 2
    assert "run `uprooted db upgrade` (or ingest documents) first" in result.output
