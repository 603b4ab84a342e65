"""The daily run at volume: time per stage against bare spaCy and bare WeasyPrint.

Usage: python bench/daily.py [--words 100000]

Writes a day of articles (the bundled examples and test corpus, repeated with a reference
line so every text differs) to a temporary folder, then times each stage of
`briefing run` in this process: collect, analyse (spaCy + extraction), stories, context
and Markdown/HTML, PDF; then a re-run with the analysis cache. In the same run it times
bare `nlp.pipe` on the same texts and bare WeasyPrint on the same HTML, and prints ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.analyse import combine, load_analyser  # noqa: E402
from briefing.config import parse_config  # noqa: E402
from briefing.context import build_context  # noqa: E402
from briefing.ingest.sources import collect  # noqa: E402
from briefing.pipeline import publish, remember, reuse_from, run_day  # noqa: E402
from briefing.render import render_brief  # noqa: E402
from briefing.store import History  # noqa: E402

DAY = date(2025, 9, 18)


def write_day(folder: Path, min_words: int) -> int:
    texts = sorted((ROOT / "examples").rglob("*.txt")) + sorted(
        (ROOT / "tests" / "corpus").rglob("*.txt")
    )
    words = n = 0
    while words < min_words:
        for path in texts:
            body = path.read_text(encoding="utf-8")
            if body.startswith("---\n"):
                body = body[body.index("\n---", 4) + 4 :].lstrip("-\n")
            head = f"---\ndate: {DAY}\noutlet: Bench Wire {n % 7}\n---\n"
            text = f"{head}{body}\nReference number {n}.\n"
            (folder / f"{n:04d}-{path.stem}.txt").write_text(text, encoding="utf-8")
            words += len(body.split())
            n += 1
            if words >= min_words:
                break
    return n


def clock(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def measure(min_words: int = 100_000) -> dict[str, float | int]:
    """Each stage of a day's run, a re-run, and bare spaCy and WeasyPrint on the same inputs."""
    from briefing.paths import builtin_template_dir
    from briefing.render.pdf import render_pdf

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "day"
        folder.mkdir()
        count = write_day(folder, min_words)
        config = parse_config(
            {"sources": [{"path": str(folder)}], "history": {"path": "h.sqlite"}},
            base_dir=Path(tmp),
        )
        analyser = load_analyser(config.nlp.model)
        audience = config.audience()
        collected, t_collect = clock(lambda: collect(config, DAY))
        articles = collected.articles
        words = sum(a.words for a in articles)
        with History(config.history.path) as history:
            results, t_analyse = clock(lambda: list(analyser.analyse_each(articles, history)))
            analysis, t_combine = clock(lambda: combine(articles, results))
            context = build_context(analysis, config, DAY, audience)

        def ours() -> tuple[float, float]:
            brief, t_md = clock(lambda: render_brief(context, config, ("md", "html"), audience))
            _, t_pdf = clock(
                lambda: render_pdf(
                    brief.html or "",
                    asset_dirs=(builtin_template_dir(),),
                    page_css="@page{size:A4}",
                )
            )
            return t_md, t_pdf

        from weasyprint import HTML

        html = render_brief(context, config, ("md", "html"), audience).html or ""
        ours()  # warm-up: imports, fonts, template cache
        HTML(string=html).write_pdf()
        timings, bare = [], []
        for _ in range(3):  # alternate, so drift hits both
            timings.append(ours())
            bare.append(clock(lambda: HTML(string=html).write_pdf())[1])
        t_render = statistics.median(t for t, _ in timings)
        t_pdf = statistics.median(t for _, t in timings)
        t_bare_pdf = statistics.median(bare)
        # whole runs as `briefing run` does them: fresh history, then again on the same inputs
        out = Path(tmp) / "out"
        with History(Path(tmp) / "runs.sqlite") as runs:

            def whole(reuse: bool) -> None:
                again = run_day(
                    config, DAY, analyser, [audience], runs,
                    reuse=reuse_from(out, DAY, audience.name, runs) if reuse else None,
                )  # fmt: skip
                publish(again.briefs, out, audience.name)
                remember(runs, DAY, again.analysis, again.briefs, again.keys)

            _, t_run = clock(lambda: whole(False))
            _, t_rerun = clock(lambda: whole(True))
        _, t_bare_nlp = clock(
            lambda: list(analyser.nlp.pipe([a.text for a in articles], batch_size=32))
        )
    return {
        "articles": count,
        "words": words,
        "stories": len(analysis.stories),
        "collect_s": round(t_collect, 3),
        "analyse_s": round(t_analyse, 3),
        "stories_s": round(t_combine, 3),
        "markdown_html_s": round(t_render, 3),
        "pdf_s": round(t_pdf, 3),
        "run_first_s": round(t_run, 3),
        "run_again_s": round(t_rerun, 3),
        "bare_nlp_pipe_s": round(t_bare_nlp, 3),
        "bare_weasyprint_s": round(t_bare_pdf, 3),
        "analysis_ratio": round(t_bare_nlp / t_analyse, 3),
        "pdf_ratio": round(t_pdf / t_bare_pdf, 3),
        "render_ratio": round((t_render + t_pdf) / t_bare_pdf, 3),  # medians of 3
        "rerun_ratio": round(t_rerun / t_run, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    args = parser.parse_args()
    r = measure(args.words)
    print(f"{r['articles']} articles, {r['words']} words, {r['stories']} stories")
    rows = [
        ("collect (read, decode, parse)", "collect_s"),
        ("analyse (spaCy + extraction)", "analyse_s"),
        ("stories and merge", "stories_s"),
        ("context, Markdown, HTML", "markdown_html_s"),
        ("PDF (WeasyPrint behind our fetcher)", "pdf_s"),
        ("briefing run, first", "run_first_s"),
        ("briefing run again, same inputs", "run_again_s"),
        ("bare nlp.pipe, same texts", "bare_nlp_pipe_s"),
        ("bare WeasyPrint, same HTML", "bare_weasyprint_s"),
    ]
    for name, key in rows:
        print(f"{name:40s} {r[key]:8.2f} s")
    print(f"analysis speed ratio briefing/bare nlp.pipe: {r['analysis_ratio']}")
    print(f"PDF time ratio briefing/bare WeasyPrint: {r['pdf_ratio']}")
    print(f"render (Markdown, HTML, PDF) / bare WeasyPrint: {r['render_ratio']}")
    print(f"re-run / first run: {r['rerun_ratio']}")


if __name__ == "__main__":
    main()
