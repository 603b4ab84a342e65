"""Analyse: parsed articles to actors, claims, outlook and the bottom line.

Each article is analysed on its own (cacheable), then `combine` merges the results:
actors across articles, claim ranking, the bottom line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from briefing import __version__
from briefing.analyse.actors import ActorMatcher, local_actor, merge_actors
from briefing.analyse.claims import extract_claims
from briefing.analyse.cluster import group_articles, story_key
from briefing.analyse.headline import headline_claims
from briefing.analyse.nlp import load_nlp
from briefing.analyse.outlook import extract_outlook, own_voice_outlook
from briefing.analyse.summary import bottom_line, distinct_claims, rank_claims, rank_outlook
from briefing.analyse.tables import Tables, load_tables, with_aliases
from briefing.models import (
    Actor,
    Analysis,
    Article,
    ArticleAnalysis,
    Claim,
    Forecast,
    KeySentence,
    Story,
)
from briefing.paths import files_digest

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["Analyser", "AnalyserSpec", "Cache", "analyser_for", "combine", "load_analyser"]


@dataclass(frozen=True, slots=True)
class AnalyserSpec:
    """What it takes to load an Analyser anywhere (a Dask worker too): small and picklable."""

    model: str
    batch_size: int = 32
    n_process: int = 1
    aliases_json: str = "{}"  # config's `aliases:`, as canonical JSON

    def load(self) -> Analyser:
        """Load the spaCy model and tables this spec names."""
        tables = with_aliases(load_tables(), json.loads(self.aliases_json))
        analyser = Analyser(
            load_nlp(self.model), tables, batch_size=self.batch_size, n_process=self.n_process
        )
        analyser.spec = self
        return analyser


class Cache(Protocol):
    """Where per-article results are kept between runs (briefing.store.AnalysisCache)."""

    def get(self, key: str) -> ArticleAnalysis | None: ...

    def put(self, key: str, value: ArticleAnalysis) -> None: ...


class Analyser:
    """The summariser: a loaded spaCy pipeline plus the reference tables."""

    def __init__(
        self, nlp: Language, tables: Tables, *, batch_size: int = 32, n_process: int = 1
    ) -> None:
        self.nlp = nlp
        self.tables = tables
        self.batch_size = batch_size
        self.n_process = n_process
        self.matcher = ActorMatcher(nlp, tables)
        self.spec: AnalyserSpec | None = None  # set when loaded from a spec
        meta = nlp.meta
        made_of = f"{meta.get('name')}|{meta.get('version')}|{tables.digest}|{code_digest()}"
        self.fingerprint = hashlib.sha256(f"{__version__}|{made_of}".encode()).hexdigest()[:16]

    def cache_key(self, article: Article) -> str:
        """Same text, id, date, model, tables and briefing version give the same key."""
        return hashlib.sha256(
            f"{self.fingerprint}|{article.id}|{article.date}|{article.digest}"
            f"|{'/'.join(article.dateline_outlets)}".encode()
        ).hexdigest()

    def article(self, doc: Doc, article: Article) -> ArticleAnalysis:
        """Everything one parsed article yields on its own."""
        found = self.matcher(doc, article.dateline_outlets)
        claims, dropped = extract_claims(doc, article, found, self.tables)
        actors = {a.key: local_actor(article.id, a, found.mentions) for a in found.actors.values()}
        headline = extract_outlook(
            article, headline_claims(article, actors, claims, self.tables), actors, self.tables
        )
        outlook = extract_outlook(article, claims, actors, self.tables) + tuple(
            replace(f, sentences=()) for f in headline
        )
        sentences = tuple(sent.text.strip() for sent in doc.sents)
        own = own_voice_outlook(list(enumerate(sentences)), article, claims, self.tables)
        counts = [0] * len(sentences)
        for mention in found.mentions:
            counts[mention.sentence] += 1
        return ArticleAnalysis(
            article_id=article.id,
            actors=tuple(actors.values()),
            claims=claims,
            outlook=outlook,
            sentences=sentences,
            mentions_per_sentence=tuple(counts),
            own_outlook=own,
            dropped=dropped,
        )

    def cached(
        self, articles: Sequence[Article], cache: Cache | None
    ) -> dict[int, ArticleAnalysis]:
        """The results the cache already holds, by position in articles."""
        found: dict[int, ArticleAnalysis] = {}
        if cache is not None:
            for n, article in enumerate(articles):
                hit = cache.get(self.cache_key(article))
                if hit is not None:
                    found[n] = hit
        return found

    def analyse_each(
        self, articles: Sequence[Article], cache: Cache | None = None
    ) -> Iterator[ArticleAnalysis]:
        """Per-article results in order; cached ones skip spaCy."""
        found = self.cached(articles, cache)
        todo = [n for n in range(len(articles)) if n not in found]
        docs = iter(
            self.nlp.pipe(
                (articles[n].text for n in todo),
                batch_size=self.batch_size,
                n_process=self.n_process,
            )
        )
        for n, article in enumerate(articles):
            if n in found:
                yield found[n]
                continue
            result = self.article(next(docs), article)
            if cache is not None:
                cache.put(self.cache_key(article), result)
            yield result

    def __call__(
        self, articles: Sequence[Article], *, max_bluf: int = 3, cache: Cache | None = None
    ) -> Analysis:
        """Analyse articles together: one Analysis with merged actors."""
        return combine(articles, list(self.analyse_each(articles, cache)), max_bluf=max_bluf)


def combine(
    articles: Sequence[Article], results: Sequence[ArticleAnalysis], *, max_bluf: int = 3
) -> Analysis:
    """Merge per-article results and group them into stories; pure."""
    analysis = _merge(articles, results, max_bluf=max_bluf)
    stories = [
        _story([articles[i] for i in group], [results[i] for i in group])
        for group in group_articles(articles, results)
    ]
    stories.sort(key=lambda s: -s.score)
    return replace(analysis, stories=tuple(stories), bluf=_across_stories(stories, max_bluf))


def _across_stories(stories: Sequence[Story], count: int) -> tuple[KeySentence, ...]:
    """The bottom line of the day: each story's best sentence, most important story first,
    and a story's second sentence only once every story has its first."""
    lines: list[KeySentence] = []
    for round_ in range(max((len(s.bluf) for s in stories), default=0)):
        for story in stories:
            if round_ < len(story.bluf) and len(lines) < count:
                lines.append(story.bluf[round_])
    return tuple(lines)


def _merge(
    articles: Sequence[Article], results: Sequence[ArticleAnalysis], *, max_bluf: int
) -> Analysis:
    claims = [c for r in results for c in r.claims]
    outlook = [f for r in results for f in r.outlook]
    actors = _with_roles(merge_actors(a for r in results for a in r.actors), claims, outlook)
    sentences = [(r.article_id, n, text) for r in results for n, text in enumerate(r.sentences)]
    mentions = {
        (r.article_id, n): count
        for r in results
        for n, count in enumerate(r.mentions_per_sentence)
        if count
    }
    bluf = bottom_line(
        sentences,
        mentions,
        {(c.article, c.sentence) for c in claims},
        {(f.article, s) for f in outlook for s in f.sentences},
        max_bluf,
    )
    return Analysis(
        articles=tuple(articles),
        actors=actors,
        claims=rank_claims(claims, actors, outlook),
        outlook=rank_outlook(outlook),
        bluf=bluf,
        own_outlook=tuple(f for r in results for f in r.own_outlook),
        dropped=tuple(d for r in results for d in r.dropped),
    )


def _story(articles: Sequence[Article], results: Sequence[ArticleAnalysis]) -> Story:
    """One story from its articles (the lead first): merged, repeats removed, scored."""
    merged = _merge(articles, results, max_bluf=3)
    claims = distinct_claims(merged.claims)
    outlets = tuple(dict.fromkeys(a.outlet or a.id for a in articles))
    actors = tuple(a.name for a in merged.actors if a.kind != "media")[:8]
    score = (
        1.0 * len(outlets)
        + 0.5 * len(articles)
        + 0.3 * len(merged.outlook)
        + 0.05 * len(claims)
        + 0.02 * sum(a.mentions for a in merged.actors[:5])
    )
    return Story(
        key=story_key(articles),
        title=articles[0].title,
        articles=tuple(a.id for a in articles),
        outlets=outlets,
        actors=actors,
        claims=claims,
        outlook=merged.outlook,
        bluf=merged.bluf,
        score=round(score, 4),
    )


def _with_roles(
    actors: Sequence[Actor], claims: Sequence[Claim], outlook: Sequence[Forecast]
) -> tuple[Actor, ...]:
    """Each actor's roles in the story, most telling first; actors ordered by weight.

    forecaster: made a forecast; speaker: made a claim; reporter: an outlet that carried
    claims; target: addressed by a claim ("urged Beijing"); subject: named inside what
    someone said; mentioned: none of these.
    """
    speakers = {c.source for c in claims}
    relays = {c.via for c in claims if c.via}
    forecasters = {f.source for f in outlook}
    targets = {c.target for c in claims if c.target}
    inside: dict[str, list[tuple[int, int, str]]] = {}  # article -> claim spans and sources
    for c in claims:
        inside.setdefault(c.article, []).append((c.start, c.end, c.source))
    finished = []
    for actor in actors:
        roles = []
        if actor.name in forecasters:
            roles.append("forecaster")
        if actor.name in speakers and actor.kind != "media":
            roles.append("speaker")
        if actor.kind == "media" and (actor.name in speakers or actor.name in relays):
            roles.append("reporter")
        if actor.name in targets:
            roles.append("target")
        if any(
            start <= s and e <= end and source != actor.name
            for art, _, s, e in actor.places
            for start, end, source in inside.get(art, ())
        ):
            roles.append("subject")
        if not roles:
            roles.append("mentioned")
        finished.append(replace(actor, roles=tuple(roles)))
    weight = {
        "forecaster": 5,
        "speaker": 4,
        "reporter": 3,
        "target": 2,
        "subject": 1,
        "mentioned": 0,
    }
    finished.sort(key=lambda a: (-max(weight[r] for r in a.roles) - a.mentions / 10, a.name))
    return tuple(finished)


PACKAGE = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=4)
def code_digest(package: Path = PACKAGE) -> str:
    """A digest of what the analysis is made of: the code of briefing/analyse/ and the data
    files of briefing/data/, so a changed rule or word list never serves an old analysis."""
    return files_digest(((package / "analyse", "*.py"), (package / "data", "*.yaml")))


def load_analyser(
    model: str,
    *,
    batch_size: int = 32,
    n_process: int = 1,
    aliases: dict[str, Any] | None = None,
) -> Analyser:
    """Load the spaCy model and tables once (plus config's aliases); pass it to the pipeline."""
    given = {section: items for section, items in (aliases or {}).items() if items}
    aliases_json = json.dumps(given, sort_keys=True, default=str)
    return AnalyserSpec(model, batch_size, n_process, aliases_json).load()


def analyser_for(config: Any) -> Analyser:
    """The analyser a config asks for: its model, batching and extra aliases."""
    return load_analyser(
        config.nlp.model,
        batch_size=config.nlp.batch_size,
        n_process=config.nlp.n_process,
        aliases=config.aliases.model_dump(),
    )
