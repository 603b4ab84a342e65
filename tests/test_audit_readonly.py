"""Second audit, point 15: a read-only output folder for `run` is one line naming the folder
and a documented exit code (2 when it is found before the run, 3 when it turns read-only
while the brief is written), never an internal error. Root writes anywhere, so the CLI runs
without CAP_DAC_OVERRIDE (as any other user would)."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

from briefing.analyse import Analyser
from tests.conftest import EXAMPLES, ROOT

ECONOMY = EXAMPLES / "economy-central-bank.txt"
DAY = "2025-03-06"


def _as_an_ordinary_user() -> None:
    """In the child, before exec: drop root's power to write where the mode says no."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP (fails harmlessly for non-root)


def _python(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)}, preexec_fn=_as_an_ordinary_user,
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture()
def desk(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / ECONOMY.name).write_bytes(ECONOMY.read_bytes())
    config = {"sources": [{"path": "sources"}], "output": {"dir": "out"}}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "out" / DAY).mkdir(parents=True)
    probe = tmp_path / "probe"
    probe.mkdir(mode=0o555)
    tried = _python(tmp_path, "-c", "open('probe/x', 'w')")
    if tried.returncode == 0:
        pytest.skip("this user can write into a folder of mode 0555")
    yield tmp_path
    for folder in (probe, tmp_path / "out", tmp_path / "out" / DAY):
        folder.chmod(0o755)


@pytest.mark.parametrize("read_only", ["out", f"out/{DAY}"])
def test_a_read_only_output_folder_is_one_line_naming_it_exit_2(desk: Path, read_only: str) -> None:
    (desk / "out" / DAY / ".brief.md.abc123.tmp").write_bytes(b"left by a killed run")
    (desk / read_only).chmod(0o555)
    result = _python(desk, "-m", "briefing", "run", "--date", DAY)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    folder = desk / read_only
    assert line == f"briefing: error: output folder {folder}: {folder} is not writable", line


PUBLISH = """
from datetime import date
from pathlib import Path
from briefing.context import BriefContext
from briefing.errors import BriefingError
from briefing.pipeline import publish
from briefing.render import Rendered

context = BriefContext.model_validate_json(Path("context.json").read_text())
brief = Rendered(context=context, markdown="# brief", html=None, pdf=None)
try:
    publish([brief], Path("out").absolute(), context.audience.name)
except BriefingError as exc:
    print(type(exc).__name__, exc.exit_code.value, exc)
"""


def test_a_folder_that_turns_read_only_while_publishing_is_a_delivery_error(
    desk: Path, analyser: Analyser
) -> None:
    from briefing.config import parse_config
    from briefing.context import build_context
    from briefing.ingest import read_files

    day = date.fromisoformat(DAY)
    analysis = analyser(read_files([ECONOMY], day))
    context = build_context(analysis, parse_config({}), day)
    (desk / "context.json").write_text(context.model_dump_json(), encoding="utf-8")
    (desk / "out" / DAY / ".brief.md.abc123.tmp").write_bytes(b"left by a killed run")
    (desk / "out" / DAY).chmod(0o555)
    result = _python(desk, "-c", textwrap.dedent(PUBLISH))
    assert result.returncode == 0, result.stderr
    folder = desk / "out" / DAY
    assert result.stdout.strip() == f"DeliveryError 3 cannot write to {folder}: Permission denied"
