"""Analyse: parsed articles to actors, claims, outlook and the bottom line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from briefing.analyse.actors import ActorMatcher, LocalActor, finish_actors
from briefing.analyse.claims import extract_claims
from briefing.analyse.nlp import load_nlp
from briefing.analyse.outlook import extract_outlook
from briefing.analyse.summary import bottom_line, rank_claims, rank_outlook
from briefing.analyse.tables import Tables, load_tables
from briefing.models import Actor, Analysis, Article, Claim, Forecast

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["Analyser", "load_analyser"]


class Analyser:
    """The summariser: a loaded spaCy pipeline plus the reference tables."""

    def __init__(self, nlp: Language, tables: Tables, *, batch_size: int = 32) -> None:
        self.nlp = nlp
        self.tables = tables
        self.batch_size = batch_size
        self.matcher = ActorMatcher(nlp, tables)

    def __call__(self, articles: Sequence[Article], *, max_bluf: int = 3) -> Analysis:
        """Analyse articles together: one Analysis with merged actors."""
        local: list[tuple[str, LocalActor]] = []
        claims: list[Claim] = []
        outlook: list[Forecast] = []
        sentences: list[tuple[str, int, str]] = []
        actor_sentences: dict[tuple[str, int], int] = {}
        docs = self.nlp.pipe((a.text for a in articles), batch_size=self.batch_size)
        for article, doc in zip(articles, docs, strict=True):
            found = self.matcher(doc)
            local.extend((article.id, actor) for actor in found.actors.values())
            article_claims = extract_claims(doc, article, found, self.tables)
            claims.extend(article_claims)
            article_actors = {a.key: _bare(a.key, a) for a in found.actors.values()}
            outlook.extend(extract_outlook(article, article_claims, article_actors, self.tables))
            for index, sent in enumerate(doc.sents):
                sentences.append((article.id, index, sent.text.strip()))
            for mention in found.mentions:
                key = (article.id, mention.sentence)
                actor_sentences[key] = actor_sentences.get(key, 0) + 1
        actors = _with_roles(finish_actors(local), claims, outlook)
        ranked = rank_claims(claims, actors, outlook)
        bluf = bottom_line(
            sentences,
            actor_sentences,
            {(c.article, c.sentence) for c in claims},
            {(f.article, s) for f in outlook for s in f.sentences},
            max_bluf,
        )
        return Analysis(
            articles=tuple(articles),
            actors=actors,
            claims=ranked,
            outlook=rank_outlook(outlook),
            bluf=bluf,
        )


def _bare(key: str, local: LocalActor) -> Actor:
    return Actor(
        name=key,
        kind=local.kind,
        aliases=tuple(local.aliases),
        description=local.description,
        mentions=local.mentions,
    )


def _with_roles(
    actors: Sequence[Actor], claims: Sequence[Claim], outlook: Sequence[Forecast]
) -> tuple[Actor, ...]:
    """Each actor's role in the story, most telling first; actors ordered by weight."""
    speakers = {c.source for c in claims}
    relays = {c.via for c in claims if c.via}
    forecasters = {f.source for f in outlook}
    finished = []
    for actor in actors:
        roles = []
        if actor.name in forecasters:
            roles.append("forecaster")
        if actor.name in speakers and actor.kind != "media":
            roles.append("source")
        if actor.kind == "media" and (actor.name in speakers or actor.name in relays):
            roles.append("reporter")
        if not roles:
            roles.append("mentioned")
        finished.append(replace(actor, roles=tuple(roles)))
    weight = {"forecaster": 3, "source": 2, "reporter": 1, "mentioned": 0}
    finished.sort(key=lambda a: (-max(weight[r] for r in a.roles) - a.mentions / 10, a.name))
    return tuple(finished)


def load_analyser(model: str, *, batch_size: int = 32) -> Analyser:
    """Load the spaCy model and tables once; pass the result to the pipeline."""
    return Analyser(load_nlp(model), load_tables(), batch_size=batch_size)
