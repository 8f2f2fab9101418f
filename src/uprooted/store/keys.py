"""What makes a stored document and a stored record the same one again: canonical keys, content
hashes, record keys that outlive reprocessing, and the version of the extractor.

A document is its canonical URL (tracking parameters, fragment and default port dropped, host in
lower case), else its file's absolute path, else its id; with the hash of its text it says whether a
page is new, unchanged or a new version. A record's stable key is its sentence and its wording
within the document's key, not its position, so an analyst's decision finds the figure again after a
new extractor numbers figures differently. Standard library only: the ingest loop calls these before
the database is touched.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..settings import Settings

__all__ = ["RecordKeys", "canonical_url", "content_hash", "extractor_version", "file_key", "id_key"]

# Parameters that tell where a click came from, not which page it is.
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ocid)$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """``url`` with the parts that do not change the page removed, so one story fetched from a feed
    and from a link is one document."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def file_key(path: Path) -> str:
    """A file's key: its absolute path (the same file ingested from another folder is the same)."""
    return "file:" + path.resolve().as_posix()


def id_key(doc_id: str) -> str:
    """The key of a document known only by its id (a JSONL line without a URL, stdin)."""
    return "id:" + doc_id


def content_hash(text: str) -> str:
    """The SHA-256 of a document's text: the same page fetched twice hashes the same."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class RecordKeys:
    """Stable keys for the records of one document, numbering repeats of the same sentence and
    wording so that two identical mentions keep two keys."""

    def __init__(self, doc_key: str) -> None:
        self.doc_key = doc_key
        self.seen: Counter[tuple[str, ...]] = Counter()

    def key(self, record: dict[str, Any]) -> str:
        """The stable key of a figure or event record (its FORMAT.md JSON)."""
        sentence = " ".join(str(record.get("evidence", {}).get("text", "")).split())
        if record.get("type") == "figure":
            wording = str(record.get("quantity", {}).get("text", ""))
        else:
            wording = str(record.get("sub_event_type", ""))
        parts = (str(record.get("type")), sentence, wording)
        self.seen[parts] += 1
        raw = "\x1f".join((self.doc_key, *parts, str(self.seen[parts])))
        return hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=4)
def _code_digest() -> str:
    """A digest of the package's code and data that extraction runs on (the store, the web layer
    and compiled caches left out): any change to a stage or a vocabulary changes it."""
    root = files("uprooted")
    digest = hashlib.sha256()
    base = Path(str(root))
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base).as_posix()
        if not path.is_file() or "__pycache__" in rel or rel.startswith(("store/", "web/")):
            continue
        digest.update(rel.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def extractor_version(settings: Settings) -> str:
    """The package version, a digest of its code and data, and the settings that change what
    extraction gives: ``reprocess`` redoes the documents stored under another value."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("uprooted")
    except PackageNotFoundError:
        release = "0"
    knobs = f"{settings.spacy_model}|{settings.min_confidence}|{settings.skip_irrelevant}"
    return f"{release}+{hashlib.sha256((_code_digest() + knobs).encode()).hexdigest()[:16]}"
