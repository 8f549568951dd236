"""Handing one message to the world: e-mail through SMTP (smtplib), SMS through an HTTP
gateway named by the settings (urllib). Each transport says how a try ended, and the
outbox (services.outbox) acts on it:

* it returns: the server took the message (its answer is kept);
* ``Transient``: the server turned it away for now (SMTP 4xx, HTTP 5xx or 429), or could not
  be reached at all (refused, no route, a timeout while connecting): certainly not sent,
  try again later;
* ``Permanent``: it never will be (SMTP 5xx, a recipient refused, HTTP 4xx);
* ``Unknown``: the whole message was handed over and the answer never came (the
  connection dropped or timed out after the DATA or the request was sent). The server may
  well have taken it, so it is never sent again on its own: a person decides.
"""

from __future__ import annotations

import base64
import email.policy
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from http.client import HTTPException
from typing import Protocol

from ..core.config import EmailSettings, SmsSettings

REPLY_MAX = 300  # characters of a server's answer kept in the delivery log
# CRLF line ends (smtplib sends bytes as they are); headers folded only past SMTP's own limit,
# as a URL cannot be folded and List-Unsubscribe must not be MIME-encoded to fit 78
WIRE = email.policy.SMTP.clone(max_line_length=998)


class Failed(Exception):
    """A try that did not end in the server's yes; ``str()`` is what happened."""


class Transient(Failed):
    """Not sent this time; it may go later."""


class Permanent(Failed):
    """Not sent, and it never will be as it is."""


class Unknown(Failed):
    """Handed over whole, with no answer: it may have been sent."""


@dataclass(frozen=True)
class Outgoing:
    """One message as a transport sends it."""

    id: str  # the message's id: its Message-ID, the gateway's {id}
    address: str  # an e-mail address or an E.164 phone number
    subject: str
    text: str  # the whole text, with the links
    unsubscribe_url: str
    sender_name: str  # the shop's


class Transport(Protocol):
    def send(self, message: Outgoing) -> str:
        """Send it; the server's answer. Transient, Permanent or Unknown otherwise."""


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}"[:REPLY_MAX]


def _smtp_refusal(code: int, text: bytes | str, what: str) -> Failed:
    said = f"{what}: {_reply(code, text)}"
    return Transient(said) if 400 <= code < 500 else Permanent(said)


class SmtpTransport:
    """One connection per message: simple, and a drain job seldom sends many at once."""

    def __init__(self, settings: EmailSettings) -> None:
        self.settings = settings

    def mail(self, message: Outgoing) -> EmailMessage:
        mail = EmailMessage()
        mail["Subject"] = message.subject
        mail["From"] = formataddr((message.sender_name, self.settings.from_address))
        mail["To"] = message.address
        mail["Date"] = formatdate(localtime=True)
        domain = self.settings.from_address.rpartition("@")[2] or "localhost"
        # the same id on a try a person asked for again: a mailbox can tell the two apart
        mail["Message-ID"] = f"<{message.id}@{domain}>"
        # RFC 2369 and RFC 8058: the mail program's own unsubscribe button, one click
        mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        mail["Auto-Submitted"] = "auto-generated"
        # quoted-printable: Chinese text passes a server that speaks only 7-bit
        mail.set_content(message.text, cte="quoted-printable")
        return mail

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        if s.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_seconds,
                                                  context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, s.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: Outgoing) -> str:
        mail = self.mail(message)
        try:
            smtp = self._connect()
        except smtplib.SMTPAuthenticationError as exc:
            # the settings' fault, not the message's: it waits until they are corrected
            raise Transient(f"the SMTP server refused the log-in: "
                            f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
        except smtplib.SMTPResponseException as exc:
            raise _smtp_refusal(exc.smtp_code, exc.smtp_error, "the SMTP server") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise Transient(f"the SMTP server could not be reached: {exc}") from None
        try:
            try:
                code, text = smtp.mail(self.settings.from_address)
                if code != 250:
                    raise _smtp_refusal(code, text, "the sender was refused")
                code, text = smtp.rcpt(message.address)
                if code not in (250, 251):
                    raise _smtp_refusal(code, text, "the recipient was refused")
            except (OSError, smtplib.SMTPException) as exc:  # before any of the message
                raise Transient(f"the SMTP connection failed: {exc}") from None
            try:
                code, text = smtp.data(mail.as_bytes(policy=WIRE))
            except smtplib.SMTPDataError as exc:  # the server answered: it did not take it
                raise _smtp_refusal(exc.smtp_code, exc.smtp_error, "the message was refused"
                                    ) from None
            except (OSError, smtplib.SMTPException) as exc:
                # the message may be whole on the server: only its answer is missing
                raise Unknown(f"no answer after the message was sent: {exc}") from None
            if code != 250:  # smtplib's data() returns the final answer, whatever it is
                raise _smtp_refusal(code, text, "the message was refused")
            return _reply(code, text)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


def _filled(template: str, values: dict[str, str]) -> str:
    return template.format(**{k: urllib.parse.quote(v, safe="") for k, v in values.items()})


class SmsTransport:
    """The gateway's URL (and, for a POST, its body) with {phone}, {text} and {id} filled
    in, URL-encoded; a 2xx answer is a yes."""

    def __init__(self, settings: SmsSettings) -> None:
        self.settings = settings

    def request(self, message: Outgoing) -> urllib.request.Request:
        s = self.settings
        values = {"phone": message.address, "text": message.text, "id": message.id}
        data = _filled(s.body, values).encode() if s.method == "POST" else None
        request = urllib.request.Request(_filled(s.url, values), data=data, method=s.method)
        if data is not None:
            request.add_header("Content-Type", s.content_type)
        if s.username:
            pair = f"{s.username}:{s.password}".encode()
            request.add_header("Authorization", f"Basic {base64.b64encode(pair).decode()}")
        if s.header:
            name, _, value = s.header.partition(":")
            request.add_header(name.strip(), value.strip())
        request.add_header("User-Agent", "member-terminal")
        return request

    def send(self, message: Outgoing) -> str:
        request = self.request(message)
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_seconds) as r:
                status = r.status
                try:
                    body = r.read(2000)
                except (OSError, HTTPException):  # the yes came: the rest does not matter
                    body = b""
                return _reply(status, body)
        except urllib.error.HTTPError as exc:  # the gateway answered: not taken
            said = f"the SMS gateway answered {_reply(exc.code, exc.read(500) or exc.reason)}"
            if exc.code >= 500 or exc.code in (408, 429):
                raise Transient(said) from None
            raise Permanent(said) from None
        except urllib.error.URLError as exc:
            # urllib wraps what fails while connecting and sending the request: not sent
            raise Transient(f"the SMS gateway could not be reached: {exc.reason}") from None
        except (OSError, HTTPException) as exc:
            # the request went out whole; its answer never came
            raise Unknown(f"no answer from the SMS gateway after the request: "
                          f"{type(exc).__name__}: {exc}") from None
