"""Second audit, points 12 and 13: a brief is published as one unit (a kill at any rename
leaves one whole brief, never a mix of two), and `build` takes the date lock and clears
the reuse markers of a run, so a later run cannot re-publish build's files as its own."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from briefing.config import parse_config
from briefing.context import AudienceItem
from briefing.pipeline import date_lock, publish, recover
from briefing.render import Rendered, render_brief
from tests.conftest import EXAMPLES, ROOT, sample_context

pytestmark = pytest.mark.slow  # end to end: run by `pytest -m slow` (README)

DAY_DIR = EXAMPLES / "day"


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it in the writer runs (no except, no cleanup)."""


def _briefs(text: str, tmp_path: Path) -> list[Rendered]:
    config = parse_config({}, base_dir=tmp_path)
    briefs = []
    for name in ("analyst", "executive", "press"):
        audience = config.audience(name)
        context = sample_context(
            text,
            audience=AudienceItem(
                name=name, language="en", include_quotes=True, include_actors=True
            ),
        )
        briefs.append(render_brief(context, config, ("md", "html"), audience))
    return briefs


def _brief_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_a_kill_at_any_rename_leaves_one_whole_brief(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    old, new = _briefs("Old prices fell.", tmp_path), _briefs("New rates rose.", tmp_path)
    publish(old, out, "analyst")
    folder = out / "2025-01-02"
    before = _brief_files(folder)
    publish(new, out, "analyst")
    after = _brief_files(folder)
    publish(old, out, "analyst")
    renames = 0
    real_replace = os.replace

    def counting(src: object, dst: object) -> None:
        nonlocal renames
        renames += 1
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", counting)
    publish(new, out, "analyst")
    total, renames = renames, 0
    publish(old, out, "analyst")
    assert total >= 10  # nine brief files and the journal
    for kill_at in range(1, total + 1):
        count = 0

        def dying(src: object, dst: object, kill_at: int = kill_at) -> None:
            nonlocal count
            count += 1
            if count == kill_at:
                raise Killed
            real_replace(src, dst)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "replace", dying)
        with pytest.raises(Killed):
            publish(new, out, "analyst")
        monkeypatch.setattr(os, "replace", real_replace)
        recover(folder)  # what the next run, send or reuse does first
        now = _brief_files(folder)
        assert now in (before, after), f"a mixed brief after a kill at rename {kill_at}"
        assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
        publish(old, out, "analyst")  # back to the old brief


def test_build_clears_a_runs_reuse_markers_and_waits_for_its_lock(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        yaml.safe_dump({"sources": [{"path": str(DAY_DIR)}], "output": {"dir": "out"},
                        "history": {"path": "out/h.sqlite"}}),
        encoding="utf-8",
    )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def cli(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "briefing", *map(str, args), "--config", str(config)],
            env=env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip

    day = "2025-09-18"
    assert cli("run", "--date", day).returncode == 0
    folder = tmp_path / "out" / day
    run_brief = (folder / "brief.md").read_bytes()
    history = tmp_path / "out" / "h.sqlite"

    def render_keys() -> list[tuple[str, str]]:
        with sqlite3.connect(history) as db:
            return list(db.execute("SELECT brief_date, audience FROM rendered_briefs"))

    assert render_keys()  # the run's render keys, for a re-run to reuse its files
    with date_lock(tmp_path / "out", date(2025, 9, 18)):
        blocked = cli("build", DAY_DIR / "08-who-dengue-warning.txt", "--date", day)
    assert blocked.returncode == 2 and "in progress" in blocked.stderr
    built = cli("build", DAY_DIR / "08-who-dengue-warning.txt", "--date", day)
    assert built.returncode == 0, built.stderr
    assert not render_keys()  # build's files are not the run's
    again = cli("run", "--date", day)
    assert again.returncode == 0, again.stderr
    assert (folder / "brief.md").read_bytes() == run_brief  # re-running a date: the same bytes
