"""Second audit, point 7: one deadline per request, and a feed's links reach only the
feed's own host and port or global addresses, connected to as checked."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from briefing.config import parse_config
from briefing.errors import IngestError
from briefing.ingest.sources import collect, fetch_url, public_address

DAY = date(2025, 9, 18)


@pytest.fixture()
def trickle() -> Iterator[str]:
    """A server that sends its headers at once and then one byte of body at a time."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            while not stop.is_set():
                try:
                    conn.sendall(b"x")
                except OSError:
                    return
                stop.wait(0.2)  # each read gets a byte well inside the per-read timeout

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/feed.xml"
    stop.set()
    server.close()


def test_a_trickling_server_cannot_hold_a_request_past_its_deadline(trickle: str) -> None:
    # 1000 bytes at 5 a second: 200 s of reads, each well inside the 1 s timeout
    with pytest.raises(IngestError, match="timed out"):
        fetch_url(trickle, timeout=1.0, max_bytes=1_000_000)


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "10.1.2.3", "100.64.0.1", "169.254.169.254", "224.0.0.1", "::1"]
)
def test_linked_pages_need_global_addresses(host: str) -> None:
    with pytest.raises(IngestError, match="internal address refused"):
        public_address(host, 80)


def test_a_link_to_another_port_of_the_feed_host_is_refused(tmp_path: Path) -> None:
    """The feed's own host is allowed only on the feed's own port."""
    other = socket.socket()
    other.bind(("127.0.0.1", 0))
    other.listen()
    port = other.getsockname()[1]
    feed = tmp_path / "feed.xml"
    feed.write_text(
        f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><title>Admin</title><link>http://127.0.0.1:{port}/admin</link>
<pubDate>Thu, 18 Sep 2025 08:00:00 GMT</pubDate><description>short</description></item>
</channel></rss>""",
        encoding="utf-8",
    )
    config = parse_config(
        {"sources": [{"feed": str(feed), "fetch_linked": True}]}, base_dir=tmp_path
    )
    other.settimeout(0.01)
    collected = collect(config, DAY)
    with pytest.raises(TimeoutError):
        other.accept()  # nothing connected to it
    other.close()
    [skipped] = collected.skipped
    assert "internal address refused" in skipped.reason
