"""History in SQLite: which messages went to whom, so nothing is sent twice."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path
from types import TracebackType

from briefing.errors import DeliveryError

SCHEMA = """
CREATE TABLE IF NOT EXISTS sent_messages (
    message_id TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    audience   TEXT NOT NULL,
    brief_date TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (message_id, recipient)
);
"""


class History:
    """The history database; open it with `with History(path) as history:`."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise DeliveryError(f"history database {path}: {exc}") from exc

    def __enter__(self) -> History:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.db.close()

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
