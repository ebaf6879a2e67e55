"""Fetching a feed from an address staff typed in: the most careful code in
the tracker, because the address may point anywhere and the answer may be
slow, huge or hostile.

Plain Python (no Django): the caller passes the limits and whether private
addresses are allowed.

Every hop is checked before any byte is sent: the scheme must be http or
https, the host is resolved once, every address it resolves to must be
public, and the connection is made to that checked address (the Host header
and TLS server name keep the original host), so a DNS answer that changes
between the check and the connection cannot redirect the request.
"""

from __future__ import annotations

import functools
import io
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import certifi
import httpx

USER_AGENT = (
    "IC-awards-tracker/1.0 (news feed reader for the intimacy coordination "
    "awards campaign; +https://github.com/ic-awards-tracker)"
)
MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
ALLOWED_SCHEMES = ("http", "https")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
PERMANENT_REDIRECTS = (301, 308)

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


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = MAX_REDIRECTS


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


def system_resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FeedNetworkError(f"Cannot resolve host {host!r}: {exc}") from exc
    return [info[4][0] for info in infos]


def address_refusal(address: str) -> str | None:
    """Why an IP address must not be fetched, or None when it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and any(ip in net for net in NAT64_NETWORKS):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            reason = address_refusal(str(embedded))
            return f"{reason} (inside {ip})" if reason else None
    for label, flagged in (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if flagged:
            return f"{ip} is a {label} address"
    if not ip.is_global:
        # Shared (CGNAT 100.64/10), documentation and benchmarking ranges.
        return f"{ip} is not a public address"
    return None


def url_check(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of a URL the fetcher may try, or a clear
    refusal."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FeedAddressRefused(f"Not a valid URL: {url!r} ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FeedAddressRefused(
            f"Only http and https feeds are fetched, not {scheme or 'no'} "
            f"scheme: {url!r}"
        )
    if not parts.hostname:
        raise FeedAddressRefused(f"The URL has no host: {url!r}")
    if parts.username or parts.password:
        raise FeedAddressRefused("Feed URLs must not carry a user name or password.")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def host_resolve_checked(
    host: str, port: int, *, allow_private: bool, resolve: Resolver
) -> str:
    """The address to connect to: every address the host resolves to must
    be public, so that no answer in a round-robin set is a way in."""
    addresses = list(dict.fromkeys(resolve(host, port)))
    if not addresses:
        raise FeedNetworkError(f"Host {host!r} resolves to no address.")
    if not allow_private:
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                raise FeedAddressRefused(
                    f"Refused to fetch from {host!r}: {reason}. Feeds must be "
                    "on the public internet."
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
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The certificate store httpx would load, loaded once: building it
    costs about 90 ms of CPU, which would otherwise be paid on every fetch
    and, holding the GIL, serialize feeds refreshed at once. A context is
    safe to share between threads."""
    return ssl.create_default_context(cafile=certifi.where())


class _Fetcher:
    def __init__(self, limits: FetchLimits, allow_private: bool, resolve: Resolver):
        self.limits = limits
        self.allow_private = allow_private
        self.resolve = resolve
        self.deadline = time.monotonic() + limits.total_timeout

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise FeedNetworkError(
                f"Gave up after {self.limits.total_timeout:g} s: the download "
                "took too long."
            )
        return left

    def client(self) -> httpx.Client:
        limits = self.limits
        return httpx.Client(
            timeout=httpx.Timeout(
                connect=limits.connect_timeout,
                read=limits.read_timeout,
                write=limits.read_timeout,
                pool=limits.connect_timeout,
            ),
            follow_redirects=False,
            verify=tls_context(),
            # Environment proxies would connect somewhere else than the
            # checked address.
            trust_env=False,
        )

    def request(self, client: httpx.Client, url: str, headers: dict[str, str]):
        scheme, host, port = url_check(url)
        address = host_resolve_checked(
            host, port, allow_private=self.allow_private, resolve=self.resolve
        )
        pinned = httpx.URL(url).copy_with(host=address)
        netloc = urlsplit(url).netloc.rsplit("@", 1)[-1]
        request = client.build_request(
            "GET",
            pinned,
            headers={**headers, "Host": netloc},
            extensions={
                "sni_hostname": host,
                "timeout": {
                    "connect": min(self.limits.connect_timeout, self.remaining()),
                    "read": min(self.limits.read_timeout, self.remaining()),
                    "write": min(self.limits.read_timeout, self.remaining()),
                    "pool": min(self.limits.connect_timeout, self.remaining()),
                },
            },
        )
        return client.send(request, stream=True)

    def body_read(self, response: httpx.Response) -> bytes:
        max_bytes = self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        if (
            declared.isdigit()
            and int(declared) > max_bytes
            and not response.headers.get("content-encoding")
        ):
            raise FeedTooLarge(
                f"The feed is {int(declared)} bytes, more than the "
                f"{max_bytes}-byte limit."
            )
        # One growing buffer rather than a list of chunks joined at the end:
        # the join would hold the body twice at the moment it is made.
        # BytesIO grows in place and getvalue() hands over its own buffer
        # without a copy, so the body is in memory once.
        body, size = io.BytesIO(), 0
        # iter_bytes yields decompressed bytes, so a gzip bomb is stopped by
        # the same cap as a plain huge file.
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FeedTooLarge(
                    f"The feed is larger than the {max_bytes}-byte limit."
                )
            body.write(chunk)
            self.remaining()
        return body.getvalue()

    def fetch(self, url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/rss+xml, application/atom+xml, "
            "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, "
            "application/json;q=0.8, */*;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        redirects: list[str] = []
        all_permanent = True
        current = url
        with self.client() as client:
            while True:
                try:
                    response = self.request(client, current, headers)
                except httpx.TimeoutException as exc:
                    raise FeedNetworkError(
                        f"Timed out fetching {current}: {type(exc).__name__}"
                    ) from exc
                except httpx.TransportError as exc:
                    raise FeedNetworkError(
                        f"Network error fetching {current}: {exc}"
                    ) from exc
                try:
                    status = response.status_code
                    if status in REDIRECT_STATUSES:
                        location = response.headers.get("location")
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
                        return self.result(url, current, response, redirects, b"")
                    if status >= 400:
                        raise FeedHTTPError(
                            f"HTTP {status} from {current}",
                            status,
                            retry_after_seconds(response.headers.get("retry-after")),
                        )
                    if status != 200:
                        raise FeedHTTPError(
                            f"Unexpected HTTP {status} from {current}", status
                        )
                    try:
                        body = self.body_read(response)
                    except httpx.TimeoutException as exc:
                        raise FeedNetworkError(
                            f"Timed out reading {current}: {type(exc).__name__}"
                        ) from exc
                    except httpx.DecodingError as exc:
                        raise FetchError(
                            f"The compressed body from {current} is corrupt: {exc}"
                        ) from exc
                    except httpx.TransportError as exc:
                        raise FeedNetworkError(
                            f"Network error reading {current}: {exc}"
                        ) from exc
                    result = self.result(url, current, response, redirects, body)
                    if redirects and all_permanent:
                        result.permanent_url = current
                    return result
                finally:
                    response.close()

    @staticmethod
    def result(url, current, response, redirects, body) -> FetchResult:
        return FetchResult(
            url=current,
            status=response.status_code,
            content=body,
            content_type=response.headers.get("content-type", ""),
            etag=response.headers.get("etag", ""),
            last_modified=response.headers.get("last-modified", ""),
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
    url: str, *, allow_private: bool = False, resolve: Resolver | None = None
) -> None:
    """Refuses a URL the fetcher would refuse, before it is saved."""
    _, host, port = url_check(url)
    host_resolve_checked(
        host, port, allow_private=allow_private, resolve=resolve or system_resolve
    )
