"""Stories: articles about the same event grouped, with scikit-learn's TF-IDF.

Two articles belong together when their TF-IDF cosine similarity (content words, English
stop words out, sublinear term frequency) plus the overlap of the actors they name passes
a threshold; stories are the connected groups. TF-IDF cosine is the standard measure for
"same event, other words" at a day's scale (hundreds of articles): it needs no model
download, is deterministic, and scikit-learn is maintained and already a dependency of
most NLP stacks. MinHash (datasketch) finds near-copies only, not rewrites.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from briefing.models import Article, ArticleAnalysis

TEXT_WEIGHT = 0.75
ACTOR_WEIGHT = 0.25
THRESHOLD = 0.2


def _actors(result: ArticleAnalysis) -> set[str]:
    return {a.name for a in result.actors if a.kind != "media"}


def similarity(
    articles: Sequence[Article], results: Sequence[ArticleAnalysis]
) -> list[list[float]]:
    """Pairwise similarity in [0, 1] from text (TF-IDF cosine) and shared actors (Jaccard)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    if len(articles) < 2:
        return [[1.0] * len(articles) for _ in articles]
    vectors = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{3,}\b"
    ).fit_transform([f"{a.title}\n{a.text}" for a in articles])
    text = cosine_similarity(vectors)
    names = [_actors(r) for r in results]
    matrix = []
    for i in range(len(articles)):
        row = []
        for j in range(len(articles)):
            union = names[i] | names[j]
            jaccard = len(names[i] & names[j]) / len(union) if union else 0.0
            row.append(float(TEXT_WEIGHT * text[i, j] + ACTOR_WEIGHT * jaccard))
        matrix.append(row)
    return matrix


def group_articles(
    articles: Sequence[Article], results: Sequence[ArticleAnalysis], threshold: float = THRESHOLD
) -> list[list[int]]:
    """Connected groups of similar articles, each in input order, groups by first member."""
    matrix = similarity(articles, results)
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            if matrix[i][j] >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(articles)):
        groups.setdefault(root(i), []).append(i)
    ordered = []
    for members in groups.values():
        # the lead is the member most like the others
        lead = max(members, key=lambda m: (sum(matrix[m][o] for o in members), -m))
        ordered.append([lead, *[m for m in members if m != lead]])
    return sorted(ordered, key=lambda g: min(g))


def story_key(articles: Sequence[Article]) -> str:
    """Identity of a story: its articles' digests."""
    joined = "|".join(sorted(a.digest for a in articles))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]
