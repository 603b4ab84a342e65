"""Text from strangers shown in messages and source lists: printable, one line, bounded."""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

MESSAGE_CHARS = 300
_HTTP_URL = re.compile(r"^https?://[^\s<>\\`]{1,2000}$", re.IGNORECASE)


# marks, embeddings, overrides and isolates: they reorder how the text after them is shown
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def without_bidi(text: str) -> str:
    """text without bidirectional controls (U+202E and the rest), for headers and names."""
    return "".join(ch for ch in text if ch not in BIDI_CONTROLS)


def printable(text: str) -> str:
    """text with every non-printable character (ESC, BEL, U+202E, ...) written as an escape."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def one_line(text: object, limit: int = MESSAGE_CHARS) -> str:
    """text on one line, non-printable characters escaped, at most limit characters."""
    flat = printable(" ".join(str(text)[: limit * 4].split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def shown_path(path: Path | str) -> str:
    """A file name as text that is valid UTF-8 and printable (undecodable bytes become U+FFFD)."""
    name = os.fsencode(path).decode("utf-8", "replace")
    return printable(name)


_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home", ".arpa", ".invalid")


def public_url(text: str) -> bool:
    """An http(s) URL to a public host: a global IP address or a dotted name that is not a
    local one. Decided from the text alone (no lookup): loopback, private and link-local
    addresses, `localhost` and single-label names are not links anyone else can follow."""
    if not _HTTP_URL.match(text):
        return False
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".").lower()
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return False
    if not host or parts.username is not None or parts.password is not None:
        return False
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        pass
    if host.replace(".", "").isdigit() or host.startswith("0x"):
        return False  # 2130706433, 127.1 and friends: numeric forms of addresses
    return "." in host and host != "localhost" and not host.endswith(_LOCAL_SUFFIXES)
