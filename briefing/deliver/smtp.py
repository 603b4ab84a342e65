"""Sending the outbox over SMTP: TLS verified by default, each recipient accepted once.

A recipient counts as delivered when the server accepted it; that is recorded in the
history database before the message leaves the outbox, so a retry never sends it to the
same recipient twice. A refused recipient, a dropped connection or a timeout leaves the
message in the outbox with the reason.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pydantic import SecretStr

from briefing.config import MailConfig
from briefing.deliver import outbox
from briefing.errors import AuthenticationError, ConfigError, DeliveryError
from briefing.safetext import shown_path
from briefing.store import History


@dataclass
class Report:
    """What a send did: messages delivered, and messages left in the outbox with why."""

    sent: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)


def read_password(mail: MailConfig, environ: Mapping[str, str]) -> SecretStr | None:
    """The SMTP password from the environment variable or the file config names."""
    if mail.password_env and environ.get(mail.password_env):
        return SecretStr(environ[mail.password_env])
    if mail.password_file is not None:
        try:
            return SecretStr(mail.password_file.read_text(encoding="utf-8").strip("\r\n"))
        except OSError as exc:
            raise DeliveryError(
                f"mail.password_file {mail.password_file}: {exc.strerror or exc}"
            ) from exc
    if mail.username:
        raise DeliveryError(
            f"mail.username is set but there is no password: set {mail.password_env or 'an'} "
            "environment variable or mail.password_file"
        )
    return None


def _where(mail: MailConfig) -> str:
    return f"{mail.host}:{mail.port}"


def tls_context(mail: MailConfig) -> ssl.SSLContext:
    """The verifying TLS context: the system CAs, and mail.ca_file's too when it names one.

    A missing or unreadable file, or one without a PEM certificate, is a config error
    naming it (before anything is sent).
    """
    if mail.ca_file is None:
        return ssl.create_default_context()
    where = f"mail.ca_file {shown_path(mail.ca_file)}"
    if mail.ca_file.exists() and not mail.ca_file.is_file():
        raise ConfigError(f"{where}: not a regular file")
    context = ssl.create_default_context()  # the system CAs, to which ca_file adds its own
    try:
        context.load_verify_locations(cafile=str(mail.ca_file))
    except ssl.SSLError as exc:  # an OSError too: before it
        raise ConfigError(f"{where}: no PEM certificate in it ({exc.reason or exc})") from None
    except OSError as exc:
        raise ConfigError(f"{where}: {exc.strerror or exc}") from None
    return context


def connect(mail: MailConfig, password: SecretStr | None) -> smtplib.SMTP:
    """Open an SMTP session with the configured security and log in."""
    context = tls_context(mail)
    try:
        if mail.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                mail.host, mail.port, timeout=mail.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout)
            smtp.ehlo()
            if mail.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
        if mail.username:
            assert password is not None
            smtp.login(mail.username, password.get_secret_value())
    except smtplib.SMTPAuthenticationError as exc:
        raise AuthenticationError(
            f"SMTP login as {mail.username!r} at {_where(mail)} was refused: "
            f"{exc.smtp_code} {_text(exc.smtp_error)}"
        ) from None
    except ssl.SSLError as exc:
        raise DeliveryError(f"TLS with {_where(mail)} failed: {exc.reason or exc}") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(_unsupported(mail, str(exc))) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"cannot reach the SMTP server {_where(mail)}: {exc}") from None
    return smtp


def _unsupported(mail: MailConfig, what: str) -> str:
    """smtplib's 'STARTTLS extension not supported by server.' in words a user can act on."""
    if "STARTTLS" in what:
        return (
            f"the SMTP server {_where(mail)} does not offer STARTTLS: set mail.security "
            "to ssl (usually port 465) or, on a trusted local link only, none"
        )
    if "AUTH" in what:
        return (
            f"the SMTP server {_where(mail)} does not accept a login: remove mail.username, "
            "or connect with mail.security starttls or ssl"
        )
    return f"the SMTP server {_where(mail)} refused: {what}"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _send_one(smtp: smtplib.SMTP, item: outbox.Pending, to: list[str]) -> dict[str, str]:
    """Send to these recipients; return the refused ones with the server's reason.

    MAIL and RCPT first; the recipients the server took are written down as in doubt
    before DATA, so a send killed while the server answers is never repeated.
    """
    smtp.ehlo_or_helo_if_needed()
    code, answer = smtp.mail(item.state["sender"])
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, answer, item.state["sender"])
    refused: dict[str, str] = {}
    for rcpt in to:
        code, answer = smtp.rcpt(rcpt)
        if code not in (250, 251):
            refused[rcpt] = f"{code} {_text(answer)}"
    taken = [r for r in to if r not in refused]
    if not taken:
        smtp.rset()
        return refused
    outbox.update(item, in_doubt=taken)
    code, answer = smtp.data(item.eml.read_bytes())
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)
    return refused


def _delivered(report: Report, item: outbox.Pending, accepted: set[str], tried: bool) -> None:
    """Record the final state in the envelope, then move the message to sent/."""
    done = outbox.update(
        item,
        pending=[],
        accepted=sorted(accepted),
        attempts=item.state["attempts"] + (1 if tried else 0),
        last_error=None,
    )
    report.sent.append(outbox.move_to_sent(done))


def _failed(report: Report, item: outbox.Pending, reason: str) -> None:
    outbox.update(item, attempts=item.state["attempts"] + 1, last_error=reason, in_doubt=None)
    report.failed.append((item.eml, reason))


def _in_doubt(report: Report, item: outbox.Pending) -> None:
    who = ", ".join(item.state["in_doubt"])
    report.failed.append(
        (
            item.eml,
            f"in doubt: a send to {who} was interrupted after DATA began; not sent again "
            f"(check with the recipients, then remove in_doubt from {item.meta.name})",
        )
    )


def send_pending(
    items: list[outbox.Pending],
    mail: MailConfig,
    password: SecretStr | None,
    history: History,
    now: datetime,
) -> Report:
    """Send every pending message once to each recipient that has not accepted it yet.

    The outboxes are locked for the whole send; each message is read again once the lock
    is held, so a concurrent send's work is not repeated.
    """
    with outbox.locked([item.eml.parent for item in items]):
        fresh = [item for item in map(outbox.reload, items) if item is not None]
        return _send_all(fresh, mail, password, history, now)


def _send_all(
    items: list[outbox.Pending],
    mail: MailConfig,
    password: SecretStr | None,
    history: History,
    now: datetime,
) -> Report:
    report = Report()
    smtp: smtplib.SMTP | None = None
    try:
        for n, item in enumerate(items):
            if item.state.get("in_doubt"):
                _in_doubt(report, item)
                continue
            done = history.delivered(item.state["message_id"])
            to = [r for r in item.state["pending"] if r not in done]
            if not to:
                _delivered(report, item, done, tried=False)
                continue
            if smtp is None:
                try:
                    smtp = connect(mail, password)
                except AuthenticationError:
                    raise
                except DeliveryError as exc:  # unreachable: every message waits
                    for rest in items[n:]:
                        _failed(report, rest, str(exc))
                    break
            try:
                refused = _send_one(smtp, item, to)
            except (OSError, smtplib.SMTPException) as exc:
                _failed(report, item, f"{type(exc).__name__}: {exc}")
                smtp = None  # the session is gone; reconnect for the next message
                continue
            accepted = [r for r in to if r not in refused]
            history.record(
                item.state["message_id"], accepted, item.state["audience"], item.brief_date, now
            )
            if refused:
                reason = "refused " + "; ".join(f"{r}: {why}" for r, why in refused.items())
                _failed(report, outbox.update(item, pending=list(refused), in_doubt=None), reason)
            else:
                _delivered(report, item, history.delivered(item.state["message_id"]), True)
    finally:
        if smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
    return report
