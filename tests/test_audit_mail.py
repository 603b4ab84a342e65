"""Second audit, point 4: email is never sent twice by us. A send killed while the server
answers DATA leaves the message in doubt and a retry does not repeat it; concurrent
retries share the outbox's lock. Real SMTP (aiosmtpd on 127.0.0.1), real kills."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiosmtpd.smtp import Envelope, Session

from tests.conftest import EXAMPLES, ROOT
from tests.smtp_server import Recorder, free_port, smtp_server

pytestmark = pytest.mark.slow  # end to end: run by `pytest -m slow` (README)

DAY = "2025-03-06"
ECONOMY = EXAMPLES / "economy-central-bank.txt"
KILLS = 20


class SlowRecorder(Recorder):
    """Takes the message, says so to the test, and waits before its 250 (as the audit's)."""

    def __init__(self) -> None:
        super().__init__()
        self.data_started = threading.Event()

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        self.data_started.set()
        await asyncio.sleep(1.0)
        return answer


def _desk(tmp_path: Path, audiences: int, port: int) -> Path:
    config = {
        "output": {"dir": "out"},
        "history": {"path": "out/history.sqlite"},
        "audiences": [
            {"name": f"a{n}", "formats": ["md", "html"], "recipients": [f"desk{n}@example.org"]}
            for n in range(audiences)
        ],
        "brief": {"audience": "a0"},
        "mail": {
            "host": "127.0.0.1", "port": port, "security": "none", "username": None,
            "from": "brief@example.org", "attach_pdf": False, "timeout": 30,
        },
    }  # fmt: skip
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    built = _cli("build", ECONOMY, "--date", DAY, "--all-audiences", "--config", path)
    assert built.returncode == 0, built.stderr
    return path


def _cli(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *map(str, args)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _popen(*args: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", *map(str, args)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _deliveries(recorder: Recorder) -> Counter[str]:
    return Counter(str(message["Message-ID"]) for _, message in recorder.received)


def test_kill_9_during_data_then_retry_never_delivers_twice(tmp_path: Path) -> None:
    port = free_port()
    config = _desk(tmp_path, KILLS, port)
    recorder = SlowRecorder()
    with smtp_server(recorder, port):
        for n in range(KILLS):
            recorder.data_started.clear()
            proc = _popen("send", "--date", DAY, "--audience", f"a{n}", "--config", config)
            assert recorder.data_started.wait(timeout=120), f"send a{n} never reached DATA"
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            retry = _cli("send", "--retry", "--config", config)
            assert retry.returncode == 3 and "in doubt" in retry.stderr, retry.stderr
    deliveries = _deliveries(recorder)
    assert len(deliveries) == KILLS  # each message reached the server once ...
    assert max(deliveries.values()) == 1  # ... and never twice: 0 duplicates


def test_concurrent_retries_deliver_each_message_once(tmp_path: Path) -> None:
    port = free_port()
    config = _desk(tmp_path, 3, port)
    down = _cli("send", "--date", DAY, "--config", config)  # no server: all wait
    assert down.returncode == 3, down.stderr
    recorder = Recorder()
    with smtp_server(recorder, port):
        first = _popen("send", "--retry", "--config", config)
        second = _popen("send", "--retry", "--config", config)
        codes = (first.wait(timeout=300), second.wait(timeout=300))
    assert codes == (0, 0)
    deliveries = _deliveries(recorder)
    assert len(deliveries) == 3 and max(deliveries.values()) == 1
