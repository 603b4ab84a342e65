"""What keeps a large day cheap: only the spaCy components used, stories by blocks."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.analyse import Analyser, cluster, combine
from briefing.analyse.nlp import LINES, NEEDED
from briefing.config import Config
from briefing.context import build_context
from briefing.ingest import read_files
from briefing.models import Article, ArticleAnalysis
from briefing.render import render_brief
from tests.conftest import ROOT

DAY = date(2025, 9, 18)
DayResults = tuple[tuple[Article, ...], list[ArticleAnalysis]]


def test_only_the_components_briefing_reads_are_enabled(analyser: Analyser) -> None:
    names = tuple(analyser.nlp.pipe_names)
    assert tuple(name for name in names if name != LINES) == NEEDED
    assert names.index(LINES) == names.index("parser") - 1  # line starts reach the parser
    assert "senter" in analyser.nlp.disabled  # the parser gives the sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # initials after a verb of saying open the speaker's name: one sentence
        ("Fuel prices will rise this winter, says N.C. State economist Lena Ostrova.", 1),
        ("Fuel prices will rise this winter, said U.S. Energy Secretary Lena Ostrova.", 1),
        # elsewhere the parser decides; a line break always ends a sentence
        ("Talks opened in Geneva.\nThe delegates met again on Monday.", 2),
    ],
)
def test_sentence_starts(analyser: Analyser, text: str, sentences: int) -> None:
    assert len(list(analyser.nlp(text).sents)) == sentences


@pytest.fixture(scope="module")
def day(analyser: Analyser) -> DayResults:
    paths = sorted((ROOT / "examples").rglob("*.txt")) + sorted(
        (ROOT / "tests" / "corpus").rglob("*.txt")
    )
    articles = read_files(paths, DAY)
    return articles, list(analyser.analyse_each(articles))


@pytest.mark.parametrize("block", [1, 5, 7, 64])
def test_stories_do_not_depend_on_the_block_size(
    day: DayResults,
    block: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    articles, results = day
    whole = cluster.group_articles(articles, results)
    monkeypatch.setattr(cluster, "BLOCK", block)
    assert cluster.group_articles(articles, results) == whole
    # the examples/day collision reports and the corpus' own stories: some groups, not one
    assert 1 < len(whole) < len(articles)


def test_similarity_matches_its_definition(day: DayResults) -> None:
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


def test_a_single_article_is_its_own_story(day: DayResults) -> None:
    articles, results = day
    assert cluster.group_articles(articles[:1], results[:1]) == [[0]]
    assert cluster.group_articles((), []) == []


def test_sources_list_what_the_brief_cites_then_up_to_max_sources(
    day: DayResults,
    config: Config,
) -> None:
    articles, results = day
    analysis = combine(articles, results)
    wide = config.audience().model_copy(update={"max_stories": 2, "max_sources": 10_000})
    assert [s.id for s in build_context(analysis, config, DAY, wide).sources] == [
        a.id for a in articles
    ]
    narrow = wide.model_copy(update={"max_sources": 1})
    context = build_context(analysis, config, DAY, narrow)
    listed = [s.id for s in context.sources]
    cited = {c.article for c in context.claims} | {b.article for b in context.bluf}
    cited |= {f.article for f in context.outlook} | {s.lead for s in context.stories}
    cited |= {f.article for f in [*context.expectations, *context.outlook_unnamed]}
    cited |= {c.article for s in context.stories for c in s.claims}
    cited |= {k.article for s in context.stories for k in s.bluf}
    cited |= {f.article for s in context.stories for f in s.outlook}
    assert cited <= set(listed)  # every citation still resolves
    assert len(listed) == len(cited) < len(articles)
    assert listed == [a.id for a in articles if a.id in cited]  # input order
    assert context.stats.unlisted == len(articles) - len(listed)
    markdown = render_brief(context, config, ("md",), narrow).markdown
    assert f"and {context.stats.unlisted} more articles not cited in this brief" in markdown
