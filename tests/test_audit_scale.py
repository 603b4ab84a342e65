"""Second audit, point 11: feeds that scale. Entries per feed and articles per run are
capped (and say so); ids of identical titles are assigned in linear time."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.ingest import sources
from briefing.ingest.feeds import MAX_FEED_ENTRIES, parse_feed
from briefing.ingest.text import parse_article

DAY = date(2025, 9, 18)
ITEM = (
    "<item><title>Same title</title><pubDate>Thu, 18 Sep 2025 08:00:00 GMT</pubDate>"
    "<description>LIMA: Peru's central bank held rates on Thursday, number {n}, the bank "
    "said.</description></item>"
)


def test_a_feed_is_read_up_to_its_cap_and_says_so() -> None:
    items = "".join(ITEM.format(n=n) for n in range(MAX_FEED_ENTRIES + 50))
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}</channel></rss>'
    )
    articles, skipped = parse_feed(feed.encode(), source="big.xml", default_date=DAY)
    assert len(articles) == MAX_FEED_ENTRIES
    assert any(f"only the first {MAX_FEED_ENTRIES}" in reason for reason in skipped)


def test_identical_ids_are_numbered_in_order_and_counted_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    articles = [
        parse_article(
            f"LIMA: Peru's central bank held rates on Thursday, number {n}, the bank said.",
            article_id="same",
            source=f"s{n}",
            article_date=DAY,
        )
        for n in range(3000)
    ]
    probes = 0

    class CountingSet(set):  # type: ignore[type-arg]
        def __contains__(self, item: object) -> bool:
            nonlocal probes
            probes += 1
            return super().__contains__(item)

    monkeypatch.setattr(sources, "set", CountingSet, raising=False)  # the seen-ids set
    unique = sources._unique_ids(articles)
    assert [a.id for a in unique[:3]] == ["same", "same-2", "same-3"]
    assert len({a.id for a in unique}) == 3000
    assert probes < 3 * 3000  # linear; the old loop probed ~4.5 million times
