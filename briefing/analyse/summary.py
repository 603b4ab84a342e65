"""Bottom line up front and claim ranking: extractive, every item points to its sentence."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from briefing.models import Actor, Claim, Forecast, KeySentence

SOURCE_WEIGHT = {"person": 1.0, "organisation": 0.9, "state": 0.9, "media": 0.6, "unnamed": 0.4}
STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "said",
        "says",
        "told",
        "would",
        "will",
        "could",
        "may",
        "also",
        "after",
        "before",
        "over",
        "into",
        "than",
        "then",
        "there",
        "which",
        "who",
        "whom",
        "while",
        "not",
        "no",
    ]
)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in STOP]


def rank_claims(
    claims: Sequence[Claim], actors: Sequence[Actor], forecasts: Sequence[Forecast]
) -> tuple[Claim, ...]:
    """Claims ordered by importance: who speaks, how early, quoted, forward-looking."""
    most = max((a.mentions for a in actors), default=1) or 1
    mentions = {a.name: a.mentions for a in actors}
    forecast_at = {(f.article, s) for f in forecasts for s in f.sentences}
    scored = []
    for claim in claims:
        score = (
            SOURCE_WEIGHT[claim.source_kind]
            + 0.6 * mentions.get(claim.source, 0) / most
            + 0.8 / (1 + claim.sentence)
            + (0.2 if claim.quote else 0.0)
            + (0.3 if (claim.article, claim.sentence) in forecast_at else 0.0)
            + min(len(claim.text.split()), 40) / 200
        )
        scored.append(_with_score(claim, round(score, 4)))
    scored.sort(key=lambda c: (-c.score, c.article, c.sentence))
    return tuple(scored)


def _with_score(claim: Claim, score: float) -> Claim:
    return replace(claim, score=score)


def distinct_claims(claims: Sequence[Claim], overlap: float = 0.6) -> tuple[Claim, ...]:
    """Claims in rank order without repeats: the same source saying much the same words."""
    kept: list[tuple[Claim, set[str]]] = []
    for claim in claims:
        words = set(_words(claim.text))
        repeat = any(
            other.source == claim.source
            and words
            and len(words & seen) >= overlap * min(len(words), len(seen))
            for other, seen in kept
        )
        if not repeat:
            kept.append((claim, words))
    return tuple(claim for claim, _ in kept)


def rank_outlook(forecasts: Sequence[Forecast]) -> tuple[Forecast, ...]:
    """Forecasts with a stated likelihood, horizon and affiliated source first; stable."""

    def weight(forecast: Forecast) -> float:
        return (
            (1.0 if forecast.likelihood else 0.0)
            + (0.5 if forecast.horizon else 0.0)
            + (0.3 if forecast.source_description else 0.0)
            + (0.2 if forecast.source_kind == "person" else 0.0)
        )

    return tuple(sorted(forecasts, key=weight, reverse=True))


def bottom_line(
    sentences: Sequence[tuple[str, int, str]],
    actor_sentences: dict[tuple[str, int], int],
    claim_sentences: set[tuple[str, int]],
    forecast_sentences: set[tuple[str, int]],
    count: int,
) -> tuple[KeySentence, ...]:
    """Up to count sentences that carry the story: lead, central, naming actors and claims.

    sentences holds (article id, sentence index, text) for every sentence. Forecast sentences
    are left to the outlook, where they are shown with their likelihood and horizon: a brief
    prints each sentence once, and the bottom line says what happened.
    """
    if not sentences:
        return ()
    frequency = Counter(w for _, _, text in sentences for w in set(_words(text)))
    scored: list[KeySentence] = []
    for article, index, text in sentences:
        words = _words(text)
        if len(words) < 4 or (article, index) in forecast_sentences:
            continue
        centrality = sum(math.log1p(frequency[w]) for w in set(words)) / (
            len(set(words)) ** 0.5 + 1
        )
        score = (
            centrality
            + 1.5 / (1 + index)
            + 0.25 * min(actor_sentences.get((article, index), 0), 4)
            + (0.5 if (article, index) in claim_sentences else 0.0)
        )
        scored.append(
            KeySentence(text=text, article=article, sentence=index, score=round(score, 4))
        )
    scored.sort(key=lambda k: -k.score)
    chosen: list[KeySentence] = []
    for candidate in scored:
        if len(chosen) == count:
            break
        mine = set(_words(candidate.text))
        if any(len(mine & set(_words(c.text))) > 0.6 * len(mine) for c in chosen):
            continue  # near-repeat of a chosen sentence
        chosen.append(candidate)
    order = {(article, index): n for n, (article, index, _) in enumerate(sentences)}
    chosen.sort(key=lambda k: order[(k.article, k.sentence)])
    return tuple(chosen)
