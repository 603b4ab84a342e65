"""Render: context -> Markdown (Jinja2) -> HTML (markdown-it-py) -> PDF (WeasyPrint)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateNotFound

from briefing.config import AudienceConfig, Config
from briefing.context import BriefContext
from briefing.errors import RenderError
from briefing.paths import builtin_template_dir
from briefing.render.html import render_page
from briefing.render.markdown import markdown_to_html
from briefing.render.templates import make_environment, render_template
from briefing.render.timeline import timeline_svg

__all__ = ["Rendered", "render_brief"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rendered:
    """One audience's brief in the formats asked for; html and pdf are None when not asked."""

    context: BriefContext
    markdown: str
    html: str | None
    pdf: bytes | None


def stylesheet(config: Config, names: tuple[str, ...]) -> str:
    """The audience's stylesheets, read through the template loader, in order."""
    env = make_environment(config.templates.dir, markdown=False)
    assert env.loader is not None
    parts = []
    for name in names:
        try:
            source, _, _ = env.loader.get_source(env, name)
        except TemplateNotFound as exc:
            raise RenderError(f"stylesheet {name!r} not found in the templates") from exc
        parts.append(source)
    return "\n".join(parts)


def render_brief(
    context: BriefContext,
    config: Config,
    formats: tuple[str, ...],
    audience: AudienceConfig | None = None,
) -> Rendered:
    """Context -> Markdown -> HTML -> PDF for one audience, each step only when needed."""
    audience = audience or config.audience(context.audience.name)
    data = context.model_dump()
    markdown = render_template(
        make_environment(config.templates.dir, markdown=True), audience.template, data
    )
    markdown = markdown.rstrip() + "\n"
    html = pdf = None
    if {"html", "pdf", "email"} & set(formats):
        body = markdown_to_html(markdown)
        heading = '<h2 id="to-watch">To watch</h2>\n'
        if heading in body:  # the timeline goes under the heading of the "To watch" block
            svg = timeline_svg(data["to_watch"], context.date)
            body = body.replace(heading, heading + svg + "\n", 1)
        html = render_page(
            make_environment(config.templates.dir, markdown=False),
            audience.page,
            data,
            body,
            stylesheet(config, audience.css),
        )
    if "pdf" in formats and html is not None:
        from briefing.render.pdf import render_pdf

        assets: tuple[Path, ...] = (builtin_template_dir(),)
        if config.templates.dir is not None:
            assets = (config.templates.dir, *assets)
        size = audience.page_size or config.render.page_size
        pdf = render_pdf(html, asset_dirs=assets, page_css=f"@page {{ size: {size}; }}")
    return Rendered(context=context, markdown=markdown, html=html, pdf=pdf)
