"""Saved web pages: the article's text and metadata with trafilatura, boilerplate removed."""

from __future__ import annotations

from datetime import date, datetime, timezone

from briefing.errors import IngestError
from briefing.ingest.text import parse_article
from briefing.models import Article

DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO or trafilatura timestamp as an aware datetime (UTC when no zone is given)."""
    if not value:
        return None
    for parse in (datetime.fromisoformat, lambda v: datetime.strptime(v, DATE_FORMAT)):
        try:
            stamp = parse(value)
        except ValueError:
            continue
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
    return None


def html_to_article(
    html: str,
    *,
    article_id: str,
    source: str,
    article_date: date,
    url: str | None = None,
    outlet: str | None = None,
) -> Article:
    """Extract the main text, title, author, site name and date from a page."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        date_extraction_params={"outputformat": DATE_FORMAT, "original_date": True},
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or len(text.split()) < 20:
        raise IngestError(f"{source}: no article text found in the page")
    title = getattr(doc, "title", None)
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()
    published = parse_datetime(getattr(doc, "date", None))
    return parse_article(
        text,
        article_id=article_id,
        source=source,
        article_date=published.date() if published else article_date,
        title=title,
        outlet=outlet or getattr(doc, "sitename", None),
        url=url or getattr(doc, "url", None),
        published=published,
    )
