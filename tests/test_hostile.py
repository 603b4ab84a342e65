"""Hostile and broken inputs (tests/hostile/): each gives its documented outcome, the other
sources of the same run are still briefed, nothing leaks into the output as markup, and
nothing outside the output folder changes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefing.analyse import Analyser
from briefing.config import parse_config
from briefing.pipeline import publish, run_day
from tests.conftest import EXAMPLES, ROOT

HOSTILE = ROOT / "tests" / "hostile"
MANIFEST: list[dict[str, Any]] = yaml.safe_load((HOSTILE / "MANIFEST.yaml").read_text("utf-8"))
GOOD = EXAMPLES / "day" / "08-who-dengue-warning.txt"
DAY = date(2025, 9, 18)
SECRET_MARKERS = ("root:x:0:0", "/bin/bash", "daemon:x:")


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_the_corpus_is_documented() -> None:
    files = {p.name for p in HOSTILE.iterdir() if p.name != "MANIFEST.yaml"}
    assert len(MANIFEST) >= 25
    assert {entry["file"] for entry in MANIFEST} == files
    security = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert "tests/hostile/" in security
    for entry in MANIFEST:
        assert f"`{entry['file']}`" in security, entry["file"]


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_hostile_input(entry: dict[str, Any], analyser: Analyser, tmp_path: Path) -> None:
    # a copy that arrived on DAY: an undated file is dated by its modification time
    arrived = tmp_path / "in" / entry["file"]
    arrived.parent.mkdir()
    arrived.write_bytes((HOSTILE / entry["file"]).read_bytes())
    noon = datetime.combine(DAY, time_of_day(12), tzinfo=timezone.utc).timestamp()
    os.utime(arrived, (noon, noon))
    config = parse_config(
        {
            "sources": [{"path": str(arrived)}, {"path": str(GOOD)}],
            "collect": {"lookback_hours": 744},
            "audiences": [{"name": "analyst", "formats": ["md", "html"]}],
        },
        base_dir=tmp_path,
    )
    before = _snapshot(HOSTILE)
    day = run_day(config, DAY, analyser, config.audiences, None)
    publish(day.briefs, tmp_path / "out", "analyst")
    assert _snapshot(HOSTILE) == before
    assert {p.name for p in tmp_path.iterdir()} == {"in", "out"}

    context = day.briefs[0].context
    sources = {Path(s.path).name.split("#")[0] for s in context.sources}
    assert GOOD.name in sources  # the other source of the run is briefed
    skipped = " ".join(f"{s.source}: {s.reason}" for s in day.skipped)
    if entry["outcome"] == "skipped":
        assert entry["file"] in skipped, skipped
        assert entry.get("reason", "").lower() in skipped.lower(), skipped
    else:
        assert entry["file"] in sources, (skipped, sources)
    html = day.briefs[0].html or ""
    markdown = day.briefs[0].markdown
    # briefing's own timeline is the one <svg> allowed; what it shows is escaped text
    timelines = re.findall(r'<svg class="timeline".*?</svg>', html, re.S)
    html = re.sub(r'<svg class="timeline".*?</svg>', "", html, flags=re.S)
    for svg in timelines:
        assert not re.search(r"<(?!/?(svg|line|text|rect|title)\b)", svg), svg
    for bad in [*entry.get("never_in_output", []), *SECRET_MARKERS]:
        assert bad not in html, bad
    for marker in SECRET_MARKERS:
        assert marker not in markdown


@pytest.mark.slow
def test_a_killed_run_leaves_the_previous_brief(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "sources": [{"path": str(EXAMPLES / "day")}],
                "output": {"dir": "out"},
                "history": {"path": "out/h.sqlite"},
            }
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "briefing", "run", "--date", str(DAY), "--config", str(config)]
    first = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert first.returncode == 0, first.stderr
    out = tmp_path / "out" / DAY.isoformat()
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    for delay in (1.5, 3.0, 4.5):
        proc = subprocess.Popen(
            [*args, "--no-cache"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
        for name, data in before.items():
            assert after[name] == data, name  # the previous brief is whole
    # a temporary file of a run killed while writing is removed by the next run
    (out / ".brief.md.stale.tmp").write_bytes(b"half")
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))
