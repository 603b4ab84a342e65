"""`briefing check`: is this folder ready to run unattended? Config, sources, output, mail.

Each check yields a Finding; nothing is written to out/ and no message is sent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefing.config import Config, SourceConfig
from briefing.errors import BriefingError
from briefing.progress import Step, no_progress


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing checked: what, whether it is usable, and the detail a user acts on."""

    what: str
    ok: bool
    detail: str


def check_all(
    config: Config,
    *,
    mail: bool = True,
    environ: Mapping[str, str] | None = None,
    step: Step = no_progress,
) -> Iterator[Finding]:
    """Every check in turn (the config itself was validated when it was loaded)."""
    step("Checking the folders")
    yield _writable("output.dir", config.output.dir)
    yield _writable("history.path", config.history.path.parent)
    if config.templates.dir is not None:
        found = config.templates.dir.is_dir()
        detail = f"{config.templates.dir}" + ("" if found else ": no such folder")
        yield Finding("templates.dir", found, detail)
    if any("pdf" in a.formats for a in config.audiences):
        yield _fonts()
    if not config.sources:
        yield Finding("sources", False, "none configured: `briefing run` has nothing to read")
    for n, source in enumerate(config.sources):
        step(f"Checking source {n + 1} of {len(config.sources)}", n, len(config.sources))
        yield _source(f"sources[{n}]", source)
    if mail and any(a.recipients for a in config.audiences):
        step(f"Connecting to {config.mail.host}:{config.mail.port}")
        yield _mail(config, os.environ if environ is None else environ)


def _writable(what: str, folder: Path) -> Finding:
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        return Finding(what, False, f"{folder}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        return Finding(what, False, f"{folder}: {existing} is not writable")
    return Finding(what, True, f"{folder} is writable")


def _fonts() -> Finding:
    """A PDF needs a font fontconfig finds (WeasyPrint crashes without one)."""
    from briefing.render.pdf import font_count, require_fonts

    try:
        require_fonts()
    except BriefingError as exc:
        return Finding("fonts", False, str(exc))
    return Finding("fonts", True, f"{font_count()} font(s) found by fontconfig, for the PDF")


def _source(what: str, source: SourceConfig) -> Finding:
    from briefing.ingest.sources import fetch_url

    if source.path is not None:
        if not source.path.exists():
            return Finding(what, False, f"{source.path}: no such file or folder")
        if source.path.is_dir():
            count = sum(1 for p in source.path.iterdir() if p.is_file())
            return Finding(what, True, f"{source.path}: a folder of {count} file(s)")
        return Finding(what, True, f"{source.path}: a file")
    if source.glob is not None:
        import glob

        count = len(glob.glob(source.glob, recursive=True))
        return Finding(what, count > 0, f"{source.glob}: {count} file(s) match")
    assert source.feed is not None
    if "://" not in source.feed:
        found = Path(source.feed).is_file()
        return Finding(what, found, source.feed + ("" if found else ": no such feed file"))
    try:
        data = fetch_url(source.feed, timeout=source.timeout, max_bytes=source.max_bytes)
    except BriefingError as exc:
        return Finding(what, False, f"{exc} (timeout {source.timeout:g} s)")
    return Finding(what, True, f"{source.feed} answered ({len(data)} bytes)")


def _mail(config: Config, environ: Mapping[str, str]) -> Finding:
    import contextlib
    import smtplib

    from briefing.deliver.smtp import connect, read_password

    where = f"mail {config.mail.host}:{config.mail.port}"
    try:
        smtp = connect(config.mail, read_password(config.mail, environ))
    except BriefingError as exc:
        return Finding(where, False, str(exc))
    with contextlib.suppress(OSError, smtplib.SMTPException):
        smtp.quit()
    login = f" and logged in as {config.mail.username}" if config.mail.username else ""
    return Finding(where, True, f"connected ({config.mail.security}){login}; nothing sent")
