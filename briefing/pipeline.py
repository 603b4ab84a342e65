"""The whole tool, top to bottom: ingest -> analyse -> context -> render -> deliver."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from briefing.analyse import Analyser
from briefing.config import Config
from briefing.context import build_context
from briefing.deliver import write_outputs
from briefing.ingest import read_articles
from briefing.render import Rendered, render_brief

Step = Callable[[str], None]


def build_brief(
    config: Config,
    sources: Sequence[Path],
    brief_date: date,
    analyser: Analyser,
    formats: tuple[str, ...],
    step: Step = lambda _: None,
) -> Rendered:
    """Read the sources and render the brief for brief_date; writes nothing."""
    step("Reading articles")
    articles = read_articles(sources, brief_date)
    step("Analysing")
    analysis = analyser(articles, max_bluf=config.brief.max_bluf)
    step("Building context")
    context = build_context(analysis, config, brief_date)
    step("Rendering")
    return render_brief(context, config, formats)


def brief_files(brief: Rendered) -> dict[str, bytes]:
    """File name -> bytes for every format the brief was rendered in, plus context.json."""
    files = {"context.json": brief.context.model_dump_json(indent=2).encode("utf-8") + b"\n"}
    files["brief.md"] = brief.markdown.encode("utf-8")
    if brief.html is not None:
        files["brief.html"] = brief.html.encode("utf-8")
    if brief.pdf is not None:
        files["brief.pdf"] = brief.pdf
    return files


def publish(brief: Rendered, out_dir: Path, formats: tuple[str, ...]) -> tuple[Path, ...]:
    """Write the brief atomically to out_dir/<date>/."""
    wanted = {"context.json"} | {f"brief.{fmt}" for fmt in formats}
    files = {name: data for name, data in brief_files(brief).items() if name in wanted}
    return write_outputs(files, out_dir / brief.context.date.isoformat())
