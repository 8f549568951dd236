"""Real servers on 127.0.0.1 for the messages: an SMTP server (aiosmtpd) whose answers a test
scripts, and an HTTP server standing in for an SMS gateway."""

from __future__ import annotations

import asyncio
import email
import email.policy
import http.server
import socket
import threading
import urllib.parse
from collections import deque
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from terminal.core.config import (
    EmailSettings,
    MessagesSettings,
    Settings,
    SmsSettings,
    WebSettings,
)

PUBLIC = "https://members.example.com"


def messaging(base: Settings, *, smtp: int | None = None, sms: SmsSettings | None = None,
              **limits: Any) -> Settings:
    """``base`` with e-mail through the SMTP server on 127.0.0.1:``smtp`` (or SMS through
    ``sms``), the public address the links need, and ``limits`` for [messages]."""
    email = EmailSettings(host="127.0.0.1", port=smtp, security="none",
                          from_address="shop@example.com", timeout_seconds=5) \
        if smtp else EmailSettings()
    return replace(base, web=WebSettings(public_url=PUBLIC), email=email,
                   sms=sms or SmsSettings(), messages=replace(MessagesSettings(), **limits))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    sender: str
    recipients: list[str]
    mail: EmailMessage

    @property
    def text(self) -> str:
        return str(self.mail.get_content())


@dataclass
class MailHandler:
    """Keeps every message it took; ``rcpt_answers`` and ``data_answers`` hold the next
    answers to give (then "250"); ``block`` makes DATA wait (the message is in ``arrived``
    already) until it is set, as a server that never answers."""

    received: list[Received] = field(default_factory=list)
    arrived: list[Received] = field(default_factory=list)  # at DATA, answered or not
    rcpt_answers: deque[str] = field(default_factory=deque)
    data_answers: deque[str] = field(default_factory=deque)
    block: threading.Event | None = None
    blocked: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_answers:
            return self.rcpt_answers.popleft()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        mail = email.message_from_bytes(envelope.original_content or envelope.content,
                                        policy=email.policy.default)
        got = Received(envelope.mail_from, list(envelope.rcpt_tos), mail)  # type: ignore[arg-type]
        self.arrived.append(got)
        if self.block is not None and len(self.arrived) == 1:
            self.blocked.set()
            while not self.block.is_set():
                await asyncio.sleep(0.05)
        if self.data_answers:
            return self.data_answers.popleft()
        self.received.append(got)
        return "250 Message accepted for delivery"

    def ids(self) -> list[str]:
        return [r.mail["Message-ID"] for r in self.received]

    def to(self) -> list[str]:
        return sorted(a for r in self.received for a in r.recipients)


class SmtpServer:
    def __init__(self) -> None:
        self.handler = MailHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handler.block is not None:
            self.handler.block.set()
        self.controller.stop()


@dataclass
class SmsRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    headers: dict[str, str]


class SmsGateway:
    """An HTTP server in a thread: every request kept; ``answers`` the next status codes."""

    def __init__(self) -> None:
        self.requests: list[SmsRequest] = []
        self.answers: deque[int] = deque()
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size).decode() if size else ""
                url = urllib.parse.urlsplit(self.path)
                gateway.requests.append(SmsRequest(
                    self.command, url.path, urllib.parse.parse_qs(url.query),
                    urllib.parse.parse_qs(body), dict(self.headers.items())))
                status = gateway.answers.popleft() if gateway.answers else 200
                reply = b'{"ok": true}' if status == 200 else b'{"error": "no"}'
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_GET = do_POST = _any

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SmsGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
