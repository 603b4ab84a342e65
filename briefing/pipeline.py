"""The whole tool, top to bottom: ingest -> analyse -> context -> render -> deliver."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from briefing import ledger
from briefing.analyse import Analyser, combine
from briefing.config import AudienceConfig, Config
from briefing.context import BriefContext, build_context
from briefing.deliver import write_outputs
from briefing.errors import BriefingError, NothingToBrief, PathError
from briefing.executors import Executor, LocalExecutor, analyse_or_skip
from briefing.ingest.sources import Skipped, collect, read_files
from briefing.models import Analysis
from briefing.paths import files_digest
from briefing.progress import Step, no_progress
from briefing.render import Rendered, render_brief
from briefing.store import History

FILE_FORMATS = ("md", "html", "pdf")
PACKAGE = Path(__file__).resolve().parent


def build_briefs(
    config: Config,
    sources: Sequence[Path],
    brief_date: date,
    analyser: Analyser,
    audiences: Sequence[AudienceConfig],
    formats: tuple[str, ...] | None = None,
    step: Step = no_progress,
) -> tuple[Rendered, ...]:
    """Read the sources once, analyse once, render one brief per audience; writes nothing.

    formats overrides the audiences' own formats when given.
    """
    return build_day(config, sources, brief_date, analyser, audiences, formats, None, step).briefs


def build_day(
    config: Config,
    sources: Sequence[Path],
    brief_date: date,
    analyser: Analyser,
    audiences: Sequence[AudienceConfig],
    formats: tuple[str, ...] | None,
    history: History | None,
    step: Step = no_progress,
) -> Day:
    """build_briefs with the forecast ledger of the history, when there is one; writes nothing."""
    step("Reading articles")
    articles = read_files(sources, brief_date)
    step(f"Analysing {len(articles)} article(s)")
    analysis = analyser(articles, max_bluf=max(a.max_bluf for a in audiences))
    forecasts = _forecasts(history, analysis, brief_date)
    briefs = []
    for audience in audiences:
        step(f"Rendering for {audience.name}")
        context = build_context(analysis, config, brief_date, audience, ledger=forecasts.entries)
        wanted = formats or tuple(f for f in audience.formats if f in FILE_FORMATS) or ("md",)
        briefs.append(render_brief(context, config, wanted, audience))
    return Day(briefs=tuple(briefs), skipped=(), analysis=analysis, forecasts=forecasts.added)


def _forecasts(history: History | None, analysis: Analysis, day: date) -> Forecasts:
    """The ledger with the run's forecasts added (not yet written); None without a history."""
    if history is None:
        return Forecasts(entries=None, added=())
    recorded = ledger.record(history.ledger.entries(), ledger.sightings_of(analysis, day))
    return Forecasts(entries=recorded.entries, added=recorded.added)


@dataclass(frozen=True, slots=True, kw_only=True)
class Forecasts:
    """The ledger a run's briefs see, and the sightings the run adds to it."""

    entries: tuple[ledger.Entry, ...] | None
    added: tuple[tuple[str, ledger.Sighting], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Day:
    """The day's briefs, what was skipped, and the stories to remember."""

    briefs: tuple[Rendered, ...]
    skipped: tuple[Skipped, ...]
    analysis: Analysis
    keys: tuple[str, ...] = ()
    forecasts: tuple[tuple[str, ledger.Sighting], ...] = ()  # for the ledger, once delivered


def run_day(
    config: Config,
    day: date,
    analyser: Analyser,
    audiences: Sequence[AudienceConfig],
    history: History | None,
    *,
    use_cache: bool = True,
    reuse: Callable[[str, str], Rendered | None] | None = None,
    executor: Executor | None = None,
    step: Step = no_progress,
) -> Day:
    """The daily brief: collect the configured sources, analyse (cached), cluster, render.

    reuse(key, audience) may return the brief rendered earlier from the same context,
    templates and settings (see render_key), which is then not rendered again. executor
    says where reading and analysis run (this process by default, or Dask); the results
    are the same either way.
    """
    executor = executor or LocalExecutor()
    feeds = [s.timeout for s in config.sources if s.feed and "://" in s.feed]
    wait = f"; feeds time out after {max(feeds):g} s" if feeds else ""
    step(f"Reading {len(config.sources)} source(s){wait}")
    collected = collect(config, day, executor.map)
    if not collected.articles:
        why = "; ".join(f"{s.source}: {s.reason}" for s in collected.skipped[:3])
        raise NothingToBrief(
            f"no articles for {day} in the configured sources" + (f" ({why})" if why else "")
        )
    cache = history if (use_cache and history is not None) else None
    step("Analysing articles", 0, len(collected.articles))
    analysed = analyse_or_skip(executor, analyser, collected.articles, cache)
    every_skip = collected.skipped + tuple(
        Skipped(source=article.source, reason=f"{article.source}: {why}")
        for article, why in analysed.failed
    )
    if not analysed.articles:
        why = "; ".join(f"{s.source}: {s.reason}" for s in every_skip[:3])
        raise NothingToBrief(f"no article for {day} could be analysed ({why})")
    analysis = combine(
        analysed.articles, analysed.results, max_bluf=max(a.max_bluf for a in audiences)
    )
    step("Analysing articles", len(analysed.articles), len(collected.articles))
    earlier = history.earlier_stories(day) if history is not None else []
    skipped = [(s.source, s.reason) for s in every_skip]
    forecasts = _forecasts(history, analysis, day)
    briefs = []
    keys: list[str] = []
    for audience in audiences:
        step(f"Rendering for {audience.name}")
        context = build_context(
            analysis, config, day, audience, earlier, skipped, ledger=forecasts.entries
        )
        formats = tuple(f for f in audience.formats if f in FILE_FORMATS) or ("md",)
        key = render_key(context, config, audience, formats)
        earlier_brief = reuse(key, audience.name) if reuse is not None else None
        briefs.append(earlier_brief or render_brief(context, config, formats, audience))
        keys.append(key)
    return Day(
        briefs=tuple(briefs),
        skipped=every_skip,
        analysis=analysis,
        keys=tuple(keys),
        forecasts=forecasts.added,
    )


@lru_cache(maxsize=4)
def render_code_digest(package: Path = PACKAGE) -> str:
    """A digest of the code of briefing/render/."""
    return files_digest(((package / "render", "*.py"),))


def render_key(
    context: BriefContext, config: Config, audience: AudienceConfig, formats: tuple[str, ...]
) -> str:
    """Everything a rendered brief depends on: context, templates, settings, version, and
    the rendering code (a changed chart or filter never serves an old brief)."""
    from briefing import __version__
    from briefing.paths import builtin_template_dir

    digest = hashlib.sha256()
    for part in (
        __version__,
        render_code_digest(),
        context.model_dump_json(),
        audience.model_dump_json(),
        config.render.model_dump_json(),
        ",".join(formats),
    ):
        digest.update(part.encode("utf-8") + b"\x00")
    folders = [f for f in (config.templates.dir, builtin_template_dir()) if f is not None]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(folder)).encode() + b"\x00")
                digest.update(path.read_bytes() + b"\x00")
    return digest.hexdigest()


def reuse_from(
    out_dir: Path, day: date, default: str, history: History
) -> Callable[[str, str], Rendered | None]:
    """A reuse function for run_day: the brief already in out_dir/<date>/ if the history
    says it was rendered from the same key."""

    def reuse(key: str, audience: str) -> Rendered | None:
        if history.render_key(day, audience) != key:
            return None
        try:
            recover(out_dir / day.isoformat())
            return load_brief(out_dir, day, audience, default)
        except (OSError, BriefingError):
            return None

    return reuse


def remember(
    history: History,
    day: date,
    analysis: Analysis,
    briefs: Sequence[Rendered] = (),
    keys: Sequence[str] = (),
) -> None:
    """Record the day's stories so later briefs can tell new from developing, and the
    render key of each brief written, so a re-run of the same inputs reuses it."""
    for brief, key in zip(briefs, keys, strict=True):
        history.record_render(day, brief.context.audience.name, key)
    digests = {a.id: a.digest for a in analysis.articles}
    history.record_stories(
        day,
        [
            (s.key, s.title, list(s.actors[:5]), [digests[i] for i in s.articles])
            for s in analysis.stories
        ],
    )


def remember_forecasts(history: History, day: Day) -> None:
    """Add the run's forecasts to the ledger, all in one transaction, once the brief is out."""
    history.ledger.add(day.forecasts)


@contextmanager
def date_lock(out_dir: Path, day: date) -> Iterator[None]:
    """Hold out_dir/.<date>.lock so two runs of the same date cannot interleave.

    The file is removed when the run ends; a run that finds the file it locked was
    removed meanwhile locks the new one, so two runs never both hold the date.
    """
    import fcntl
    import os

    path = out_dir / f".{day.isoformat()}.lock"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        while True:
            handle = open(path, "a+")  # noqa: SIM115 - closed below, after the unlink
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                raise BriefingError(
                    f"another briefing run for {day} is in progress ({path})"
                ) from None
            if path.exists() and os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino:
                break
            handle.close()  # the holder removed it as we opened it: lock the new one
    except OSError as exc:
        why = exc.strerror or exc
        raise PathError(f"output folder {out_dir}: cannot write there ({why})") from None
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        handle.close()


def file_stem(audience: str, default: str) -> str:
    """'brief' for the default audience, 'brief-<audience>' for the others."""
    return "brief" if audience == default else f"brief-{audience}"


def brief_files(brief: Rendered, default: str) -> dict[str, bytes]:
    """File name -> bytes for every format the brief was rendered in, plus its context."""
    stem = file_stem(brief.context.audience.name, default)
    context_name = (
        "context.json" if stem == "brief" else f"context-{brief.context.audience.name}.json"
    )
    files = {context_name: brief.context.model_dump_json(indent=2).encode("utf-8") + b"\n"}
    files[f"{stem}.md"] = brief.markdown.encode("utf-8")
    if brief.html is not None:
        files[f"{stem}.html"] = brief.html.encode("utf-8")
    if brief.pdf is not None:
        files[f"{stem}.pdf"] = brief.pdf
    return files


def load_brief(out_dir: Path, brief_date: date, audience: str, default: str) -> Rendered:
    """A brief built earlier, read back from out_dir/<date>/ for sending."""
    from briefing.context import BriefContext
    from briefing.errors import DeliveryError

    folder = out_dir / brief_date.isoformat()
    recover(folder)
    stem = file_stem(audience, default)
    context_file = folder / ("context.json" if stem == "brief" else f"context-{audience}.json")
    try:
        context = BriefContext.model_validate_json(context_file.read_text(encoding="utf-8"))
        markdown = (folder / f"{stem}.md").read_text(encoding="utf-8")
        html = (folder / f"{stem}.html").read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise DeliveryError(
            f"no complete {audience!r} brief for {brief_date} in {folder} "
            f"({exc.__class__.__name__}); build it first, or name the article files"
        ) from None
    pdf_path = folder / f"{stem}.pdf"
    pdf = pdf_path.read_bytes() if pdf_path.is_file() else None
    return Rendered(context=context, markdown=markdown, html=html, pdf=pdf)


JOURNAL = ".publish.json"
STAGING = ".staging"


def publish(
    briefs: Sequence[Rendered],
    out_dir: Path,
    default: str,
) -> tuple[Path, ...]:
    """Write every brief to out_dir/<date>/ as one unit.

    All files are written to out/<date>/.staging/ first; then a
    journal naming them is written (the commit point) and they are renamed into place. A
    kill before the journal leaves the previous brief as it was; a kill after it is
    finished by the next publish or read (`recover`), so no mix of two briefs remains.
    Reuse markers of older versions (.render-*; render keys now live in the history
    database) are removed with the same commit.
    """
    import json
    import shutil

    from briefing.errors import DeliveryError

    files: dict[str, bytes] = {}
    for brief in briefs:
        files.update(brief_files(brief, default))
    folder = out_dir / briefs[0].context.date.isoformat()
    recover(folder)
    staging = folder / STAGING
    try:
        for stale in folder.glob(".*.tmp"):  # left by a run that was killed while writing
            stale.unlink(missing_ok=True)
        if staging.exists():  # staged by a run killed before its commit
            shutil.rmtree(staging)
    except OSError as exc:
        raise DeliveryError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    write_outputs(files, staging)
    markers = [p.name for p in folder.glob(".render-*")]
    journal = {"move": sorted(files), "remove": sorted(markers)}
    write_outputs({JOURNAL: json.dumps(journal).encode("utf-8")}, folder)
    recover(folder)
    return tuple(folder / name for name in files if not name.startswith("."))


def recover(folder: Path) -> None:
    """Finish a publish that was stopped after its commit point (see publish)."""
    import json
    import os
    import shutil

    from briefing.errors import DeliveryError

    journal = folder / JOURNAL
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        raise DeliveryError(f"{journal}: unreadable publish journal: {exc}") from None
    try:
        for name in plan["move"]:
            staged = folder / STAGING / Path(name).name
            if staged.exists():
                os.replace(staged, folder / Path(name).name)
        for name in plan["remove"]:
            (folder / Path(name).name).unlink(missing_ok=True)
        journal.unlink()
    except OSError as exc:
        raise DeliveryError(f"cannot publish into {folder}: {exc.strerror or exc}") from exc
    shutil.rmtree(folder / STAGING, ignore_errors=True)
