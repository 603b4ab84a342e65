"""`briefing eval`: the analysis against an annotated corpus, per field and per article.

The matching rules are written down in docs/evaluation.md. Every score is precision,
recall and F1 over counted items; an article's annotation lists everything it holds, so
a predicted item that matches nothing counts against precision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from briefing.errors import BriefingError
from briefing.models import Analysis, Claim

FIELDS = (
    "actor_merging",
    "actor_found",
    "claim_source",
    "claim_cue",
    "outlook_source",
    "outlook_text",
    "horizon",
    "band",
)


@dataclass
class Score:
    """True positives, predicted and expected counts of one field."""

    tp: int = 0
    predicted: int = 0
    expected: int = 0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.expected += other.expected

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "predicted": self.predicted,
            "expected": self.expected,
        }


@dataclass
class Report:
    """Scores over the corpus and per article."""

    total: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    articles: dict[str, dict[str, Score]] = field(default_factory=dict)

    def add(self, name: str, scores: dict[str, Score]) -> None:
        self.articles[name] = scores
        for key, score in scores.items():
            self.total[key].add(score)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": {k: v.as_dict() for k, v in self.total.items()},
            "articles": {
                name: {k: v.as_dict() for k, v in scores.items()}
                for name, scores in self.articles.items()
            },
        }


def load_annotations(corpus: Path, split: str | None) -> list[tuple[Path, dict[str, Any]]]:
    """(article file, annotation) pairs of a corpus folder or one of its splits."""
    folder = corpus / split if split else corpus
    if not folder.is_dir():
        raise BriefingError(f"{folder}: no such corpus folder")
    found = []
    for path in sorted(folder.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "article" in data:
            text = path.with_suffix(".txt")
            found.append((text, data))
    if not found:
        raise BriefingError(f"{folder}: no annotated articles (NAME.txt with NAME.yaml)")
    return found


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def _same_source(expected: dict[str, Any], predicted: str, names: dict[str, set[str]]) -> bool:
    """Same actor (by name or alias), or for unnamed sources one phrase inside the other."""
    raw = str(expected.get("source") or "")
    want, got = _norm(raw), _norm(predicted)
    if want == got or want in names.get(got, set()):
        return True
    unnamed = expected.get("anonymous") or raw[:1].islower()
    return bool(unnamed and want and got and (want in got or got in want))


def _names(analysis: Analysis) -> dict[str, set[str]]:
    return {_norm(a.name): {_norm(x) for x in (a.name, *a.aliases)} for a in analysis.actors}


def _pairs(groups: Iterable[Iterable[str]], universe: set[str]) -> set[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    for group in groups:
        names = sorted({_norm(a) for a in group} & universe)
        pairs.update(frozenset(p) for p in combinations(names, 2))
    return pairs


def _actor_scores(gold: list[dict[str, Any]], analysis: Analysis) -> dict[str, Score]:
    universe = {_norm(a) for actor in gold for a in actor.get("aliases", [])}
    gold_pairs = _pairs((a.get("aliases", []) for a in gold), universe)
    got_pairs = _pairs(((a.name, *a.aliases) for a in analysis.actors), universe)
    merging = Score(len(gold_pairs & got_pairs), len(got_pairs), len(gold_pairs))
    names = {_norm(a["name"]) for a in gold}
    found = {_norm(a.name) for a in analysis.actors}
    return {
        "actor_merging": merging,
        "actor_found": Score(len(names & found), len(found), len(names)),
    }


def _claim_for(want: dict[str, Any], claims: Sequence[Claim]) -> list[Claim]:
    key = _norm(want["key"])
    return [c for c in claims if key in _norm(c.text)]


def _claim_scores(gold: list[dict[str, Any]], analysis: Analysis) -> dict[str, Score]:
    source = Score(predicted=len(analysis.claims), expected=len(gold))
    cue = Score(expected=len(gold))
    used: set[int] = set()
    for want in gold:
        matches = [c for c in _claim_for(want, analysis.claims) if id(c) not in used]
        right = [c for c in matches if _same_source(want, c.source, _names(analysis))]
        if right:
            source.tp += 1
            used.add(id(right[0]))
        if matches:
            cue.predicted += 1
            if any(_norm(c.cue) == _norm(str(want["cue"])) for c in matches):
                cue.tp += 1
    return {"claim_source": source, "claim_cue": cue}


def _outlook_scores(gold: list[dict[str, Any]], analysis: Analysis) -> dict[str, Score]:
    sourced = [g for g in gold if not g.get("own_voice")]
    forecasts = analysis.outlook
    scores = {
        "outlook_source": Score(predicted=len(forecasts), expected=len(sourced)),
        "outlook_text": Score(predicted=len(forecasts), expected=len(sourced)),
        "horizon": Score(expected=sum(1 for g in sourced if g.get("horizon"))),
        "band": Score(expected=sum(1 for g in sourced if g.get("band"))),
    }
    used: set[int] = set()
    for want in sourced:
        key = _norm(want["key"])
        matches = [f for f in forecasts if key in _norm(f.text) and id(f) not in used]
        if not matches:
            continue
        # the one with the right source first, as ../shared/corpus/score.py reads
        names = _names(analysis)
        got = next((f for f in matches if _same_source(want, f.source, names)), matches[0])
        used.add(id(got))
        if _same_source(want, got.source, names):
            scores["outlook_source"].tp += 1
        if not want.get("next_key") or _norm(want["next_key"]) in _norm(got.text):
            scores["outlook_text"].tp += 1
        if want.get("horizon") and got.horizon is not None:
            scores["horizon"].predicted += 1
            if (got.horizon.start, got.horizon.end) == (want.get("start"), want.get("end")):
                scores["horizon"].tp += 1
        if want.get("band") and got.likelihood is not None:
            scores["band"].predicted += 1
            if got.likelihood.band == want["band"]:
                scores["band"].tp += 1
    return scores


def score_article(annotation: dict[str, Any], analysis: Analysis) -> dict[str, Score]:
    """Every field's score for one article."""
    return {
        **_actor_scores(annotation.get("actors") or [], analysis),
        **_claim_scores(annotation.get("claims") or [], analysis),
        **_outlook_scores(annotation.get("outlook") or [], analysis),
    }
