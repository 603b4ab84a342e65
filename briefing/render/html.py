"""The HTML page around the rendered Markdown body, with the brief's CSS inlined."""

from __future__ import annotations

from typing import Any

from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from briefing.render.chart import insert_charts
from briefing.render.templates import render_template


def render_page(
    env: SandboxedEnvironment,
    template: str,
    context: dict[str, Any],
    body_html: str,
    css: str,
) -> str:
    """A complete, self-contained HTML document (no external stylesheet or script)."""
    # body_html comes from markdown-it with raw HTML off, so it is safe to mark up; the
    # charts are drawn from the context's numbers
    body_html = insert_charts(body_html, context)
    return render_template(
        env,
        template,
        {**context, "body": Markup(body_html), "css": Markup(css.replace("</", "<\\/"))},
    )
