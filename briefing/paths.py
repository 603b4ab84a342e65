"""Where briefing's own files live: inside the package when installed, the checkout otherwise."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from briefing.errors import BriefingError

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str, marker: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if (candidate / marker).exists():
            return candidate
    raise BriefingError(f"the bundled {name}/ folder is missing from this installation")


def builtin_template_dir() -> Path:
    """The built-in templates (templates/ in a checkout, briefing/templates in a wheel)."""
    return _bundled("templates", "brief.md.j2")


def examples_dir() -> Path:
    """The bundled example articles."""
    return _bundled("examples", "economy-central-bank.txt")


def files_digest(globs: Iterable[tuple[Path, str]]) -> str:
    """A short digest of the files each (folder, pattern) matches, names and bytes, in
    order: what a cache key holds so that changed code never serves an old result."""
    digest = hashlib.sha256()
    for folder, pattern in globs:
        for path in sorted(folder.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
