"""Second audit, point 15: a corrupt, locked or wrongly shaped history database is an
error naming the file with exit 2, never an internal error (exit 1) in the middle of a run."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from briefing.errors import PathError
from briefing.store import History
from tests.conftest import EXAMPLES, ROOT

ECONOMY = EXAMPLES / "economy-central-bank.txt"


def _random_bytes(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 40)


def _sqlite_header_then_garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)


def _wrong_tables(path: Path) -> None:
    """A SQLite file of another program whose table names happen to be ours."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE analysis_cache (key TEXT)")
    db.execute("CREATE TABLE sent_messages (id INTEGER, who TEXT)")
    db.commit()
    db.close()


@pytest.mark.parametrize("spoil", [_random_bytes, _sqlite_header_then_garbage, _wrong_tables])
@pytest.mark.parametrize("command", [["run", "--date", "2025-03-06"], ["ledger", "list"]])
def test_a_spoilt_history_database_is_one_line_naming_it_exit_2(
    tmp_path: Path, spoil: object, command: list[str]
) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / ECONOMY.name).write_bytes(ECONOMY.read_bytes())
    config = {"sources": [{"path": "sources"}], "history": {"path": "state/history.sqlite"}}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "state").mkdir()
    database = tmp_path / "state" / "history.sqlite"
    spoil(database)  # type: ignore[operator]
    before = database.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "briefing", *command],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"briefing: error: history database {database}: "), line
    assert "move it away to start a new one" in line
    assert database.read_bytes() == before  # not "repaired" or overwritten
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_history_damaged_inside_is_a_path_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    with History(path) as history:
        for n in range(300):
            history.db.execute("INSERT INTO analysis_cache VALUES (?, ?)", (f"k{n}", b"x" * 3000))
    data = bytearray(path.read_bytes())
    for offset in range(3 * 4096, len(data), 4096):  # every page after the first three
        data[offset : offset + 100] = b"\xff" * 100
    path.write_bytes(bytes(data))
    with (
        pytest.raises(PathError, match=rf"history database {path}: .*malformed"),
        History(path) as history,
    ):
        history.get("k250")


def test_a_history_locked_by_another_process_is_a_path_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite"
    with History(path):
        pass
    monkeypatch.setattr(History, "busy_timeout", 0.1)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with (
            pytest.raises(PathError, match=rf"history database {path}: database is locked"),
            History(path) as history,
        ):
            history.record_stories(date(2025, 3, 6), [("k", "t", ["a"], ["d"])])
    finally:
        holder.rollback()
        holder.close()
    with History(path) as history:  # once the holder is gone, the same write goes through
        history.record_stories(date(2025, 3, 6), [("k", "t", ["a"], ["d"])])
        assert history.earlier_stories(date(2025, 3, 7))
