"""Run `briefing eval` on a corpus of either format, with rule scores and rules switched off.

Two formats: the project's own (`tests/corpus/`: NAME.txt beside NAME.yaml, scored by
briefing/evaluate.py) and the real-article format (annotations.yaml beside texts/, scored
by briefing/evaluate_guide.py). Both give a flat table of fields for `--without`, and both
feed the rule tallies of `--by-rule`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from briefing.analyse import Analyser
from briefing.config import Config
from briefing.context import build_context
from briefing.evaluate import FIELDS, Report, load_annotations, score_article
from briefing.evaluate_guide import (
    METRICS,
    is_guide_corpus,
    load_guide_corpus,
    score_context,
    summarise,
)
from briefing.ingest.sources import read_files
from briefing.rule_scores import RuleReport, gold_of_guide, gold_of_project, score_rules


@dataclass
class Evaluation:
    """What one run of the analysis over a corpus scored."""

    guide: bool
    fields: dict[str, float]  # the flat table: field -> value
    articles: dict[str, dict[str, float]]
    rules: RuleReport = field(default_factory=RuleReport)
    report: Report | None = None  # the project format's full report


def evaluate_corpus(
    analyser: Analyser, corpus: Path, split: str | None, config: Config, today: date
) -> Evaluation:
    """Analyse and score every annotated article of the corpus folder."""
    if is_guide_corpus(corpus):
        return _guide(analyser, corpus, config, today)
    return _project(analyser, corpus, split)


def _guide(analyser: Analyser, corpus: Path, config: Config, today: date) -> Evaluation:
    audience = config.audience(None)
    rules = RuleReport()
    counts: list[Counter[str]] = []
    articles = {}
    for item in load_guide_corpus(corpus):
        day = item.date or today
        analysis = analyser(read_files([item.path], day), max_bluf=audience.max_bluf)
        context = build_context(analysis, config, day, audience).model_dump(mode="json")
        counts.append(score_context(item.annotation, context))
        articles[item.id] = summarise([counts[-1]])
        score_rules(analysis, gold_of_guide(item.annotation), rules)
    return Evaluation(True, summarise(counts), articles, rules)


def _project(analyser: Analyser, corpus: Path, split: str | None) -> Evaluation:
    report = Report()
    rules = RuleReport()
    for path, annotation in load_annotations(corpus, split):
        analysis = analyser(read_files([path], annotation["date"]))
        report.add(path.stem, score_article(annotation, analysis))
        score_rules(analysis, gold_of_project(annotation), rules)
    flat = {}
    for name in FIELDS:
        score = report.total[name]
        flat.update(
            {f"{name}.p": score.precision, f"{name}.r": score.recall, f"{name}.f1": score.f1}
        )
    per_article = {
        name: {f: s.f1 for f, s in scores.items()} for name, scores in report.articles.items()
    }
    return Evaluation(False, flat, per_article, rules, report)


def field_lines(result: Evaluation) -> list[str]:
    """The corpus table as printed."""
    if result.guide:
        lines = [f"{name:24s} {result.fields[name]:6.3f}" for name in METRICS]
        lines += ["", f"{'article':8s} " + " ".join(f"{m[:9]:>9s}" for m in METRICS)]
        for name, row in result.articles.items():
            lines.append(f"{name:8s} " + " ".join(f"{row[m]:9.2f}" for m in METRICS))
        return lines
    assert result.report is not None
    lines = [f"{'field':16s} {'precision':>9s} {'recall':>7s} {'F1':>6s}   tp/pred/exp"]
    for name in FIELDS:
        sc = result.report.total[name]
        lines.append(
            f"{name:16s} {sc.precision:9.3f} {sc.recall:7.3f} {sc.f1:6.3f}   "
            f"{sc.tp}/{sc.predicted}/{sc.expected}"
        )
    lines += ["", f"{'article':36s} " + " ".join(f"{n[:9]:>9s}" for n in FIELDS)]
    for name, scores in result.articles.items():
        lines.append(f"{name[:36]:36s} " + " ".join(f"{scores[n]:9.2f}" for n in FIELDS))
    return lines


def change_lines(base: Evaluation, without: Evaluation, rules: list[str]) -> list[str]:
    """Each field with the rules on and off, and the change."""
    lines = [
        f"without {', '.join(rules)}",
        f"{'field':24s} {'with':>7s} {'without':>7s} {'change':>7s}",
    ]
    for name, value in base.fields.items():
        off = without.fields[name]
        lines.append(f"{name:24s} {value:7.3f} {off:7.3f} {off - value:+7.3f}")
    return lines


def as_json(result: Evaluation) -> dict[str, Any]:
    """The evaluation as JSON: fields, articles and rule tallies."""
    body: dict[str, Any] = (
        {"fields": result.fields, "articles": result.articles}
        if result.guide or result.report is None
        else result.report.as_dict()
    )
    body["rules"] = {
        name: {"fired": t.fired, "judged": t.judged, "right": t.right, "precision": t.precision}
        for name, t in result.rules.tallies.items()
    }
    return body
