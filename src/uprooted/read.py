"""Stage 1, read: turn what the user gives (text, HTML, a URL, a folder, JSONL) into ``InputDoc``s.

HTML goes through trafilatura (main text, title) and htmldate (publication date); URLs are
fetched by ``fetch`` (public addresses only, time and size capped); bytes become text through
``encoding``. Everything streams: a JSONL batch or stdin is read a line at a time and decoded a
line at a time, so memory does not grow with the batch and one bad line costs only itself.
Every failure is a ``ReadError`` that names the document, so a batch reports it and goes on.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .encoding import GZIP_MAGIC, decode, is_binary_text, scrub
from .errors import MissingInputError, ReadError
from .settings import Settings

if TYPE_CHECKING:
    from .fetch import Page

__all__ = [
    "InputDoc", "from_html", "is_batch", "iter_inputs", "publication_date", "read_jsonl", "read_page", "read_path",
    "read_text", "read_url",
]

_BATCH_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")

_URL_DATE = re.compile(r"/(20\d\d|19\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")


class InputDoc(BaseModel):
    """One document to process, in FORMAT.md's input shape (unknown keys are ignored)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    text: str
    published: str | None = None
    url: str | None = None
    title: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, v: object) -> object:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("id", "text", "url", "title", mode="after")
    @classmethod
    def _writable(cls, v: str | None) -> str | None:
        return scrub(v) if v else v

    @field_validator("published", mode="before")
    @classmethod
    def _iso_date(cls, v: object) -> object:
        if v in (None, ""):
            return None
        if not isinstance(v, str):
            raise ValueError("published must be a date string")
        return publication_date(v)

    def published_date(self) -> date | None:
        """The publication date, the anchor for every relative date in the text."""
        return date.fromisoformat(self.published) if self.published else None


def publication_date(value: str) -> str | None:
    """ISO dates as they are; other full dates ("March 3, 2024") through dateparser; a value with
    no day, month and year ("7:58 AM ET") gives no date rather than a guessed one."""
    head = value.strip()[:10]
    try:
        return date.fromisoformat(head).isoformat()
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(value, languages=["en"], settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date().isoformat() if parsed else None


def _date_from_url(url: str | None) -> str | None:
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def from_html(
    html: str, *, doc_id: str, url: str | None = None, published: str | None = None, title: str | None = None
) -> InputDoc:
    """Main text, title and date of a web page (trafilatura + htmldate)."""
    import trafilatura
    from htmldate import find_date

    try:
        text = trafilatura.extract(
            html, url=url, include_comments=False, include_tables=False, favor_recall=True
        )
        meta = trafilatura.extract_metadata(html, default_url=url)
    except Exception as exc:  # lxml and trafilatura raise many kinds; all mean "cannot parse"
        raise ReadError(f"cannot parse HTML: {exc}", doc_id=doc_id) from exc
    if not text:
        raise ReadError("no main text found in the HTML page", doc_id=doc_id)
    found = published
    if not found:
        try:
            found = find_date(html, url=url, original_date=True, outputformat="%Y-%m-%d")
        except Exception:  # htmldate gives up on odd pages; fall back to the URL below
            found = None
    found = found or _date_from_url(url)
    page_title = title or (meta.title if meta is not None else None)
    return _make(doc_id, text, found, url, page_title)


def _make(doc_id: str, text: str, published: str | None, url: str | None, title: str | None) -> InputDoc:
    try:
        return InputDoc(id=doc_id, text=text, published=published, url=url, title=title)
    except ValidationError as exc:
        raise ReadError(_first_error(exc), doc_id=doc_id) from exc


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "document"
    return f"{where}: {err['msg']}"


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def read_text(text: str, doc_id: str, *, published: str | None = None, title: str | None = None) -> InputDoc:
    """A text given whole (pasted into the web workspace): HTML through ``from_html``, else as is."""
    if _looks_like_html(text):
        return from_html(text, doc_id=doc_id, published=published, title=title)
    return _make(doc_id, text, published, None, title)


def read_url(url: str, settings: Settings, *, published: str | None = None, title: str | None = None) -> InputDoc:
    """Fetch a page (public addresses only, time and size capped); a refusal or failure is a clear
    ``ReadError`` naming the URL."""
    from .fetch import fetch

    return read_page(fetch(url, settings), url, published=published, title=title)


def read_page(page: Page, url: str, *, published: str | None = None, title: str | None = None) -> InputDoc:
    """A fetched page as a document: decoded by its declared charset (else detected), HTML through
    ``from_html``; apart from ``read_url`` so a caller that sniffs the page first (a feed) fetches once."""
    body: str | None = None
    if page.charset:
        try:
            body = page.body.decode(page.charset, errors="replace")
        except LookupError:  # a charset Python does not know: detect it instead
            body = None
    if body is None or is_binary_text(body):
        body = decode(page.body, url)
    if _looks_like_html(body):
        return from_html(body, doc_id=url, url=url, published=published, title=title)
    return _make(url, body, published or _date_from_url(url), url, title)


def read_path(
    path: Path,
    *,
    doc_id: str | None = None,
    published: str | None = None,
    url: str | None = None,
    title: str | None = None,
) -> InputDoc:
    """A plain-text or HTML file, gzipped or not, in any encoding; the id is the file name unless
    the caller names it (a folder gives the path inside it, so two ``notes.txt`` stay apart)."""
    doc_id = doc_id or path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror or exc}", doc_id=doc_id) from exc
    text = decode(raw, doc_id)
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".html", ".htm")) or _looks_like_html(text):
        return from_html(text, doc_id=doc_id, url=url, published=published, title=title)
    return _make(doc_id, text, published, url, title)


def _line_id(obj: dict[str, object], lineno: int, fallback: str) -> str:
    raw = obj.get("id")
    if raw is None or raw == "":
        return fallback
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ReadError(f"line {lineno}: id must be a string or a number", doc_id=fallback)
    return scrub(str(raw))


def read_jsonl_line(line: str, lineno: int, source: str) -> InputDoc:
    """One FORMAT.md input line: ``{"id", "text"}`` or ``{"id", "html"}`` plus optional metadata."""
    fallback = f"{source}:{lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ReadError(f"line {lineno} is not JSON: {exc.msg}", doc_id=fallback) from exc
    except RecursionError as exc:
        raise ReadError(f"line {lineno} is JSON nested too deeply to read", doc_id=fallback) from exc
    if not isinstance(obj, dict):
        raise ReadError(f"line {lineno} is not a JSON object", doc_id=fallback)
    doc_id = _line_id(obj, lineno, fallback)
    if not obj.get("text") and isinstance(obj.get("html"), str):
        return from_html(
            scrub(obj["html"]), doc_id=doc_id, url=_text_or_none(obj.get("url")),
            published=_text_or_none(obj.get("published")), title=_text_or_none(obj.get("title")),
        )
    if not isinstance(obj.get("text"), str):
        raise ReadError("document has neither a text nor an html string", doc_id=doc_id)
    try:
        return InputDoc.model_validate({**obj, "id": doc_id})
    except ValidationError as exc:
        raise ReadError(_first_error(exc), doc_id=doc_id) from exc


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def read_jsonl(lines: Iterable[str | bytes], source: str) -> Iterator[InputDoc | ReadError]:
    """Documents of a JSONL batch, decoded a line at a time: a bad line (not UTF-8, not JSON, no
    text) yields its ``ReadError`` in place and the batch goes on."""
    for lineno, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield ReadError(f"line {lineno} is not UTF-8 (byte {line[exc.start]:#04x} at column {exc.start + 1})",
                                doc_id=f"{source}:{lineno}")
                continue
        if not line.strip():
            continue
        try:
            yield read_jsonl_line(line, lineno, source)
        except ReadError as exc:
            yield exc


def _lines(stream: IO[bytes] | gzip.GzipFile) -> Iterable[bytes | str]:
    """The lines of a byte stream: gzip unpacked, UTF-16/32 decoded when a byte-order mark says so;
    otherwise bytes, for ``read_jsonl`` to decode one at a time."""
    peek = getattr(stream, "peek", None)
    head = peek(4)[:4] if peek is not None else b""
    if head.startswith(GZIP_MAGIC):
        return _lines(gzip.GzipFile(fileobj=stream))
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return io.TextIOWrapper(stream, encoding=encoding, errors="replace")
    return stream


def _read_batch(path: Path, source: str) -> Iterator[InputDoc | ReadError]:
    try:
        with path.open("rb") as f:
            yield from read_jsonl(_lines(f), source)
    except (OSError, EOFError) as exc:  # unreadable, or a gzip stream cut short: the rest is lost
        yield ReadError(f"cannot read the rest of the JSONL batch: {exc}", doc_id=source)


def is_batch(path: Path) -> bool:
    """A JSONL batch by its name: ``.jsonl`` or ``.ndjson``, gzipped or not."""
    return path.name.lower().endswith(_BATCH_SUFFIXES)


def _stdin(published: str | None, url: str | None, title: str | None) -> Iterator[InputDoc | ReadError]:
    """Stdin: a JSONL batch (streamed a line at a time) when its first line opens a JSON object,
    else one document, decoded as a file would be."""
    if sys.stdin is None:
        yield ReadError("no standard input to read", doc_id="stdin")
        return
    lines = iter(_lines(sys.stdin.buffer))
    head: list[bytes | str] = []
    for line in lines:
        head.append(line)
        if line.strip():
            break
    first = head[-1] if head else b""
    first_text = first.decode("utf-8-sig", errors="replace") if isinstance(first, bytes) else first
    if first_text.lstrip().startswith("{"):
        yield from read_jsonl(_chain(head, lines), "stdin")
        return
    parts = [*head, *lines]
    try:
        if parts and isinstance(parts[0], str):  # already decoded (a byte-order mark said how)
            data = "".join(str(p) for p in parts)
        else:
            data = decode(b"".join(p for p in parts if isinstance(p, bytes)), "stdin")
    except ReadError as exc:
        yield exc
        return
    if _looks_like_html(data):
        yield _safe(lambda: from_html(data, doc_id="stdin", url=url, published=published, title=title))
    else:
        yield _safe(lambda: _make("stdin", data, published, url, title))


def _chain(head: list[bytes | str], rest: Iterator[bytes | str]) -> Iterator[bytes | str]:
    yield from head
    yield from rest


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in name order, hidden ones left out, found as the walk goes."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


_RECORD_TYPES = {"document", "error", "figure", "event", "place"}
_CSV_HEADER = b"doc_id,id,value,low,high,qualifier,quantity_text"


def _is_own_output(path: Path) -> bool:
    """An earlier JSONL or CSV output of uprooted, left in a folder of inputs."""
    try:
        with path.open("rb") as f:
            first = f.readline(65536)
    except OSError:
        return False
    if first.startswith(_CSV_HEADER):
        return True
    try:
        rec = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return isinstance(rec, dict) and rec.get("type") in _RECORD_TYPES and "doc_id" in rec


def iter_inputs(
    target: str,
    settings: Settings,
    *,
    published: str | None = None,
    url: str | None = None,
    title: str | None = None,
    exclude: Iterable[Path] = (),
) -> Iterator[InputDoc | ReadError]:
    """Everything a CLI argument can name: ``-`` (stdin), a URL, a JSONL batch, a folder or a file.
    A folder leaves out ``exclude`` (the run's own output) and files an earlier run wrote."""
    if target == "-":
        yield from _stdin(published, url, title)
        return
    if re.match(r"^https?://", target, re.IGNORECASE):
        yield _safe(lambda: read_url(target, settings, published=published, title=title))
        return
    path = Path(target)
    if path.is_dir():
        skip = {p.resolve() for p in exclude}
        for child in _walk(path):
            if child.resolve() in skip or _is_own_output(child):
                continue
            rel = child.relative_to(path).as_posix()
            if is_batch(child):
                yield from _read_batch(child, rel)
            else:
                yield _read_file(child, rel, published)
        return
    if not path.exists():
        yield MissingInputError("no such file, folder or URL", doc_id=target)
        return
    if is_batch(path):
        yield from _read_batch(path, path.name)
        return
    yield _safe(lambda: read_path(path, published=published, url=url, title=title))


def _read_file(path: Path, doc_id: str, published: str | None) -> InputDoc | ReadError:
    try:
        return read_path(path, doc_id=doc_id, published=published)
    except ReadError as exc:
        return exc


def _safe(make: Callable[[], InputDoc]) -> InputDoc | ReadError:
    try:
        return make()
    except ReadError as exc:
        return exc
