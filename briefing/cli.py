"""Command line: a thin shell over briefing.pipeline; errors become one line and exit 2."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from briefing import __version__
from briefing.errors import BriefingError

if TYPE_CHECKING:  # imported where used, so `--help` stays as quick as typer itself
    from briefing.config import AudienceConfig, Config

FORMATS = ("md", "html", "pdf")
DEMO_DATE = date(2025, 6, 19)  # the newest bundled example article
SAMPLE_DAY = date(2025, 9, 18)  # examples/day

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: no rich import just to print --help
    help="Turn news articles into briefing notes: key claims, actors, outlook.",
)
_debug = {"on": False}

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="config.yaml to use (default: ./config.yaml if present)."),
]
DateOption = Annotated[
    str | None, typer.Option("--date", "-d", help="Brief date YYYY-MM-DD (default: today).")
]
AudienceOption = Annotated[
    list[str] | None,
    typer.Option("--audience", "-a", help="Audience from config.yaml; repeat for several."),
]
AllAudiencesOption = Annotated[
    bool, typer.Option("--all-audiences", help="Build every audience in config.yaml.")
]
FilesArgument = Annotated[list[Path], typer.Argument(help="Article files (plain text).")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefing {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    _debug["on"] = debug


def _config(path: Path | None) -> "Config":
    from briefing.config import load_config

    if path is None:
        default = Path("config.yaml")
        return load_config(default if default.is_file() else None)
    return load_config(path)


def _date(value: str | None, config: "Config") -> date:
    if value is None:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(config.brief.timezone)).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date YYYY-MM-DD", param_hint="--date"
        ) from None


def _formats(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    chosen = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    bad = [v for v in chosen if v not in FORMATS]
    if bad or not chosen:
        raise typer.BadParameter(
            f"{', '.join(bad) or value!r}: choose from {', '.join(FORMATS)}", param_hint="--format"
        )
    return chosen


def _audiences(
    names: list[str] | None, every: bool, config: "Config"
) -> "tuple[AudienceConfig, ...]":
    if every:
        return config.audiences
    return tuple(config.audience(n) for n in dict.fromkeys(names or [config.brief.audience]))


def _run_build(
    files: list[Path],
    config: "Config",
    brief_date: date,
    audiences: "tuple[AudienceConfig, ...]",
    formats: tuple[str, ...] | None,
    out: Path,
) -> tuple[Path, ...]:
    from briefing.analyse import analyser_for
    from briefing.pipeline import build_day, publish, remember_forecasts
    from briefing.store import History

    with _progress() as step, History(config.history.path) as history:
        step("Loading the language model")
        analyser = analyser_for(config)
        day = build_day(config, files, brief_date, analyser, audiences, formats, history, step)
        step("Writing")
        written = publish(day.briefs, out, config.brief.audience)
        remember_forecasts(history, day)
        return written


@contextmanager
def _progress() -> Iterator[Callable[[str], None]]:
    """A spinner with the current step on a terminal; nothing when output is redirected."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda _: None
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
        task = bar.add_task("Starting", total=None)
        yield lambda name: bar.update(task, description=name)


@app.command()
def build(
    files: FilesArgument,
    date_: DateOption = None,
    format_: Annotated[
        str | None, typer.Option("--format", "-f", help="Comma-separated: md,html,pdf.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder.")] = None,
    audience: AudienceOption = None,
    all_audiences: AllAudiencesOption = False,
    config: ConfigOption = None,
) -> None:
    """Brief FILES into OUT/<date>/.

    The default audience gets brief.{md,html,pdf} and context.json; other audiences get
    brief-<audience>.* and context-<audience>.json.
    """
    cfg = _config(config)
    written = _run_build(
        files,
        cfg,
        _date(date_, cfg),
        _audiences(audience, all_audiences, cfg),
        _formats(format_),
        out or cfg.output.dir,
    )
    for path in written:
        typer.echo(str(path))


@app.command()
def run(
    date_: DateOption = None,
    audience: AudienceOption = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Analyse every article again.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any source was skipped.")
    ] = False,
    executor: Annotated[
        str | None,
        typer.Option(
            "--executor",
            help="Where reading and analysis run: local, or dask. Default: executor.kind.",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (tcp://host:8786); none starts a LocalCluster.",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """The daily brief: the configured sources for a date, every audience, into OUT/<date>/."""
    cfg = _config(config)
    day = _date(date_, cfg)
    chosen = cfg.executor
    if executor is not None or scheduler is not None:
        kind = executor or ("dask" if scheduler else chosen.kind)
        chosen = chosen.model_copy(update={"kind": kind, "scheduler": scheduler})
    skipped = _run_day(
        cfg,
        day,
        _audiences(audience, not audience, cfg),
        use_cache=not no_cache,
        executor=(chosen.kind, chosen.scheduler, chosen.workers),
    )
    if skipped and strict:
        typer.echo(f"briefing: {skipped} source(s) skipped (--strict)", err=True)
        raise typer.Exit(1)


def _run_day(
    cfg: "Config",
    day: date,
    audiences: "tuple[AudienceConfig, ...]",
    *,
    use_cache: bool,
    executor: tuple[str, str | None, int] = ("local", None, 1),
) -> int:
    """Run, publish and remember one day; print what was written and skipped."""
    from briefing.analyse import analyser_for
    from briefing.executors import make_executor
    from briefing.pipeline import (
        date_lock,
        publish,
        remember,
        remember_forecasts,
        reuse_from,
        run_day,
    )
    from briefing.store import History

    folder = cfg.output.dir / day.isoformat()
    with date_lock(folder), History(cfg.history.path) as history:
        analyser = analyser_for(cfg)
        reuse = reuse_from(cfg.output.dir, day, cfg.brief.audience) if use_cache else None
        where = make_executor(*executor)
        try:
            result = run_day(
                cfg, day, analyser, audiences, history,
                use_cache=use_cache, reuse=reuse, executor=where,
            )  # fmt: skip
        finally:
            where.close()
        written = publish(result.briefs, cfg.output.dir, cfg.brief.audience, result.keys)
        for path in written:
            typer.echo(str(path))
        remember(history, day, result.analysis)
        remember_forecasts(history, result)
    for item in result.skipped:
        typer.echo(f"skipped {item.source}: {item.reason}", err=True)
    return len(result.skipped)


@app.command()
def demo(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder.")] = None,
    day: Annotated[bool, typer.Option("--day", help="The sample day, as `briefing run`.")] = False,
    days: Annotated[
        bool, typer.Option("--days", help="Three days of examples/days/ in order (the ledger).")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Brief the bundled examples for every audience: OUT/2025-06-19/, or with --day the
    sample day (folder, saved page and feed) as `briefing run`: OUT/2025-09-18/."""
    from briefing.config import SourceConfig
    from briefing.paths import examples_dir

    cfg = _config(config)
    if days:
        _demo_days(cfg, out)
        return
    if day:
        sample = cfg.model_copy(
            update={
                "sources": (SourceConfig(path=examples_dir() / "day"),),
                "output": cfg.output.model_copy(update={"dir": out or cfg.output.dir}),
            }
        )
        _run_day(sample, SAMPLE_DAY, sample.audiences, use_cache=True)
        return
    examples = sorted(examples_dir().glob("*.txt"))
    written = _run_build(examples, cfg, DEMO_DATE, cfg.audiences, None, out or cfg.output.dir)
    for path in written:
        typer.echo(str(path))


# the forecast ledger (docs/ledger.md)

ledger_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="The forecast ledger: every forecast remembered, followed up, and scored.",
)
app.add_typer(ledger_app, name="ledger")
LedgerDate = Annotated[
    str | None, typer.Option("--date", "-d", help="As of YYYY-MM-DD (default: today).")
]


def _ledger_entries(config: Path | None) -> "tuple[Config, list[Any]]":
    from briefing.store import History

    cfg = _config(config)
    with History(cfg.history.path) as history:
        return cfg, list(history.ledger.entries())


@ledger_app.command("list")
def ledger_list(
    due: Annotated[bool, typer.Option("--due", help="Only those falling due.")] = False,
    open_: Annotated[bool, typer.Option("--open", help="Only the unresolved.")] = False,
    source: Annotated[
        str | None, typer.Option("--source", help="Only this source (case-insensitive).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Entries with repeats as JSON.")] = False,
    date_: LedgerDate = None,
    config: ConfigOption = None,
) -> None:
    """List the ledger's entries; a passed horizon without an outcome is 'awaiting outcome'."""
    from briefing import ledger

    cfg, entries = _ledger_entries(config)
    today = _date(date_, cfg)
    if due:
        window = ledger.Window(ahead=cfg.ledger.due_ahead_days, back=cfg.ledger.due_back_days)
        entries = list(ledger.falling_due(entries, today, window))
    if open_:
        entries = [e for e in entries if e.resolution is None]
    if source:
        entries = [
            e for e in entries if ledger.normalise(e.first.source) == ledger.normalise(source)
        ]
    records = [ledger.entry_record(e, today) for e in entries]
    if as_json:
        import json

        typer.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    for r in records:
        status = str(r["status"]).replace("_", " ")
        horizon = f"{r['horizon_start']}..{r['horizon_end']}" if r["horizon_end"] else "-"
        repeats = len(r["repeats"])  # type: ignore[arg-type]
        typer.echo(
            f"{r['id']}  {status:16s} {r['band'] or 'unstated':19s} {horizon:22s} "
            f"{r['source']}: {r['text']} (+{repeats} repeats)"
        )


@ledger_app.command("show")
def ledger_show(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="Entry id or its start.")],
    date_: LedgerDate = None,
    config: ConfigOption = None,
) -> None:
    """One entry with every report of it, as JSON."""
    import json

    from briefing import ledger
    from briefing.store import History

    cfg = _config(config)
    with History(cfg.history.path) as history:
        entry = history.ledger.find(entry_id)
    record = ledger.entry_record(entry, _date(date_, cfg))
    typer.echo(json.dumps(record, indent=2, ensure_ascii=False))


@ledger_app.command("resolve")
def ledger_resolve(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="Entry id or its start.")],
    outcome: Annotated[
        str, typer.Option("--outcome", help="happened, not-happened, partly or void.")
    ],
    date_: Annotated[
        str | None, typer.Option("--date", "-d", help="When it resolved (default: today).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What happened, briefly.")] = None,
    config: ConfigOption = None,
) -> None:
    """Record what came of a forecast; the next brief's scores count it."""
    from briefing.ledger import OUTCOMES, Resolution
    from briefing.store import History

    if outcome not in OUTCOMES:
        raise typer.BadParameter(
            f"{outcome!r}: choose from {', '.join(OUTCOMES)}", param_hint="--outcome"
        )
    cfg = _config(config)
    resolution = Resolution(outcome=outcome, resolved_on=_date(date_, cfg), note=note)
    with History(cfg.history.path) as history:
        entry = history.ledger.find(entry_id)
        history.ledger.resolve(entry.id, resolution)
    typer.echo(f"{entry.id}: {outcome} on {resolution.resolved_on}")


@ledger_app.command("export")
def ledger_export(
    csv_file: Annotated[Path, typer.Option("--csv", help="CSV file to write.")],
    date_: LedgerDate = None,
    config: ConfigOption = None,
) -> None:
    """Every entry as one CSV row (repeats counted)."""
    import csv
    import io

    from briefing import ledger
    from briefing.deliver import write_outputs

    cfg, entries = _ledger_entries(config)
    today = _date(date_, cfg)
    records = [ledger.entry_record(e, today) for e in entries]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=ledger.CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({**r, "repeats": len(r["repeats"])})  # type: ignore[arg-type]
    write_outputs({csv_file.name: text.getvalue().encode("utf-8")}, csv_file.parent)
    typer.echo(str(csv_file))


def _demo_days(cfg: "Config", out: Path | None) -> None:
    """Run each folder of examples/days/ (named by its date) as that day's `briefing run`."""
    from briefing.config import SourceConfig
    from briefing.paths import examples_dir

    for folder in sorted(p for p in (examples_dir() / "days").iterdir() if p.is_dir()):
        sample = cfg.model_copy(
            update={
                "sources": (SourceConfig(path=folder),),
                "output": cfg.output.model_copy(update={"dir": out or cfg.output.dir}),
            }
        )
        _run_day(sample, date.fromisoformat(folder.name), sample.audiences, use_cache=True)


@app.command()
def context(
    files: FilesArgument,
    date_: DateOption = None,
    audience: Annotated[
        str | None, typer.Option("--audience", "-a", help="Audience (default: brief.audience).")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Print exactly what an audience's templates receive for FILES, as JSON."""
    from briefing.analyse import analyser_for
    from briefing.context import build_context
    from briefing.ingest.sources import read_files

    cfg = _config(config)
    chosen = cfg.audience(audience)
    brief_date = _date(date_, cfg)
    articles = read_files(files, brief_date)
    analysis = analyser_for(cfg)(articles, max_bluf=chosen.max_bluf)
    typer.echo(build_context(analysis, cfg, brief_date, chosen).model_dump_json(indent=2))


@app.command()
def preview(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Articles (default: the bundled examples).")
    ] = None,
    date_: DateOption = None,
    audience: Annotated[
        str | None, typer.Option("--audience", "-a", help="Audience (default: brief.audience).")
    ] = None,
    port: Annotated[int, typer.Option("--port", "-p", help="Port on 127.0.0.1 (0: any).")] = 8000,
    config: ConfigOption = None,
) -> None:
    """Serve the HTML brief on 127.0.0.1; the page reloads when templates or config change."""
    import time

    from briefing.analyse import analyser_for
    from briefing.ingest.sources import read_files
    from briefing.paths import examples_dir
    from briefing.preview import Preview, start

    path = config or (Path("config.yaml") if Path("config.yaml").is_file() else None)
    cfg = _config(path)
    cfg.audience(audience)
    sources = files or sorted(examples_dir().glob("*.txt"))
    brief_date = _date(date_, cfg) if (files or date_) else DEMO_DATE
    analyser = analyser_for(cfg)
    most = max(a.max_bluf for a in cfg.audiences)
    analysis = analyser(read_files(sources, brief_date), max_bluf=most)
    running = start(Preview(analysis, path, brief_date, audience), port)
    typer.echo(f"previewing at {running.url} (Ctrl-C to stop)", err=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        running.close()


@app.command()
def send(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Articles to brief first (default: reuse the built brief)."),
    ] = None,
    date_: DateOption = None,
    audience: AudienceOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write .eml files to out/<date>/outbox; send nothing.")
    ] = False,
    retry: Annotated[
        bool, typer.Option("--retry", help="Send what is waiting in the outboxes, once.")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Email the brief to each audience's recipients, through the outbox."""
    import os

    from briefing.deliver import outbox
    from briefing.deliver.smtp import read_password, send_pending
    from briefing.errors import DeliveryError
    from briefing.store import History

    cfg = _config(config)
    from zoneinfo import ZoneInfo

    now = datetime.now(ZoneInfo(cfg.brief.timezone))
    out = cfg.output.dir
    if retry:
        items = outbox.pending(out, _date(date_, cfg) if date_ else None)
    else:
        brief_date = _date(date_, cfg)
        queued = _queue(files, cfg, brief_date, audience, now, dry_run=dry_run)
        for path in queued:
            typer.echo(f"queued {path}")
        if dry_run:
            return
        items = outbox.pending(out, brief_date)
    if not items:
        typer.echo("nothing to send", err=True)
        return
    password = read_password(cfg.mail, os.environ)
    with History(cfg.history.path) as history:
        report = send_pending(items, cfg.mail, password, history, now)
    for path in report.sent:
        typer.echo(f"sent {path}")
    for path, reason in report.failed:
        typer.echo(f"left in the outbox: {path}: {reason}", err=True)
    if report.failed:
        raise DeliveryError(
            f"{len(report.failed)} message(s) not delivered; `briefing send --retry` sends them"
        )


def _queue(
    files: list[Path] | None,
    cfg: "Config",
    brief_date: date,
    names: list[str] | None,
    now: datetime,
    *,
    dry_run: bool,
) -> list[Path]:
    """Build (or reuse) each audience's brief and put its message in the outbox."""
    from briefing.deliver import outbox
    from briefing.deliver.mail import build_message
    from briefing.errors import DeliveryError
    from briefing.paths import builtin_template_dir
    from briefing.pipeline import load_brief, publish

    if names:
        audiences = tuple(cfg.audience(n) for n in dict.fromkeys(names))
    else:
        audiences = tuple(a for a in cfg.audiences if a.recipients)
    if not audiences:
        raise DeliveryError("no audience has recipients: add them under audiences in config.yaml")
    if files:
        from briefing.analyse import analyser_for
        from briefing.pipeline import build_briefs

        analyser = analyser_for(cfg)
        formats = ("md", "html", "pdf") if cfg.mail.attach_pdf else ("md", "html")
        briefs = build_briefs(cfg, files, brief_date, analyser, audiences, formats)
        publish(briefs, cfg.output.dir, cfg.brief.audience)
    else:
        briefs = tuple(
            load_brief(cfg.output.dir, brief_date, a.name, cfg.brief.audience) for a in audiences
        )
    assets = tuple(d for d in (cfg.templates.dir, builtin_template_dir()) if d is not None)
    folder = cfg.output.dir / brief_date.isoformat() / "outbox"
    queued = []
    for brief, chosen in zip(briefs, audiences, strict=True):
        outgoing = build_message(brief, mail=cfg.mail, audience=chosen, now=now, asset_dirs=assets)
        queued.append(outbox.put(outgoing, folder, brief_date, dry_run=dry_run))
    return queued


@app.command("eval")
def evaluate(
    corpus: Annotated[Path, typer.Argument(help="Annotated corpus folder (tests/corpus).")],
    split: Annotated[
        str | None, typer.Option("--split", help="Sub-folder to score: dev or test.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The full report as JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """Score the analysis against annotated articles: precision, recall, F1 per field."""
    from briefing.analyse import analyser_for
    from briefing.evaluate import FIELDS, Report, load_annotations, score_article
    from briefing.ingest import read_files

    cfg = _config(config)
    analyser = analyser_for(cfg)
    report = Report()
    for path, annotation in load_annotations(corpus, split):
        articles = read_files([path], annotation["date"])
        report.add(path.stem, score_article(annotation, analyser(articles)))
    if as_json:
        import json

        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    typer.echo(f"{'field':16s} {'precision':>9s} {'recall':>7s} {'F1':>6s}   tp/pred/exp")
    for name in FIELDS:
        sc = report.total[name]
        typer.echo(
            f"{name:16s} {sc.precision:9.3f} {sc.recall:7.3f} {sc.f1:6.3f}   "
            f"{sc.tp}/{sc.predicted}/{sc.expected}"
        )
    typer.echo("")
    typer.echo(f"{'article':36s} " + " ".join(f"{n[:9]:>9s}" for n in FIELDS))
    for name, scores in report.articles.items():
        row = " ".join(f"{scores[n].f1:9.2f}" for n in FIELDS)
        typer.echo(f"{name[:36]:36s} {row}")


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to create (or fill).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Make FOLDER with a config.yaml and one template that overrides a built-in block."""
    from briefing.scaffold import scaffold

    for path in scaffold(folder, force=force):
        typer.echo(str(path))
    typer.echo(f"next: cd {folder} && briefing demo", err=True)


@app.command()
def schema(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="A Markdown table of every field instead.")
    ] = False,
) -> None:
    """Print the JSON Schema of the context (what templates and context.json hold)."""
    from briefing.context import context_reference, context_schema

    if markdown:
        typer.echo(context_reference(), nl=False)
    else:
        import json

        typer.echo(json.dumps(context_schema(), indent=2))


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the app; a BriefingError is one line on stderr and its exit code."""
    try:
        return app(args=argv, standalone_mode=True)
    except BriefingError as exc:
        if _debug["on"]:
            raise
        typer.echo(f"briefing: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("briefing: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if _debug["on"]:
            raise
        typer.echo(
            f"briefing: internal error: {exc!r} (run with --debug for the traceback)", err=True
        )
        sys.exit(1)
