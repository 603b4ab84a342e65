"""The whole tool, top to bottom: ingest -> analyse -> context -> render -> deliver."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from briefing.analyse import Analyser
from briefing.config import AudienceConfig, Config
from briefing.context import build_context
from briefing.deliver import write_outputs
from briefing.ingest import read_articles
from briefing.render import Rendered, render_brief

Step = Callable[[str], None]
FILE_FORMATS = ("md", "html", "pdf")


def build_briefs(
    config: Config,
    sources: Sequence[Path],
    brief_date: date,
    analyser: Analyser,
    audiences: Sequence[AudienceConfig],
    formats: tuple[str, ...] | None = None,
    step: Step = lambda _: None,
) -> tuple[Rendered, ...]:
    """Read the sources once, analyse once, render one brief per audience; writes nothing.

    formats overrides the audiences' own formats when given.
    """
    step("Reading articles")
    articles = read_articles(sources, brief_date)
    step("Analysing")
    analysis = analyser(articles, max_bluf=max(a.max_bluf for a in audiences))
    briefs = []
    for audience in audiences:
        step(f"Rendering for {audience.name}")
        context = build_context(analysis, config, brief_date, audience)
        wanted = formats or tuple(f for f in audience.formats if f in FILE_FORMATS) or ("md",)
        briefs.append(render_brief(context, config, wanted, audience))
    return tuple(briefs)


def file_stem(audience: str, default: str) -> str:
    """'brief' for the default audience, 'brief-<audience>' for the others."""
    return "brief" if audience == default else f"brief-{audience}"


def brief_files(brief: Rendered, default: str) -> dict[str, bytes]:
    """File name -> bytes for every format the brief was rendered in, plus its context."""
    stem = file_stem(brief.context.audience.name, default)
    context_name = (
        "context.json" if stem == "brief" else f"context-{brief.context.audience.name}.json"
    )
    files = {context_name: brief.context.model_dump_json(indent=2).encode("utf-8") + b"\n"}
    files[f"{stem}.md"] = brief.markdown.encode("utf-8")
    if brief.html is not None:
        files[f"{stem}.html"] = brief.html.encode("utf-8")
    if brief.pdf is not None:
        files[f"{stem}.pdf"] = brief.pdf
    return files


def load_brief(out_dir: Path, brief_date: date, audience: str, default: str) -> Rendered:
    """A brief built earlier, read back from out_dir/<date>/ for sending."""
    from briefing.context import BriefContext
    from briefing.errors import DeliveryError

    folder = out_dir / brief_date.isoformat()
    stem = file_stem(audience, default)
    context_file = folder / ("context.json" if stem == "brief" else f"context-{audience}.json")
    try:
        context = BriefContext.model_validate_json(context_file.read_text(encoding="utf-8"))
        markdown = (folder / f"{stem}.md").read_text(encoding="utf-8")
        html = (folder / f"{stem}.html").read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise DeliveryError(
            f"no complete {audience!r} brief for {brief_date} in {folder} "
            f"({exc.__class__.__name__}); build it first, or name the article files"
        ) from None
    pdf_path = folder / f"{stem}.pdf"
    pdf = pdf_path.read_bytes() if pdf_path.is_file() else None
    return Rendered(context=context, markdown=markdown, html=html, pdf=pdf)


def publish(briefs: Sequence[Rendered], out_dir: Path, default: str) -> tuple[Path, ...]:
    """Write every brief atomically to out_dir/<date>/ in one batch."""
    files: dict[str, bytes] = {}
    for brief in briefs:
        files.update(brief_files(brief, default))
    return write_outputs(files, out_dir / briefs[0].context.date.isoformat())
