"""The forecast ledger's tables in the history database.

Sightings are stored one row each under the entry they belong to; entries are the sightings
grouped by entry id. A run's sightings go in one transaction, so a killed run leaves the
ledger as it was before the run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date

from pydantic import TypeAdapter

from briefing.errors import BriefingError
from briefing.ledger import Entry, Resolution, Sighting, make_entry, ordered

SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger_sightings (
    key      TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL,
    seen     TEXT NOT NULL,
    sighting TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_sightings_entry ON ledger_sightings (entry_id);
CREATE TABLE IF NOT EXISTS ledger_outcomes (
    entry_id    TEXT PRIMARY KEY,
    outcome     TEXT NOT NULL,
    resolved_on TEXT NOT NULL,
    note        TEXT
);
"""

_SIGHTING = TypeAdapter(Sighting)


class LedgerStore:
    """Reads and writes the ledger through an open history connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.db.executescript(SCHEMA)

    def entries(self) -> tuple[Entry, ...]:
        """Every entry with all its sightings and its resolution, oldest first."""
        outcomes = {
            entry_id: Resolution(outcome=outcome, resolved_on=date.fromisoformat(on), note=note)
            for entry_id, outcome, on, note in self.db.execute(
                "SELECT entry_id, outcome, resolved_on, note FROM ledger_outcomes"
            )
        }
        grouped: dict[str, list[Sighting]] = {}
        for entry_id, data in self.db.execute(
            "SELECT entry_id, sighting FROM ledger_sightings ORDER BY seen, key"
        ):
            grouped.setdefault(entry_id, []).append(_SIGHTING.validate_json(data))
        return ordered(
            make_entry(entry_id, sightings, outcomes.get(entry_id))
            for entry_id, sightings in grouped.items()
        )

    def add(self, added: Sequence[tuple[str, Sighting]]) -> None:
        """Store a run's new sightings, all or none; sightings already stored are kept."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT INTO ledger_sightings VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
                self._rows(added),
            )

    def _rows(self, added: Sequence[tuple[str, Sighting]]) -> Iterator[tuple[str, str, str, str]]:
        for entry_id, sighting in added:
            yield (
                sighting.key,
                entry_id,
                sighting.seen.isoformat(),
                _SIGHTING.dump_json(sighting).decode(),
            )

    def find(self, prefix: str) -> Entry:
        """The entry whose id starts with prefix; an error naming the problem otherwise."""
        wanted = prefix.strip().lower()
        found = [e for e in self.entries() if e.id.startswith(wanted)] if wanted else []
        if len(found) != 1:
            why = "no entry" if not found else f"{len(found)} entries"
            raise BriefingError(
                f"ledger: {why} with id {prefix!r}; `briefing ledger list` shows the ids"
            )
        return found[0]

    def resolve(self, entry_id: str, resolution: Resolution) -> None:
        """Record (or replace) what came of an entry."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "INSERT OR REPLACE INTO ledger_outcomes VALUES (?, ?, ?, ?)",
                (
                    entry_id,
                    resolution.outcome,
                    resolution.resolved_on.isoformat(),
                    resolution.note,
                ),
            )
