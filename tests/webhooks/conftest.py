"""A real webhook receiver on 127.0.0.1: it records what it is sent, checks
nothing itself, and can go down and come back on the same port."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.news.conftest import fake_internet  # noqa: F401


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


def signature_valid(secret: str, header: str, body: bytes) -> bool:
    """What a receiver runs (docs/open-data.md shows the same check)."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    signed = f"{parts['t']}.".encode() + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.server.owner.received.append(Received(self.path, dict(self.headers), body))
        status = self.server.owner.status
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: Receiver


class Receiver:
    def __init__(self):
        self.received: list[Received] = []
        self.status = 200
        self.port = 0
        self._server: _Server | None = None
        self.start()

    def start(self):
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self):
        """Down: the port refuses connections until start()."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def receiver(settings):
    server = Receiver()
    # Let its port through the fetcher's port list, as production lets 443.
    settings.TRACKER_FETCH_PORTS = [*settings.TRACKER_FETCH_PORTS, server.port]
    yield server
    server.stop()


@pytest.fixture
def private_webhooks_allowed(settings):
    settings.TRACKER_ALLOW_PRIVATE_WEBHOOKS = True
    return settings


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (event publishing, task queueing) as
    the real commit would, inside the test's transaction. Writes that
    should publish events go through it: outside, their events wait for a
    commit that never comes."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run
