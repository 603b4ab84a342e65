"""Acceptance on the reference article (read from ../shared; skipped where it is absent)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.analyse import Analyser
from briefing.config import Config
from briefing.context import BriefContext, build_context
from briefing.ingest import read_files
from tests.conftest import SEED_DATE


@pytest.fixture(scope="module")
def seed_context(seed_path: Path, analyser: Analyser) -> BriefContext:
    articles = read_files([seed_path], SEED_DATE)
    return build_context(analyser(articles), Config(), SEED_DATE)


def _actor(context: BriefContext, name: str):  # type: ignore[no-untyped-def]
    found = [a for a in context.actors if a.name == name]
    assert found, f"no actor {name}: {[a.name for a in context.actors]}"
    return found[0]


def test_north_korea_is_one_actor_with_its_aliases(seed_context: BriefContext) -> None:
    north = _actor(seed_context, "North Korea")
    assert north.kind == "state"
    assert {"Pyongyang", "the North", "North Korea"} <= set(north.aliases)
    assert not [a for a in seed_context.actors if a.name in ("Pyongyang", "the North", "North")]


def test_capitals_are_their_states(seed_context: BriefContext) -> None:
    assert "Washington" in _actor(seed_context, "United States").aliases
    assert "Seoul" in _actor(seed_context, "South Korea").aliases
    assert "Tokyo" in _actor(seed_context, "Japan").aliases


def test_iaea_kcna_and_people(seed_context: BriefContext) -> None:
    iaea = _actor(seed_context, "IAEA")
    assert "the United Nations atomic agency" in iaea.aliases
    kcna = _actor(seed_context, "KCNA")
    assert kcna.kind == "media" and "Korean Central News Agency" in kcna.aliases
    kim = _actor(seed_context, "Kim Jong Un")
    assert kim.kind == "person" and "Kim" in kim.aliases and kim.mentions >= 4
    ahn = _actor(seed_context, "Ahn Chan-il")
    assert ahn.description == (
        "a defector-turned-researcher who runs the World Institute for North Korea Studies"
    )
    assert "forecaster" in ahn.roles


def test_outlook_of_ahn_spans_two_sentences(seed_context: BriefContext) -> None:
    [item] = [o for o in seed_context.outlook if o.source == "Ahn Chan-il"]
    assert "deploy tactical nuclear weapons" in item.text
    assert "great pressure" in item.text
    assert item.sentences == [11, 12]
    assert (
        item.source_description
        and "World Institute for North Korea Studies" in item.source_description
    )
    assert item.horizon is not None
    assert (item.horizon.start, item.horizon.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert item.horizon.text == "in the new year"
    assert item.likelihood is not None
    assert (item.likelihood.band, item.likelihood.low, item.likelihood.high) == ("likely", 55, 80)


def test_claims_by_kim_and_the_iaea(seed_path: Path, analyser: Analyser) -> None:
    claims = analyser(read_files([seed_path], SEED_DATE)).claims
    kim = [c for c in claims if c.source == "Kim Jong Un" and c.cue == "urged"]
    assert kim and "accelerate" in kim[0].text and kim[0].via == "KCNA"
    assert kim[0].sentence == 0
    iaea = [c for c in claims if c.source == "IAEA"]
    assert iaea and "second reactor" in iaea[0].text
    assert all(c.source != "state media" for c in claims)


def test_a_claim_on_the_cover_is_not_listed_again(seed_context: BriefContext) -> None:
    cover = {(k.article, k.sentence) for k in seed_context.bluf}
    assert (seed_context.sources[0].id, 0) in cover  # Kim's call leads the bottom line
    # the short lists and the story sections; `claims` stays the complete ranked list
    listed = [*seed_context.short_claims, *(c for s in seed_context.stories for c in s.claims)]
    assert listed and not [c for c in listed if (c.article, c.sentence) in cover]


def test_claims_trace_back_to_their_text(seed_path: Path, seed_context: BriefContext) -> None:
    body = read_files([seed_path], SEED_DATE)[0].text
    for claim in seed_context.claims:
        assert body[claim.start : claim.end] == claim.text


def test_bluf_is_extractive(seed_path: Path, seed_context: BriefContext) -> None:
    body = read_files([seed_path], SEED_DATE)[0].text
    assert 1 <= len(seed_context.bluf) <= 3
    assert all(item.text in body for item in seed_context.bluf)
    assert seed_context.bluf[0].sentence == 0


def test_seed_pdf_end_to_end(seed_context: BriefContext, tmp_path: Path) -> None:
    import io

    import pypdf

    from briefing.config import parse_config
    from briefing.render import render_brief

    brief = render_brief(seed_context, parse_config({}, base_dir=tmp_path), ("md", "html", "pdf"))
    assert brief.pdf is not None
    reader = pypdf.PdfReader(io.BytesIO(brief.pdf))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "deploy tactical nuclear weapons" in text and "great pressure" in text
    assert "likely (55–80 %)" in text and "1 January 2024 – 31 December 2024" in text
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Daily brief: 28 December 2023" in titles
    assert "### Outlook" in brief.markdown and "| **Ahn Chan-il**, a defector" in brief.markdown
