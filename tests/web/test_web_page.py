"""The workspace page in Debian's chromium (Playwright), against a real ``uprooted serve``: the
map, the evidence view with its highlights, review with and without the token, filters in the URL,
the timeline, the triage queue, the paste box, and document text that must never run as markup.
A screenshot of each view is saved in ``test-artifacts/web/``; the first load's timings too."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from playwright.sync_api import expect

from .conftest import ARTIFACTS, TOKEN, Server, screenshot, start_server, stop_server

LOADED = "body[data-loaded=true]"


def _open(page: Any, server: Server, query: str = "") -> None:
    page.goto(server.url + "/" + query)
    page.wait_for_selector(LOADED, timeout=30_000)


def _figures(server: Server, **params: Any) -> list[dict[str, Any]]:
    items = httpx.get(server.url + "/api/figures", params={"per_page": 5000, **params}, timeout=60).json()["items"]
    return list(items)


def test_the_map_shows_the_seed_figures(page: Any, seed_server: Server) -> None:
    placed = [f for f in _figures(seed_server) if (f["location"] or {}).get("lat") is not None]
    _open(page, seed_server)
    assert placed
    assert page.locator("path.marker-figure").count() == len(placed)
    assert page.locator("#list tr.figure-row").count() == len(_figures(seed_server))
    screenshot(page, "map-seed")
    timing = page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const drawn = performance.getEntriesByName('uprooted-data-drawn')[0];
        return {dom_content_loaded_ms: nav.domContentLoadedEventEnd, load_ms: nav.loadEventEnd,
                data_drawn_ms: drawn ? drawn.startTime : null};
    }""")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "first-load-seed.json").write_text(json.dumps(timing, indent=1), encoding="utf-8")
    assert page.errors == []


def test_clicking_a_marker_opens_the_evidence_with_the_quantity_highlighted(page: Any, page_server: Server) -> None:
    _open(page, page_server, "?country=BTN")
    page.locator("path.marker-figure").first.click(force=True)
    page.wait_for_selector("#ev-text mark.hl-quantity")
    assert page.locator("#ev-text mark.hl-quantity").inner_text() == "450"
    assert page.locator("#ev-text mark.hl-place").first.inner_text() == "Bhutan"
    assert "figure=w3%23f1" in page.url
    screenshot(page, "evidence")


def test_accepting_with_the_token_records_it_in_the_audit_log(page: Any, page_server: Server) -> None:
    _open(page, page_server, "?figure=w3%23f1")
    page.fill("#token", TOKEN)
    page.dispatch_event("#token", "change")
    page.click("#accept")
    page.wait_for_selector("#ev-log li.decision")
    assert "accept" in page.locator("#ev-log li.decision").first.inner_text()
    log = httpx.get(page_server.url + "/api/figures/w3%23f1/decisions").json()
    assert [d["action"] for d in log] == ["accept"]
    screenshot(page, "review-accepted")


def test_accepting_without_the_token_is_refused_and_not_recorded(page: Any, page_server: Server) -> None:
    _open(page, page_server, "?figure=w2%23f1")
    page.wait_for_selector("#ev-text mark.hl-quantity")
    page.click("#accept")
    page.wait_for_selector("#status.error")
    assert page.locator("#status").inner_text().startswith("refused (401)")
    assert httpx.get(page_server.url + "/api/figures/w2%23f1/decisions").json() == []
    screenshot(page, "review-refused")


def test_filters_change_the_url_and_the_list(page: Any, page_server: Server) -> None:
    _open(page, page_server)
    everything = page.locator("#list tr.figure-row").count()
    page.fill("#filters [name=country]", "BTN")
    page.dispatch_event("#filters [name=country]", "change")
    expect(page.locator("#list tr.figure-row")).to_have_count(1)
    assert parse_qs(urlsplit(page.url).query)["country"] == ["BTN"]
    assert everything > 1
    screenshot(page, "filtered")
    page.goto(page_server.url + "/?term=forced_to_flee&country=EST")
    page.wait_for_selector(LOADED)
    shown = {row.get_attribute("data-id") for row in page.locator("#list tr.figure-row").all()}
    assert shown == {f["id"] for f in _figures(page_server, term="forced_to_flee", country="EST")}
    assert page.locator("#filters [name=term]").input_value() == "forced_to_flee"


def test_evidence_with_markup_renders_inert(page: Any, page_server: Server) -> None:
    """The sentence holds a script, an image with onerror and a javascript: link; none may run."""
    _open(page, page_server, "?figure=w4%23f1")
    page.wait_for_selector("#ev-text mark.hl-quantity")
    page.wait_for_timeout(300)
    shown = page.locator("#ev-text").inner_text()
    assert "<script>window.__pwned" in shown
    assert 'onerror="window.__pwned' in shown
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#ev-text script, #ev-text img, #ev-text a, #side a[href^='javascript']").count() == 0
    page.get_by_text("more").first.click()
    assert page.evaluate("window.__pwned") is None
    assert page.errors == []
    screenshot(page, "evidence-inert")


def test_the_timeline_draws_flows_as_bars_and_stocks_as_lines(page: Any, page_server: Server) -> None:
    _open(page, page_server, "?view=timeline&timeline=country")
    page.wait_for_selector(".timeline-chart")
    assert page.locator(".timeline-row").count() >= 2
    flows = sum(1 for f in _figures(page_server) if f["kind"] != "stock")
    assert page.locator(".timeline-chart rect.flow").count() + page.locator(".timeline-chart circle.stock").count() \
        == len([f for f in _figures(page_server) if f["date_end"] or f["date_start"] or f["published"]])
    assert flows >= 1
    screenshot(page, "timeline")


def test_the_triage_queue_puts_the_largest_group_first(page: Any, page_server: Server) -> None:
    _open(page, page_server, "?view=triage")
    page.wait_for_selector("#triage li.triage-item")
    first = page.locator("#triage li.triage-item").first.get_attribute("data-id")
    assert first in {"w1#f1", "w2#f1"}
    screenshot(page, "triage")


def test_the_paste_box_shows_the_records_of_a_text(page: Any, page_server: Server) -> None:
    _open(page, page_server, "?view=paste")
    page.fill("#paste-text", "Heavy rain forced 640 people to leave Lamia, Greece on Tuesday.")
    page.click("#paste-form button[type=submit]")
    page.wait_for_selector("#paste-records tr.record-figure", timeout=120_000)
    assert "640" in page.locator("#paste-records tr.record-figure").first.inner_text()
    screenshot(page, "paste")


def test_a_group_opens_its_own_timeline(page: Any, page_server: Server) -> None:
    _open(page, page_server, "?figure=w1%23f1")
    page.wait_for_selector("#ev-text mark.hl-quantity")
    page.click("#ev-group-timeline")
    expect(page.locator(".timeline-row")).to_have_count(1)
    query = parse_qs(urlsplit(page.url).query)
    assert query["view"] == ["timeline"]
    assert query["group"] == [httpx.get(page_server.url + "/api/figures/w1%23f1").json()["group"]["id"]]
    assert page.locator(".timeline-chart rect.flow").count() == 2
    screenshot(page, "timeline-group")


def test_an_event_marker_opens_its_sentence(page: Any, page_server: Server) -> None:
    _open(page, page_server, "?country=SUR")
    page.locator("path.marker-event").first.click(force=True)
    page.wait_for_selector(".event-popup")
    assert "Armed men attacked a village" in page.locator(".event-popup").inner_text()
    page.wait_for_timeout(400)  # the popup fades in
    screenshot(page, "event")


def test_where_reads_need_a_token_the_page_asks_for_it_then_loads(page: Any, store_db: str) -> None:
    guarded = start_server(store_db, "--token", TOKEN, "--read-token")
    try:
        page.goto(guarded.url + "/")
        page.wait_for_selector("#status.error")
        assert page.locator("#status").inner_text().startswith("refused (401): reads need a token")
        page.fill("#token", TOKEN)
        page.dispatch_event("#token", "change")
        page.wait_for_selector(LOADED)
        assert page.locator("#list tr.figure-row").count() >= 4
        assert page.locator("#status").inner_text() == ""
        screenshot(page, "read-token")
    finally:
        stop_server(guarded)


def test_a_place_name_with_markup_shows_as_text_on_the_map(page: Any, page_server: Server) -> None:
    """A place comes from the document's words or a reviewer's correction: the marker's tooltip
    must show it as letters, never parse it."""
    name = '<img src="x" id="injected-tip">Kourou'
    resp = httpx.post(page_server.url + "/api/figures/w5%23f1/decisions", headers={"Authorization": f"Bearer {TOKEN}"},
                      json={"action": "correct", "changes": {"place": {"name": name, "lat": 5.16, "lon": -52.65}}})
    assert resp.status_code == 201, resp.text
    _open(page, page_server, "?country=SUR")
    page.locator("path.marker-figure").first.hover(force=True)
    page.wait_for_selector(".marker-tip")
    assert name in page.locator(".marker-tip").inner_text()
    assert page.locator("#injected-tip").count() == 0
    assert name in page.locator("#list tr.figure-row").first.inner_text()
    screenshot(page, "tooltip-inert")
