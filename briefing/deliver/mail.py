"""The email of a brief: text and HTML alternatives, CSS inlined, the PDF attached.

Pure: the brief, the mail settings and the time in, an EmailMessage out. Nothing is
fetched: images the page names are embedded from the template folders or dropped.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from pathlib import Path

from briefing.config import AudienceConfig, MailConfig
from briefing.deliver.mailhtml import without_remote_loads
from briefing.errors import DeliveryError
from briefing.render import Rendered
from briefing.render.templates import render_subject
from briefing.render.text import markdown_to_text


@dataclass(frozen=True, slots=True, kw_only=True)
class Outgoing:
    """A message ready for the outbox, with its envelope (Bcc is only here)."""

    message: EmailMessage
    message_id: str
    audience: str
    sender: str
    recipients: tuple[str, ...]
    pdf_dropped: bool


def _address(value: str) -> str:
    return parseaddr(value)[1]


def _inline_css(html: str) -> str:
    import css_inline

    inliner = css_inline.CSSInliner(
        keep_style_tags=False,
        keep_link_tags=False,
        load_remote_stylesheets=False,
        resolve_css_variables=True,
    )
    return str(inliner.inline(html))


def _images(html: str, asset_dirs: tuple[Path, ...]) -> tuple[str, list[tuple[str, Path]]]:
    """Point images in the template folders at related parts; drop every other image and
    everything else a reader would load from elsewhere (briefing.deliver.mailhtml)."""
    related: list[tuple[str, Path]] = []
    roots = tuple(d.resolve() for d in asset_dirs)

    def embed(src: str) -> str | None:
        if "://" in src or src.startswith(("data:", "/", "cid:", "\\")) or ":" in src:
            return None
        for root in roots:
            path = (root / src).resolve()
            if path.is_relative_to(root) and path.is_file():
                cid = f"img{len(related)}.{hashlib.sha256(src.encode()).hexdigest()[:12]}@briefing"
                related.append((cid, path))
                return f"cid:{cid}"
        return None

    return without_remote_loads(html, embed), related


def message_id(brief: Rendered, sender: str) -> str:
    """Stable per brief: the same brief, date and audience always get the same Message-ID."""
    digest = hashlib.sha256((brief.html or brief.markdown).encode("utf-8")).hexdigest()[:20]
    domain = _address(sender).rpartition("@")[2] or "briefing.invalid"
    context = brief.context
    return f"<briefing.{context.date.isoformat()}.{context.audience.name}.{digest}@{domain}>"


def _compose(
    brief: Rendered,
    *,
    mail: MailConfig,
    audience: AudienceConfig,
    now: datetime,
    asset_dirs: tuple[Path, ...],
    attach: bool,
    note: str | None,
) -> EmailMessage:
    context = brief.context
    data = context.model_dump()
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = render_subject(mail.subject, data)
    msg["From"] = mail.sender
    if audience.recipients:
        msg["To"] = ", ".join(audience.recipients)
    else:
        msg["To"] = "undisclosed-recipients:;"
    if mail.cc:
        msg["Cc"] = ", ".join(mail.cc)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id(brief, mail.sender)
    if mail.list_unsubscribe:
        msg["List-Unsubscribe"] = mail.list_unsubscribe
    msg["X-Briefing-Audience"] = context.audience.name

    text = markdown_to_text(brief.markdown)
    html = _inline_css(brief.html or "")
    if note:
        text = f"{note}\n\n{text}"
        html = re.sub(r"(<body[^>]*>)", rf"\1<p><em>{note}</em></p>", html, count=1)
    html, related = _images(html, asset_dirs)
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    html_part = msg.get_payload()[1]  # type: ignore[index]
    assert isinstance(html_part, EmailMessage)
    for cid, path in related:
        kind = (mimetypes.guess_type(path.name)[0] or "application/octet-stream").split("/")
        html_part.add_related(path.read_bytes(), kind[0], kind[1], cid=f"<{cid}>")
    if attach and brief.pdf is not None:
        msg.add_attachment(
            brief.pdf,
            maintype="application",
            subtype="pdf",
            filename=f"brief-{context.audience.name}-{context.date.isoformat()}.pdf",
        )
    return msg


def build_message(
    brief: Rendered,
    *,
    mail: MailConfig,
    audience: AudienceConfig,
    now: datetime,
    asset_dirs: tuple[Path, ...] = (),
) -> Outgoing:
    """The message for one audience; over mail.max_bytes, the PDF is left out with a note."""
    recipients = tuple(_address(a) for a in (*audience.recipients, *mail.cc, *mail.bcc))
    if not recipients:
        raise DeliveryError(f"audience {audience.name!r} has no recipients")
    attach = mail.attach_pdf and brief.pdf is not None
    msg = _compose(
        brief,
        mail=mail,
        audience=audience,
        now=now,
        asset_dirs=asset_dirs,
        attach=attach,
        note=None,
    )
    dropped = False
    size = len(msg.as_bytes())
    if attach and size > mail.max_bytes:
        pdf_size = len(brief.pdf or b"")
        note = (
            f"The PDF ({file_size(pdf_size)}) is not attached: with it the message would be "
            f"{file_size(size)}, more than the {file_size(mail.max_bytes)} allowed "
            "(mail.max_bytes)."
        )
        msg = _compose(
            brief, mail=mail, audience=audience, now=now, asset_dirs=asset_dirs, attach=False,
            note=note,
        )  # fmt: skip
        dropped = True
    if len(msg.as_bytes()) > mail.max_bytes:
        raise DeliveryError(
            f"the message for {audience.name!r} is over mail.max_bytes even without the PDF"
        )
    return Outgoing(
        message=msg,
        message_id=str(msg["Message-ID"]),
        audience=audience.name,
        sender=_address(mail.sender),
        recipients=recipients,
        pdf_dropped=dropped,
    )


def file_size(count: int) -> str:
    """A byte count as people read it: '640 bytes', '85 kB', '2.4 MB' (decimal units)."""
    if count < 1000:
        return f"{count} bytes"
    if count < 1_000_000:
        return f"{count / 1000:.0f} kB"
    return f"{count / 1e6:.1f} MB"
