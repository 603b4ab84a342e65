"""Markdown to plain text for the text/plain part of an email: readable, no markup left."""

from __future__ import annotations

import textwrap

from markdown_it.token import Token

from briefing.render.markdown import parser

WIDTH = 78


def _inline(token: Token) -> str:
    parts: list[str] = []
    href: str | None = None
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content or "")
        elif child.type == "link_open":
            # a citation (a link with a title) names its outlet; the sources list has the URL
            href = None if child.attrs.get("title") else str(child.attrs.get("href", ""))
        elif child.type == "link_close":
            if href and not href.startswith("#"):
                parts.append(f" <{href}>")
            href = None
    return "".join(parts)


def markdown_to_text(markdown: str) -> str:
    """Headings underlined, lists with their markers, tables as rows, links as <url>."""
    lines: list[str] = []
    stack: list[list[int]] = []  # per open list: [is_ordered, counter]
    row: list[str] = []
    prefix_next: str | None = None
    heading_level = 0
    in_cell = False
    for token in parser().parse(markdown):
        kind = token.type
        if kind in ("th_open", "td_open"):
            in_cell = True
        elif kind in ("th_close", "td_close"):
            in_cell = False
        elif kind == "heading_open":
            heading_level = int(token.tag[1])
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1) or 1)
            stack.append([kind == "ordered_list_open", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            stack.pop()
            if not stack:
                lines.append("")
        elif kind == "list_item_open":
            ordered, counter = stack[-1]
            prefix_next = f"{counter}. " if ordered else "- "
            stack[-1][1] += 1
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            lines.append(" | ".join(cell for cell in row))
        elif kind == "table_close":
            lines.append("")
        elif kind == "hr":
            lines.extend(["-" * 40, ""])
        elif kind == "inline":
            text = _inline(token)
            if in_cell:
                row.append(text)
                continue
            if heading_level:
                underline = "=" if heading_level == 1 else "-" if heading_level == 2 else ""
                lines.append(text)
                if underline:
                    lines.append(underline * min(len(text), WIDTH))
                lines.append("")
                heading_level = 0
                continue
            indent = "  " * max(len(stack) - 1, 0)
            lead = prefix_next or ""
            hang = indent + " " * len(lead)
            lines.append(
                textwrap.fill(
                    text,
                    WIDTH,
                    initial_indent=indent + lead,
                    subsequent_indent=hang,
                    break_on_hyphens=False,
                )
                if stack
                else textwrap.fill(text, WIDTH, break_on_hyphens=False)
            )
            prefix_next = None
            if not stack:
                lines.append("")
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"
