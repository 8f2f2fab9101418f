"""What ingest reads beyond ``extract``: RSS and Atom feeds served by a real local HTTP server (each
entry's page fetched under the reader's address rules) and WARC files written with warcio."""

from __future__ import annotations

import dataclasses
import io
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from uprooted.resources import Resources
from uprooted.store.ingest import StoreTally, ingest
from uprooted.store.models import DocumentRow, IngestError

PAGE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>{text}</p><p>Relief workers handed out blankets and water at the school, where families waited for news.</p>
</article></body></html>"""

RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Local news</title>
<item><title>River rises</title><link>{base}/one.html?utm_source=rss</link>
<pubDate>Tue, 07 May 2024 09:00:00 GMT</pubDate></item>
<item><title>Fire on the hill</title><link>{base}/two.html</link>
<pubDate>Wed, 08 May 2024 09:00:00 GMT</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<id>urn:wire</id><updated>2024-05-08T10:00:00Z</updated>
<entry><title>Fire on the hill</title><id>urn:wire:2</id><link href="{base}/two.html"/>
<updated>2024-05-08T10:00:00Z</updated></entry></feed>"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """A real HTTP server on loopback serving a feed and two story pages."""
    root = tmp_path / "site"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (root / "one.html").write_text(PAGE.format(title="River rises", text="The rising river forced 1,200 people "
                                                                         "to leave their homes, the council said."))
    (root / "two.html").write_text(PAGE.format(title="Fire on the hill", text="A fire on the hill forced about "
                                                                              "300 residents to flee overnight."))
    (root / "feed.xml").write_text(RSS.format(base=base))
    (root / "feed.atom").write_text(ATOM.format(base=base))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def _private(res: Resources) -> Resources:
    """The loaded resources with loopback fetching allowed (the test server's address)."""
    return dataclasses.replace(res, settings=res.settings.model_copy(update={"allow_private": True}))


def _documents(engine: Engine) -> dict[str, tuple[str | None, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(select(DocumentRow.key, DocumentRow.title, DocumentRow.published))
        return {key: (title, published) for key, title, published in rows}


# Feeds -----------------------------------------------------------------------------------------


def test_a_feed_url_gives_the_page_of_each_entry(engine: Engine, res: Resources, site: str) -> None:
    tally = StoreTally()
    ingest(engine, [f"{site}/feed.xml"], _private(res), tally)
    assert (tally.stored, tally.errors) == (2, 0)
    assert _documents(engine) == {f"{site}/one.html": ("River rises", "2024-05-07"),
                                  f"{site}/two.html": ("Fire on the hill", "2024-05-08")}


def test_a_feed_read_again_stores_nothing_new(engine: Engine, res: Resources, site: str) -> None:
    ingest(engine, [f"{site}/feed.xml"], _private(res), StoreTally())
    again = StoreTally()
    ingest(engine, [f"{site}/feed.xml"], _private(res), again)
    assert (again.stored, again.versions, again.unchanged) == (0, 0, 2)


def test_a_feed_on_a_private_address_is_refused_by_default(engine: Engine, res: Resources, site: str) -> None:
    """The reader's rule holds for feeds: a batch of URLs must not reach inside the network."""
    ingest(engine, [f"{site}/feed.xml"], res, StoreTally())
    with engine.connect() as conn:
        [error] = conn.execute(select(IngestError.error)).scalars().all()
    assert error.startswith(f"refused to fetch {site}/feed.xml: it leads to 127.0.0.1, a loopback address")


def test_an_atom_file_gives_the_pages_its_entries_link(engine: Engine, res: Resources, site: str,
                                                        tmp_path: Path) -> None:
    atom = tmp_path / "wire.atom"
    atom.write_text(ATOM.format(base=site), encoding="utf-8")
    ingest(engine, [str(atom)], _private(res), StoreTally())
    assert _documents(engine) == {f"{site}/two.html": ("Fire on the hill", "2024-05-08")}


# WARC ------------------------------------------------------------------------------------------


def _warc(path: Path) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(uri: str, status: str, content_type: str, body: bytes) -> object:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        return writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)

    page = PAGE.format(title="Camp grows", text="About 2,500 displaced people now live in the camp, aid workers "
                                                "said.").encode()
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "archive.example.org")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://archive.example.org/camp", "request",
                                                      http_headers=request))
        writer.write_record(response("https://archive.example.org/camp#top", "200 OK", "text/html; charset=utf-8",
                                     page))
        writer.write_record(response("https://archive.example.org/logo.png", "200 OK", "image/png", b"\x89PNG"))
        writer.write_record(response("https://archive.example.org/gone", "404 Not Found", "text/html", b"<p>gone"))
    return path


def test_a_warc_file_gives_its_html_responses_only(engine: Engine, res: Resources, tmp_path: Path) -> None:
    tally = StoreTally()
    ingest(engine, [str(_warc(tmp_path / "crawl.warc.gz"))], res, tally)
    assert (tally.stored, tally.errors) == (1, 0)
    assert list(_documents(engine)) == ["https://archive.example.org/camp"]
