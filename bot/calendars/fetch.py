"""Fetching a calendar feed safely: the only network code of the calendars feature.

A feed address is typed by a member, so the server fetching it must not become their proxy into
the operator's network (SSRF). Therefore:

- http and https only; no user name or password in the address (nothing of ours is forwarded:
  no cookies, no Authorization header);
- the host is resolved once, every address it resolves to must be public (not loopback, private,
  link-local, multicast, reserved or unspecified) unless the host or a network containing the
  address is listed in MERIDIAN_CALENDAR_ALLOW; the connection then goes to that vetted address
  (so a DNS answer cannot change between the check and the connection);
- redirects are not followed (a redirect could point anywhere); the member is told to paste the
  final address;
- a per-operation timeout and an overall deadline, and a size limit read in chunks.

Conditional requests (If-None-Match / If-Modified-Since) make unchanged feeds cost a 304.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import urlsplit

MAX_FEED_BYTES = 5 * 1024 * 1024      # a year of a busy calendar is well under 1 MB
TIMEOUT_SECONDS = 10.0
USER_AGENT = "Meridian calendar sync (+https://github.com/meridian-bot)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class FetchError(Exception):
    """A feed could not be read. `code` is stable, safe to store and to show; it never holds the address."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Fetched:
    """A feed's answer: its body (None when unchanged since the validators we sent) and new validators."""

    body: bytes | None
    etag: str | None
    last_modified: str | None

    @property
    def unchanged(self) -> bool:
        return self.body is None


@dataclass(frozen=True)
class AllowList:
    """MERIDIAN_CALENDAR_ALLOW: hosts and networks that may be private (tests, self-hosted calendars)."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, text: str) -> "AllowList":
        hosts, networks = set(), []
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.casefold().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows(self, host: str, address: IPAddress) -> bool:
        return host.casefold().rstrip(".") in self.hosts or any(address in net for net in self.networks)


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
                or address.is_reserved or address.is_unspecified or not address.is_global)


def check_address(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an acceptable feed address; FetchError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError("scheme")
    if parts.username is not None or parts.password is not None:
        raise FetchError("credentials")
    if not parts.hostname:
        raise FetchError("no_host")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as error:
        raise FetchError("bad_port") from error
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme.lower(), parts.hostname, port, path


def vetted_address(host: str, port: int, allow: AllowList) -> str:
    """The address to connect to: every address `host` resolves to must be public or allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError("dns") from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise FetchError("dns")
    for address in addresses:
        if not is_public(address) and not allow.allows(host, address):
            raise FetchError("blocked_address")
    return str(addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to a vetted address while speaking HTTP for the original host."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Like _PinnedHTTP over TLS; the certificate is checked for the original host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def _read_limited(response: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdecimal() and int(declared) > max_bytes:
        raise FetchError("too_large")
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError("timeout")
        chunk = response.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError("too_large")
        chunks.append(chunk)


def fetch_feed(url: str, *, etag: str | None = None, last_modified: str | None = None,
               allow: AllowList = AllowList(), timeout: float = TIMEOUT_SECONDS,
               max_bytes: int = MAX_FEED_BYTES) -> Fetched:
    """GET the feed with conditional headers; FetchError(code) for anything but a 200 or a 304."""
    scheme, host, port, path = check_address(url)
    address = vetted_address(host, port, allow)
    connection_type = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = connection_type(host, port, address, timeout)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + 3 * timeout
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        if response.status == 304:
            return Fetched(None, etag, last_modified)
        if 300 <= response.status < 400:
            raise FetchError("redirect")
        if response.status != 200:
            raise FetchError(f"http_{response.status}")
        body = _read_limited(response, max_bytes, deadline)
        return Fetched(body, response.getheader("ETag"), response.getheader("Last-Modified"))
    except (TimeoutError, socket.timeout) as error:
        raise FetchError("timeout") from error
    except ssl.SSLError as error:
        raise FetchError("tls") from error
    except (OSError, http.client.HTTPException) as error:
        raise FetchError("connection") from error
    finally:
        connection.close()


def hint_for(url: str) -> str:
    """What may be shown of a feed address: its host and the end of its path, never the secret part."""
    parts = urlsplit(url.strip())
    tail = (parts.path or "").rsplit("/", 1)[-1]
    shown_tail = tail[-4:] if tail.lower().endswith(".ics") else ""
    return f"{parts.hostname or '?'}/…{shown_tail}"[:120]


def allow_list(entries: Iterable[str] | str) -> AllowList:
    return AllowList.parse(entries if isinstance(entries, str) else ",".join(entries))
