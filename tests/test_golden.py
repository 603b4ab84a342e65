"""The Markdown brief of an example, against a reviewed golden file.

After an intended change, regenerate with BRIEFING_UPDATE_GOLDEN=1 pytest tests/test_golden.py
and review the diff before committing it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from briefing.analyse import Analyser
from briefing.config import parse_config
from briefing.context import build_context
from briefing.ingest import read_files
from briefing.render import render_brief
from tests.conftest import EXAMPLES, ROOT

GOLDEN = ROOT / "tests" / "data" / "golden" / "economy-central-bank.md"


def test_markdown_matches_golden(analyser: Analyser, tmp_path: Path) -> None:
    day = date(2025, 3, 6)
    articles = read_files([EXAMPLES / "economy-central-bank.txt"], day)
    config = parse_config({}, base_dir=tmp_path)
    context = build_context(analyser(articles), config, day)
    markdown = render_brief(context, config, ("md",)).markdown
    if os.environ.get("BRIEFING_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(markdown, encoding="utf-8")
    assert markdown == GOLDEN.read_text(encoding="utf-8")
