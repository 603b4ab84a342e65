"""What keeps a large day cheap: only the spaCy components used, stories by blocks."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.analyse import Analyser, cluster
from briefing.analyse.nlp import NEEDED
from briefing.ingest import read_files
from tests.conftest import ROOT


def test_only_the_components_briefing_reads_are_enabled(analyser: Analyser) -> None:
    assert tuple(analyser.nlp.pipe_names) == NEEDED
    assert "senter" in analyser.nlp.disabled  # the parser gives the sentences


@pytest.fixture(scope="module")
def day(analyser: Analyser) -> tuple[tuple, list]:  # type: ignore[type-arg]
    paths = sorted((ROOT / "examples").rglob("*.txt")) + sorted(
        (ROOT / "tests" / "corpus").rglob("*.txt")
    )
    articles = read_files(paths, date(2025, 9, 18))
    return articles, list(analyser.analyse_each(articles))


@pytest.mark.parametrize("block", [1, 5, 7, 64])
def test_stories_do_not_depend_on_the_block_size(
    day: tuple[tuple, list],  # type: ignore[type-arg]
    block: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    articles, results = day
    whole = cluster.group_articles(articles, results)
    monkeypatch.setattr(cluster, "BLOCK", block)
    assert cluster.group_articles(articles, results) == whole
    # the examples/day collision reports and the corpus' own stories: some groups, not one
    assert 1 < len(whole) < len(articles)


def test_similarity_matches_its_definition(day: tuple[tuple, list]) -> None:  # type: ignore[type-arg]
    articles, results = day
    sim = cluster._Similarity(articles, results)
    block = sim.rows([0, 1], list(range(len(articles))))
    names = [{a.name for a in r.actors if a.kind != "media"} for r in results]
    for i in (0, 1):
        assert block[i][i] == pytest.approx(1.0)  # itself: cosine 1, Jaccard 1
        for j in range(len(articles)):
            union = names[i] | names[j]
            jaccard = len(names[i] & names[j]) / len(union) if union else 0.0
            assert 0.0 <= block[i][j] <= 1.0 + 1e-9
            assert block[i][j] >= cluster.ACTOR_WEIGHT * jaccard - 1e-9


def test_a_single_article_is_its_own_story(day: tuple[tuple, list]) -> None:  # type: ignore[type-arg]
    articles, results = day
    assert cluster.group_articles(articles[:1], results[:1]) == [[0]]
    assert cluster.group_articles((), []) == []
