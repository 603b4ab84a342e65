"""Render: context -> Markdown (Jinja2) -> HTML (markdown-it-py) -> PDF (WeasyPrint)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateNotFound

from briefing.config import Config
from briefing.context import BriefContext
from briefing.errors import RenderError
from briefing.render.html import render_page
from briefing.render.markdown import markdown_to_html
from briefing.render.templates import builtin_template_dir, make_environment, render_template

__all__ = ["Rendered", "render_brief"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rendered:
    """A brief in the formats asked for; html and pdf are None when not asked."""

    context: BriefContext
    markdown: str
    html: str | None
    pdf: bytes | None


def _stylesheet(config: Config) -> str:
    env = make_environment(config.templates.dir, markdown=False)
    assert env.loader is not None
    try:
        source, _, _ = env.loader.get_source(env, config.templates.css)
    except TemplateNotFound as exc:
        raise RenderError(
            f"stylesheet {config.templates.css!r} not found in the templates"
        ) from exc
    return source


def render_brief(context: BriefContext, config: Config, formats: tuple[str, ...]) -> Rendered:
    """Context -> Markdown -> HTML -> PDF, each step only when a later one needs it."""
    data = context.model_dump()
    markdown = render_template(
        make_environment(config.templates.dir, markdown=True), config.templates.brief, data
    )
    html = pdf = None
    if "html" in formats or "pdf" in formats:
        html = render_page(
            make_environment(config.templates.dir, markdown=False),
            config.templates.page,
            data,
            markdown_to_html(markdown),
            _stylesheet(config),
        )
    if "pdf" in formats and html is not None:
        from briefing.render.pdf import render_pdf

        assets: tuple[Path, ...] = (builtin_template_dir(),)
        if config.templates.dir is not None:
            assets = (config.templates.dir, *assets)
        pdf = render_pdf(
            html, asset_dirs=assets, page_css=f"@page {{ size: {config.render.page_size}; }}"
        )
    return Rendered(context=context, markdown=markdown, html=html, pdf=pdf)
