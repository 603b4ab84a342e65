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
from typing import TYPE_CHECKING, Any

from briefing.models import Article, ArticleAnalysis

TEXT_WEIGHT = 0.75
ACTOR_WEIGHT = 0.25
THRESHOLD = 0.2
BLOCK = 512  # rows of the similarity matrix held at once, at most ...
CELLS = 1_000_000  # ... and no more than this many cells (8 MB per float64 array)

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix


def _actors(result: ArticleAnalysis) -> set[str]:
    return {a.name for a in result.actors if a.kind != "media"}


class _Similarity:
    """Similarity in [0, 1] from text (TF-IDF cosine) and shared actors (Jaccard), by rows."""

    def __init__(self, articles: Sequence[Article], results: Sequence[ArticleAnalysis]) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        # rows at unit length once, so a block's cosines are one sparse product
        self.text: csr_matrix = normalize(
            TfidfVectorizer(
                stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{3,}\b"
            ).fit_transform([f"{a.title}\n{a.text}" for a in articles])
        )
        index: dict[str, int] = {}
        rows, cols = [], []
        for row, result in enumerate(results):
            for name in sorted(_actors(result)):
                rows.append(row)
                cols.append(index.setdefault(name, len(index)))
        self.actors = csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(results), max(1, len(index)))
        )
        self.sizes = np.asarray(self.actors.sum(axis=1)).ravel()

    def rows(self, these: Sequence[int], those: Sequence[int]) -> Any:
        """The dense block of similarities between two lists of article indices."""
        import numpy as np

        text = (self.text[these] @ self.text[those].T).toarray()
        shared = (self.actors[these] @ self.actors[those].T).toarray()
        union = self.sizes[these][:, None] + self.sizes[those][None, :] - shared
        jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
        return TEXT_WEIGHT * text + ACTOR_WEIGHT * jaccard


def group_articles(
    articles: Sequence[Article], results: Sequence[ArticleAnalysis], threshold: float = THRESHOLD
) -> list[list[int]]:
    """Connected groups of similar articles, each in input order, groups by first member.

    The similarity matrix is computed a block of rows at a time (at most BLOCK rows and
    CELLS cells), so a day of tens of thousands of articles needs memory for one block,
    not for all pairs.
    """
    import numpy as np

    count = len(articles)
    if count < 2:
        return [[i] for i in range(count)]
    similarity = _Similarity(articles, results)
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    everyone = list(range(count))
    rows = max(1, min(BLOCK, CELLS // count))
    for start in range(0, count, rows):
        block = similarity.rows(everyone[start : start + rows], everyone)
        for offset, j in zip(*np.nonzero(block >= threshold), strict=True):
            i = start + int(offset)
            if int(j) > i:
                parent[root(int(j))] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(root(i), []).append(i)
    ordered = []
    for members in groups.values():
        # the lead is the member most like the others (sums in member order)
        totals: list[float] = []
        rows = max(1, min(BLOCK, CELLS // len(members)))
        for start in range(0, len(members), rows):
            block = similarity.rows(members[start : start + rows], members)
            totals.extend(sum(row) for row in block.tolist())
        lead = max(range(len(members)), key=lambda k: (totals[k], -members[k]))
        ordered.append([members[lead], *[m for m in members if m != members[lead]]])
    return sorted(ordered, key=lambda g: min(g))


def story_key(articles: Sequence[Article]) -> str:
    """Identity of a story: its articles' digests."""
    joined = "|".join(sorted(a.digest for a in articles))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]
