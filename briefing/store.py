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


class History:
    """The history database; open it with `with History(path) as history:`.

    It holds recipient addresses, so the file is made readable by its owner only (0600),
    and SQLite gives its -wal and -shm files the same mode.
    """

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise PathError(f"history database {path}: {why}") from None

    def __enter__(self) -> History:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.db.close()

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
