"""What the tests share besides fixtures: the one instant they run at, the named users'
password, the API client, and the real servers on loopback that Fokus sends its e-mails
and webhooks to."""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import json
import re
import socket
import threading
import zlib
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from django.core.cache import caches

from fokus.accounts.services import token_create

# The instant every test runs at unless it says otherwise: the middle of the KPIs'
# default year, 14:00 in Copenhagen (after the 07:00 digest hour).
NOW = dt.datetime(2027, 6, 30, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2027, 6, 30)

PASSWORD = "correct horse battery"


def clear_kpi_cache() -> None:
    """Forget cached evaluations and cards: the next read computes every KPI afresh (the
    most queries a page can cost)."""
    caches["kpis"].clear()


def pdf_text(data: bytes) -> list[str]:
    """The texts a PDF made by Fokus draws, in drawing order (its page streams are ASCII85
    and Flate encoded, its fonts WinAnsi)."""
    texts = []
    for stream in re.finditer(rb"/Filter \[([^\]]*)\] /Length (\d+)\s*>>\s*stream\r?\n", data):
        body = data[stream.end() : stream.end() + int(stream[2])]
        if b"ASCII85Decode" in stream[1]:
            body = base64.a85decode(body.strip().removesuffix(b"~>"))
        if b"FlateDecode" in stream[1]:
            body = zlib.decompress(body)
        for text in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", body, re.S):
            texts.append(_pdf_string(text))
    return texts


_PDF_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _pdf_string(raw: bytes) -> str:
    def unescape(match: re.Match[bytes]) -> bytes:
        escaped = match[1]
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8)])
        return _PDF_ESCAPES.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", unescape, raw, flags=re.S).decode("cp1252")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def api_token(user, organisation) -> str:
    """A new bearer token of ``user`` in ``organisation``."""
    return token_create(user=user, organisation=organisation, name="test")[1]


class ApiClient:
    """Django's test client speaking JSON to /api/v1 with a bearer token (none: anonymous)."""

    def __init__(self, client: Any, token: str | None) -> None:
        self.client = client
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        if self.token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        return extra

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, params, **self._headers(headers))

    def _send(self, method: str, path: str, body: Any, headers: dict[str, str] | None) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.client, method)(
            "/api/v1" + path,
            data=data,
            content_type="application/json",
            **self._headers(headers),
        )

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self._send("post", path, {} if body is None else body, headers)

    def patch(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self._send("patch", path, {} if body is None else body, headers)

    def delete(self, path: str, headers: dict[str, str] | None = None) -> Any:
        return self.client.delete("/api/v1" + path, **self._headers(headers))


@dataclass
class SmtpServer:
    """A real SMTP server (aiosmtpd) on a loopback port; keeps what it receives."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def body(self, index: int = -1) -> str:
        """The plain-text body of a received message (the last one by default)."""
        return self.messages[index].get_body(("plain",)).get_content()

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


class WebhookReceiver:
    """A real HTTP server on loopback; answers with the queued statuses, then 200."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.statuses: list[int] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.requests.append(
                        Received(self.path, {k: v for k, v in self.headers.items()}, body)
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/fokus"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
