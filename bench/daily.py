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
from briefing.pipeline import publish, reuse_from, run_day  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "day"
        folder.mkdir()
        count = write_day(folder, args.words)
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
            brief, t_render = clock(lambda: render_brief(context, config, ("md", "html"), audience))
            from briefing.paths import builtin_template_dir
            from briefing.render.pdf import render_pdf

            _, t_pdf = clock(
                lambda: render_pdf(
                    brief.html or "",
                    asset_dirs=(builtin_template_dir(),),
                    page_css="@page{size:A4}",
                )
            )
            first = t_collect + t_analyse + t_combine + t_render + t_pdf
        # whole runs as `briefing run` does them: fresh history, then again on the same inputs
        out = Path(tmp) / "out"
        with History(Path(tmp) / "runs.sqlite") as runs:

            def whole(reuse: bool) -> None:
                again = run_day(
                    config, DAY, analyser, [audience], runs,
                    reuse=reuse_from(out, DAY, audience.name) if reuse else None,
                )  # fmt: skip
                publish(again.briefs, out, audience.name, again.keys)

            _, t_run = clock(lambda: whole(False))
            _, t_rerun = clock(lambda: whole(True))
        _, t_bare_nlp = clock(
            lambda: list(analyser.nlp.pipe([a.text for a in articles], batch_size=32))
        )
        from weasyprint import HTML

        _, t_bare_pdf = clock(lambda: HTML(string=brief.html or "").write_pdf())
    print(f"{count} articles, {words} words, {len(analysis.stories)} stories")
    rows = [
        ("collect (read, decode, parse)", t_collect),
        ("analyse (spaCy + extraction)", t_analyse),
        ("stories and merge", t_combine),
        ("context, Markdown, HTML", t_render),
        ("PDF (WeasyPrint behind our fetcher)", t_pdf),
        ("sum of the stages", first),
        ("briefing run, first", t_run),
        ("briefing run again, same inputs", t_rerun),
        ("bare nlp.pipe, same texts", t_bare_nlp),
        ("bare WeasyPrint, same HTML", t_bare_pdf),
    ]
    for name, seconds in rows:
        print(f"{name:40s} {seconds:8.2f} s")
    print(
        f"analysis words/s: briefing {words / t_analyse:.0f}, "
        f"bare nlp.pipe {words / t_bare_nlp:.0f}, "
        f"ratio {t_bare_nlp / t_analyse:.3f}"
    )
    print(f"PDF time ratio briefing/bare WeasyPrint: {t_pdf / t_bare_pdf:.3f}")
    print(f"re-run / first run: {t_rerun / t_run:.3f}")


if __name__ == "__main__":
    main()
