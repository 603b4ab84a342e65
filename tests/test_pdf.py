"""Real PDFs, read back with pypdf; the URL fetcher against a live server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.server
import io
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pypdf
import pytest

from briefing.config import Config, parse_config
from briefing.render import render_brief
from tests.conftest import ROOT, sample_context


def _outline_titles(reader: pypdf.PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def test_pdf_has_text_page_numbers_bookmarks_and_metadata(config: Config) -> None:
    text = "Inflation is likely to ease next year, Naledi Khumalo said."
    brief = render_brief(sample_context(text), config, ("pdf",))
    assert brief.pdf is not None and brief.pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(brief.pdf))
    content = "\n".join(page.extract_text() for page in reader.pages)
    assert "Inflation is likely to ease next year" in content
    assert f"Page 1 of {len(reader.pages)}" in content
    assert "UNCLASSIFIED" in content and "2 January 2025" in content
    titles = _outline_titles(reader)
    assert titles[0] == "Daily brief: 2 January 2025"
    assert {"Bottom line", "Key claims", "Actors", "Outlook", "Sources"} <= set(titles)
    meta = reader.metadata
    assert meta is not None and meta.title == "Daily brief: 2 January 2025"
    assert meta.author == "briefing"


def test_pdf_is_reproducible(config: Config) -> None:
    first = render_brief(sample_context(), config, ("pdf",)).pdf
    second = render_brief(sample_context(), config, ("pdf",)).pdf
    assert first == second


_CHILD = """
import sys
import weasyprint.pdf.fonts
if sys.argv[1] == "fonttools":  # as on a machine without libharfbuzz-subset0
    weasyprint.pdf.fonts.harfbuzz_subset = None
from briefing.config import parse_config
from briefing.render import render_brief
from tests.conftest import sample_context
pdf = render_brief(sample_context(), parse_config({}), ("pdf",)).pdf
sys.stdout.buffer.write(pdf)
"""


def _pdf_in_a_process(subsetter: str, seed: str) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run(
        [sys.executable, "-c", _CHILD, subsetter],
        env=env, cwd=ROOT, capture_output=True, check=True, timeout=120,
    ).stdout  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("subsetter", ["harfbuzz", "fonttools"])
def test_pdf_is_byte_identical_across_processes(subsetter: str) -> None:
    """fontTools stamps each font subset with the time; briefing fixes that timestamp."""
    import weasyprint.pdf.fonts

    first = _pdf_in_a_process(subsetter, "1")
    second = _pdf_in_a_process(subsetter, "2")
    assert first[:5] == b"%PDF-" and len(first) > 5_000
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    if subsetter == "fonttools" and weasyprint.pdf.fonts.harfbuzz_subset is not None:
        # the switch took effect: the other subsetter makes other (but stable) bytes
        assert first != _pdf_in_a_process("harfbuzz", "1")


def test_letter_page_size(tmp_path: Path) -> None:
    config = parse_config({"render": {"page_size": "Letter"}}, base_dir=tmp_path)
    pdf = render_brief(sample_context(), config, ("pdf",)).pdf
    assert pdf is not None
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def local_server() -> Iterator[str]:
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetcher_refuses_files_and_network_but_serves_own_assets(
    tmp_path: Path, local_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not really")
    user = tmp_path / "templates"
    user.mkdir()
    logo = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    (user / "logo.png").write_bytes(logo)
    (user / "page.html.j2").write_text(
        "<html><head><style>{{ css }}</style>"
        f'<link rel="stylesheet" href="{local_server}/evil.css"></head><body>'
        f'<img src="file://{secret}"><img src="{local_server}/track.png">'
        '<img src="http://169.254.169.254/latest/meta-data/"><img src="../secret.png">'
        '<img src="logo.png"><img src="data:image/png;base64,iVBORw0KGgo=">'
        "{{ body }}</body></html>",
        encoding="utf-8",
    )
    config = parse_config({"templates": {"dir": "templates"}}, base_dir=tmp_path)
    with caplog.at_level(logging.WARNING, logger="briefing.pdf"):
        pdf = render_brief(sample_context(), config, ("pdf",)).pdf
    assert pdf is not None
    assert _Recorder.seen == []
    refused = " ".join(r.getMessage() for r in caplog.records)
    assert str(secret) in refused and "169.254.169.254" in refused
    assert "127.0.0.1" in refused and "logo.png" not in refused
