"""The bundled examples against their reviewed expectations (tests/data/expected/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from briefing.analyse import Analyser
from briefing.ingest import read_files
from briefing.models import Analysis
from tests.conftest import ROOT

EXPECTED = sorted((ROOT / "tests" / "data" / "expected").glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=EXPECTED, ids=lambda p: p.stem)
def case(request: pytest.FixtureRequest, analyser: Analyser) -> tuple[dict[str, Any], Analysis]:
    expected = _load(request.param)
    articles = read_files([ROOT / expected["article"]], expected["date"])
    return expected, analyser(articles)


def _source_matches(expected: str, got: str) -> bool:
    return expected == got or expected.lower() in got.lower()  # unnamed: "senior official"


def test_actors_kinds_aliases_descriptions(case: tuple[dict[str, Any], Analysis]) -> None:
    expected, analysis = case
    actors = {a.name: a for a in analysis.actors}
    for want in expected["actors"]:
        assert want["name"] in actors, f"missing actor {want['name']}"
        got = actors[want["name"]]
        assert got.kind == want["kind"], want["name"]
        assert set(want["aliases"]) <= set(got.aliases), (want["name"], got.aliases)
        if "description" in want:
            assert got.description and want["description"] in got.description, got.description


def test_claims_found_with_source_and_cue(case: tuple[dict[str, Any], Analysis]) -> None:
    expected, analysis = case
    for want in expected["claims"]:
        found = [
            c for c in analysis.claims
            if want["key"] in c.text and _source_matches(want["source"], c.source)
        ]  # fmt: skip
        assert found, f"no claim by {want['source']} with {want['key']!r}"
        assert want["cue"] in {c.cue for c in found}, (want, [c.cue for c in found])


def test_outlook(case: tuple[dict[str, Any], Analysis]) -> None:
    expected, analysis = case
    assert len(analysis.outlook) == len(expected["outlook"]), [f.text for f in analysis.outlook]
    for want in expected["outlook"]:
        [got] = [
            f for f in analysis.outlook if f.source == want["source"] and want["key"] in f.text
        ]
        if "next_key" in want:
            assert want["next_key"] in got.text and len(got.sentences) == 2
        assert got.horizon is not None
        assert got.horizon.text in want["horizon"]
        assert (got.horizon.start, got.horizon.end) == (want["start"], want["end"])
        assert got.likelihood is not None and got.likelihood.band == want["band"]
        assert got.source_description, "forecasts name the source's affiliation"
