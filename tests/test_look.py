"""Look at it: the PDFs of the sample day (examples/day/) rendered to PNG with poppler's
pdftoppm, checked for page counts and empty pages, and written to out/look/ for people.

Also: within one brief, no claim, forecast or bottom-line sentence is printed twice
(the "To watch" list may restate a forecast).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pypdf
import pytest

from briefing import ledger
from briefing.analyse import Analyser
from briefing.config import SourceConfig, parse_config
from briefing.context import BriefContext, build_context
from briefing.models import Analysis
from briefing.pipeline import run_day
from briefing.render import Rendered, render_brief
from tests.conftest import EXAMPLES, ROOT

DAY = date(2025, 9, 18)
LOOK = ROOT / "out" / "look"
MOST_EMPTY = 0.70
PAGES = {"analyst": 6, "executive": 1, "press": 3}
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="needs poppler-utils' pdftoppm (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def day(analyser: Analyser, tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    folder = tmp_path_factory.mktemp("look")
    config = parse_config({}, base_dir=folder).model_copy(
        update={"sources": (SourceConfig(path=EXAMPLES / "day"),)}
    )
    return run_day(config, DAY, analyser, config.audiences, None).analysis


@pytest.fixture(scope="module")
def briefs(day: Analysis, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """The briefs as a first day's run makes them: the ledger on, every forecast new."""
    config = parse_config({}, base_dir=tmp_path_factory.mktemp("cfg"))
    entries = ledger.record([], ledger.sightings_of(day, DAY)).entries
    return {
        a.name: render_brief(
            build_context(day, config, DAY, a, ledger=entries), config, ("md", "pdf"), a
        )
        for a in config.audiences
    }


def _empty_share(png: Path) -> float:
    """Share of the page's rows (inside the margins' banners) with no ink."""
    from PIL import Image

    image = Image.open(png).convert("L")
    width, height = image.size
    top, bottom = int(height * 0.06), int(height * 0.94)  # leave out the page banners
    pixels = image.load()
    assert pixels is not None
    blank = sum(all(pixels[x, y] > 235 for x in range(0, width, 2)) for y in range(top, bottom))
    return blank / (bottom - top)


@needs_pdftoppm
@pytest.mark.parametrize("audience", ["analyst", "executive", "press"])
def test_pages_of_the_sample_day_are_few_and_full(
    briefs: dict[str, Rendered], audience: str
) -> None:
    pdf = briefs[audience].pdf
    assert pdf is not None
    LOOK.mkdir(parents=True, exist_ok=True)
    for old in LOOK.glob(f"{audience}-*.png"):
        old.unlink()
    (LOOK / f"{audience}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(LOOK / f"{audience}.pdf"), str(LOOK / audience)],
        check=True,
        timeout=120,
    )
    pngs = sorted(LOOK.glob(f"{audience}-*.png"))
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert len(pngs) == pages and 1 <= pages <= PAGES[audience], pages
    for png in pngs[:-1]:
        assert _empty_share(png) <= MOST_EMPTY, f"{png.name} is mostly empty"


def _shown_texts(context: BriefContext) -> list[str]:
    texts = [k.text for k in context.bluf]
    texts += [c.text for c in context.claims] + [f.text for f in context.outlook]
    for story in context.stories:
        texts += [k.text for k in story.bluf] + [c.text for c in story.claims]
        texts += [f.text for f in story.outlook]
    return texts


def test_no_sentence_is_printed_twice(briefs: dict[str, Rendered]) -> None:
    for audience, brief in briefs.items():
        body = brief.markdown.split("## To watch", 1)[0]
        rest = brief.markdown.split("## To watch", 1)[1] if "## To watch" in brief.markdown else ""
        body += rest.split("\n## ", 1)[1] if "\n## " in rest else ""
        plain = " ".join(re.sub(r"\\(.)", r"\1", body).split())
        for text in _shown_texts(brief.context):
            words = " ".join(text.split()[:12])
            if len(words) > 30:
                assert plain.count(words) <= 1, (audience, words)


def test_the_day_has_a_line_per_story_and_the_executive_claims_span_stories(
    briefs: dict[str, Rendered],
) -> None:
    analyst = briefs["analyst"].context
    story_of = {a: s.id for s in analyst.stories for a in s.articles}
    assert [story_of[k.article] for k in analyst.bluf] == [s.id for s in analyst.stories][:5]
    assert "volcano" in analyst.bluf[0].text.lower() or "Ile Watu" in analyst.bluf[0].text
    executive = briefs["executive"].context
    assert len({story_of[c.article] for c in executive.short_claims}) >= 2
    assert "## To watch" in briefs["analyst"].markdown
