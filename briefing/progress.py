"""What a command tells its user: progress on a terminal, silence in cron, a JSON summary.

One Reporter per command run. Its rules, the same for every command:

- progress (a rich spinner with the current step) only when stderr is a terminal;
- what was written, queued or sent goes to stdout on a terminal, or with -v;
- warnings (a skipped source) go to stderr unless -q;
- errors always go to stderr (cli.main prints them);
- --json prints one summary object on stdout at the end instead of the lines above.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

QUIET, NORMAL, VERBOSE = -1, 0, 1


class Step(Protocol):
    """Progress callback: the step now running, and how far it is when that is known."""

    def __call__(self, name: str, done: int | None = None, total: int | None = None) -> None: ...


def no_progress(name: str, done: int | None = None, total: int | None = None) -> None:
    """A Step that shows nothing (library use, tests)."""


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class Reporter:
    """Collects what a command did and prints it according to the rules above."""

    level: int = NORMAL
    as_json: bool = False
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    summary: dict[str, Any] = field(default_factory=dict)
    _started: float = field(default_factory=time.perf_counter)
    _step: tuple[str, float] | None = None
    _bar: Any = None
    _task: Any = None

    @property
    def shows_lines(self) -> bool:
        """Print written paths and the like: on a terminal, or asked to with -v."""
        if self.as_json or self.level == QUIET:
            return False
        return self.level >= VERBOSE or _is_terminal(self.out)

    def line(self, text: str) -> None:
        """A result line (a file written, a message sent) for a person watching."""
        if self.shows_lines:
            self._print(text, self.out)

    def warn(self, text: str) -> None:
        """Something the user should know although the command succeeded."""
        if self.level > QUIET and not self.as_json:
            self._print(text, self.err)

    def note(self, text: str) -> None:
        """A hint or a detail shown only with -v (or on a terminal)."""
        if self.shows_lines:
            self._print(text, self.err)

    def _print(self, text: str, stream: TextIO) -> None:
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            print(text, file=stream, flush=True)

    def record(self, key: str, value: Any) -> None:
        """Put a value into the --json summary."""
        self.summary[key] = value

    def add(self, key: str, item: Any) -> None:
        """Append to a list in the --json summary."""
        self.summary.setdefault(key, []).append(item)

    def wrote(self, paths: Iterator[Path] | tuple[Path, ...] | list[Path]) -> None:
        for path in paths:
            self.add("files", str(path))
            self.line(str(path))

    def step(self, name: str, done: int | None = None, total: int | None = None) -> None:
        """Start a step (its time goes into the summary), or move its count on."""
        now = time.perf_counter()
        if self._step is None or self._step[0] != name:
            self._end_step(now)
            self._step = (name, now)
            if self.level >= VERBOSE and self._bar is None and not self.as_json:
                self._print(f"{name}…", self.err)
        if self._bar is not None:
            shown = f"{name} ({done} of {total})" if total is not None else name
            self._bar.update(self._task, description=shown)

    def _end_step(self, now: float) -> None:
        if self._step is not None:
            name, began = self._step
            timings = self.summary.setdefault("timings", {})
            timings[name] = round(timings.get(name, 0.0) + now - began, 3)
            self._step = None

    @contextmanager
    def progress(self) -> Iterator[Step]:
        """A live spinner on a terminal (stderr) while the block runs; timings either way."""
        if self.level > QUIET and _is_terminal(self.err):
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            console = Console(file=self.err)
            columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
            with Progress(*columns, console=console, transient=True) as bar:
                self._bar, self._task = bar, bar.add_task("Starting", total=None)
                try:
                    yield self.step
                finally:
                    self._end_step(time.perf_counter())
                    self._bar = self._task = None
            return
        try:
            yield self.step
        finally:
            self._end_step(time.perf_counter())

    def finish(self, status: int, error: str | None = None) -> None:
        """Print the --json summary (also when the command failed)."""
        if not self.as_json:
            return
        self._end_step(time.perf_counter())
        self.summary["exit_code"] = status
        if error is not None:
            self.summary["error"] = error
        self.summary.setdefault("timings", {})["total"] = round(
            time.perf_counter() - self._started, 3
        )
        with suppress(OSError):
            self.out.write(json.dumps(self.summary, indent=2, default=str) + "\n")
            self.out.flush()
