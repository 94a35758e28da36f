"""Webhook addresses and requests: http(s) only, private addresses refused after DNS
resolution (and the connection pinned to the checked address), HMAC-SHA256 signatures."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from fokus.alerts.errors import AlertError
from fokus.values import check_text

SIGNATURE_HEADER = "X-Fokus-Signature"
EVENT_ID_HEADER = "X-Fokus-Event-Id"
EVENT_HEADER = "X-Fokus-Event"
TIMEOUT_SECONDS = 10
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def sign(secret: str, body: bytes) -> str:
    """The value of ``X-Fokus-Signature``: ``sha256=`` and the HMAC-SHA256 of the body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def allow_private() -> bool:
    return bool(settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES)


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str


def check_url(url: str) -> str:
    """The URL when it can be a webhook address, else an ``AlertError`` (nothing resolved
    yet: the address is checked again, after DNS, at every send)."""
    url = check_text(url, field="url").strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise AlertError("url_invalid", field="url", url=url[:100]) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise AlertError("url_scheme", field="url")
    if not parts.hostname or parts.username or parts.password or len(url) > 500:
        raise AlertError("url_invalid", field="url", url=url[:100])
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        literal = None
    if literal is not None and not allow_private() and not is_public(literal):
        raise AlertError("url_private", field="url")
    return url


def target_of(url: str) -> Target:
    check_url(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    assert parts.hostname is not None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(
        scheme=scheme,
        host=parts.hostname,
        port=parts.port or (443 if scheme == "https" else 80),
        path=path,
    )


class ResolveError(Exception):
    pass


class PrivateAddress(Exception):
    pass


def resolve(target: Target) -> str:
    """One address of the host to connect to; every address it resolves to must be
    public unless the settings allow private ones (tests on loopback)."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ResolveError(f"cannot resolve {target.host}: {error}") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise ResolveError(f"{target.host} has no address")
    if not allow_private():
        refused = [str(a) for a in addresses if not is_public(a)]
        if refused:
            raise PrivateAddress(f"{target.host} resolves to a non-public address {refused[0]}")
    return str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address while sending the URL's host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(target: Target, address: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST the body; the response's status and the start of its text. No redirects."""
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target.host, target.port, address, TIMEOUT_SECONDS)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(2000).decode("utf-8", "replace")
        return response.status, text
    finally:
        connection.close()
