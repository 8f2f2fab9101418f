"""Fetching URLs safely: no loopback, private, link-local or reserved address (checked on every
redirect hop), and caps on redirects, total time and size. Real servers on 127.0.0.1."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from uprooted.errors import ReadError
from uprooted.read import InputDoc, iter_inputs
from uprooted.settings import load_settings

PAGE = b"<html><body><p>Some 4,100 people fled the flooded district on Tuesday, officials said.</p></body></html>"


class _Handler(http.server.BaseHTTPRequestHandler):
    """/page: a page; /drip: a byte every 0.2 s; /to?url: a redirect there; /loop: a redirect to itself."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        if self.path.startswith("/to?"):
            self._redirect(self.path[4:])
        elif self.path == "/loop":
            self._redirect("/loop")
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(150):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.hits = []
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


def _fetch(url: str, **settings: Any) -> InputDoc | ReadError:
    (item,) = list(iter_inputs(url, load_settings(**settings)))
    return item


LOCAL = {"allowed_networks": ["127.0.0.1/32"]}


def test_loopback_url_is_refused_before_any_request(server: str) -> None:
    err = _fetch(server + "/page")
    assert isinstance(err, ReadError)
    assert err.message == (f"refused to fetch {server}/page: it leads to 127.0.0.1, a loopback address "
                           "(--allow-private fetches it)")
    assert _Handler.hits == []


@pytest.mark.parametrize(("url", "kind"), [
    ("http://[::1]:9/x", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://10.1.2.3/", "private"),
    ("http://[::ffff:192.168.0.1]/", "private"),
    ("http://0.0.0.0:9/", "unspecified"),
    ("http://240.0.0.1/", "reserved"),
    ("http://localhost:9/", "loopback"),
])
def test_non_public_addresses_are_refused(url: str, kind: str) -> None:
    err = _fetch(url)
    assert isinstance(err, ReadError) and err.doc_id == url
    assert f"a {kind} address (--allow-private fetches it)" in err.message


def test_redirect_into_a_private_address_is_refused(server: str) -> None:
    """The first hop is allowed; the redirect to the cloud metadata address is not followed."""
    err = _fetch(server + "/to?http://169.254.169.254/latest/meta-data/", **LOCAL)
    assert isinstance(err, ReadError)
    assert err.message.startswith("refused to fetch http://169.254.169.254/latest/meta-data/: it leads to "
                                  "169.254.169.254, a link-local address")


def test_allowed_network_and_allow_private_fetch(server: str) -> None:
    for settings in (LOCAL, {"allow_private": True}):
        doc = _fetch(server + "/page", **settings)
        assert isinstance(doc, InputDoc) and "4,100 people fled" in doc.text


def test_a_dripping_server_is_cut_off_at_the_total_time(server: str) -> None:
    """Each byte comes within the read timeout, so only a total deadline stops it."""
    started = time.monotonic()
    err = _fetch(server + "/drip", http_total_timeout=1.0, **LOCAL)
    assert isinstance(err, ReadError) and err.message == "page not read within 1 s"
    assert time.monotonic() - started < 5


def test_redirects_are_capped(server: str) -> None:
    err = _fetch(server + "/loop", http_max_redirects=3, **LOCAL)
    assert isinstance(err, ReadError) and err.message == "more than 3 redirects fetching the page"
    assert _Handler.hits == ["/loop"] * 4


def test_declared_size_over_the_limit_is_refused_before_reading(server: str) -> None:
    err = _fetch(server + "/page", http_max_bytes=50, **LOCAL)
    assert isinstance(err, ReadError) and err.message == "page larger than 50 bytes"
