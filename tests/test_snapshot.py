"""The analysis of fixed article sets against tests/data/analysis-snapshot.json.

A restructuring of the analysis must move no set; a rule change moves the sets it changes,
and the commit that makes it rewrites the snapshot (`python -m tests.snapshot --write`).
"""

from __future__ import annotations

import json

from tests.snapshot import SNAPSHOT, article_sets, digests


def test_every_set_has_a_stored_digest() -> None:
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    names = [name for name, _, _ in article_sets()]
    assert len(names) == len(set(names))
    own = [n for n in names if not n.startswith("shared/")]
    assert len(own) >= 40 and all(n in stored for n in own)


def test_analysis_matches_the_snapshot() -> None:
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    now = digests()  # the shared/ sets only where ../shared/ is present
    moved = sorted(n for n, d in now.items() if stored.get(n) != d)
    assert not moved, f"the analysis changed for {moved}: python -m tests.snapshot --write"
