"""Markdown to HTML with markdown-it-py: CommonMark, raw HTML off, safe links only.

Tables, `[text]{#id}` anchors and `{#id .class}` block attributes are on; every other
attribute is dropped. Article text cannot use them: templates escape `{` and `}`.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin

from briefing.safetext import public_url

SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")


def _validate_link(url: str) -> bool:
    url = url.strip()
    if url.lower().startswith(("http://", "https://")):
        return public_url(url)  # a link to 127.0.0.1 or an intranet name stays text
    return url.lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The one configured markdown-it parser."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    # "[label]{#id}" spans give citations a target; only the id attribute is kept
    md.use(attrs_plugin, after=(), spans=True, allowed=("id",))
    # "{#story-1}" / "{.toc}" on the line before a block: section anchors and the contents list
    md.use(attrs_block_plugin, allowed=("id", "class"))
    md.validateLink = _validate_link  # type: ignore[method-assign]
    return md


def markdown_to_html(text: str) -> str:
    """Render Markdown; raw HTML in the source is shown as text, never passed through."""
    return parser().render(text)
