"""The web API through a real ``uprooted serve`` process: reads with the export's filters and
pages, downloads, review writes behind a token with their audit log, and the guards (body cap,
closed CORS, optional read token)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from uprooted.reconcile import load_rules
from uprooted.resources import Resources
from uprooted.store.aggregate import aggregate
from uprooted.store.db import open_store
from uprooted.store.ingest import StoreTally, reprocess
from uprooted.store.tokens import create_token, revoke_tokens

from .conftest import TOKEN, Server, start_server, stop_server

UPROOTED = str(Path(sys.executable).parent / "uprooted")


def _get(server: Server, path: str, **params: Any) -> Any:
    with server.client() as client:
        resp = client.get(path, params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


# ---- reads ----------------------------------------------------------------------------------


def test_figures_pass_the_export_filters(server: Server) -> None:
    assert _ids(_get(server, "/api/figures", country="BTN")) == ["w3#f1"]
    assert _ids(_get(server, "/api/figures", term="homeless")) == ["w3#f1"]
    assert set(_ids(_get(server, "/api/figures", since="2024-05-01"))) == {"w1#f1", "w2#f1"}


def test_figures_come_in_pages_with_the_total(server: Server) -> None:
    first, second = (_get(server, "/api/figures", per_page=2, page=n) for n in (1, 2))
    assert first["total"] == second["total"] >= 4
    assert len(first["items"]) == 2
    assert not set(_ids(first)) & set(_ids(second))


def test_a_bad_filter_is_refused_with_the_reason(server: Server) -> None:
    with server.client() as client:
        resp = client.get("/api/figures", params={"since": "last week"})
    assert resp.status_code == 422
    assert resp.json()["detail"] == "since 'last week' is not a date (give YYYY-MM-DD)"


def test_a_figure_comes_with_its_text_highlights_and_group(server: Server) -> None:
    detail = _get(server, "/api/figures/w1#f1".replace("#", "%23"))
    text = detail["document"]["text"]
    quantity = next(h for h in detail["highlights"] if h["kind"] == "quantity")
    assert text[quantity["start"]:quantity["end"]] == "3,000"
    assert "Tartu" in {text[h["start"]:h["end"]] for h in detail["highlights"] if h["kind"] == "place"}
    assert {m["id"] for m in detail["group"]["members"]} == {"w1#f1", "w2#f1"}
    assert "w1#f1" in detail["group"]["group_why"]


def test_an_unknown_figure_is_404_naming_it(server: Server) -> None:
    with server.client() as client:
        resp = client.get("/api/figures/nothing%23f9")
    assert resp.status_code == 404
    assert resp.json() == {"detail": "no figure with this id in the store's current documents", "doc_id": "nothing#f9"}


def test_a_document_comes_with_its_text_and_records(server: Server) -> None:
    docs = _get(server, "/api/documents")
    row = next(d for d in docs["items"] if d["doc_id"] == "w3")
    doc = _get(server, f"/api/documents/{row['document']}")
    assert doc["text"].startswith("Landslides left 450 people")
    assert [f["id"] for f in doc["figures"]] == ["w3#f1"]
    assert any(p["name"] == "Bhutan" for p in doc["places"])


def test_groups_name_their_recommended_figure_and_why(server: Server) -> None:
    groups = _get(server, "/api/groups", country="EST", since="2024-05-01")["items"]
    assert len(groups) == 1
    assert groups[0]["size"] == 2
    assert groups[0]["recommended"]["id"] in {"w1#f1", "w2#f1"}
    assert groups[0]["why"].startswith("recommended")


def test_events_and_places_are_listed(server: Server) -> None:
    events = _get(server, "/api/events")["items"]
    assert {e["doc_id"] for e in events} == {"w5"}
    places = _get(server, "/api/places", country="EST")["items"]
    assert {p["name"] for p in places} >= {"Tartu", "Narva"}


def test_a_filtered_view_downloads_as_csv_hxl_and_geojson(server: Server) -> None:
    with server.client() as client:
        rows = list(csv.DictReader(io.StringIO(client.get("/api/export.csv", params={"country": "BTN"}).text)))
        hxl = client.get("/api/export.hxl", params={"country": "BTN"})
        geo = client.get("/api/export.geojson", params={"country": "BTN"})
    assert [r["id"] for r in rows] == ["w3#f1"]
    assert hxl.text.splitlines()[1].startswith("#meta+id")
    assert hxl.headers["content-disposition"] == 'attachment; filename="uprooted-figures.csv"'
    assert [f["properties"]["id"] for f in json.loads(geo.text)["features"]] == ["w3#f1"]


def test_the_api_is_described_at_docs(server: Server) -> None:
    with server.client() as client:
        assert client.get("/docs").status_code == 200
        paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/figures", "/api/groups", "/api/extract", "/api/documents/{row}"} <= set(paths)


# ---- review writes ----------------------------------------------------------------------------


def test_a_decision_without_the_token_is_refused_and_not_recorded(server: Server) -> None:
    with server.client() as client:
        resp = client.post("/api/figures/w3%23f1/decisions", json={"action": "reject"})
    assert resp.status_code == 401
    assert _get(server, "/api/figures/w3%23f1/decisions") == []


def test_a_decision_with_a_wrong_token_is_refused(server: Server) -> None:
    with server.client("not-the-token") as client:
        assert client.post("/api/figures/w3%23f1/decisions", json={"action": "reject"}).status_code == 401


def test_an_accept_is_recorded_with_reviewer_time_and_what_stood_before(server: Server) -> None:
    with server.client(TOKEN) as client:
        resp = client.post("/api/figures/w3%23f1/decisions", json={"action": "accept", "reviewer": "noor"})
    assert resp.status_code == 201
    log = _get(server, "/api/figures/w3%23f1/decisions")
    assert [(d["action"], d["reviewer"], d["previous"]["action"]) for d in log] == [("accept", "noor", None)]
    assert log[0]["at"]
    assert _ids(_get(server, "/api/figures", review="accept")) == ["w3#f1"]


def test_corrections_are_logged_one_after_another_never_overwritten(server: Server) -> None:
    """The second correction's 'before' is the first correction's value; the extracted record stays."""
    with server.client(TOKEN) as client:
        for value in (1250, 1300):
            resp = client.post("/api/figures/w4%23f1/decisions",
                               json={"action": "correct", "changes": {"value": value, "term": "evacuated"}})
            assert resp.status_code == 201, resp.text
    log = _get(server, "/api/figures/w4%23f1/decisions")
    assert [d["previous"]["values"]["value"] for d in log] == [1200, 1250]
    assert [d["edit"]["value"] for d in log] == [1250, 1300]
    detail = _get(server, "/api/figures/w4%23f1")
    assert (detail["figure"]["quantity"]["value"], detail["figure"]["term"]) == (1300, "evacuated")
    assert detail["extracted"]["quantity"]["value"] == 1200
    listed = next(i for i in _get(server, "/api/figures", review="edit")["items"] if i["id"] == "w4#f1")
    assert (listed["value"], listed["corrected"]) == (1300, ["term", "value"])


def test_a_download_carries_the_corrected_values(server: Server) -> None:
    """The page shows a figure as corrected; a download of the same view must say the same."""
    with server.client(TOKEN) as client:
        assert client.post("/api/figures/w1%23f1/decisions",
                           json={"action": "correct", "changes": {"value": 3050}}).status_code == 201
        rows = list(csv.DictReader(io.StringIO(client.get("/api/export.csv", params={"country": "EST"}).text)))
    assert {r["id"]: r["figure"] for r in rows}["w1#f1"] == "3050"


def test_a_correction_outside_the_format_is_refused_with_the_field(server: Server) -> None:
    with server.client(TOKEN) as client:
        resp = client.post("/api/figures/w4%23f1/decisions", json={"action": "correct", "changes": {"term": "moved"}})
    assert resp.status_code == 422
    assert resp.json()["detail"].startswith("cannot correct term: Input should be 'displaced'")


def test_a_reviewers_own_token_names_them_in_the_log(server: Server) -> None:
    """`uprooted db token NAME` prints the token once; the decisions made with it carry the name."""
    made = subprocess.run([UPROOTED, "db", "token", "Amara Diallo", "--db", server.db], capture_output=True,
                          text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    with server.client(token) as client:
        assert client.post("/api/figures/w2%23f1/decisions", json={"action": "accept", "reviewer": "someone else"}
                           ).status_code == 201
    assert _get(server, "/api/figures/w2%23f1/decisions")[-1]["reviewer"] == "Amara Diallo"


def test_a_revoked_reviewer_token_is_refused(server: Server) -> None:
    engine = open_store(server.db)
    token = create_token(engine, "Jonas Berg")
    assert revoke_tokens(engine, "Jonas Berg") == 1
    engine.dispose()
    with server.client(token) as client:
        assert client.post("/api/figures/w2%23f1/decisions", json={"action": "accept"}).status_code == 401


def test_decisions_stay_with_their_figures_through_reprocess(server: Server, res: Resources) -> None:
    with server.client(TOKEN) as client:
        assert client.post("/api/figures/w5%23f1/decisions", json={"action": "reject"}).status_code == 201
    engine = open_store(server.db)
    reprocess(engine, res, StoreTally(), everything=True)
    engine.dispose()
    assert [d["action"] for d in _get(server, "/api/figures/w5%23f1/decisions")] == ["reject"]
    assert _get(server, "/api/figures/w5%23f1")["review"] == "reject"


def test_a_split_and_a_merge_regroup_the_figures_at_the_next_aggregate(server: Server) -> None:
    engine = open_store(server.db)

    def group(fid: str) -> str:
        return str(_get(server, f"/api/figures/{fid.replace('#', '%23')}")["group"]["id"])

    assert group("w1#f1") == group("w2#f1")
    with server.client(TOKEN) as client:
        assert client.post("/api/figures/w1%23f1/split", json={"note": "another storm"}).status_code == 201
    aggregate(engine, load_rules())
    assert group("w1#f1") != group("w2#f1")
    assert _get(server, "/api/figures/w1%23f1")["group"]["recommended"] is True
    with server.client(TOKEN) as client:
        assert client.post("/api/figures/w1%23f1/merge", json={"into": "w2#f1"}).status_code == 201
    aggregate(engine, load_rules())
    engine.dispose()
    assert group("w1#f1") == group("w2#f1")
    assert [d["action"] for d in _get(server, "/api/figures/w1%23f1/decisions")][-2:] == ["split", "merge"]


# ---- guards -----------------------------------------------------------------------------------


def test_a_body_over_the_cap_is_refused_with_413(server: Server) -> None:
    with server.client(TOKEN) as client:
        resp = client.post("/api/extract", content=b"{" + b" " * 1_100_000 + b"}",
                           headers={"Content-Type": "application/json"})
    assert resp.status_code == 413


def test_a_streamed_body_over_the_cap_is_refused_with_413(server: Server) -> None:
    """Without a Content-Length the body is counted as it arrives."""
    def chunks() -> Any:
        for _ in range(40):
            yield b" " * 50_000

    with server.client(TOKEN) as client:
        resp = client.post("/api/extract", content=chunks(), headers={"Content-Type": "application/json"})
    assert resp.status_code == 413


def test_cors_is_closed_by_default(server: Server) -> None:
    with server.client() as client:
        preflight = client.options("/api/figures", headers={"Origin": "https://elsewhere.example",
                                                            "Access-Control-Request-Method": "GET"})
        simple = client.get("/api/figures", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in simple.headers


def test_reads_can_require_a_token(store_db: str) -> None:
    guarded = start_server(store_db, "--token", TOKEN, "--read-token")
    try:
        assert httpx.get(guarded.url + "/api/figures").status_code == 401
        assert httpx.get(guarded.url + "/api/figures", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    finally:
        stop_server(guarded)


# ---- paste box ----------------------------------------------------------------------------------


def test_a_pasted_text_gives_its_records_at_once(server: Server) -> None:
    with server.client() as client:
        resp = client.post("/api/extract", json={"text": "Heavy rain forced 640 people to leave Lamia, Greece "
                                                         "on Tuesday.", "published": "2024-10-02"})
    assert resp.status_code == 200, resp.text
    figures = [r for r in resp.json()["records"] if r["type"] == "figure"]
    assert [(f["quantity"]["value"], f["term"]) for f in figures] == [(640, "forced_to_flee")]


def test_a_url_on_a_private_address_is_refused_as_the_reader_refuses_it(server: Server) -> None:
    with server.client() as client:
        records = client.post("/api/extract", json={"url": "http://127.0.0.1:9/report"}).json()["records"]
    assert [r["type"] for r in records] == ["error"]
    assert records[0]["doc_id"] == "http://127.0.0.1:9/report"
    assert "private" in records[0]["error"] or "loopback" in records[0]["error"]


@pytest.mark.parametrize("body", [{}, {"text": "x", "url": "https://example.org/"}], ids=["neither", "both"])
def test_extract_takes_a_text_or_a_url(server: Server, body: dict[str, str]) -> None:
    with server.client() as client:
        resp = client.post("/api/extract", json=body)
    assert resp.status_code == 422
    assert resp.json()["detail"] == "give either text or url"


def test_an_origin_listed_in_the_settings_may_call_the_api(store_db: str) -> None:
    listed = start_server(store_db, env={"UPROOTED_SERVE_CORS_ORIGINS": '["https://desk.example"]'})
    try:
        allowed = httpx.get(listed.url + "/api/meta", headers={"Origin": "https://desk.example"})
        other = httpx.get(listed.url + "/api/meta", headers={"Origin": "https://elsewhere.example"})
    finally:
        stop_server(listed)
    assert allowed.headers["access-control-allow-origin"] == "https://desk.example"
    assert "access-control-allow-origin" not in other.headers


def test_serve_on_a_store_never_set_up_says_what_to_run(tmp_path: Path) -> None:
    done = subprocess.run([UPROOTED, "serve", "--db", str(tmp_path / "empty.sqlite")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert "the store is empty or not uprooted's: run `uprooted db upgrade`" in " ".join(done.stderr.split())
