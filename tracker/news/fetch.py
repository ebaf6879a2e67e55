"""Fetching a page or feed from an address someone typed in: the most
careful code in the tracker, because the address may point anywhere and the
answer may be slow, huge or hostile.

Plain Python (no Django): the caller passes the limits and whether private
addresses are allowed.

Every hop is checked before any byte is sent: the scheme must be http or
https, the port one of the allowed ports, the host is resolved once, every
address it resolves to must be public, and the connection is made to that
checked address (the Host header and TLS server name keep the original
host), so a DNS answer that changes between the check and the connection
cannot redirect the request.

One wall-clock deadline covers the whole fetch, every redirect included:
the DNS lookup, the connection, the TLS handshake, the status line and
headers, the chunk framing and the body. See `_DeadlineStream` for how.

The body is decoded here, not by the HTTP library, so that what the size
cap counts is the decoded bytes, produced a bounded step at a time.
"""

from __future__ import annotations

import functools
import io
import ipaddress
import logging
import math
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin, urlsplit

import brotli
import certifi
import httpcore
import idna

logger = logging.getLogger(__name__)

USER_AGENT = (
    "IC-awards-tracker/1.0 (news feed reader for the intimacy coordination "
    "awards campaign; +https://github.com/ic-awards-tracker)"
)
MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Web ports only: a public host's mail, database or admin ports are no
# business of a feed reader.
DEFAULT_PORTS = (80, 443, 8080, 8443)
ALLOWED_SCHEMES = ("http", "https")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
PERMANENT_REDIRECTS = (301, 308)
# The most decoded bytes one decoding step may produce: memory stays at the
# cap plus this, however well the input compresses.
DECODE_STEP = 64 * 1024
# Bytes asked of the socket per read.
READ_SIZE = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate, br"

# NAT64 prefixes embed an IPv4 address in their last 32 bits; the embedded
# address decides.
NAT64_NETWORKS = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)

Resolver = Callable[[str, int], Iterable[str]]


class FetchError(Exception):
    """The feed could not be fetched; the message says why."""

    transient = False


class FeedAddressRefused(FetchError):
    """The address is not one the fetcher may reach."""


class FeedTooLarge(FetchError):
    pass


class FeedEncodingRefused(FetchError):
    """The body is compressed in a way the fetcher will not decode."""


class TooManyRedirects(FetchError):
    pass


class FeedHTTPError(FetchError):
    def __init__(self, message: str, status: int, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        # A server error or rate limit may pass; a 404 or 410 will not.
        self.transient = status >= 500 or status == 429


class FeedNetworkError(FetchError):
    """Connection refused or reset, DNS failure, timeout: worth retrying."""

    transient = True


class FeedDeadlineExceeded(FeedNetworkError):
    """The whole fetch took longer than its total timeout."""


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    ports: tuple[int, ...] = DEFAULT_PORTS


@dataclass
class FetchResult:
    url: str
    """The address the content finally came from."""
    status: int
    content: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    permanent_url: str | None = None
    """Where the feed now lives, when every redirect on the way was
    permanent."""
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Deadline:
    """A point in wall-clock time after which the fetch is abandoned."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise FeedDeadlineExceeded(
                f"Gave up after {self.seconds:g} s: the download took too long."
            )
        return left

    def expired(self) -> bool:
        return self.at <= time.monotonic()

    def timeout(self, per_operation: float | None) -> float:
        """The timeout for one blocking operation: its own limit, but never
        past the deadline."""
        limit = math.inf if per_operation is None else per_operation
        return min(limit, self.remaining())


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read, write and handshake is bounded by what is
    left of the deadline.

    httpcore's timeouts, like every HTTP library's, are per operation: a
    server sending one byte a second never trips a 15 s read timeout. Here
    the timeout of each socket operation is recomputed from the remaining
    budget, so the slowest possible server is cut off at the deadline
    itself, wherever it is in the response (status line, headers, a chunk
    size, the body). No thread or signal is involved: the blocking call
    itself returns at the deadline, so this works in Celery workers, in
    threads and in web requests alike.
    """

    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline):
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.timeout(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.timeout(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        # The standard library bounds the whole handshake by the socket
        # timeout (not each record), so one bound covers it.
        stream = self._stream.start_tls(
            ssl_context, server_hostname, self._deadline.timeout(timeout)
        )
        return _DeadlineStream(stream, self._deadline)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, deadline: Deadline):
        self._deadline = deadline
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self, host, port, timeout=None, local_address=None, socket_options=None
    ):
        stream = self._backend.connect_tcp(
            host,
            port,
            self._deadline.timeout(timeout),
            local_address=local_address,
            socket_options=socket_options,
        )
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise FeedAddressRefused("Unix sockets are never fetched.")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, self._deadline.remaining()))


def system_resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FeedNetworkError(f"Cannot resolve host {host!r}: {exc}") from exc
    return [info[4][0] for info in infos]


def resolve_within(
    resolve: Resolver, host: str, port: int, deadline: Deadline
) -> list[str]:
    """The resolver's answer, or a timeout at the deadline.

    getaddrinfo cannot be interrupted and takes no timeout, so it runs on a
    daemon thread that is waited for only until the deadline; a stuck
    lookup is then left to the system resolver's own timeouts, and the
    fetch goes on (and fails) without it.
    """
    answer: dict = {}

    def lookup():
        try:
            answer["addresses"] = list(resolve(host, port))
        except BaseException as exc:  # handed to the waiting thread
            answer["error"] = exc

    thread = threading.Thread(target=lookup, name="fetch-dns", daemon=True)
    thread.start()
    thread.join(deadline.remaining())
    if thread.is_alive():
        raise FeedDeadlineExceeded(
            f"Gave up after {deadline.seconds:g} s: looking up {host!r} took too long."
        )
    if "error" in answer:
        raise answer["error"]
    return answer["addresses"]


def address_refusal(address: str) -> str | None:
    """What kind of address must not be fetched ("a private address"), or
    None when it is public. The address itself is not in the answer: a
    message that named where a host resolves to would map the private
    network for whoever typed the URL."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and any(ip in net for net in NAT64_NETWORKS):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            reason = address_refusal(str(embedded))
            return f"{reason} inside an IPv6 address" if reason else None
    for label, flagged in (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        # fec0::/10, deprecated but still routed inside some networks.
        ("site-local", getattr(ip, "is_site_local", False)),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if flagged:
            return f"a {label} address"
    if not ip.is_global:
        # Shared (CGNAT 100.64/10), documentation and benchmarking ranges.
        return "not a public address"
    return None


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def url_check(url: str, ports: Iterable[int] = DEFAULT_PORTS) -> tuple[str, str, int]:
    """Scheme, host (in ASCII) and port of a URL the fetcher may try, or a
    clear refusal."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FeedAddressRefused(f"Not a valid URL: {url!r} ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FeedAddressRefused(
            f"Only http and https addresses are fetched, not {scheme or 'no'} "
            f"scheme: {url!r}"
        )
    host = parts.hostname
    if not host:
        raise FeedAddressRefused(f"The URL has no host: {url!r}")
    if parts.username or parts.password:
        raise FeedAddressRefused("URLs must not carry a user name or password.")
    if not _is_ip_literal(host):
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError) as exc:
            raise FeedAddressRefused(
                f"Not a valid host name: {parts.hostname!r} ({exc})"
            ) from exc
    port = port or (443 if scheme == "https" else 80)
    allowed = tuple(ports)
    if port not in allowed:
        raise FeedAddressRefused(
            f"Port {port} is not fetched: only ports "
            f"{', '.join(map(str, allowed))} are allowed ({url!r})."
        )
    return scheme, host, port


def host_resolve_checked(
    host: str,
    port: int,
    *,
    allow_private: bool,
    resolve: Resolver,
    deadline: Deadline | None = None,
) -> str:
    """The address to connect to: every address the host resolves to must
    be public, so that no answer in a round-robin set is a way in."""
    deadline = deadline or Deadline(FetchLimits.total_timeout)
    addresses = list(dict.fromkeys(resolve_within(resolve, host, port, deadline)))
    if not addresses:
        raise FeedNetworkError(f"Host {host!r} resolves to no address.")
    if not allow_private:
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                if _is_ip_literal(host):
                    what = f"{host} is {reason}"
                else:
                    # Staff see the kind of address, the log has which one.
                    logger.warning("Refused %s: resolves to %s", host, address)
                    what = f"it resolves to {reason}"
                raise FeedAddressRefused(
                    f"Refused to fetch from {host!r}: {what}. Only addresses "
                    "on the public internet are fetched."
                )
    return addresses[0]


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The certificate store, loaded once: building it costs about 90 ms of
    CPU, which would otherwise be paid on every fetch and, holding the GIL,
    serialize feeds refreshed at once. A context is safe to share between
    threads."""
    return ssl.create_default_context(cafile=certifi.where())


# --- decoding ------------------------------------------------------------------


class _Identity:
    def decode(self, data: bytes) -> Iterator[bytes]:
        yield data


class _Zlib:
    """gzip (possibly several members, as concatenated files are) or
    deflate (with or without its zlib wrapper, as servers send both),
    inflated at most DECODE_STEP bytes at a time."""

    def __init__(self, coding: str):
        self.coding = coding
        self.inflater = None
        self.members = 0
        self.done = False

    def _new(self, first: bytes):
        if self.coding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # RFC 9110's deflate is the zlib format; some servers send the raw
        # deflate stream. The zlib header is recognisable: CM is 8 and the
        # first two bytes are a multiple of 31.
        wrapped = (
            len(first) >= 2
            and first[0] & 0x0F == 8
            and (first[0] << 8 | first[1]) % 31 == 0
        )
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def decode(self, data: bytes) -> Iterator[bytes]:
        while not self.done:
            if self.inflater is None:
                if not data:
                    return
                if self.members and not data.startswith(b"\x1f\x8b"):
                    # After the last member, padding some servers add:
                    # ignored, as browsers ignore it.
                    self.done = True
                    return
                self.inflater = self._new(data)
                self.members += 1
            inflater = self.inflater
            out = inflater.decompress(data, DECODE_STEP)
            if out:
                yield out
            if inflater.eof:
                # Another gzip member may follow (concatenated files).
                data = inflater.unused_data
                self.inflater = None
                if self.coding != "gzip":
                    self.done = True
                continue
            data = inflater.unconsumed_tail
            # A full step may leave output inside zlib for input already
            # consumed: asked for again, with the empty rest as input.
            if not data and len(out) < DECODE_STEP:
                return


class _Brotli:
    def __init__(self):
        self.decompressor = brotli.Decompressor()

    def decode(self, data: bytes) -> Iterator[bytes]:
        decompressor = self.decompressor
        out = decompressor.process(data, output_buffer_limit=DECODE_STEP)
        if out:
            yield out
        # Past the limit, brotli keeps the rest of this input's output and
        # hands it over on calls with empty input.
        while not decompressor.can_accept_more_data():
            out = decompressor.process(b"", output_buffer_limit=DECODE_STEP)
            if not out:
                break
            yield out


CODINGS = {
    "gzip": lambda: _Zlib("gzip"),
    "x-gzip": lambda: _Zlib("gzip"),
    "deflate": lambda: _Zlib("deflate"),
    "br": _Brotli,
}


def body_decoder(content_encoding: str):
    """The decoder for a Content-Encoding header, or a refusal: one layer of
    a known coding at most, since every layer multiplies what a few bytes on
    the wire can become."""
    codings = [
        coding.strip().lower()
        for coding in content_encoding.split(",")
        if coding.strip() and coding.strip().lower() != "identity"
    ]
    if len(codings) > 1:
        raise FeedEncodingRefused(
            f"Refused a body compressed {len(codings)} times over "
            f"(Content-Encoding: {content_encoding[:100]}); one layer of "
            "gzip, deflate or br is accepted."
        )
    if not codings:
        return _Identity()
    coding = codings[0]
    if coding not in CODINGS:
        raise FeedEncodingRefused(
            f"Refused a body in an unknown compression {coding[:40]!r} "
            "(gzip, deflate and br are read)."
        )
    return CODINGS[coding]()


# --- the fetch -------------------------------------------------------------------


def _header(response: httpcore.Response, name: str) -> str:
    """Every value of a header, joined as HTTP allows ("a, b"), so that a
    coding cannot be hidden in a second Content-Encoding line."""
    wanted = name.encode("ascii").lower()
    values = [
        value.decode("latin-1").strip()
        for key, value in response.headers
        if key.lower() == wanted
    ]
    return ", ".join(value for value in values if value)


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    # Non-ASCII or spaces in a path are sent percent-encoded, as browsers do;
    # what is already encoded stays as it is.
    safe = "/%:@!$&'()*+,;=-._~"
    target = quote(parts.path or "/", safe=safe)
    if parts.query:
        target += "?" + quote(parts.query, safe=safe + "?")
    return target


class _Fetcher:
    def __init__(self, limits: FetchLimits, allow_private: bool, resolve: Resolver):
        self.limits = limits
        self.allow_private = allow_private
        self.resolve = resolve
        self.deadline = Deadline(limits.total_timeout)

    def pool(self) -> httpcore.ConnectionPool:
        return httpcore.ConnectionPool(
            ssl_context=tls_context(),
            max_connections=1,
            http1=True,
            http2=False,
            retries=0,
            network_backend=_DeadlineBackend(self.deadline),
        )

    def request(self, pool: httpcore.ConnectionPool, url: str, headers: dict):
        scheme, host, port = url_check(url, self.limits.ports)
        address = host_resolve_checked(
            host,
            port,
            allow_private=self.allow_private,
            resolve=self.resolve,
            deadline=self.deadline,
        )
        host_header = f"[{host}]" if ":" in host else host
        if port != (443 if scheme == "https" else 80):
            host_header += f":{port}"
        limits = self.limits
        request = httpcore.Request(
            b"GET",
            httpcore.URL(
                scheme=scheme.encode("ascii"),
                host=address.split("%", 1)[0].encode("ascii"),
                port=port,
                target=_request_target(url).encode("ascii"),
            ),
            headers=[("Host", host_header), *headers.items()],
            extensions={
                "sni_hostname": host,
                "timeout": {
                    "connect": limits.connect_timeout,
                    "read": limits.read_timeout,
                    "write": limits.read_timeout,
                    "pool": limits.connect_timeout,
                },
            },
        )
        return pool.handle_request(request)

    def body_read(self, response: httpcore.Response) -> bytes:
        max_bytes = self.limits.max_bytes
        content_encoding = _header(response, "content-encoding")
        decoder = body_decoder(content_encoding)
        declared = _header(response, "content-length")
        if declared.isdigit() and int(declared) > max_bytes:
            # On the wire it is already over: decoded it can only be as
            # large or larger.
            raise FeedTooLarge(
                f"The body is {int(declared)} bytes, more than the "
                f"{max_bytes}-byte limit."
            )
        # One growing buffer rather than a list of chunks joined at the end:
        # the join would hold the body twice at the moment it is made.
        # BytesIO grows in place and getvalue() hands over its own buffer
        # without a copy, so the body is in memory once.
        body, wire, size = io.BytesIO(), 0, 0
        for raw in response.iter_stream():
            wire += len(raw)
            if wire > max_bytes:
                raise FeedTooLarge(
                    f"The body is larger than the {max_bytes}-byte limit."
                )
            for piece in decoder.decode(raw):
                size += len(piece)
                if size > max_bytes:
                    raise FeedTooLarge(
                        f"The body is larger than the {max_bytes}-byte limit "
                        f"once decompressed ({content_encoding})."
                        if content_encoding
                        else f"The body is larger than the {max_bytes}-byte limit."
                    )
                body.write(piece)
            self.deadline.remaining()
        return body.getvalue()

    def network_error(self, url: str, exc: Exception) -> FetchError:
        if self.deadline.expired():
            return FeedDeadlineExceeded(
                f"Gave up on {url} after {self.limits.total_timeout:g} s: the "
                "download took too long."
            )
        if isinstance(exc, httpcore.TimeoutException):
            return FeedNetworkError(f"Timed out fetching {url}: {type(exc).__name__}")
        if isinstance(exc, httpcore.ProtocolError):
            return FeedNetworkError(f"The server at {url} broke HTTP: {exc}")
        if isinstance(exc, zlib.error | brotli.error):
            return FetchError(f"The compressed body from {url} is corrupt: {exc}")
        return FeedNetworkError(f"Network error fetching {url}: {exc}")

    def fetch(self, url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/rss+xml, application/atom+xml, "
            "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, "
            "application/json;q=0.8, */*;q=0.5",
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        redirects: list[str] = []
        all_permanent = True
        current = url
        with self.pool() as pool:
            while True:
                try:
                    response = self.request(pool, current, headers)
                except (httpcore.TimeoutException, httpcore.NetworkError) as exc:
                    raise self.network_error(current, exc) from exc
                except httpcore.ProtocolError as exc:
                    raise self.network_error(current, exc) from exc
                try:
                    status = response.status
                    if status in REDIRECT_STATUSES:
                        location = _header(response, "location")
                        if not location:
                            raise FeedHTTPError(
                                f"HTTP {status} redirect without a Location.", status
                            )
                        if len(redirects) >= self.limits.max_redirects:
                            raise TooManyRedirects(
                                f"More than {self.limits.max_redirects} "
                                f"redirects, starting at {url}."
                            )
                        all_permanent = all_permanent and status in PERMANENT_REDIRECTS
                        current = urljoin(current, location)
                        redirects.append(current)
                        continue
                    if status == 304:
                        return self.result(current, response, redirects, b"")
                    if status >= 400:
                        raise FeedHTTPError(
                            f"HTTP {status} from {current}",
                            status,
                            retry_after_seconds(_header(response, "retry-after")),
                        )
                    if status != 200:
                        raise FeedHTTPError(
                            f"Unexpected HTTP {status} from {current}", status
                        )
                    try:
                        body = self.body_read(response)
                    except (
                        httpcore.TimeoutException,
                        httpcore.NetworkError,
                        httpcore.ProtocolError,
                        zlib.error,
                        brotli.error,
                    ) as exc:
                        raise self.network_error(current, exc) from exc
                    result = self.result(current, response, redirects, body)
                    if redirects and all_permanent:
                        result.permanent_url = current
                    return result
                finally:
                    response.close()

    @staticmethod
    def result(current, response, redirects, body) -> FetchResult:
        return FetchResult(
            url=current,
            status=response.status,
            content=body,
            content_type=_header(response, "content-type"),
            etag=_header(response, "etag"),
            last_modified=_header(response, "last-modified"),
            redirects=redirects,
        )


def feed_fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    limits: FetchLimits | None = None,
    allow_private: bool = False,
    resolve: Resolver | None = None,
) -> FetchResult:
    """GET a feed under every limit; raises FetchError with the reason."""
    fetcher = _Fetcher(
        limits or FetchLimits(), allow_private, resolve or system_resolve
    )
    return fetcher.fetch(url, etag=etag, last_modified=last_modified)


def feed_url_check(
    url: str,
    *,
    allow_private: bool = False,
    resolve: Resolver | None = None,
    limits: FetchLimits | None = None,
) -> None:
    """Refuses a URL the fetcher would refuse, before it is saved."""
    limits = limits or FetchLimits()
    _, host, port = url_check(url, limits.ports)
    host_resolve_checked(
        host,
        port,
        allow_private=allow_private,
        resolve=resolve or system_resolve,
        deadline=Deadline(limits.total_timeout),
    )
