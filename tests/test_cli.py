"""The command line as a user runs it: a real process, real files, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pypdf
import pytest

from tests.conftest import EXAMPLES, ROOT

ECONOMY = EXAMPLES / "economy-central-bank.txt"


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "briefing", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_build_writes_every_format_atomically(tmp_path: Path) -> None:
    result = run("build", ECONOMY, "--date", "2025-03-06", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "2025-03-06"
    assert sorted(p.name for p in folder.iterdir()) == [
        "brief.html", "brief.md", "brief.pdf", "context.json",
    ]  # fmt: skip
    markdown = (folder / "brief.md").read_text(encoding="utf-8")
    assert "## Outlook" in markdown and "Naledi Khumalo" in markdown
    assert "likely (55–80 %)" in markdown
    pdf_text = "".join(p.extract_text() for p in pypdf.PdfReader(folder / "brief.pdf").pages)
    assert "Inflation is likely to ease further next year" in " ".join(pdf_text.split())
    context = json.loads((folder / "context.json").read_text(encoding="utf-8"))
    assert context["outlook"][0]["likelihood"]["band"] == "likely"


def test_format_option_limits_outputs(tmp_path: Path) -> None:
    result = run("build", ECONOMY, "--format", "md", "--out", tmp_path, "--date", "2025-03-06")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "2025-03-06").iterdir()) == [
        "brief.md",
        "context.json",
    ]


def test_context_output_matches_the_published_schema(tmp_path: Path) -> None:
    schema = json.loads(run("schema").stdout)
    result = run("context", ECONOMY, "--date", "2025-03-06")
    assert result.returncode == 0, result.stderr
    context = json.loads(result.stdout)
    jsonschema.validate(context, schema)
    assert {"date", "bluf", "actors", "claims", "outlook", "sources"} <= set(context)
    assert set(context["outlook"][0]) >= {
        "source", "source_description", "text", "horizon", "likelihood", "article", "sentences",
    }  # fmt: skip


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "docs" / "context.schema.json").read_text(encoding="utf-8"))
    assert committed == json.loads(run("schema").stdout), (
        "run: briefing schema > docs/context.schema.json"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "missing.txt: no such file"),
        ("empty.txt", b"", "empty.txt: file is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "image.txt: binary file"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    out = tmp_path / "out"
    result = run("build", ECONOMY, path, "--out", out)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefing: error: ") and message in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.rglob("*"))


def test_malformed_config_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("render:\n  page_size: A3\nnlp: {modle: x}\n", encoding="utf-8")
    result = run("build", ECONOMY, "--config", config, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "render.page_size: input should be 'A4' or 'Letter'" in result.stderr
    assert "nlp.modle: unknown key" in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run("--debug", "build", tmp_path / "nope.txt")
    assert (
        result.returncode != 0 and "Traceback" in result.stderr and "IngestError" in result.stderr
    )


def test_bad_date_and_format_are_usage_errors(tmp_path: Path) -> None:
    assert run("build", ECONOMY, "--date", "28/12/2023").returncode == 2
    assert run("build", ECONOMY, "--format", "md,docx").returncode == 2


def test_demo_writes_the_bundled_brief(tmp_path: Path) -> None:
    result = run("demo", "--out", tmp_path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "2025-06-19"
    assert (folder / "brief.pdf").stat().st_size > 10_000
    markdown = (folder / "brief.md").read_text(encoding="utf-8")
    for name in ("Aiko Fujiwara", "Naledi Khumalo", "Yamikani Phiri", "Abel Nhantumbo"):
        assert name in markdown


HEAVY = ("spacy", "thinc", "weasyprint", "jinja2", "dask", "distributed", "sklearn")


@pytest.mark.parametrize(
    ("args", "also_absent"),
    [
        (["--help"], ("pydantic", "yaml", "rich")),  # nothing beyond typer itself
        (["run", "--help"], ("yaml", "rich")),  # typer itself brings pydantic here
        (["schema"], ()),
    ],
)
def test_help_and_schema_are_light(args: list[str], also_absent: tuple[str, ...]) -> None:
    code = (
        "import sys\n"
        "from briefing.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY', [m for m in {HEAVY + also_absent!r} if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "HEAVY []" in result.stdout
    assert ("Commands" in result.stdout or "Options" in result.stdout) or args == ["schema"]


def test_templates_doc_lists_every_context_field() -> None:
    doc = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    generated = run("schema", "--markdown").stdout
    assert generated in doc, "regenerate the reference in docs/templates.md"
    assert all(
        line.rstrip().endswith("|") and "|  |" not in line for line in generated.splitlines()
    )
