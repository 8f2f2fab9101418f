"""Stage 1, read: turn what the user gives (text, HTML, a URL, a folder, JSONL) into ``InputDoc``s.

HTML goes through trafilatura (main text, title) and htmldate (publication date); URLs are
fetched with httpx under a timeout and a size limit. Every failure is a ``ReadError`` that
names the document, so a batch reports it and goes on.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .errors import ReadError
from .settings import Settings

__all__ = ["InputDoc", "from_html", "iter_inputs", "read_jsonl", "read_path", "read_url"]

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
        return str(v) if isinstance(v, int) else v

    @field_validator("published", mode="before")
    @classmethod
    def _iso_date(cls, v: object) -> object:
        if v in (None, ""):
            return None
        if not isinstance(v, str):
            raise ValueError("published must be a date string")
        return _publication_date(v)

    def published_date(self) -> date | None:
        """The publication date, the anchor for every relative date in the text."""
        return date.fromisoformat(self.published) if self.published else None


def _publication_date(value: str) -> str | None:
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


def read_url(url: str, settings: Settings, *, published: str | None = None, title: str | None = None) -> InputDoc:
    """Fetch a page with a timeout and a size limit; offline or refused is a clear ``ReadError``."""
    import httpx

    try:
        with httpx.Client(timeout=settings.http_timeout, follow_redirects=True) as client:
            with client.stream("GET", url, headers={"User-Agent": "uprooted/0.1"}) as resp:
                resp.raise_for_status()
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > settings.http_max_bytes:
                        raise ReadError(
                            f"page larger than {settings.http_max_bytes} bytes", doc_id=url
                        )
                    chunks.append(chunk)
                encoding = resp.encoding or "utf-8"
    except httpx.HTTPStatusError as exc:
        raise ReadError(f"HTTP {exc.response.status_code} fetching the page", doc_id=url) from exc
    except httpx.HTTPError as exc:
        raise ReadError(f"cannot fetch the page ({type(exc).__name__}: {exc})", doc_id=url) from exc
    body = b"".join(chunks).decode(encoding, errors="replace")
    if _looks_like_html(body):
        return from_html(body, doc_id=url, url=url, published=published, title=title)
    return _make(url, body, published or _date_from_url(url), url, title)


def read_path(
    path: Path, *, published: str | None = None, url: str | None = None, title: str | None = None
) -> InputDoc:
    """A plain-text or HTML file; the file name is the document id."""
    doc_id = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror}", doc_id=doc_id) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if path.suffix.lower() in (".html", ".htm") or _looks_like_html(text):
        return from_html(text, doc_id=doc_id, url=url, published=published, title=title)
    return _make(doc_id, text, published, url, title)


def read_jsonl_line(line: str, lineno: int, source: str) -> InputDoc:
    """One FORMAT.md input line: ``{"id", "text"}`` or ``{"id", "html"}`` plus optional metadata."""
    fallback = f"{source}:{lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ReadError(f"line {lineno} is not JSON: {exc.msg}", doc_id=fallback) from exc
    if not isinstance(obj, dict):
        raise ReadError(f"line {lineno} is not a JSON object", doc_id=fallback)
    doc_id = str(obj.get("id") or fallback)
    if not obj.get("text") and isinstance(obj.get("html"), str):
        return from_html(
            obj["html"], doc_id=doc_id, url=obj.get("url"), published=obj.get("published"), title=obj.get("title")
        )
    if not isinstance(obj.get("text"), str):
        raise ReadError("document has neither a text nor an html string", doc_id=doc_id)
    try:
        return InputDoc.model_validate({**obj, "id": doc_id})
    except ValidationError as exc:
        raise ReadError(_first_error(exc), doc_id=doc_id) from exc


def read_jsonl(lines: Iterator[str], source: str) -> Iterator[InputDoc | ReadError]:
    """Documents of a JSONL batch; a bad line yields its ``ReadError`` in place and the batch goes on."""
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield read_jsonl_line(line, lineno, source)
        except ReadError as exc:
            yield exc


def iter_inputs(
    target: str,
    settings: Settings,
    *,
    published: str | None = None,
    url: str | None = None,
    title: str | None = None,
) -> Iterator[InputDoc | ReadError]:
    """Everything a CLI argument can name: ``-`` (stdin), a URL, a JSONL batch, a folder or a file."""
    if target == "-":
        data = sys.stdin.read()
        first = data.lstrip()[:1]
        if first == "{":
            yield from read_jsonl(iter(data.splitlines()), "stdin")
        elif _looks_like_html(data):
            yield _safe(lambda: from_html(data, doc_id="stdin", url=url, published=published, title=title))
        else:
            yield _safe(lambda: _make("stdin", data, published, url, title))
        return
    if re.match(r"^https?://", target):
        yield _safe(lambda: read_url(target, settings, published=published, title=title))
        return
    path = Path(target)
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
            yield from iter_inputs(str(child), settings, published=published)
        return
    if not path.exists():
        yield ReadError("no such file, folder or URL", doc_id=target)
        return
    if path.suffix.lower() == ".jsonl":
        try:
            with path.open(encoding="utf-8") as f:
                yield from read_jsonl(iter(f), path.name)
        except (OSError, UnicodeDecodeError) as exc:
            yield ReadError(f"cannot read JSONL batch: {exc}", doc_id=path.name)
        return
    yield _safe(lambda: read_path(path, published=published, url=url, title=title))


def _safe(make: object) -> InputDoc | ReadError:
    try:
        return make()  # type: ignore[operator,no-any-return]
    except ReadError as exc:
        return exc
