"""Second audit, point 15: the preview answers only its own Host names (DNS rebinding)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from briefing.analyse import Analyser
from briefing.ingest import read_files
from briefing.preview import Preview, Running, start
from tests.conftest import EXAMPLES, SEED_DATE


@pytest.fixture()
def running(analyser: Analyser) -> Iterator[Running]:
    analysis = analyser(read_files(sorted(EXAMPLES.glob("*.txt"))[:1], SEED_DATE))
    server = start(Preview(analysis, None, SEED_DATE, None), port=0)
    yield server
    server.close()


def test_only_its_own_host_names_are_answered(running: Running) -> None:
    """DNS rebinding: a page of evil.example pointed at 127.0.0.1 sends Host: evil.example."""
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(running.url)
    port = where.port or 80

    def status(host: str | None, path: str = "/__version") -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.putrequest("GET", path, skip_host=True)
            if host is not None:
                connection.putheader("Host", host)
            connection.endheaders()
            return connection.getresponse().status
        finally:
            connection.close()

    for host in ("127.0.0.1", f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST", "[::1]:1"):
        assert status(host) == 200, host
    for host in (f"evil.example:{port}", "127.0.0.1.evil.example", "evil@127.0.0.1", "", None):
        assert status(host) == 403, host
        assert status(host, "/") == 403 and status(host, "/brief.pdf") == 403, host


def test_the_host_given_is_answered_too() -> None:
    from briefing.preview import host_names

    assert host_names("0.0.0.0") == {"127.0.0.1", "localhost", "::1", "0.0.0.0"}
    assert "desk.example.org" in host_names("Desk.Example.org")
    assert "::1" in host_names("[::1]")
