"""POSTing a payload to an endpoint through the feeds' SSRF guard
(tracker.news.fetch): the same scheme, host and address checks on every
delivery, the connection pinned to the checked address. Redirects are not
followed: an endpoint that moved is a failure for staff to look at."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from tracker.news import fetch

# A receiver should answer quickly and do its work afterwards.
TIMEOUT_SECONDS = 10.0
# Enough of an answer to show staff what the receiver said.
MAX_ANSWER_BYTES = 2048


@dataclass
class PostResult:
    status: int
    answer: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def webhook_post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    allow_private: bool,
    ports: tuple[int, ...] = fetch.DEFAULT_PORTS,
) -> PostResult:
    """POST `body`; raises fetch.FetchError (FeedAddressRefused for an
    address the guard refuses, FeedNetworkError for a network failure)."""
    started = time.monotonic()
    _, host, port = fetch.url_check(url, ports)
    address = fetch.host_resolve_checked(
        host,
        port,
        allow_private=allow_private,
        resolve=fetch.system_resolve,
        deadline=fetch.Deadline(TIMEOUT_SECONDS),
    )
    pinned = httpx.URL(url).copy_with(host=address)
    netloc = urlsplit(url).netloc.rsplit("@", 1)[-1]
    try:
        with httpx.Client(
            timeout=httpx.Timeout(TIMEOUT_SECONDS),
            follow_redirects=False,
            verify=fetch.tls_context(),
            # Environment proxies would connect somewhere else than the
            # checked address.
            trust_env=False,
        ) as client:
            request = client.build_request(
                "POST",
                pinned,
                content=body,
                headers={**headers, "Host": netloc},
                extensions={"sni_hostname": host},
            )
            response = client.send(request, stream=True)
            try:
                answer = b""
                for chunk in response.iter_bytes():
                    answer += chunk
                    if len(answer) >= MAX_ANSWER_BYTES:
                        break
            finally:
                response.close()
    except httpx.TimeoutException as exc:
        raise fetch.FeedNetworkError(
            f"Timed out posting to {url}: {type(exc).__name__}"
        ) from exc
    except httpx.HTTPError as exc:
        raise fetch.FeedNetworkError(f"Network error posting to {url}: {exc}") from exc
    return PostResult(
        status=response.status_code,
        answer=answer[:MAX_ANSWER_BYTES].decode("utf-8", "replace"),
        duration_ms=int((time.monotonic() - started) * 1000),
    )
