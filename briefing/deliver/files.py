"""Atomic file output: every file is written to a temporary name, then renamed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from briefing.errors import DeliveryError


def write_outputs(files: Mapping[str, bytes], folder: Path) -> tuple[Path, ...]:
    """Write all files into folder; on failure no temporary file is left behind.

    All bytes are written and synced first, then each file is renamed into place,
    so a reader never sees a half-written brief.
    """
    staged: list[tuple[str, Path]] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            if Path(name).name != name or name in (".", ".."):
                raise DeliveryError(f"refusing to write output name {name!r}")
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            staged.append((tmp, folder / name))
            os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; briefs follow the umask
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, final in staged:
            os.replace(tmp, final)
    except OSError as exc:
        raise DeliveryError(f"cannot write to {folder}: {exc.strerror or exc}") from exc
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
    return tuple(final for _, final in staged)


def _umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
