"""History in SQLite: the analysis cache, the stories briefed on each date, and which
messages went to whom, so nothing is analysed, reported as new, or sent twice."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from pydantic import TypeAdapter

from briefing.errors import PathError
from briefing.models import ArticleAnalysis

if TYPE_CHECKING:
    from briefing.ledger_store import LedgerStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS analysis_cache (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS briefed_stories (
    brief_date TEXT NOT NULL,
    story_key  TEXT NOT NULL,
    title      TEXT NOT NULL,
    actors     TEXT NOT NULL,
    articles   TEXT NOT NULL,
    PRIMARY KEY (brief_date, story_key)
);
CREATE TABLE IF NOT EXISTS sent_messages (
    message_id TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    audience   TEXT NOT NULL,
    brief_date TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (message_id, recipient)
);
CREATE TABLE IF NOT EXISTS rendered_briefs (
    brief_date TEXT NOT NULL,
    audience   TEXT NOT NULL,
    render_key TEXT NOT NULL,
    PRIMARY KEY (brief_date, audience)
);
"""


_ANALYSIS = TypeAdapter(ArticleAnalysis)


def _columns(db: sqlite3.Connection) -> dict[str, list[tuple[str, str, int, int]]]:
    """Each table's columns: name, type, NOT NULL, position in the primary key."""
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {
        table: [(c[1], c[2], c[3], c[5]) for c in db.execute(f'PRAGMA table_info("{table}")')]
        for table in tables
    }


def _check_shape(db: sqlite3.Connection, path: Path, schema: str) -> None:
    """Every table of briefing's that the file has holds the columns briefing expects; else
    a PathError naming the file (the missing tables are created afterwards).

    CREATE TABLE IF NOT EXISTS keeps a table of the same name whatever its columns, so a
    foreign or older file would only fail later, in the middle of a run.
    """
    expected_db = sqlite3.connect(":memory:")
    try:
        expected_db.executescript(schema)
        expected = _columns(expected_db)
    finally:
        expected_db.close()
    found = _columns(db)
    for table, columns in expected.items():
        if table in found and found[table] != columns:
            names = ", ".join(c[0] for c in found[table]) or "none"
            raise PathError(
                f"history database {path}: table {table} has columns ({names}), not the "
                f"({', '.join(c[0] for c in columns)}) briefing expects: not a briefing "
                "history, or a damaged one; move it away to start a new one"
            )


class History:
    """The history database; open it with `with History(path) as history:`.

    It holds recipient addresses, so the file is made readable by its owner only (0600),
    and SQLite gives its -wal and -shm files the same mode.
    """

    busy_timeout = 30.0  # seconds to wait for another process's write lock

    def __init__(self, path: Path) -> None:
        from briefing.ledger_store import SCHEMA as LEDGER_SCHEMA

        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
            self.db = sqlite3.connect(path, timeout=self.busy_timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise PathError(f"history database {path}: {why}") from None
        try:
            _check_shape(self.db, path, SCHEMA + LEDGER_SCHEMA)  # before anything is written
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA + LEDGER_SCHEMA)
        except BaseException as exc:
            self.db.close()
            if isinstance(exc, sqlite3.Error):
                raise PathError(self.problem(exc)) from None
            raise

    def problem(self, exc: sqlite3.Error) -> str:
        """What went wrong with the database, naming the file, as one line."""
        why = str(exc)
        if "locked" in why or "busy" in why:
            why += f" (another process held it for over {self.busy_timeout:g} s)"
        elif isinstance(exc, sqlite3.DatabaseError) and not isinstance(
            exc, sqlite3.OperationalError
        ):
            why += " (damaged or not a history database: move it away to start a new one)"
        return f"history database {self.path}: {why}"

    def __enter__(self) -> History:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close; a database error inside the block becomes a PathError naming the file."""
        self.db.close()
        if isinstance(exc, sqlite3.Error):
            raise PathError(self.problem(exc)) from exc

    @property
    def ledger(self) -> LedgerStore:
        """The forecast ledger, in the same database."""
        from briefing.ledger_store import LedgerStore

        return LedgerStore(self.db)

    def delivered(self, message_id: str) -> set[str]:
        """Recipients that already accepted this message."""
        rows = self.db.execute(
            "SELECT recipient FROM sent_messages WHERE message_id = ?", (message_id,)
        )
        return {row[0] for row in rows}

    def record(
        self, message_id: str, recipients: list[str], audience: str, brief_date: date, at: datetime
    ) -> None:
        """Remember that the server accepted message_id for these recipients."""
        self.db.executemany(
            "INSERT OR IGNORE INTO sent_messages VALUES (?, ?, ?, ?, ?)",
            [(message_id, r, audience, brief_date.isoformat(), at.isoformat()) for r in recipients],
        )

    def delivered_at(self, message_id: str) -> str | None:
        """When the last recipient of this message accepted it (ISO time), if any did."""
        row = self.db.execute(
            "SELECT max(sent_at) FROM sent_messages WHERE message_id = ?", (message_id,)
        ).fetchone()
        return row[0] if row else None

    # what was rendered (so a re-run of the same inputs reuses the files)

    def render_key(self, brief_date: date, audience: str) -> str | None:
        """The render key of the brief last written for this date and audience."""
        row = self.db.execute(
            "SELECT render_key FROM rendered_briefs WHERE brief_date = ? AND audience = ?",
            (brief_date.isoformat(), audience),
        ).fetchone()
        return row[0] if row else None

    def forget_renders(self, brief_date: date) -> None:
        """The date's briefs were rewritten by hand (`build`): a run must render again."""
        self.db.execute(
            "DELETE FROM rendered_briefs WHERE brief_date = ?", (brief_date.isoformat(),)
        )

    def record_render(self, brief_date: date, audience: str, key: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO rendered_briefs VALUES (?, ?, ?)",
            (brief_date.isoformat(), audience, key),
        )

    # the analysis cache (briefing.analyse.Cache)

    def get(self, key: str) -> ArticleAnalysis | None:
        """A cached per-article analysis, if this exact article was analysed before."""
        row = self.db.execute("SELECT value FROM analysis_cache WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return _ANALYSIS.validate_json(row[0])
        except ValueError:
            return None  # written by an incompatible version: analyse again

    def put(self, key: str, value: ArticleAnalysis) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO analysis_cache VALUES (?, ?)", (key, _ANALYSIS.dump_json(value))
        )

    # stories briefed

    def earlier_stories(self, before: date) -> list[tuple[str, str, set[str], set[str]]]:
        """(date, key, actors, article digests) of stories briefed before a date."""
        rows = self.db.execute(
            "SELECT brief_date, story_key, actors, articles FROM briefed_stories "
            "WHERE brief_date < ? ORDER BY brief_date",
            (before.isoformat(),),
        )
        return [(d, k, set(json.loads(a)), set(json.loads(b))) for d, k, a, b in rows]

    def record_stories(
        self, brief_date: date, stories: list[tuple[str, str, list[str], list[str]]]
    ) -> None:
        """Replace what was briefed on brief_date: (key, title, actors, article digests)."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "DELETE FROM briefed_stories WHERE brief_date = ?", (brief_date.isoformat(),)
            )
            self.db.executemany(
                "INSERT INTO briefed_stories VALUES (?, ?, ?, ?, ?)",
                [
                    (brief_date.isoformat(), key, title, json.dumps(actors), json.dumps(digests))
                    for key, title, actors, digests in stories
                ],
            )
