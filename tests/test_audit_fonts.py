"""Second audit, point 14: with no font fontconfig can find, WeasyPrint (Pango) crashed the
process (SIGSEGV, exit 139, no message). Now the commands that make a PDF stop before any
work with one line and exit 2; run in a subprocess with a fontconfig that finds nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT

ECONOMY = EXAMPLES / "economy-central-bank.txt"


@pytest.fixture()
def no_fonts(tmp_path: Path) -> dict[str, str]:
    """An environment whose fontconfig reads one config naming one empty font folder."""
    (tmp_path / "fonts").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{tmp_path / 'fonts'}</dir>\n  <cachedir>{tmp_path / 'cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FONTCONFIG")}
    return {**env, "FONTCONFIG_FILE": str(conf), "PYTHONPATH": str(ROOT)}


def _cli(env: dict[str, str], cwd: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *map(str, args)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _one_line_no_fonts(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("briefing: error: no fonts found: fontconfig lists none"), line
    assert "fonts-dejavu-core" in line


def test_build_without_fonts_is_one_line_and_exit_2(
    no_fonts: dict[str, str], tmp_path: Path
) -> None:
    result = _cli(no_fonts, tmp_path, "build", ECONOMY, "--out", tmp_path / "out")
    _one_line_no_fonts(result)
    assert not (tmp_path / "out").exists()  # stopped before anything was written


def test_run_without_fonts_is_one_line_and_exit_2(no_fonts: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / ECONOMY.name).write_bytes(ECONOMY.read_bytes())
    config = {"sources": [{"path": "sources"}], "output": {"dir": "out"}}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = _cli(no_fonts, tmp_path, "run", "--date", "2025-03-06")
    _one_line_no_fonts(result)
    assert not list((tmp_path / "out").glob("*/*")) and not list((tmp_path / "out").glob(".*"))


def test_without_fonts_a_brief_without_pdf_is_still_made(
    no_fonts: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = _cli(no_fonts, tmp_path, "build", ECONOMY, "--format", "md,html", "--out", out)
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.glob("*/*")} == {"brief.md", "brief.html", "context.json"}


def test_check_says_when_no_font_is_found(no_fonts: dict[str, str], tmp_path: Path) -> None:
    result = _cli(no_fonts, tmp_path, "check", "--no-mail")
    assert result.returncode == 2
    assert (
        "fonts" in result.stdout + result.stderr
        and "no fonts found" in result.stdout + result.stderr
    )
