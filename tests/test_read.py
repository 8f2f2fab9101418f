"""Reading documents: plain text, HTML, JSONL batches, folders, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from uprooted.errors import ReadError
from uprooted.read import InputDoc, iter_inputs, read_jsonl, read_path
from uprooted.settings import load_settings

FIXTURES = Path(__file__).parent / "fixtures"


def test_html_page_keeps_the_article_and_drops_the_chrome() -> None:
    doc = read_path(FIXTURES / "news.flood-page.html")
    for must in ("forced 7,400 people to flee", "About 1,300 houses were destroyed"):
        assert must in doc.text
    for must_not in ("45,000 fans", "Subscribe for 12 dollars", "99,999 users", "Example Street"):
        assert must_not not in doc.text


def test_html_page_gives_title_and_publication_date() -> None:
    doc = read_path(FIXTURES / "news.flood-page.html")
    assert doc.published == "2024-03-14"
    assert doc.title is not None and doc.title.startswith("River floods drive families out")


def test_jsonl_bad_line_yields_error_and_batch_goes_on() -> None:
    lines = ['{"id": "a", "text": "One."}', "{not json", '{"id": "c", "text": "Three."}']
    out = list(read_jsonl(iter(lines), "batch.jsonl"))
    assert isinstance(out[0], InputDoc) and isinstance(out[2], InputDoc)
    assert isinstance(out[1], ReadError)
    assert out[1].doc_id == "batch.jsonl:2"
    assert out[1].message.startswith("line 2 is not JSON")


def test_jsonl_document_without_text_names_the_document() -> None:
    (err,) = list(read_jsonl(iter(['{"id": "d7", "body": "x"}']), "b.jsonl"))
    assert isinstance(err, ReadError)
    assert (err.doc_id, err.message) == ("d7", "document has neither a text nor an html string")


def test_publication_date_without_a_day_is_no_date() -> None:
    """A time of day is no anchor: the document is read, with no publication date guessed."""
    (doc,) = list(read_jsonl(iter(['{"id": "d8", "text": "x", "published": "7:58 AM ET"}']), "b.jsonl"))
    assert isinstance(doc, InputDoc) and doc.published is None


def test_written_out_publication_date_is_read() -> None:
    (doc,) = list(read_jsonl(iter(['{"id": "d9", "text": "x", "published": "March 3, 2024"}']), "b.jsonl"))
    assert isinstance(doc, InputDoc) and doc.published == "2024-03-03"


def test_publication_date_of_wrong_type_is_a_read_error() -> None:
    (err,) = list(read_jsonl(iter(['{"id": "d10", "text": "x", "published": 20240303}']), "b.jsonl"))
    assert isinstance(err, ReadError) and err.doc_id == "d10"
    assert err.message.startswith("published: Value error, published must be a date string")


def test_jsonl_line_with_html_is_extracted() -> None:
    html = (FIXTURES / "news.flood-page.html").read_text()
    import json

    (doc,) = list(read_jsonl(iter([json.dumps({"id": "h1", "html": html})]), "b.jsonl"))
    assert isinstance(doc, InputDoc) and "7,400 people" in doc.text


def test_folder_yields_every_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First.")
    (tmp_path / "b.txt").write_text("Second.")
    ids = [d.id for d in iter_inputs(str(tmp_path), load_settings()) if isinstance(d, InputDoc)]
    assert ids == ["a.txt", "b.txt"]


def test_missing_file_is_a_read_error() -> None:
    (err,) = list(iter_inputs("/nonexistent/file.txt", load_settings()))
    assert isinstance(err, ReadError) and err.message == "no such file, folder or URL"


def test_unreachable_url_is_a_clear_read_error() -> None:
    """Offline or refused: a ReadError naming the URL, not a traceback."""
    settings = load_settings(http_timeout=2.0, allow_private=True)
    (err,) = list(iter_inputs("http://127.0.0.1:9/article", settings))
    assert isinstance(err, ReadError)
    assert err.doc_id == "http://127.0.0.1:9/article"
    assert err.message.startswith("cannot fetch the page (ConnectError")


@pytest.mark.parametrize("url", ["https://example.org/2023/10/02/story", "https://example.org/news/2023-10-02-story"])
def test_date_in_url_is_a_publication_date_fallback(url: str) -> None:
    from uprooted.read import _date_from_url

    assert _date_from_url(url) == "2023-10-02"


def test_url_is_fetched_over_real_http(tmp_path: Path) -> None:
    """A page served on localhost goes through httpx, trafilatura and htmldate."""
    import functools
    import http.server
    import threading

    (tmp_path / "story.html").write_bytes((FIXTURES / "news.flood-page.html").read_bytes())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/story.html"
        (doc,) = list(iter_inputs(url, load_settings(allow_private=True)))
    finally:
        server.shutdown()
    assert isinstance(doc, InputDoc)
    assert doc.id == url and doc.published == "2024-03-14" and "7,400 people" in doc.text


def test_page_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    import functools
    import http.server
    import threading

    (tmp_path / "big.html").write_text("<html><body><p>" + "word " * 50_000 + "</p></body></html>")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/big.html"
        (err,) = list(iter_inputs(url, load_settings(http_max_bytes=10_000, allow_private=True)))
    finally:
        server.shutdown()
    assert isinstance(err, ReadError) and err.message == "page larger than 10000 bytes"
