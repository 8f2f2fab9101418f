"""Bytes to text for the read stage: gzip unpacked, a byte-order mark obeyed, UTF-8 when the
bytes are UTF-8, else the encoding charset-normalizer finds; binary data is refused.

A file, a page or stdin all come through ``decode``, so a Latin-1 report reads the same whichever
way it arrives. What cannot be text (an executable, an image) is a ``ReadError`` naming the
document rather than a record of "places" found in its bytes.
"""

from __future__ import annotations

import codecs
import re
import zlib

from .errors import ReadError

__all__ = ["GZIP_MAGIC", "decode", "gunzip", "is_binary_text", "scrub"]

GZIP_MAGIC = b"\x1f\x8b"

# Longest first: the UTF-32 little-endian mark starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters no text file holds (tab, newlines, form feed and escape excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")

# A gzip bomb must not fill the memory: a document unpacks to this many bytes at most.
MAX_UNPACKED = 256 * 1024 * 1024


def gunzip(raw: bytes, doc_id: str, limit: int = MAX_UNPACKED) -> bytes:
    """The unpacked bytes of a gzip stream, refused past ``limit``."""
    unpacker = zlib.decompressobj(wbits=47)  # 32 + 15: gzip or zlib header, detected
    try:
        out = unpacker.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise ReadError(f"broken gzip data: {exc}", doc_id=doc_id) from exc
    if len(out) > limit:
        raise ReadError(f"gzip data unpacks to more than {limit} bytes", doc_id=doc_id)
    return out


def is_binary_text(text: str) -> bool:
    """Decoded text that is really binary data: more than one character in a hundred is a control
    character (a NUL or two in a report pass; the text stages remove them)."""
    if not text:
        return False
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)


def scrub(text: str) -> str:
    """Lone surrogates (from JSON escapes such as "\\ud800") become U+FFFD: they cannot be written."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def decode(raw: bytes, doc_id: str) -> str:
    """The text of a document's bytes, or a ``ReadError`` saying why there is none."""
    if raw.startswith(GZIP_MAGIC):
        raw = gunzip(raw, doc_id)
    text = _decode(raw)
    if text is None or is_binary_text(text):
        raise ReadError("binary data, not text (give a text, HTML or JSONL file)", doc_id=doc_id)
    return text


def _decode(raw: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    best = from_bytes(raw).best()
    try:
        western = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None if best is None else str(best)
    # Detectors pick a Baltic or a Mac code page for a short Latin-1 text as readily as the right
    # one; Windows-1252 (Latin-1's superset) wins when it reads at least as cleanly.
    if best is None or mess_ratio(western, maximum_threshold=1.0) <= best.chaos + 0.05:
        return western
    return str(best)
