"""kill -9 against `briefing run`: after every kill the dated folder holds one whole brief.

Usage: python bench/kill_run.py [--kills 20] [--publish-kills 10] [--from-a] [--seed 17] [--keep]

In a temporary folder (no network): `briefing init`, the sample day of examples/day/, and
a clean `briefing run --date 2025-09-18` give brief A. One article more (written below)
gives brief B, run clean once to record its files; then the project is put back to A, and
`briefing run --no-cache -v` is started again and again over what the last kill left, and
killed with SIGKILL (its whole process group):

  --kills N          after delays spread evenly over a run's measured lifetime (i/N of it
                     plus jitter), so they land in start-up, analysis, rendering, writing;
  --publish-kills M  inside the write step, which takes milliseconds of a ten-second run:
                     half after the "Writing" step line plus a delay spread over the step's
                     measured time, half the moment the publish journal (the commit point)
                     appears, that is during the renames.

After each kill the visible files of out/<date>/ (names not starting with a dot) are hashed
as the kill left them, and again in a copy after `pipeline.recover`, which every later run,
`send` and reuse does first. Each must be exactly A's files or exactly B's; anything else is
a mixed brief. A last run without a kill must leave B whole with nothing hidden left over.
With --from-a, brief A and its history are put back before every kill, so that each kill
stops a change from A to B (without it, once a run gets through, later kills stop B -> B).
Prints one line per kill and a summary; exits 1 when any brief was mixed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.errors import BriefingError  # noqa: E402
from briefing.pipeline import JOURNAL, STAGING, recover  # noqa: E402

DAY = "2025-09-18"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
PHASES = ("start-up", "model", "reading", "analysis", "rendering", "writing", "finished")

# The article that turns brief A into brief B: written for this benchmark, wire style.
EXTRA_ARTICLE = """\
---
date: 2025-09-18
published: 2025-09-17T21:40:00+00:00
outlet: Harbour Wire
url: https://harbourwire.example/2025/09/17/aldmere-dock-strike
---
Aldmere dock workers walk out over crane automation plan

ALDMERE: Dock workers at the port of Aldmere began a 48-hour strike on Wednesday over a plan \
to replace manned cranes with remote-controlled ones, halting work at the country's second \
busiest container terminal.
The Aldmere Dockers' Union said about 1,400 members had stopped work after talks with the \
port operator, Northquay Terminals, broke down on Tuesday night.
"We are not against new cranes. We are against losing 300 jobs without a word of warning," \
union secretary Marta Kovalenko told reporters outside the terminal gates.
Northquay said the automation plan would go ahead and that no worker would be dismissed \
before the end of 2026, according to a statement issued on Wednesday afternoon.
Shipping agents said at least nine vessels were waiting at anchor. The backlog is likely to \
take a week to clear once work resumes, said Pieter Janssen, an analyst at Lowland Freight \
Research.
The transport ministry said it would invite both sides to talks on Friday.
"""


def briefing(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One briefing command in the project folder, to its end."""
    command = [sys.executable, "-m", "briefing", *args]
    return subprocess.run(
        command, cwd=project, env=ENV, capture_output=True, text=True, timeout=600, check=True
    )


def outputs(folder: Path) -> dict[str, str]:
    """sha256 of every visible entry of the dated folder (a folder or link counts as wrong)."""
    found: dict[str, str] = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.name.startswith("."):
            continue
        is_file = path.is_file() and not path.is_symlink()
        found[path.name] = hashlib.sha256(path.read_bytes()).hexdigest() if is_file else "?"
    return found


def hidden(folder: Path) -> list[str]:
    """What a publish keeps out of sight: .staging/, the journal, temporary files."""
    return (
        sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
        if folder.is_dir()
        else []
    )


def which(found: dict[str, str], a: dict[str, str], b: dict[str, str]) -> str:
    return "A" if found == a else "B" if found == b else "mixed"


def set_up(root: Path) -> tuple[Path, dict[str, str], dict[str, str], dict[str, float], float]:
    """Project with brief A published and B's articles; B's files and run timings."""
    project = root / "project"
    briefing(root, "init", str(project))
    for article in sorted((ROOT / "examples" / "day").iterdir()):
        if article.name != "EXPECTED.yaml":
            shutil.copy(article, project / "sources" / article.name)
    briefing(project, "run", "--date", DAY)
    a = outputs(project / "out" / DAY)
    saved = root / "saved"  # B is recorded at the project's own path: the brief names its files
    shutil.copytree(project, saved, symlinks=True)
    (project / "sources" / "10-aldmere-dock-strike.txt").write_text(EXTRA_ARTICLE)
    started = time.perf_counter()
    summary = json.loads(briefing(project, "run", "--date", DAY, "--no-cache", "--json").stdout)
    lifetime = time.perf_counter() - started
    b = outputs(project / "out" / DAY)
    shutil.rmtree(project)
    shutil.copytree(saved, project, symlinks=True)  # brief A published again, its history too
    (project / "sources" / "10-aldmere-dock-strike.txt").write_text(EXTRA_ARTICLE)
    differ = sum(1 for name in a if a[name] != b.get(name))
    if differ == 0 or set(a) != set(b):
        sys.exit(f"kill_run: briefs A and B must have the same files and differ ({differ} do)")
    print(f"brief A and brief B: {len(a)} files each, {differ} of them different")
    return project, a, b, summary["timings"], lifetime


@dataclass
class Kill:
    """What one killed run got to and what it left."""

    how: str
    phase: str
    left: str
    read: str
    hidden: list[str]


class Steps(threading.Thread):
    """Reads the child's -v step lines ('Analysing articles…') as they come."""

    def __init__(self, stream: object) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.last = ""
        self.writing = threading.Event()

    def run(self) -> None:
        for line in self.stream:  # type: ignore[attr-defined]
            self.last = line.strip()
            if self.last.startswith("Writing"):
                self.writing.set()


def phase_of(step: str) -> str:
    for prefix, phase in (("Loading", "model"), ("Reading", "reading"),
                          ("Analysing", "analysis"), ("Rendering", "rendering"),
                          ("Writing", "writing")):  # fmt: skip
        if step.startswith(prefix):
            return phase
    return "start-up"


def spin_until(moment: float) -> None:
    """Wait to a moment in a write step of milliseconds (sleep is too coarse for it)."""
    while time.perf_counter() < moment:
        pass


def killed_run(project: Path, how: str, delay: float) -> tuple[str, subprocess.Popen[str]]:
    """Start `run`, kill its process group as `how` and `delay` say; return its last step."""
    folder = project / "out" / DAY
    child = subprocess.Popen(
        [sys.executable, "-m", "briefing", "run", "--date", DAY, "--no-cache", "-v"],
        cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    steps = Steps(child.stderr)
    steps.start()
    if how == "spread":
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=delay)
    else:
        while not steps.writing.wait(0.05) and child.poll() is None:
            pass
        if how == "writing":
            spin_until(time.perf_counter() + delay)
        else:  # journal: a journal left by an earlier kill is recovered first, then ours
            while (folder / JOURNAL).exists() and child.poll() is None:
                pass
            while not (folder / JOURNAL).exists() and child.poll() is None:
                pass
    done = child.poll() is not None
    if not done:
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    steps.join(timeout=5)
    return ("finished" if done else phase_of(steps.last)), child


def restore_a(project: Path, saved: Path) -> None:
    """out/ and the history as the clean run of A left them."""
    for name in ("out", "state"):
        shutil.rmtree(project / name)
        shutil.copytree(saved / name, project / name, symlinks=True)


def read_state(folder: Path, scratch: Path, a: dict[str, str], b: dict[str, str]) -> str:
    """The brief a later run or send sees: the folder after recover, in a copy."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(folder, scratch, symlinks=True)
    try:
        recover(scratch)
    except BriefingError:
        return "mixed"
    return which(outputs(scratch), a, b)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20, help="kills spread over a run")
    parser.add_argument("--publish-kills", type=int, default=10, help="kills in the write step")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--from-a",
        action="store_true",
        help="put brief A and its history back before every kill (each kill then stops A -> B)",
    )
    options = parser.parse_args()
    rng = random.Random(options.seed)
    began = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="briefing-kill-"))
    try:
        project, a, b, timings, lifetime = set_up(root)
        write = timings.get("Writing", 0.01)
        print(f"a clean run of B: {lifetime:.2f} s, of which writing {write * 1000:.1f} ms")
        plan = [("spread", lifetime * (i + rng.random()) / options.kills)
                for i in range(options.kills)]  # fmt: skip
        for j in range(options.publish_kills):
            share = (j // 2 + rng.random()) / max(1, (options.publish_kills + 1) // 2)
            plan.append(("writing", 1.2 * write * share) if j % 2 == 0 else ("journal", 0.0))
        folder = project / "out" / DAY
        kills = []
        print(f"\n{'#':>3} {'kill':<8} {'delay':>8} {'landed':<10} {'left':<7} {'read':<6} hidden")
        for n, (how, delay) in enumerate(plan, 1):
            if options.from_a:
                restore_a(project, root / "saved")
            phase, _ = killed_run(project, how, delay)
            state = which(outputs(folder), a, b)
            if state == "mixed" and JOURNAL in hidden(folder):
                state = "pending"  # committed, renames unfinished: recover completes them
            kill = Kill(how=how, phase=phase, left=state, hidden=hidden(folder),
                        read=read_state(folder, root / "scratch", a, b))  # fmt: skip
            kills.append(kill)
            shown = f"{delay:.3f}s" if how != "journal" else "journal"
            print(f"{n:>3} {how:<8} {shown:>8} {phase:<10} {kill.left:<7} {kill.read:<6} "
                  f"{' '.join(kill.hidden) or '-'}", flush=True)  # fmt: skip
        final = subprocess.run(
            [sys.executable, "-m", "briefing", "run", "--date", DAY],
            cwd=project, env=ENV, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        after = which(outputs(folder), a, b)
        leftovers = hidden(folder)
    finally:
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"kept {root}")
    phases = Counter(k.phase for k in kills)
    left = Counter(k.left for k in kills)
    read = Counter(k.read for k in kills)
    print("\nkills  " + "  ".join(f"{p} {phases[p]}" for p in PHASES))
    print(f"{len(kills)} kills: whole-A {read['A']}, whole-B {read['B']}, mixed {read['mixed']} "
          f"(as a later run or send reads it, after recover)")  # fmt: skip
    print(f"as the kill left it (before any read): whole-A {left['A']}, whole-B {left['B']}, "
          f"renames pending under a journal {left['pending']}, mixed {left['mixed']}")  # fmt: skip
    pending = sum(1 for k in kills if JOURNAL in k.hidden)
    staged = sum(1 for k in kills if STAGING in k.hidden and JOURNAL not in k.hidden)
    print(f"left a journal (killed after the commit point) {pending}, "
          f"left only a staging folder {staged}")  # fmt: skip
    whole = final.returncode == 0 and after == "B" and not leftovers
    print(
        f"next run without a kill: exit {final.returncode}, brief {after}, "
        f"hidden left {' '.join(leftovers) or 'none'}: {'B whole' if whole else 'NOT B whole'}"
    )
    print(f"took {time.perf_counter() - began:.0f} s")
    return 0 if read["mixed"] == 0 and left["mixed"] == 0 and whole else 1


if __name__ == "__main__":
    sys.exit(main())
