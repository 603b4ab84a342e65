"""The day's articles from the configured sources: folders, globs, feed files and URLs.

A source that cannot be read is skipped with its reason; the others are still briefed.
Articles outside the look-back window (by published time, else by date) are left out.
"""

from __future__ import annotations

import glob as globbing
import http.client
import ipaddress
import os
import socket
import stat
import time as clock
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from briefing.config import Config, SourceConfig
from briefing.errors import IngestError
from briefing.ingest.feeds import parse_feed
from briefing.ingest.html import html_to_article
from briefing.ingest.text import MAX_ARTICLE_BYTES, check_date, decode, parse_article, slug
from briefing.models import Article
from briefing.safetext import one_line, printable, shown_path

MAX_ARTICLES_PER_RUN = 5_000  # a daily brief; beyond this clustering and rendering crawl
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


Pin = Callable[[str, int], "str | None"]


def _pinned(cls: type[http.client.HTTPConnection], pin: Pin) -> Callable[..., Any]:
    """A connection factory that connects to the address pin(host, port) checked, not to
    whatever the name resolves to a moment later (no DNS-rebinding window)."""

    def connection(host: str, **options: Any) -> http.client.HTTPConnection:
        conn = cls(host, **options)
        address = pin(conn.host, conn.port)
        if address is not None:
            connect = socket.create_connection

            def to_checked(where: tuple[str, int], *args: Any, **kw: Any) -> socket.socket:
                return connect((address, where[1]), *args, **kw)

            conn._create_connection = to_checked  # type: ignore[attr-defined]
        return conn

    return connection


class _PinnedHTTP(urllib.request.HTTPHandler):
    def __init__(self, pin: Pin) -> None:
        super().__init__()
        self.pin = pin

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_pinned(http.client.HTTPConnection, self.pin), req)


class _PinnedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, pin: Pin) -> None:
        super().__init__()
        self.pin = pin

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_pinned(http.client.HTTPSConnection, self.pin), req)


def fetch_url(url: str, *, timeout: float, max_bytes: int, pin: Pin | None = None) -> bytes:
    """GET an http(s) URL within one overall deadline of timeout seconds and max_bytes.

    pin(host, port), when given, checks every connection (redirects too) and names the
    address to connect to.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise IngestError(f"{url}: only http and https URLs are fetched")
    handlers: list[urllib.request.BaseHandler] = [_SafeRedirect()]
    if pin is not None:
        handlers += [_PinnedHTTP(pin), _PinnedHTTPS(pin)]
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    deadline = clock.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            data = _read_until(response, deadline, max_bytes, url, timeout)
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise IngestError(f"{url}: cannot fetch: {reason}") from None
    if len(data) > max_bytes:
        raise IngestError(f"{url}: larger than {max_bytes} bytes")
    return data


def _read_until(response: Any, deadline: float, max_bytes: int, url: str, timeout: float) -> bytes:
    """The body, chunk by chunk, stopping at the deadline: a server sending a byte a
    second cannot hold the run past it (each socket read waits at most what is left)."""
    chunks: list[bytes] = []
    size = 0
    sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
    while size <= max_bytes:
        left = deadline - clock.monotonic()
        if left <= 0:
            raise IngestError(f"{url}: timed out: no whole response within {timeout} s")
        if sock is not None:
            sock.settimeout(left)
        chunk = response.read1(min(1 << 16, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


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


def _root(source: SourceConfig) -> Path | None:
    """The folder a source's files must stay in once links are resolved (None: one file)."""
    if source.glob is not None:
        parts = Path(source.glob).parts
        stop = next((n for n, part in enumerate(parts) if globbing.has_magic(part)), len(parts))
        return Path(*parts[:stop]) if stop else Path(".")
    if source.path is not None and source.path.is_dir():
        return source.path
    return None


def _opened_path(fd: int, path: Path) -> Path:
    """Where the open file really is: the kernel's answer, not the name we opened."""
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:  # no /proc: the resolved name, if it is still the same file
        real = Path(os.path.realpath(path))
        if not os.path.samestat(os.stat(real), os.fstat(fd)):
            raise IngestError(f"{shown_path(path)}: changed while it was opened") from None
        return real


def read_bounded(path: Path, limit: int, root: Path | None = None) -> bytes:
    """A regular file's bytes, at most limit of them, and only from inside root.

    The file is opened without blocking (a FIFO cannot hang the run) and then checked:
    a device, FIFO or folder is refused, and so is a link that leads out of root.
    The read stops at limit + 1 bytes whatever the file's size claims.
    """
    name = shown_path(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise IngestError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IngestError(f"{name}: not a regular file (a device, pipe or folder)")
        if root is not None:
            inside = Path(os.path.realpath(root))
            if not _opened_path(fd, path).is_relative_to(inside):
                raise IngestError(f"{name}: links outside its source folder {shown_path(root)}")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise IngestError(f"{name}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise IngestError(f"{name}: larger than {limit} bytes")
    return b"".join(chunks)


def _read_file(
    path: Path, source: SourceConfig, day: date, root: Path | None = None
) -> tuple[list[Article], list[Skipped]]:
    raw = read_bounded(path, min(source.max_bytes, MAX_ARTICLE_BYTES), root)
    where = shown_path(path)
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES:
        return _feed(raw, where, source, day)
    text = decode(raw, where)
    if suffix in HTML_SUFFIXES:
        article = html_to_article(
            text, article_id=slug(path.stem), source=where, article_date=day,
            outlet=source.outlet,
        )  # fmt: skip
    else:
        article = parse_article(
            text, article_id=slug(path.stem), source=where, article_date=day,
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


def public_address(host: str, port: int) -> str:
    """The one address host resolves to, if every address it has is global (not private,
    shared 100.64/10, loopback, link-local, reserved or multicast); refused otherwise."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise IngestError(f"{host}: cannot resolve; link refused") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses or any(not a.is_global or a.is_multicast for a in addresses):
        raise IngestError(f"{host}: link to an internal address refused")
    return str(addresses[0])


def _feed(
    raw: bytes, where: str, source: SourceConfig, day: date
) -> tuple[list[Article], list[Skipped]]:
    origin = _origin(where) if "://" in where else None

    def pin(host: str, port: int) -> str | None:
        # a feed's links are a stranger's: the feed's own host and port, or public addresses
        return None if (host.lower(), port) == origin else public_address(host, port)

    def fetch_linked(url: str) -> bytes:
        return fetch_url(url, timeout=source.timeout, max_bytes=source.max_bytes, pin=pin)

    articles, problems = parse_feed(
        raw,
        source=where,
        default_date=day,
        outlet=source.outlet,
        fetch_linked=fetch_linked if source.fetch_linked else None,
    )
    shown = printable(where)
    return articles, [Skipped(source=shown, reason=one_line(p)) for p in problems]


def _origin(url: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(url)
        default = 443 if parts.scheme.lower() == "https" else 80
        return (parts.hostname or "").lower(), parts.port or default
    except ValueError:
        return None


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
    """Read one task; a failure of any kind becomes a Skipped entry, never an exception."""
    source = task.source
    where = shown_path(source.feed if source.feed is not None else str(task.path))
    try:
        if task.path is None:
            assert source.feed is not None
            raw = fetch_url(source.feed, timeout=source.timeout, max_bytes=source.max_bytes)
            return _feed(raw, source.feed, source, day)
        articles, skipped = _read_file(task.path, source, day, _root(source))
        return [_dated_by_mtime(a, task.path) for a in articles], skipped
    except IngestError as exc:
        return [], [Skipped(source=where, reason=one_line(exc))]
    except (Exception, RecursionError) as exc:  # one source's failure is never the run's
        return [], [Skipped(source=where, reason=f"{where}: cannot be read: {_failure(exc)}")]


def _failure(exc: BaseException) -> str:
    return one_line(f"{type(exc).__name__}: {exc}")


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
    check_date(day, "brief date")
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
    next_suffix: dict[str, int] = {}  # where to go on counting: linear for identical ids
    kept = []
    for article in articles:
        unique, n = article.id, next_suffix.get(article.id, 2)
        while unique in seen:
            unique, n = f"{article.id}-{n}", n + 1
        next_suffix[article.id] = n
        seen.add(unique)
        kept.append(replace(article, id=unique) if unique != article.id else article)
    return tuple(kept)


def in_window(article: Article, day: date, zone: ZoneInfo, hours: int) -> bool:
    """Published within `hours` before the end of `day` in the zone (dates: that span).

    The hours are elapsed time, counted in UTC: across a DST change the window is still
    `hours` long (wall-clock arithmetic on the zone's times would give one more or less).
    """
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).astimezone(timezone.utc)
    start = end - timedelta(hours=hours)
    if article.published is not None:
        return start <= article.published < end
    return start.astimezone(zone).date() <= article.date <= day


def collect(config: Config, day: date, map_tasks: TaskMap | None = None) -> Collected:
    """Every configured source read; duplicates of the same text kept once; ids unique.

    map_tasks(fn, tasks) runs fn on each task and returns the results in order: the
    built-in map here, a Dask bag with `--executor dask` (briefing.executors).
    """
    check_date(day, "brief date")
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
        if len(kept) == MAX_ARTICLES_PER_RUN:
            skipped.append(
                Skipped(
                    source=article.source,
                    reason=f"more than {MAX_ARTICLES_PER_RUN} articles in one run; "
                    "this one and the rest are left out",
                )
            )
            break
        seen_digests.add(article.digest)
        kept.append(article)
    return Collected(articles=_unique_ids(kept), skipped=tuple(skipped))
