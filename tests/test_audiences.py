"""Audiences: one analysis, one brief each, with the template set and the user's overrides."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from briefing.analyse import Analyser
from briefing.config import load_config, parse_config
from briefing.context import BriefContext, build_context
from briefing.ingest import read_files
from briefing.models import Analysis
from briefing.pipeline import build_briefs, publish
from briefing.render import render_brief
from briefing.scaffold import scaffold
from tests.conftest import EXAMPLES, SEED_DATE


@pytest.fixture(scope="module")
def seed_analysis(seed_path: Path, analyser: Analyser) -> Analysis:
    return analyser(read_files([seed_path], SEED_DATE))


@pytest.fixture(scope="module")
def day_analysis(analyser: Analyser) -> Analysis:
    return analyser(read_files(sorted(EXAMPLES.glob("*.txt")), SEED_DATE))


def _pdf_pages(pdf: bytes | None) -> list[str]:
    assert pdf is not None
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_executive_brief_of_the_sample_is_one_page(seed_analysis: Analysis, tmp_path: Path) -> None:
    config = parse_config({}, base_dir=tmp_path)
    executive = config.audience("executive")
    context = build_context(seed_analysis, config, SEED_DATE, executive)
    pages = _pdf_pages(render_brief(context, config, ("pdf",), executive).pdf)
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    assert "LIKELY" in text and "deploy tactical nuclear weapons" in text
    assert len(context.claims) <= 3 and "Key claims" in text


def test_executive_of_a_whole_day_is_still_one_page(day_analysis: Analysis, tmp_path: Path) -> None:
    config = parse_config({}, base_dir=tmp_path)
    executive = config.audience("executive")
    context = build_context(day_analysis, config, SEED_DATE, executive)
    assert len(_pdf_pages(render_brief(context, config, ("pdf",), executive).pdf)) == 1


def test_analyst_brief_holds_every_claim_and_forecast(
    day_analysis: Analysis, tmp_path: Path
) -> None:
    config = parse_config({}, base_dir=tmp_path)
    analyst = config.audience("analyst")
    context = build_context(day_analysis, config, SEED_DATE, analyst)
    brief = render_brief(context, config, ("md", "pdf"), analyst)
    pdf_text = " ".join(" ".join(_pdf_pages(brief.pdf)).split())
    assert context.claims and context.outlook
    # the analyst brief is its stories: each story's claims, and every forecast of the day
    for claim in (c for story in context.stories for c in story.claims):
        assert " ".join(claim.statement.split())[:60] in pdf_text, claim.statement
    for forecast in context.outlook:
        assert forecast.text[:60] in pdf_text
        assert not forecast.source_description or forecast.source_description[:40] in pdf_text
        assert forecast.likelihood is None or forecast.likelihood.label in pdf_text
    for actor in context.actors:
        assert actor.name in pdf_text


def test_press_brief_is_plain(day_analysis: Analysis, tmp_path: Path) -> None:
    config = parse_config({}, base_dir=tmp_path)
    press = config.audience("press")
    context: BriefContext = build_context(day_analysis, config, SEED_DATE, press)
    brief = render_brief(context, config, ("md", "html"), press)
    assert context.classification == "" and "UNCLASSIFIED" not in brief.markdown
    assert "## Actors" not in brief.markdown and context.actors == []
    assert len(context.claims) <= 5 and "## What to watch" in brief.markdown


def test_dates_follow_the_audience_language(seed_analysis: Analysis, tmp_path: Path) -> None:
    config = parse_config(
        {"brief": {"audience": "paris"}, "audiences": [{"name": "paris", "language": "fr"}]},
        base_dir=tmp_path,
    )
    context = build_context(seed_analysis, config, SEED_DATE)
    brief = render_brief(context, config, ("md", "html"))
    assert "# Daily brief: 28 décembre 2023" in brief.markdown
    assert "1 janvier 2024" in brief.markdown
    assert brief.html is not None and '<html lang="fr">' in brief.html


def test_init_folder_overrides_one_block_and_keeps_the_rest(
    day_analysis: Analysis, tmp_path: Path
) -> None:
    folder = tmp_path / "desk"
    scaffold(folder)
    mine = load_config(folder / "config.yaml")
    stock = parse_config({}, base_dir=tmp_path)
    ours = render_brief(build_context(day_analysis, mine, SEED_DATE), mine, ("md",)).markdown
    theirs = render_brief(build_context(day_analysis, stock, SEED_DATE), stock, ("md",)).markdown
    assert "Prepared for the analysis desk" in ours and "Prepared for" not in theirs
    # every block after the header is unchanged
    assert ours[ours.index("## Bottom line") :] == theirs[theirs.index("## Bottom line") :]


def test_all_audiences_are_written_side_by_side(
    seed_path: Path, analyser: Analyser, tmp_path: Path
) -> None:
    config = parse_config({}, base_dir=tmp_path)
    briefs = build_briefs(config, [seed_path], SEED_DATE, analyser, config.audiences)
    written = publish(briefs, tmp_path / "out", config.brief.audience)
    assert sorted(p.name for p in written) == sorted(
        [
            "context.json", "brief.md", "brief.html", "brief.pdf",
            "context-executive.json", "brief-executive.md", "brief-executive.html",
            "brief-executive.pdf", "context-press.json", "brief-press.md", "brief-press.html",
        ]
    )  # fmt: skip


UNNAMED_VIEWS = (
    "Lusaka, March 4 (Wire) - Zambian inflation is expected to slow to single digits by June, "
    "Governor Denny Kalyalya said on Tuesday.\n"
    "The kwacha is likely to weaken against the dollar this year, analysts said.\n"
    "Copper output could fall in the second half, mining economists said.\n"
)


def test_forecasts_of_unnamed_sources_are_kept_apart(analyser: Analyser, tmp_path: Path) -> None:
    """'analysts said' is not a named source: not in the outlook, nor in the executive's list,
    but in the analyst brief's own section."""
    path = tmp_path / "zambia.txt"
    path.write_text(UNNAMED_VIEWS, encoding="utf-8")
    analysis = analyser(read_files([path], SEED_DATE))
    config = parse_config({}, base_dir=tmp_path)
    context = build_context(analysis, config, SEED_DATE, config.audience("analyst"))
    assert [f.source for f in context.outlook] == ["Denny Kalyalya"]
    assert [f.source for f in context.outlook_unnamed] == ["analysts", "mining economists"]
    assert all(f.source == "Denny Kalyalya" for s in context.stories for f in s.outlook)
    assert all(f.source == "Denny Kalyalya" for f in [*context.short_outlook, *context.to_watch])
    markdown = render_brief(context, config, (), config.audience("analyst")).markdown
    views = markdown.split("## Views of unnamed sources", 1)[1]
    assert "The kwacha is likely to weaken" in views and "(analysts; **" in views
    executive = config.audience("executive")
    short = build_context(analysis, config, SEED_DATE, executive)
    text = render_brief(short, config, (), executive).markdown
    assert "Kalyalya" in text and "kwacha" not in text.split("## Key claims")[0]
