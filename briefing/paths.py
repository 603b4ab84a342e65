"""Where briefing's own files live: inside the package when installed, the checkout otherwise."""

from __future__ import annotations

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
