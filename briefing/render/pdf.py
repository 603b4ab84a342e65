"""PDF with WeasyPrint, behind a URL fetcher that only serves briefing's own assets."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from briefing.errors import RenderError
from briefing.safetext import one_line, shown_path

LOG = logging.getLogger("briefing.pdf")
FONT_EPOCH = "946684800"  # 2000-01-01: the date fontTools writes into subset fonts
_EPOCH_LOCK = threading.Lock()


@contextmanager
def _fixed_font_timestamps() -> Iterator[None]:
    """Without libharfbuzz-subset WeasyPrint subsets fonts with fontTools, which stamps each
    subset with the current time (head.modified) unless SOURCE_DATE_EPOCH is set, so two runs
    differed; a fixed epoch (the user's own, if set) makes the PDF the same in every process."""
    with _EPOCH_LOCK:
        if "SOURCE_DATE_EPOCH" in os.environ:
            yield
            return
        os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
        try:
            yield
        finally:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def _make_fetcher(asset_dirs: tuple[Path, ...]) -> Any:
    from weasyprint.urls import URLFetcher

    roots = tuple(p.resolve() for p in asset_dirs)

    class AssetFetcher(URLFetcher):
        """data: URIs and files inside the asset folders; everything else is refused."""

        refused: list[str]

        def __init__(self) -> None:
            super().__init__(allow_redirects=False, allowed_protocols=("data", "file"))
            self.refused = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    return super().fetch(url, headers)
            self.refused.append(url)
            LOG.warning("refused to fetch %s", url)
            raise ValueError(f"briefing does not fetch {url}")

    return AssetFetcher()


def font_count() -> int:
    """How many fonts fontconfig finds, asked the way WeasyPrint will ask it."""
    try:
        with warnings.catch_warnings():  # WeasyPrint's "No fonts configured": ours says more
            warnings.simplefilter("ignore", UserWarning)
            from weasyprint.text.ffi import ffi, fontconfig
    except OSError as exc:  # missing Pango, fontconfig or similar system library
        raise RenderError(f"WeasyPrint cannot start: {one_line(exc)}") from exc
    config = fontconfig.FcInitLoadConfigAndFonts()
    if config == ffi.NULL:
        return 0
    try:
        fonts = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
        return 0 if fonts == ffi.NULL else int(fonts.nfont)
    finally:
        fontconfig.FcConfigDestroy(config)


@functools.cache
def require_fonts() -> None:
    """Stop before WeasyPrint runs when fontconfig finds no font: Pango then crashes the
    process (SIGSEGV, exit 139, no message) instead of raising. Asked once per process."""
    if font_count() == 0:
        where = os.environ.get("FONTCONFIG_FILE")
        raise RenderError(
            "no fonts found: fontconfig lists none"
            + (f" (FONTCONFIG_FILE={shown_path(where)})" if where else "")
            + ", and WeasyPrint cannot make a PDF without one; install a font package "
            "(fonts-dejavu-core on Debian and Ubuntu) or leave pdf out of the formats"
        )


def render_pdf(html: str, *, asset_dirs: tuple[Path, ...], page_css: str) -> bytes:
    """HTML to PDF bytes; same input, same bytes (fixed identifier, no timestamps)."""
    require_fonts()
    try:
        with warnings.catch_warnings():  # "No fonts configured": require_fonts said so
            warnings.simplefilter("ignore", UserWarning)
            from weasyprint import CSS, HTML
    except OSError as exc:  # missing Pango or similar system library
        raise RenderError(f"WeasyPrint cannot start: {one_line(exc)}") from exc
    fetcher = _make_fetcher(asset_dirs)
    base = asset_dirs[0].resolve().as_uri() + "/" if asset_dirs else None
    try:
        document = HTML(string=html, base_url=base, url_fetcher=fetcher)
        with _fixed_font_timestamps():
            pdf = document.write_pdf(
                stylesheets=[CSS(string=page_css, url_fetcher=fetcher)],
                pdf_identifier=hashlib.sha256(html.encode("utf-8")).digest()[:16],
            )
    except Exception as exc:
        raise RenderError(f"PDF rendering failed: {exc}") from exc
    if pdf is None:
        raise RenderError("PDF rendering produced nothing")
    return bytes(pdf)
