"""The day's articles from the configured sources: folders, globs, feed files and URLs.

A source that cannot be read is skipped with its reason; the others are still briefed.
Articles outside the look-back window (by published time, else by date) are left out.
"""

from __future__ import annotations

import glob as globbing
import ipaddress
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from briefing.config import Config, SourceConfig
from briefing.errors import IngestError
from briefing.ingest.feeds import parse_feed
from briefing.ingest.html import html_to_article
from briefing.ingest.text import MAX_ARTICLE_BYTES, decode, parse_article, slug
from briefing.models import Article

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
USER_AGENT = "briefing/0.1 (+https://briefing.invalid)"
TaskResult = tuple[list[Article], list["Skipped"]]
TaskMap = Callable[[Callable[["ReadTask"], TaskResult], Sequence["ReadTask"]], Sequence[TaskResult]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """A source, or one entry of it, that was not briefed, and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Collected:
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]


class _SafeRedirect(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) URLs."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-http URL", headers, fp)
        target = urlsplit(newurl).hostname or ""
        if target != urlsplit(req.full_url).hostname and _internal(target):
            raise urllib.error.HTTPError(
                newurl, code, "redirect to an internal address", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(url: str, *, timeout: float, max_bytes: int) -> bytes:
    """GET an http(s) URL with a timeout and a size limit."""
    if not url.lower().startswith(("http://", "https://")):
        raise IngestError(f"{url}: only http and https URLs are fetched")
    opener = urllib.request.build_opener(_SafeRedirect())
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise IngestError(f"{url}: cannot fetch: {reason}") from None
    if len(data) > max_bytes:
        raise IngestError(f"{url}: larger than {max_bytes} bytes")
    return data


def _files(source: SourceConfig) -> list[Path]:
    if source.glob is not None:
        return sorted(
            Path(p) for p in globbing.glob(source.glob, recursive=True) if Path(p).is_file()
        )
    assert source.path is not None
    if source.path.is_dir():
        suffixes = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
        return sorted(p for p in source.path.iterdir() if p.suffix.lower() in suffixes)
    return [source.path]


def _read_file(path: Path, source: SourceConfig, day: date) -> tuple[list[Article], list[Skipped]]:
    try:
        if path.stat().st_size > min(source.max_bytes, MAX_ARTICLE_BYTES):
            raise IngestError(f"{path}: larger than {source.max_bytes} bytes")
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES:
        return _feed(raw, str(path), source, day)
    text = decode(raw, str(path))
    if suffix in HTML_SUFFIXES:
        article = html_to_article(
            text, article_id=slug(path.stem), source=str(path), article_date=day,
            outlet=source.outlet,
        )  # fmt: skip
    else:
        article = parse_article(
            text, article_id=slug(path.stem), source=str(path), article_date=day,
            outlet=source.outlet,
        )  # fmt: skip
    return [article], []


def _internal(host: str) -> bool:
    """Loopback, private, link-local or reserved: not a place a stranger's link may send us."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return True  # unresolvable: refuse rather than guess
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_reserved
        ):
            return True
    return False


def _feed(
    raw: bytes, where: str, source: SourceConfig, day: date
) -> tuple[list[Article], list[Skipped]]:
    feed_host = urlsplit(where).hostname if "://" in where else None

    def fetch_linked(url: str) -> bytes:
        # a feed's links are a stranger's: only its own host, or public addresses
        host = urlsplit(url).hostname or ""
        if (
            url.lower().startswith(("http://", "https://"))
            and host != feed_host
            and _internal(host)
        ):
            raise IngestError(f"{url}: link to an internal address refused")
        return fetch_url(url, timeout=source.timeout, max_bytes=source.max_bytes)

    articles, problems = parse_feed(
        raw,
        source=where,
        default_date=day,
        outlet=source.outlet,
        fetch_linked=fetch_linked if source.fetch_linked else None,
    )
    return articles, [Skipped(source=where, reason=p) for p in problems]


@dataclass(frozen=True, slots=True)
class ReadTask:
    """One unit of reading: a feed (URL or file) or one article file of a source."""

    source: SourceConfig
    path: Path | None  # None: the source's feed URL


def read_tasks(config: Config) -> tuple[list[ReadTask], list[Skipped]]:
    """Every file or feed the configured sources name; a source naming none is skipped."""
    tasks: list[ReadTask] = []
    skipped: list[Skipped] = []
    for source in config.sources:
        if source.feed is not None:
            tasks.append(ReadTask(source, None if "://" in source.feed else Path(source.feed)))
            continue
        files = _files(source)
        if not files:
            where = source.glob if source.glob is not None else str(source.path)
            skipped.append(Skipped(source=where, reason=f"{where}: no article files found"))
        tasks.extend(ReadTask(source, path) for path in files)
    return tasks, skipped


def run_read_task(task: ReadTask, day: date) -> tuple[list[Article], list[Skipped]]:
    """Read one task; a failure becomes a Skipped entry, never an exception."""
    source = task.source
    try:
        if task.path is None:
            assert source.feed is not None
            raw = fetch_url(source.feed, timeout=source.timeout, max_bytes=source.max_bytes)
            return _feed(raw, source.feed, source, day)
        articles, skipped = _read_file(task.path, source, day)
        return [_dated_by_mtime(a, task.path) for a in articles], skipped
    except IngestError as exc:
        where = source.feed if source.feed is not None else str(task.path)
        return [], [Skipped(source=where, reason=str(exc))]


def _dated_by_mtime(article: Article, path: Path) -> Article:
    """A configured file that gives no date of its own is dated by its modification time,
    so an undated article is briefed on the day it arrived, not again every day."""
    if article.date_from != "brief date" or path.suffix.lower() in FEED_SUFFIXES:
        return article
    try:
        modified = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
    except OSError:
        return article
    return replace(article, date=modified.date(), published=modified, date_from="modification time")


def read_files(paths: Sequence[Path], day: date) -> tuple[Article, ...]:
    """Article files named by the user (text, saved pages, feeds); a bad file is an error."""
    articles: list[Article] = []
    for path in paths:
        if path.is_dir():
            raise IngestError(f"{path}: is a folder; name the article files")
        if not path.is_file():
            raise IngestError(f"{path}: no such file")
        found, _ = _read_file(path, SourceConfig(path=path), day)
        articles.extend(found)
    if not articles:
        raise IngestError("no articles given")
    return _unique_ids(articles)


def _unique_ids(articles: Sequence[Article]) -> tuple[Article, ...]:
    seen: set[str] = set()
    kept = []
    for article in articles:
        unique, n = article.id, 2
        while unique in seen:
            unique, n = f"{article.id}-{n}", n + 1
        seen.add(unique)
        kept.append(replace(article, id=unique) if unique != article.id else article)
    return tuple(kept)


def in_window(article: Article, day: date, zone: ZoneInfo, hours: int) -> bool:
    """Published within `hours` before the end of `day` in the zone (dates: that span)."""
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    start = end - timedelta(hours=hours)
    if article.published is not None:
        return start <= article.published < end
    return start.date() <= article.date <= day


def collect(config: Config, day: date, map_tasks: TaskMap | None = None) -> Collected:
    """Every configured source read; duplicates of the same text kept once; ids unique.

    map_tasks(fn, tasks) runs fn on each task and returns the results in order: the
    built-in map here, a Dask bag with `--executor dask` (briefing.executors).
    """
    zone = ZoneInfo(config.brief.timezone)
    tasks, skipped = read_tasks(config)
    mapper = map_tasks or (lambda fn, items: [fn(item) for item in items])
    articles: list[Article] = []
    for found, problems in mapper(partial(run_read_task, day=day), tasks):
        articles.extend(found)
        skipped.extend(problems)
    seen_digests: set[str] = set()
    kept: list[Article] = []
    for article in articles:
        if article.digest in seen_digests:
            continue
        if not in_window(article, day, zone, config.collect.lookback_hours):
            continue
        seen_digests.add(article.digest)
        kept.append(article)
    return Collected(articles=_unique_ids(kept), skipped=tuple(skipped))
