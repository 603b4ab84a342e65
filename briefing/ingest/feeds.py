"""RSS and Atom feeds with feedparser; linked pages fetched only when configured."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, datetime, timezone
from html.parser import HTMLParser

from briefing.errors import IngestError
from briefing.ingest.html import html_to_article
from briefing.ingest.text import parse_article, slug
from briefing.models import Article

Fetch = Callable[[str], bytes]
MAX_FEED_ENTRIES = 1_000  # a feed's newest entries; a feed of 100k is a dump, not news


class _Text(HTMLParser):
    """Paragraph text of an HTML fragment (feed content), one paragraph a line."""

    BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def fragment_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.text()


def _published(entry: dict) -> datetime | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    return datetime.fromtimestamp(calendar.timegm(stamp), tz=timezone.utc)


def parse_feed(
    data: bytes,
    *,
    source: str,
    default_date: date,
    outlet: str | None = None,
    fetch_linked: Fetch | None = None,
) -> tuple[list[Article], list[str]]:
    """Articles from a feed's entries, and a reason for each entry that was skipped."""
    import feedparser

    feed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if feed.bozo and not feed.entries:
        raise IngestError(f"{source}: not a readable feed ({feed.bozo_exception})")
    name = outlet or feed.feed.get("title") or None
    articles: list[Article] = []
    skipped: list[str] = []
    if len(feed.entries) > MAX_FEED_ENTRIES:
        skipped.append(
            f"{source}: {len(feed.entries)} entries; only the first {MAX_FEED_ENTRIES} are read"
        )
    for n, entry in enumerate(feed.entries[:MAX_FEED_ENTRIES], start=1):
        where = f"{source}#{n}"
        published = _published(entry)
        link = entry.get("link")
        article_id = slug(f"{slug(name or 'feed')}-{entry.get('title') or n}")
        try:
            if fetch_linked is not None and link:
                page = fetch_linked(link).decode("utf-8", "replace")
                article = html_to_article(
                    page, article_id=article_id, source=where, url=link, outlet=name,
                    article_date=published.date() if published else default_date,
                )  # fmt: skip
            else:
                contents = entry.get("content") or []
                html = contents[0].get("value", "") if contents else entry.get("summary", "")
                article = parse_article(
                    fragment_text(html),
                    article_id=article_id,
                    source=where,
                    article_date=published.date() if published else default_date,
                    title=entry.get("title"),
                    outlet=name,
                    url=link,
                    published=published,
                )
        except IngestError as exc:
            skipped.append(str(exc))
            continue
        articles.append(article)
    return articles, skipped
