"""Look at it: the PDFs of the sample days (examples/day/, and examples/day2/, a second day
of articles written for this) rendered to PNG with poppler's pdftoppm, checked for page
counts and empty pages, and written to out/look/<day>/ for people.

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
from briefing.pipeline import run_day
from briefing.render import Rendered, render_brief
from tests.conftest import EXAMPLES, ROOT

DAYS = {"day": date(2025, 9, 18), "day2": date(2025, 10, 7)}
LOOK = ROOT / "out" / "look"
MOST_EMPTY = 0.70
PAGES = {"analyst": 6, "executive": 1, "press": 3}
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="needs poppler-utils' pdftoppm (.ci/run installs it)"
)


@pytest.fixture(scope="module", params=sorted(DAYS))
def briefs(
    request: pytest.FixtureRequest, analyser: Analyser, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, dict[str, Rendered]]:
    """The briefs of one sample day as a first day's run makes them: the ledger on."""
    name, day = request.param, DAYS[request.param]
    folder = tmp_path_factory.mktemp("look")
    config = parse_config({}, base_dir=folder).model_copy(
        update={"sources": (SourceConfig(path=EXAMPLES / name),)}
    )
    analysis = run_day(config, day, analyser, config.audiences, None).analysis
    entries = ledger.record([], ledger.sightings_of(analysis, day)).entries
    return name, {
        a.name: render_brief(
            build_context(analysis, config, day, a, ledger=entries), config, ("md", "pdf"), a
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
    briefs: tuple[str, dict[str, Rendered]], audience: str
) -> None:
    name, rendered = briefs
    pdf = rendered[audience].pdf
    assert pdf is not None
    look = LOOK / name
    look.mkdir(parents=True, exist_ok=True)
    for old in look.glob(f"{audience}-*.png"):
        old.unlink()
    (look / f"{audience}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(look / f"{audience}.pdf"), str(look / audience)],
        check=True,
        timeout=120,
    )
    pngs = sorted(look.glob(f"{audience}-*.png"))
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert len(pngs) == pages and 1 <= pages <= PAGES[audience], (name, pages)
    for png in pngs[:-1]:
        assert _empty_share(png) <= MOST_EMPTY, f"{name}/{png.name} is mostly empty"


def _shown_texts(context: BriefContext) -> list[str]:
    texts = [k.text for k in context.bluf]
    texts += [c.text for c in context.claims] + [f.statement for f in context.outlook]
    for story in context.stories:
        texts += [k.text for k in story.bluf] + [c.text for c in story.claims]
        texts += [f.statement for f in story.outlook]
    if context.ledger:
        texts += [e.statement for e in (*context.ledger.new, *context.ledger.falling_due)]
    return texts


def test_no_sentence_is_printed_twice(briefs: tuple[str, dict[str, Rendered]]) -> None:
    """Bottom line, story leads, claims, outlook tables and the ledger's sections: each
    sentence once (the To watch list restates forecasts, one line each)."""
    name, rendered = briefs
    for audience, brief in rendered.items():
        body = brief.markdown.split("## To watch", 1)[0]
        rest = brief.markdown.split("## To watch", 1)[1] if "## To watch" in brief.markdown else ""
        body += rest.split("\n## ", 1)[1] if "\n## " in rest else ""
        plain = " ".join(re.sub(r"\\(.)", r"\1", body).split())
        for text in _shown_texts(brief.context):
            words = " ".join(text.split()[:12])
            if len(words) > 30:
                assert plain.count(words) <= 1, (name, audience, words)


def test_the_day_has_a_line_per_story_and_the_executive_claims_span_stories(
    briefs: tuple[str, dict[str, Rendered]],
) -> None:
    name, rendered = briefs
    analyst = rendered["analyst"].context
    story_of = {a: s.id for s in analyst.stories for a in s.articles}
    assert [story_of[k.article] for k in analyst.bluf] == [s.id for s in analyst.stories][:5]
    if name == "day":  # the lead story, the volcano with ten dead, leads the cover
        assert "volcano" in analyst.bluf[0].text.lower() or "Ile Watu" in analyst.bluf[0].text
    executive = rendered["executive"].context
    assert len({story_of[c.article] for c in executive.short_claims}) >= 2
    assert "## To watch" in rendered["analyst"].markdown
    assert "## New forecasts" in rendered["analyst"].markdown  # the ledger is on
