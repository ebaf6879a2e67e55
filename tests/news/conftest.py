"""A real HTTP server on 127.0.0.1 for the fetcher, and the feeds it
serves. Only the internet is faked: names resolve through a dictionary."""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tracker.news import fetch as fetch_module
from tracker.news import match_store

FEEDS_DIR = Path(__file__).parent / "feeds"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False
    declare_length: bool = True
    delay: float = 0.0
    drip: float = 0.0
    """Seconds between single bytes of the body, to be slow on purpose."""
    handler: Callable | None = None


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.seen.append((self.path, dict(self.headers)))
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if route.handler:
            route = route.handler(self) or route
            if route.handler:
                return
        if route.delay:
            time.sleep(route.delay)
        body = gzip.compress(route.body) if route.gzip else route.body
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.gzip:
            self.send_header("Content-Encoding", "gzip")
        if route.declare_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            if route.drip:
                for i in range(len(body)):
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
                    time.sleep(route.drip)
            else:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0):
        super().__init__(("127.0.0.1", port), _Handler)
        self.routes: dict[str, Route] = {}
        self.seen: list[tuple[str, dict]] = []

    @classmethod
    @contextlib.contextmanager
    def running(cls, *, port: int = 0, settings=None):
        """A server answering on a thread; with `settings`, its port is let
        through the fetcher's port list the way production lets 443
        through: by the setting."""
        server = cls(port)
        if settings is not None:
            settings.TRACKER_FETCH_PORTS = [*settings.TRACKER_FETCH_PORTS, server.port]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server
        finally:
            server.shutdown()
            server.server_close()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, **kwargs) -> str:
        self.routes[path] = Route(**kwargs)
        return self.url(path)

    def requests_to(self, path: str) -> list[dict]:
        return [headers for seen, headers in self.seen if seen == path]


@pytest.fixture
def feed_server(settings):
    with FeedServer.running(settings=settings) as server:
        yield server


@pytest.fixture
def unreachable_url(settings):
    """A local address that nothing listens on, its port let through: a
    connection refused, the plainest network failure."""
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    settings.TRACKER_FETCH_PORTS = [*settings.TRACKER_FETCH_PORTS, port]
    return f"http://127.0.0.1:{port}/rss"


class HostileServer:
    """A TCP server on 127.0.0.1 that answers every connection with a
    script written at the byte level (`send` and `drip`), for what no HTTP
    server library would send: headers a byte a second, endless chunk-size
    lines, a TLS handshake that never ends."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.stopped = threading.Event()
        self.script: Callable[[HostileConnection], None] = lambda conn: None
        self.read_request = True
        self.connections = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.listener.getsockname()[1]

    def url(self, path: str = "/", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def serve(
        self,
        script: Callable[[HostileConnection], None],
        path: str = "/",
        *,
        read_request: bool = True,
        scheme: str = "http",
    ) -> str:
        """`script` answers each connection; without `read_request` it
        starts at once (a TLS client speaks first, in no HTTP)."""
        self.script = script
        self.read_request = read_request
        return self.url(path, scheme)

    def _accept(self):
        while not self.stopped.is_set():
            try:
                sock, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(
                target=self._run, args=(HostileConnection(sock, self),), daemon=True
            ).start()

    def _run(self, conn: HostileConnection):
        try:
            if self.read_request:
                conn.request_read()
            self.script(conn)
        except OSError:
            pass
        finally:
            conn.sock.close()

    def close(self):
        self.stopped.set()
        self.listener.close()
        self.thread.join(timeout=5)


class HostileConnection:
    def __init__(self, sock: socket.socket, server: HostileServer):
        self.sock = sock
        self.server = server
        self.request = b""

    def request_read(self):
        self.sock.settimeout(10)
        while b"\r\n\r\n" not in self.request and len(self.request) < 65536:
            data = self.sock.recv(4096)
            if not data:
                break
            self.request += data

    def send(self, data: bytes):
        self.sock.sendall(data)

    def drip(self, data: bytes, every: float):
        """One byte, then a pause, until the data or the test ends."""
        for i in range(len(data)):
            if self.server.stopped.is_set():
                return
            self.sock.sendall(data[i : i + 1])
            time.sleep(every)


@pytest.fixture
def hostile_server(settings):
    server = HostileServer()
    settings.TRACKER_FETCH_PORTS = [*settings.TRACKER_FETCH_PORTS, server.port]
    yield server
    server.close()


@pytest.fixture
def private_feeds_allowed(settings):
    settings.TRACKER_ALLOW_PRIVATE_FEEDS = True
    return settings


@pytest.fixture
def feed_file():
    def read(name: str) -> bytes:
        return (FEEDS_DIR / name).read_bytes()

    return read


@pytest.fixture
def fake_internet(monkeypatch):
    """Names resolve through this dictionary, and 127.0.0.1 stands in for a
    public address, so a redirect from a "public" feed to a private one can
    be tried against the real local server."""
    names: dict[str, list[str]] = {}
    real_refusal = fetch_module.address_refusal
    real_resolve = fetch_module.system_resolve

    def resolve(host, port):
        if host in names:
            return names[host]
        return real_resolve(host, port)

    def refusal(address):
        return None if address == "127.0.0.1" else real_refusal(address)

    monkeypatch.setattr(fetch_module, "address_refusal", refusal)
    monkeypatch.setattr(fetch_module, "system_resolve", resolve)
    return names


@pytest.fixture(autouse=True)
def fresh_matcher():
    match_store.matcher_reset()
    yield
    match_store.matcher_reset()


@pytest.fixture
def feed_make(db):
    from tracker.models import Feed

    def make(url, **kwargs):
        kwargs.setdefault("name", url.rsplit("/", 1)[-1] or "feed")
        return Feed.objects.create(url=url, **kwargs)

    return make


@pytest.fixture
def known_entities(db):
    """What the tracker knows, as in the demo data: enough to match the
    test feeds."""
    from tests import factories
    from tracker import choices
    from tracker.models import Credit

    coel = factories.PersonFactory(name="Michaela Coel")
    obrien = factories.PersonFactory(name="Ita O'Brien")
    zendaya = factories.PersonFactory(name="Zendaya")
    smith = factories.PersonFactory(name="Mam Smith")
    bafta = factories.AwardBodyFactory(name="BAFTA", aliases=["BAFTAs"])
    netflix = factories.OrganizationFactory(
        name="Netflix", kind=choices.OrganizationKind.NETWORK
    )
    challengers = factories.ProductionFactory(title="Challengers")
    destroy = factories.ProductionFactory(title="I May Destroy You")
    bridgerton = factories.ProductionFactory(title="Bridgerton", network=netflix)
    Credit.objects.create(
        person=zendaya, production=challengers, role=choices.CreditRole.PERFORMER
    )
    return {
        "coel": coel,
        "obrien": obrien,
        "zendaya": zendaya,
        "smith": smith,
        "bafta": bafta,
        "netflix": netflix,
        "challengers": challengers,
        "destroy": destroy,
        "bridgerton": bridgerton,
    }
