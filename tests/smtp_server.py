"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, with TLS from a test CA."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, Session

USER = "desk"
PASSWORD = "s3cret-Pa55-word-71"


@dataclass
class Recorder:
    """The handler: keeps what it accepted; can refuse recipients or drop the connection."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    drop: bool = False

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        if self.drop:
            server.transport.close()  # hang up in the middle of the transaction
            return "250 OK"
        message = message_from_bytes(envelope.original_content or b"", policy=default)
        assert isinstance(message, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpts, m in self.received if address in rcpts]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _authenticator(
    server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = data is not None and data.login == USER.encode() and data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@dataclass
class Tls:
    ca_file: Path
    server_context: ssl.SSLContext


def make_tls(folder: Path) -> Tls:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    ca_file = folder / "test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return Tls(ca_file, context)


@contextmanager
def smtp_server(
    recorder: Recorder,
    port: int,
    *,
    security: str = "none",
    tls: Tls | None = None,
    auth: bool = False,
    exclude: tuple[str, ...] = (),
) -> Iterator[Controller]:
    """Run aiosmtpd on 127.0.0.1:port for the with-block."""
    kwargs: dict[str, Any] = {}
    if security == "starttls":
        assert tls is not None
        kwargs.update(tls_context=tls.server_context, require_starttls=True)
    if security == "ssl":
        assert tls is not None
        kwargs.update(ssl_context=tls.server_context)
    if auth:
        kwargs.update(
            authenticator=_authenticator,
            auth_required=True,
            # implicit TLS is below aiosmtpd, which only knows of STARTTLS
            auth_require_tls=security == "starttls",
            auth_exclude_mechanism=exclude,
        )
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()
