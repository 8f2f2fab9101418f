"""Fetching a URL for the read stage, without letting a document reach inside the network.

A batch may carry URLs nobody checked. Each hop of a fetch (the URL, then every redirect) is
resolved first and refused when any address is loopback, private, link-local, reserved or
otherwise not public, unless ``Settings.allow_private`` (or ``allowed_networks`` names it); the
address actually connected to is checked again before the body is read, so a name that
resolves differently the second time gains nothing. Redirects, total time and size are capped:
a server that drips one byte a second cannot hold the batch longer than ``http_total_timeout``.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from .errors import ReadError
from .settings import Settings

if TYPE_CHECKING:
    import httpx

__all__ = ["Page", "check_address", "fetch"]

_IP = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched page: its bytes, the charset its headers declare, and the URL it came from."""

    body: bytes
    charset: str | None
    url: str


def _kind(ip: _IP) -> str | None:
    """Why an address is not public, or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, test in (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
                       ("unspecified", ip.is_unspecified), ("multicast", ip.is_multicast),
                       ("reserved", ip.is_reserved), ("private", ip.is_private)):
        if test:
            return kind
    return None if ip.is_global else "non-public"


def check_address(address: str, url: str, settings: Settings) -> None:
    """Refuse ``address`` (an IP) unless it is public or the settings allow it."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    kind = _kind(ip)
    if kind is None or settings.allow_private:
        return
    if any(ip in ipaddress.ip_network(net, strict=False) for net in settings.allowed_networks):
        return
    raise ReadError(
        f"refused to fetch {url}: it leads to {ip}, a {kind} address (--allow-private fetches it)", doc_id=url
    )


def _resolve(url: str, settings: Settings) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ReadError(f"cannot fetch {url}: only http and https URLs with a host", doc_id=url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError) as exc:
        raise ReadError(f"cannot fetch the page (cannot resolve {parts.hostname!r}: {exc})", doc_id=url) from exc
    for info in infos:
        check_address(str(info[4][0]), url, settings)


def fetch(url: str, settings: Settings) -> Page:
    """GET ``url`` following at most ``http_max_redirects`` redirects, each hop checked."""
    import httpx

    deadline = time.monotonic() + settings.http_total_timeout
    origin, current = url, url
    for _ in range(settings.http_max_redirects + 1):
        _resolve(current, settings)
        remaining = max(0.1, deadline - time.monotonic())
        timeout = httpx.Timeout(min(settings.http_timeout, remaining))
        try:
            with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
                with client.stream("GET", current, headers={"User-Agent": "uprooted"}) as resp:
                    _check_peer(resp, current, settings)
                    if resp.is_redirect and "location" in resp.headers:
                        current = urljoin(current, resp.headers["location"])
                        continue
                    resp.raise_for_status()
                    body = _body(resp, origin, settings, deadline)
                    return Page(body, resp.charset_encoding, current)
        except httpx.HTTPStatusError as exc:
            raise ReadError(f"HTTP {exc.response.status_code} fetching the page", doc_id=origin) from exc
        except httpx.HTTPError as exc:
            raise ReadError(f"cannot fetch the page ({type(exc).__name__}: {exc})", doc_id=origin) from exc
    raise ReadError(f"more than {settings.http_max_redirects} redirects fetching the page", doc_id=origin)


def _check_peer(resp: httpx.Response, url: str, settings: Settings) -> None:
    """The address the connection really went to, in case the name resolved anew."""
    stream = resp.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer:
        check_address(str(peer[0]), url, settings)


def _body(resp: httpx.Response, url: str, settings: Settings, deadline: float) -> bytes:
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.http_max_bytes:
        raise ReadError(f"page larger than {settings.http_max_bytes} bytes", doc_id=url)
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > settings.http_max_bytes:
            raise ReadError(f"page larger than {settings.http_max_bytes} bytes", doc_id=url)
        if time.monotonic() > deadline:
            raise ReadError(f"page not read within {settings.http_total_timeout:g} s", doc_id=url)
        chunks.append(chunk)
    return b"".join(chunks)
