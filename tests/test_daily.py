"""The daily run on examples/day: sources, stories, history, cache, lock, feeds over HTTP."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pypdf
import pytest
import yaml

from briefing.analyse import Analyser
from briefing.config import parse_config
from briefing.ingest.html import html_to_article
from briefing.ingest.sources import collect
from briefing.pipeline import date_lock, run_day
from briefing.store import History
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow  # end to end: run by `pytest -m slow` (README)

DAY_DIR = EXAMPLES / "day"
DAY = date(2025, 9, 18)
EXPECTED = yaml.safe_load((DAY_DIR / "EXPECTED.yaml").read_text(encoding="utf-8"))


def _cli(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *map(str, args)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _config_file(folder: Path, sources: list[dict[str, Any]], **extra: Any) -> Path:
    path = folder / "config.yaml"
    data = {"sources": sources, "output": {"dir": "out"}, "history": {"path": "out/h.sqlite"}}
    data.update(extra)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _ids_by_item(context: dict[str, Any]) -> dict[str, str]:
    """'01-x.txt' or 'feed.xml#2' -> article id, from the sources' paths."""
    return {Path(s["path"]).name: s["id"] for s in context["sources"]}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("day")
    config = _config_file(folder, [{"path": str(DAY_DIR)}])
    result = _cli("run", "--date", DAY, "--config", config)
    assert result.returncode == 0, result.stderr
    return config, folder / "out" / DAY.isoformat()


def test_stories_group_the_reports_of_each_event(first_run: tuple[Path, Path]) -> None:
    _, out = first_run
    context = json.loads((out / "context.json").read_text(encoding="utf-8"))
    ids = _ids_by_item(context)
    found = [sorted(s["articles"]) for s in context["stories"]]
    for story in EXPECTED["stories"]:
        assert sorted(ids[item] for item in story["items"]) in found, story["name"]
    assert len(found) == len(EXPECTED["stories"])
    old = EXPECTED["old_items"][0]
    assert old not in ids  # outside the look-back window
    shoal = next(
        s for s in context["stories"] if ids["06-shoal-collision-manila.txt"] in s["articles"]
    )
    assert set(shoal["outlets"]) == {"Eastgate Times", "Meridian Wire"}
    assert shoal["also_reported_by"] and all(s["status"] == "new" for s in context["stories"])


def test_forecasts_of_the_day(first_run: tuple[Path, Path]) -> None:
    _, out = first_run
    context = json.loads((out / "context.json").read_text(encoding="utf-8"))
    outlook = [f for s in context["stories"] for f in s["outlook"]]
    found = 0
    for want in EXPECTED["forecasts"]:
        match = [f for f in outlook if f["source"] == want["source"] and want["key"] in f["text"]]
        if match and match[0]["likelihood"] and match[0]["likelihood"]["band"] == want["band"]:
            found += 1
    assert found >= 0.8 * len(EXPECTED["forecasts"]), found


def test_daily_pdf_has_contents_and_one_section_per_story(first_run: tuple[Path, Path]) -> None:
    _, out = first_run
    context = json.loads((out / "context.json").read_text(encoding="utf-8"))
    reader = pypdf.PdfReader(out / "brief.pdf")
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert "Bottom line" in pages[0] and "UNCLASSIFIED" in pages[0]  # the cover
    assert "Contents" in pages[0]  # title, bottom line and contents on page 1
    contents = pages[0].split("Contents", 1)[1]
    titles = [s["title"] for s in context["stories"]]
    bookmarks = _titles(reader.outline)
    for title in titles:
        assert title in bookmarks
        assert title[:40] in contents
    joined = " ".join(pages)
    assert "reported by Meridian Wire, Eastgate Times" in joined or (
        "reported by Eastgate Times, Meridian Wire" in joined
    )
    text = " ".join(pages)
    assert "https://meridianwire.example/2025/09/18/flores-volcano-eruption" in "".join(
        text.split()
    )


def _titles(items: list[Any]) -> list[str]:
    titles: list[str] = []
    for item in items:
        titles.extend(_titles(item) if isinstance(item, list) else [item.title])
    return titles


def test_second_run_is_byte_identical(first_run: tuple[Path, Path]) -> None:
    config, out = first_run
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    again = _cli("run", "--date", DAY, "--config", config)
    assert again.returncode == 0, again.stderr
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert before == after
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_next_day_marks_developing_and_briefed_stories(first_run: tuple[Path, Path]) -> None:
    config, out = first_run
    nxt = _cli("run", "--date", "2025-09-19", "--config", config)
    assert nxt.returncode == 0, nxt.stderr
    context = json.loads((out.parent / "2025-09-19" / "context.json").read_text(encoding="utf-8"))
    statuses = {s["status"] for s in context["stories"]}
    assert statuses <= {"developing", "already_briefed"} and statuses
    assert all(s["previously"] == "2025-09-18" for s in context["stories"])
    markdown = (out.parent / "2025-09-19" / "brief.md").read_text(encoding="utf-8")
    assert "Already briefed** on 18 September 2025" in markdown or "Developing" in markdown


def test_cached_analysis_skips_spacy(analyser: Analyser, tmp_path: Path) -> None:
    config = parse_config({"sources": [{"path": str(DAY_DIR)}]}, base_dir=tmp_path)
    with History(tmp_path / "h.sqlite") as history:
        first = run_day(config, DAY, analyser, config.audiences[:1], history)
        calls: list[int] = []
        real = analyser.nlp.pipe

        def counting(texts, **kwargs):  # type: ignore[no-untyped-def]
            items = list(texts)
            calls.append(len(items))
            return real(items, **kwargs)

        analyser.nlp.pipe = counting  # type: ignore[method-assign]
        try:
            second = run_day(config, DAY, analyser, config.audiences[:1], history)
            uncached = run_day(
                config, DAY, analyser, config.audiences[:1], history, use_cache=False
            )
        finally:
            analyser.nlp.pipe = real  # type: ignore[method-assign]
    assert calls == [0, 12]
    assert second.briefs[0].markdown == first.briefs[0].markdown == uncached.briefs[0].markdown


def test_saved_page_loses_its_boilerplate() -> None:
    page = (DAY_DIR / "09-chile-peso-rate-bets.html").read_text(encoding="utf-8")
    article = html_to_article(page, article_id="p", source="p.html", article_date=DAY)
    assert article.outlet == "The Daily Ledger"
    assert article.published is not None and article.published.date() == DAY
    assert article.dateline and article.title.startswith("Chilean peso")
    for noise in ("Subscribe now", "Advertisement", "Most read", "cookie"):
        assert noise.lower() not in article.text.lower()


def test_a_run_in_progress_holds_the_date(first_run: tuple[Path, Path]) -> None:
    config, out = first_run
    with date_lock(out.parent, DAY):
        blocked = _cli("run", "--date", DAY, "--config", config)
    assert blocked.returncode == 2
    assert "another briefing run for 2025-09-18 is in progress" in blocked.stderr
    assert not list(out.parent.glob(".*.lock")), "the lock is removed when the run ends"


class _Feeds(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[float, bytes]]] = {}

    def do_GET(self) -> None:
        delay, body = self.routes.get(self.path, (0.0, b""))
        if delay:
            time.sleep(delay)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def feed_server() -> Iterator[str]:
    _Feeds.routes = {
        "/good.xml": (0.0, (DAY_DIR / "feed.xml").read_bytes()),
        "/garbage.xml": (0.0, b"\x00\x01 this is not a feed <<<"),
        "/slow.xml": (3.0, (DAY_DIR / "feed.xml").read_bytes()),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_feeds_over_http_and_broken_feeds_are_skipped(feed_server: str, tmp_path: Path) -> None:
    sources = [
        {"feed": f"{feed_server}/good.xml", "timeout": 5},
        {"feed": f"{feed_server}/garbage.xml", "timeout": 5},
        {"feed": f"{feed_server}/slow.xml", "timeout": 1},
        {"path": str(DAY_DIR / "08-who-dengue-warning.txt")},
    ]
    config = parse_config({"sources": sources}, base_dir=tmp_path)
    collected = collect(config, DAY)
    assert len(collected.articles) == 4  # three feed entries of the day and the file
    reasons = {s.source: s.reason for s in collected.skipped}
    assert f"{feed_server}/garbage.xml" in reasons and f"{feed_server}/slow.xml" in reasons
    assert "timed out" in reasons[f"{feed_server}/slow.xml"]

    path = _config_file(tmp_path, sources)
    lenient = _cli("run", "--date", DAY, "--config", path)
    strict = _cli("run", "--date", DAY, "--config", path, "--strict", "-q")
    assert lenient.returncode == 0, lenient.stderr
    assert lenient.stdout == "" and "skipped " in lenient.stderr  # written: silent; a warning
    assert strict.returncode == 5 and "2 source(s) skipped" in strict.stderr  # written, skipped
    assert "skipped http" not in strict.stderr  # -q: no warnings
    markdown = (tmp_path / "out" / DAY.isoformat() / "brief.md").read_text(encoding="utf-8")
    assert "### Sources skipped" in markdown and "garbage.xml" in markdown


def test_feed_entries_can_fetch_their_linked_pages(feed_server: str, tmp_path: Path) -> None:
    page = (DAY_DIR / "09-chile-peso-rate-bets.html").read_bytes()
    feed = f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local desk</title><link>{feed_server}/</link>
<description>d</description>
<item><title>Peso</title><link>{feed_server}/page.html</link>
<pubDate>Thu, 18 Sep 2025 08:00:00 GMT</pubDate><description>short</description></item>
<item><title>Elsewhere</title><link>file:///etc/passwd</link>
<pubDate>Thu, 18 Sep 2025 09:00:00 GMT</pubDate><description>short</description></item>
<item><title>Metadata</title><link>http://169.254.169.254/latest/meta-data/</link>
<pubDate>Thu, 18 Sep 2025 10:00:00 GMT</pubDate><description>short</description></item>
</channel></rss>""".encode()
    _Feeds.routes.update({"/linked.xml": (0.0, feed), "/page.html": (0.0, page)})
    config = parse_config(
        {"sources": [{"feed": f"{feed_server}/linked.xml", "fetch_linked": True}]},
        base_dir=tmp_path,
    )
    collected = collect(config, DAY)
    [article] = collected.articles
    assert article.outlet == "Local desk" and "peso" in article.text.lower()
    assert article.url == f"{feed_server}/page.html"
    reasons = [s.reason for s in collected.skipped]
    assert len(reasons) == 2
    assert "only http and https" in reasons[0]
    assert "internal address refused" in reasons[1]


def test_a_change_to_the_rendering_code_renders_again(tmp_path: Path) -> None:
    """The render key holds the code of briefing/render/: a changed chart is not reused."""
    import shutil

    from briefing.pipeline import render_code_digest

    package = tmp_path / "briefing"
    shutil.copytree(ROOT / "briefing" / "render", package / "render")
    before = render_code_digest(package)
    chart = package / "render" / "timeline.py"
    chart.write_text(chart.read_text("utf-8") + "\n# a changed chart\n", encoding="utf-8")
    render_code_digest.cache_clear()
    assert render_code_digest(package) != before
    assert render_code_digest() == render_code_digest(ROOT / "briefing")
