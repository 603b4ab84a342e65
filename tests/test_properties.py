"""Property tests: no input crashes an ingest path; hostile text never reaches HTML as markup."""

from __future__ import annotations

import contextlib
from datetime import date
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.errors import IngestError
from briefing.ingest.feeds import parse_feed
from briefing.ingest.html import html_to_article
from briefing.ingest.text import decode, parse_article
from briefing.render.markdown import markdown_to_html
from briefing.render.templates import escape_markdown

pytestmark = pytest.mark.slow  # end to end: run by `pytest -m slow` (README)

DAY = date(2025, 1, 2)
NASTY = st.sampled_from(
    ["{{", "}}", "{%", "%}", "<script>", "](javascript:", "<img src=x onerror=1>", "\x00",
     "\u202e", "\r\n", "---\n", "# ", "> ", "```", "&amp;", "<!--", "{#x}", "\x1b[31m"]
)  # fmt: skip
TEXT = st.lists(st.one_of(st.text(max_size=40), NASTY), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=400))
def test_decode_gives_text_or_a_clear_error(raw: bytes) -> None:
    try:
        assert isinstance(decode(raw, "x.txt"), str)
    except IngestError as exc:
        assert str(exc).startswith("x.txt: ")


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_parse_article_never_crashes(text: str) -> None:
    try:
        article = parse_article(text, article_id="a", source="a.txt", article_date=DAY)
    except IngestError:
        return
    assert "\x00" not in article.text and "\u202e" not in article.text


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_html_pages_never_crash(text: str) -> None:
    head = f"<html><head><title>{text[:50]}</title></head>"
    page = f"{head}<body><article><p>{text}</p></article></body></html>"
    with contextlib.suppress(IngestError):
        html_to_article(page, article_id="p", source="p.html", article_date=DAY)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.binary(max_size=300), TEXT.map(lambda t: t.encode("utf-8", "replace"))))
def test_feeds_never_crash(raw: bytes) -> None:
    try:
        articles, skipped = parse_feed(raw, source="f.xml", default_date=DAY)
    except IngestError:
        return
    assert isinstance(articles, list) and isinstance(skipped, list)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.extend(f"{k}={v}" for k, v in attrs)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_escaped_text_renders_without_markup(text: str) -> None:
    parser = _Tags()
    parser.feed(markdown_to_html(f"- {escape_markdown(text)}\n"))
    assert parser.tags <= {"ul", "li"}
    assert not parser.attrs
