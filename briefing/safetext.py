"""Text from strangers shown in messages and source lists: printable, one line, bounded."""

from __future__ import annotations

import os
from pathlib import Path

MESSAGE_CHARS = 300


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
