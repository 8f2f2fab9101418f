"""What ``uprooted ingest`` reads, each document with the key the store knows it by: everything
``extract`` reads (through ``read.iter_inputs``), plus RSS/Atom feeds and WARC files.

A feed (a URL or a file whose XML opens as RSS, Atom or RDF) gives one document per entry: the page
the entry links to, fetched under the reader's rules (public addresses only, size and time capped),
with the entry's title and date; an entry without a link gives its own content. A WARC file gives
its HTML responses (status 200); requests, metadata and other media are skipped. Failures are
``ReadError``s in place of the document, keyed like it, so the store can list and retry them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import ReadError
from ..fetch import Page, fetch
from ..read import InputDoc, from_html, iter_inputs, read_page, read_url
from ..settings import Settings
from .keys import canonical_url, file_key, id_key

__all__ = ["Keyed", "is_feed", "read_feed", "read_targets", "read_warc"]

Keyed = tuple[InputDoc | ReadError, str]

_FEED_HEAD = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_FEED_SUFFIXES = (".rss", ".atom", ".xml")
_WARC_SUFFIXES = (".warc", ".warc.gz")


def is_feed(body: bytes) -> bool:
    """An RSS, Atom or RDF document, by its opening element (a page's own XML is not one)."""
    return bool(_FEED_HEAD.search(body[:2048]))


def read_targets(targets: Iterable[str], settings: Settings, *, exclude: Iterable[Path] = ()) -> Iterator[Keyed]:
    """The documents of every target, in order, each with its store key."""
    for target in targets:
        yield from _target(target, settings, list(exclude))


def _target(target: str, settings: Settings, exclude: list[Path]) -> Iterator[Keyed]:
    if re.match(r"^https?://", target, re.IGNORECASE):
        try:
            page = fetch(target, settings)
        except ReadError as exc:
            yield exc, canonical_url(target)
            return
        if is_feed(page.body):
            yield from read_feed(page.body, page.url, settings)
        else:
            yield _keyed(partial(read_page, page, target), canonical_url(target))
        return
    path = Path(target)
    name = path.name.lower()
    if path.is_file() and name.endswith(_WARC_SUFFIXES):
        yield from read_warc(path, settings)
        return
    if path.is_file() and name.endswith(_FEED_SUFFIXES):
        try:
            body = path.read_bytes()
        except OSError as exc:
            yield ReadError(f"cannot read file: {exc.strerror or exc}", doc_id=target), file_key(path)
            return
        if is_feed(body):
            yield from read_feed(body, None, settings)
            return
    for item in iter_inputs(target, settings, exclude=exclude):
        yield item, _key(item, path)


def _key(item: InputDoc | ReadError, target: Path) -> str:
    """A document's URL when it has one, else its file's path, else its id (a JSONL line, stdin)."""
    url = item.url if isinstance(item, InputDoc) else None
    doc_id = item.id if isinstance(item, InputDoc) else (item.doc_id or str(target))
    if url:
        return canonical_url(url)
    if target.is_file() and doc_id == target.name:
        return file_key(target)
    if target.is_dir() and (target / doc_id).is_file():
        return file_key(target / doc_id)
    return id_key(doc_id)


def _keyed(make: Callable[[], InputDoc], key: str) -> Keyed:
    try:
        return make(), key
    except ReadError as exc:
        return exc, key


def _entry_date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def read_feed(body: bytes, url: str | None, settings: Settings) -> Iterator[Keyed]:
    """The entries of an RSS or Atom feed, each as the page it links to."""
    import feedparser

    headers = {"content-location": url} if url else {}
    feed = feedparser.parse(body, response_headers=headers)
    if not feed.entries and feed.get("bozo"):
        where = url or "feed"
        yield ReadError(f"cannot read the feed: {feed.get('bozo_exception')}", doc_id=where), id_key(where)
        return
    for n, entry in enumerate(feed.entries, 1):
        published, title, link = _entry_date(entry), entry.get("title"), entry.get("link")
        if link:
            yield _keyed(partial(read_url, link, settings, published=published, title=title), canonical_url(link))
            continue
        doc_id = str(entry.get("id") or f"{url or 'feed'}#{n}")
        content = entry.get("content") or [{"value": entry.get("summary", "")}]
        html = str(content[0].get("value") or "")
        yield _keyed(partial(from_html, f"<html><body>{html}</body></html>", doc_id=doc_id, published=published,
                             title=title), id_key(doc_id))


def _charset(content_type: str) -> str | None:
    m = re.search(r"charset=([\w.:-]+)", content_type, re.IGNORECASE)
    return m[1] if m else None


def read_warc(path: Path, settings: Settings) -> Iterator[Keyed]:
    """The HTML pages a WARC file archived (responses with status 200), as fetched pages."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        with path.open("rb") as f:
            for record in ArchiveIterator(f):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                uri = str(record.rec_headers.get_header("WARC-Target-URI") or "")
                content_type = str(record.http_headers.get_header("Content-Type") or "")
                if record.http_headers.get_statuscode() != "200" or "html" not in content_type.lower() or not uri:
                    continue
                body = record.content_stream().read(settings.http_max_bytes + 1)
                if len(body) > settings.http_max_bytes:
                    yield ReadError(f"page larger than {settings.http_max_bytes} bytes", doc_id=uri), canonical_url(uri)
                    continue
                page = Page(body, _charset(content_type), uri)
                yield _keyed(partial(read_page, page, uri), canonical_url(uri))
    except (OSError, ArchiveLoadFailed, ValueError) as exc:
        yield ReadError(f"cannot read the rest of the WARC file: {exc}", doc_id=path.name), file_key(path)
