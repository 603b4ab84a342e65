"""Second audit, points 6 and 8: links only to public http(s) hosts; every text field of
every reader (front matter, feed, saved page) loses control and bidi characters."""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from briefing.analyse import Analyser
from briefing.config import parse_config
from briefing.pipeline import run_day
from briefing.safetext import printable, public_url

DAY = date(2025, 9, 18)
BODY = (
    "CAIRO: Egypt's central bank held interest rates on Thursday, it said in a statement. "
    '"Inflation is still too high to cut," governor Hassan Abdalla told reporters. '
    "The decision was expected by most economists, a Reuters poll showed."
)
FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Wire</title>
<item><title>Nile \x1b]0;pwned\x07 ferry \u202eenil\u202c service resumes</title>
<link>http://127.0.0.1:8000/admin</link>
<pubDate>Thu, 18 Sep 2025 08:00:00 GMT</pubDate>
<description>ASWAN: A Nile ferry service resumed on Thursday after repairs, the transport
ministry said. "Passengers can travel again from Friday," a ministry spokesman told
reporters. The ferry carries about 800 people a day, officials said.</description></item>
</channel></rss>
"""
PAGE = """<html><head><title>Port \u202eelbuod\u202c traffic rises</title>
<meta property="og:url" content="http://10.0.0.7/internal/story">
<meta property="og:title" content="Port \u202eelbuod\u202c traffic rises"></head>
<body><article><h1>Port traffic rises</h1><p>PORT SAID: Traffic through the port rose by a
tenth in August, the port authority said on Thursday, as shipping lines returned to the
route after months away.</p><p>"We expect the recovery to continue into the winter,"
authority chairman Walid Gamal told reporters at a briefing in the city.</p></article></body>
</html>"""


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("https://www.reuters.com/world/story", True),
        ("http://8.8.8.8/x", True),
        ("http://127.0.0.1:8000/admin", False),
        ("http://localhost/x", False),
        ("http://10.0.0.7/story", False),
        ("http://169.254.169.254/latest/meta-data", False),
        ("http://100.64.0.1/", False),
        ("http://[::1]/", False),
        ("http://2130706433/", False),
        ("http://127.1/", False),
        ("http://intranet/", False),
        ("http://printer.local/", False),
        ("http://user:pw@www.example.com/", False),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
    ],
)
def test_only_public_http_urls_are_links(url: str, public: bool) -> None:
    assert public_url(url) is public


def test_internal_urls_from_every_reader_stay_text(tmp_path: Path, analyser: Analyser) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "---\nurl: http://127.0.0.1:9000/secret\n---\n" + BODY, encoding="utf-8"
    )
    (folder / "b.txt").write_text(
        "---\nurl: https://www.reuters.com/markets/egypt-rates\n---\n"
        + BODY.replace("Egypt's central bank", "Morocco's central bank"),
        encoding="utf-8",
    )
    (folder / "feed.xml").write_text(FEED, encoding="utf-8")
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    config = parse_config(
        {
            "sources": [{"path": str(folder)}],
            "collect": {"lookback_hours": 744},
            "audiences": [{"name": "analyst", "formats": ["md", "html"]}],
        },
        base_dir=tmp_path,
    )
    noon = datetime(DAY.year, DAY.month, DAY.day, 12, tzinfo=timezone.utc).timestamp()
    for path in folder.iterdir():  # undated files are dated by their modification time
        os.utime(path, (noon, noon))
    day = run_day(config, DAY, analyser, config.audiences, None)
    brief = day.briefs[0]
    assert not day.skipped, day.skipped
    html = brief.html or ""
    assert 'href="https://www.reuters.com/markets/egypt-rates"' in html  # public: a link
    for internal in ("http://127.0.0.1:9000", "http://127.0.0.1:8000", "http://10.0.0.7"):
        assert f'href="{internal}' not in html
    # control and bidi characters from the feed's and the page's titles are gone
    for text in (brief.markdown, html, brief.context.model_dump_json()):
        for bad in ("\x1b", "\x07", "\u202e", "\u202c"):
            assert bad not in text
    titles = {s.title for s in brief.context.sources}
    # the terminal escape is dropped whole, its payload with it
    assert any("ferry" in t and "pwned" not in t and "]0;" not in t for t in titles), titles


def test_messages_show_non_printables_as_escapes() -> None:
    assert printable("caf\x1b[2Jé\u202e") == "caf\\x1b[2Jé\\u202e"
