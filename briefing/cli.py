"""Command line: a thin shell over briefing.pipeline.

Every command ends the same way (main): a BriefingError is one line on stderr and the exit
code of its class (briefing.errors.ExitCode); what a command prints on success goes through
one Reporter (briefing.progress), made from the shared -v/-q/--json options.
"""

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from briefing import __version__
from briefing.errors import BriefingError, ExitCode
from briefing.safetext import printable

if TYPE_CHECKING:  # imported where used, so `--help` stays as quick as typer itself
    from briefing.config import AudienceConfig, Config
    from briefing.progress import Reporter, Step
    from briefing.store import History

FORMATS = ("md", "html", "pdf")
DEMO_DATE = date(2025, 6, 19)  # the newest bundled example article
SAMPLE_DAY = date(2025, 9, 18)  # examples/day


def _argument_name(argument: typer.core.TyperArgument) -> str:
    name = argument.metavar or (argument.name or "").upper()
    return name + ("..." if argument.nargs != 1 else "")


# Arguments in help as click shows them ("FILE...", "[FILE...]"), not as Python types
# ("{files}... <list[Path]>"); typer offers no setting for it.
typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]
typer.core.TyperArgument._rich_display_name = _argument_name  # type: ignore[method-assign,assignment]
typer.core.TyperArgument._usage_display_name = lambda self: (  # type: ignore[method-assign]
    _argument_name(self) if self.required else f"[{_argument_name(self)}]"
)

app = typer.Typer(
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: no rich import just to print --help
    help="Turn news articles into briefing notes: key claims, actors, outlook.",
)
_debug = {"on": False}
_reporters: list["Reporter"] = []  # the running command's, for main() to finish

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        metavar="FILE",
        help="config.yaml to use (default: ./config.yaml if present).",
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date", "-d", metavar="YYYY-MM-DD", help="Brief date (default: today in brief.timezone)."
    ),
]
AudienceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--audience", "-a", metavar="NAME", help="Audience from config.yaml; repeat for several."
    ),
]
AllAudiencesOption = Annotated[
    bool, typer.Option("--all-audiences", help="Build every audience in config.yaml.")
]
FilesArgument = Annotated[
    list[Path], typer.Argument(metavar="FILE", help="Article files (plain text).")
]
OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", metavar="DIR", help="Output folder.")
]
VerboseOption = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Print each step and every file written, also from cron."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print a JSON summary of what was done on stdout.")
]


def _reporter(verbose: bool, quiet: bool, as_json: bool) -> "Reporter":
    """The Reporter for this command (shared -v/-q/--json); main() prints its summary."""
    from briefing.progress import NORMAL, QUIET, VERBOSE, Reporter

    if verbose and quiet:
        raise typer.BadParameter("choose one of --verbose and --quiet", param_hint="-v/-q")
    level = VERBOSE if verbose else QUIET if quiet else NORMAL
    reporter = Reporter(level=level, as_json=as_json)
    _reporters.append(reporter)
    return reporter


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefing {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print version."),
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


def _writable(folder: Path) -> None:
    """Fail early, naming output.dir, when the briefs could not be written there."""
    from briefing.errors import PathError

    existing = next((p for p in (folder, *folder.parents) if p.exists()), folder)
    if not existing.is_dir():
        raise PathError(f"output folder {folder}: {existing} is not a folder")
    import os

    if not os.access(existing, os.W_OK | os.X_OK):
        raise PathError(f"output folder {folder}: {existing} is not writable")


def _writable_for(out: Path, day: date) -> None:
    """out/, and the date's folder and staging folder where they exist, are writable."""
    from briefing.pipeline import STAGING

    folder = out / day.isoformat()
    _writable(out)
    for existing in (folder, folder / STAGING):
        if existing.is_dir():
            _writable(existing)


def _fonts_for(
    audiences: "tuple[AudienceConfig, ...]", formats: tuple[str, ...] | None = None
) -> None:
    """Before any work, when a PDF is wanted: a font fontconfig finds (briefing.render.pdf)."""
    if "pdf" in (formats or tuple(f for a in audiences for f in a.formats)):
        from briefing.render.pdf import require_fonts

        require_fonts()


def _run_build(
    files: list[Path],
    config: "Config",
    brief_date: date,
    audiences: "tuple[AudienceConfig, ...]",
    formats: tuple[str, ...] | None,
    out: Path,
    report: "Reporter",
) -> None:
    from briefing.analyse import analyser_for
    from briefing.pipeline import build_day, date_lock, publish, remember_forecasts
    from briefing.store import History

    _writable_for(out, brief_date)
    _fonts_for(audiences, formats)
    report.record("date", brief_date.isoformat())
    with report.progress() as step, History(config.history.path) as history:
        step("Loading the language model")
        analyser = analyser_for(config)
        day = build_day(config, files, brief_date, analyser, audiences, formats, history, step)
        step("Writing")
        with date_lock(out, brief_date):  # never between a run's files
            written = publish(day.briefs, out, config.brief.audience)
            history.forget_renders(brief_date)  # a later run must not reuse these files
            remember_forecasts(history, day)
    report.record("sources", {"read": [str(f) for f in files], "skipped": []})
    report.wrote(written)


@app.command()
def build(
    files: FilesArgument,
    date_: DateOption = None,
    format_: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="md,html,pdf", help="Formats, comma-separated."),
    ] = None,
    out: OutOption = None,
    audience: AudienceOption = None,
    all_audiences: AllAudiencesOption = False,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Brief FILE... into OUT/<date>/.

    The default audience gets brief.{md,html,pdf} and context.json; other audiences get
    brief-<audience>.* and context-<audience>.json.
    """
    report = _reporter(verbose, quiet, as_json)
    cfg = _config(config)
    _run_build(
        files,
        cfg,
        _date(date_, cfg),
        _audiences(audience, all_audiences, cfg),
        _formats(format_),
        out or cfg.output.dir,
        report,
    )


@app.command()
def run(
    date_: DateOption = None,
    audience: AudienceOption = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Analyse every article again.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 5 when any source was skipped.")
    ] = False,
    executor: Annotated[
        str | None,
        typer.Option(
            "--executor",
            metavar="local|dask",
            help="Where reading and analysis run: local, or dask. Default: executor.kind.",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Dask scheduler address (tcp://host:8786); none starts a LocalCluster.",
        ),
    ] = None,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """The daily brief: the configured sources for a date, every audience, into OUT/<date>/."""
    report = _reporter(verbose, quiet, as_json)
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
        report,
        use_cache=not no_cache,
        executor=(chosen.kind, chosen.scheduler, chosen.workers),
    )
    if skipped and strict:
        typer.echo(f"briefing: {skipped} source(s) skipped (--strict)", err=True)
        raise typer.Exit(ExitCode.SKIPPED)


def _run_day(
    cfg: "Config",
    day: date,
    audiences: "tuple[AudienceConfig, ...]",
    report: "Reporter",
    *,
    use_cache: bool,
    executor: tuple[str, str | None, int] = ("local", None, 1),
) -> int:
    """Run, publish and remember one day; report what was written and skipped."""
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

    _writable_for(cfg.output.dir, day)
    _fonts_for(audiences)
    report.record("date", day.isoformat())
    lock = date_lock(cfg.output.dir, day)
    with report.progress() as step, lock, History(cfg.history.path) as history:
        step("Loading the language model")
        analyser = analyser_for(cfg)
        reuse = reuse_from(cfg.output.dir, day, cfg.brief.audience, history)
        where = make_executor(*executor)
        try:
            result = run_day(
                cfg, day, analyser, audiences, history, use_cache=use_cache,
                reuse=reuse if use_cache else None, executor=where, step=step,
            )  # fmt: skip
        finally:
            where.close()
        step("Writing")
        written = publish(result.briefs, cfg.output.dir, cfg.brief.audience)
        remember(history, day, result.analysis, result.briefs, result.keys)
        remember_forecasts(history, result)
    report.record(
        "sources",
        {
            "read": sorted({a.source for a in result.analysis.articles}),
            "skipped": [{"source": s.source, "reason": s.reason} for s in result.skipped],
        },
    )
    report.record("articles", len(result.analysis.articles))
    report.record("stories", [s.title for s in result.analysis.stories])
    report.wrote(written)
    for item in result.skipped:
        report.warn(printable(f"skipped {item.source}: {item.reason}"))
    return len(result.skipped)


@app.command()
def demo(
    out: OutOption = None,
    day: Annotated[bool, typer.Option("--day", help="The sample day, as `briefing run`.")] = False,
    days: Annotated[
        bool, typer.Option("--days", help="Three days of examples/days/ in order (the ledger).")
    ] = False,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Brief the bundled examples for every audience: OUT/2025-06-19/, or with --day the
    sample day (folder, saved page and feed) as `briefing run`: OUT/2025-09-18/."""
    from briefing.config import SourceConfig
    from briefing.paths import examples_dir

    report = _reporter(verbose, quiet, as_json)
    cfg = _config(config)
    if days:
        _demo_days(cfg, out, report)
        return
    if day:
        sample = cfg.model_copy(
            update={
                "sources": (SourceConfig(path=examples_dir() / "day"),),
                "output": cfg.output.model_copy(update={"dir": out or cfg.output.dir}),
            }
        )
        _run_day(sample, SAMPLE_DAY, sample.audiences, report, use_cache=True)
        return
    examples = sorted(examples_dir().glob("*.txt"))
    _run_build(examples, cfg, DEMO_DATE, cfg.audiences, None, out or cfg.output.dir, report)


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


def _demo_days(cfg: "Config", out: Path | None, report: "Reporter") -> None:
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
        _run_day(sample, date.fromisoformat(folder.name), sample.audiences, report, use_cache=True)


@app.command()
def context(
    files: FilesArgument,
    date_: DateOption = None,
    audience: Annotated[
        str | None, typer.Option("--audience", "-a", help="Audience (default: brief.audience).")
    ] = None,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="The rules behind each claim, forecast and actor, as text."),
    ] = False,
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
    if explain:
        from briefing.explain import explain_lines

        for line in explain_lines(analysis):
            typer.echo(line)
        return
    typer.echo(build_context(analysis, cfg, brief_date, chosen).model_dump_json(indent=2))


@app.command()
def preview(
    files: Annotated[
        list[Path] | None,
        typer.Argument(metavar="FILE", help="Articles (default: the bundled examples)."),
    ] = None,
    date_: DateOption = None,
    audience: Annotated[
        str | None,
        typer.Option(
            "--audience", "-a", metavar="NAME", help="Audience (default: brief.audience)."
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option(
            "--port", "-p", help="Port (0: any; a busy one moves on to the next free one)."
        ),
    ] = 8000,
    host: Annotated[
        str, typer.Option("--host", metavar="ADDRESS", help="Address to serve on.")
    ] = "127.0.0.1",
    open_: Annotated[bool, typer.Option("--open", help="Open the page in a browser.")] = False,
    config: ConfigOption = None,
) -> None:
    """Serve the HTML brief; the page reloads when templates or config change."""
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
    running = start(Preview(analysis, path, brief_date, audience), port, host)
    bound = int(running.url.rstrip("/").rsplit(":", 1)[1])
    if port and bound != port:
        typer.echo(f"briefing: port {port} is busy; using {bound}", err=True)
    typer.echo(f"previewing at {running.url} (Ctrl-C to stop)", err=True)
    if open_:
        import webbrowser

        webbrowser.open(running.url)
    try:
        while True:
            time.sleep(3600)
    finally:
        running.close()


@app.command()
def send(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE", help="Articles to brief first (default: reuse the built brief)."
        ),
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
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Email the brief to each audience's recipients, through the outbox."""
    import os
    from zoneinfo import ZoneInfo

    from briefing.deliver import outbox
    from briefing.deliver.smtp import read_password, send_pending
    from briefing.errors import DeliveryError
    from briefing.store import History

    report = _reporter(verbose, quiet, as_json)
    cfg = _config(config)
    now = datetime.now(ZoneInfo(cfg.brief.timezone))
    out = cfg.output.dir
    with History(cfg.history.path) as history:
        if retry:
            items = outbox.pending(out, _date(date_, cfg) if date_ else None)
        else:
            brief_date = _date(date_, cfg)
            with report.progress() as step:
                queued = _queue(
                    files, cfg, brief_date, audience, now, history, report, step, dry_run=dry_run
                )
            for path in queued:
                report.line(f"queued {path}")
                report.add("messages", {"eml": str(path), "status": "queued"})
            if dry_run:
                return
            items = outbox.pending(out, brief_date)
        if not items:
            if retry or not report.summary.get("messages"):
                report.note("nothing to send")
            return
        password = read_password(cfg.mail, os.environ)
        with report.progress() as step:
            step(f"Sending {len(items)} message(s) to {cfg.mail.host}:{cfg.mail.port}")
            sent = send_pending(items, cfg.mail, password, history, now)
    for path in sent.sent:
        report.line(f"sent {path}")
        report.add("messages", {"eml": str(path), "status": "sent"})
    for path, reason in sent.failed:
        report.warn(f"left in the outbox: {path}: {reason}")
        report.add("messages", {"eml": str(path), "status": "failed", "reason": reason})
    if sent.failed:
        raise DeliveryError(
            f"{len(sent.failed)} message(s) not delivered; `briefing send --retry` sends them"
        )


def _queue(
    files: list[Path] | None,
    cfg: "Config",
    brief_date: date,
    names: list[str] | None,
    now: datetime,
    history: "History",
    report: "Reporter",
    step: "Step",
    *,
    dry_run: bool,
) -> list[Path]:
    """Build (or reuse) each audience's brief and put its message in the outbox, unless
    every recipient has it already."""
    from briefing.deliver import outbox
    from briefing.deliver.mail import build_message
    from briefing.errors import ConfigError
    from briefing.paths import builtin_template_dir
    from briefing.pipeline import load_brief, publish

    if names:
        audiences = tuple(cfg.audience(n) for n in dict.fromkeys(names))
    else:
        audiences = tuple(a for a in cfg.audiences if a.recipients)
    if not audiences:
        raise ConfigError(
            "no audience has recipients: add an address under audiences[].recipients in config.yaml"
        )
    if files:
        from briefing.analyse import analyser_for
        from briefing.pipeline import build_briefs

        step("Loading the language model")
        analyser = analyser_for(cfg)
        formats = ("md", "html", "pdf") if cfg.mail.attach_pdf else ("md", "html")
        briefs = build_briefs(cfg, files, brief_date, analyser, audiences, formats, step)
        report.wrote(publish(briefs, cfg.output.dir, cfg.brief.audience))
    else:
        briefs = tuple(
            load_brief(cfg.output.dir, brief_date, a.name, cfg.brief.audience) for a in audiences
        )
    assets = tuple(d for d in (cfg.templates.dir, builtin_template_dir()) if d is not None)
    folder = cfg.output.dir / brief_date.isoformat() / "outbox"
    queued = []
    step("Writing the messages")
    for brief, chosen in zip(briefs, audiences, strict=True):
        outgoing = build_message(brief, mail=cfg.mail, audience=chosen, now=now, asset_dirs=assets)
        if not dry_run and set(outgoing.recipients) <= history.delivered(outgoing.message_id):
            when = history.delivered_at(outgoing.message_id)
            report.note(
                f"nothing to send for {chosen.name}: the {brief_date} brief was delivered "
                f"to all {len(outgoing.recipients)} recipient(s) on {when}"
            )
            report.add("messages", {"audience": chosen.name, "status": "already delivered"})
            continue
        queued.append(outbox.put(outgoing, folder, brief_date, dry_run=dry_run))
    return queued


@app.command("eval")
def evaluate(
    corpus: Annotated[
        Path,
        typer.Argument(help="Annotated corpus folder: tests/corpus, or annotations.yaml + texts/."),
    ],
    split: Annotated[
        str | None, typer.Option("--split", help="Sub-folder to score: dev or test.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The full report as JSON.")] = False,
    by_rule: Annotated[
        bool, typer.Option("--by-rule", help="How often each rule fired, and its precision.")
    ] = False,
    without: Annotated[
        list[str] | None,
        typer.Option(
            "--without", help="Switch a rule off (repeatable); print each field's change."
        ),
    ] = None,
    date_: DateOption = None,
    config: ConfigOption = None,
) -> None:
    """Score the analysis against annotated articles: precision, recall, F1 per field."""
    from briefing.analyse import Analyser, analyser_for
    from briefing.analyse.order import RULES
    from briefing.analyse.tables import without_rules
    from briefing.errors import ConfigError
    from briefing.evaluation import as_json as report_json
    from briefing.evaluation import change_lines, evaluate_corpus, field_lines
    from briefing.rule_scores import rule_table

    cfg = _config(config)
    today = _date(date_, cfg)
    unknown = sorted(set(without or ()) - set(RULES))
    if unknown:
        raise ConfigError(f"--without: no rule named {', '.join(unknown)} (see docs/rules.md)")
    analyser = analyser_for(cfg)
    result = evaluate_corpus(analyser, corpus, split, cfg, today)
    if without:
        tables = without_rules(analyser.tables, frozenset(without))
        off = Analyser(analyser.nlp, tables, batch_size=analyser.batch_size)
        changed = evaluate_corpus(off, corpus, split, cfg, today)
        lines = change_lines(result, changed, list(without))
    elif by_rule:
        lines = rule_table(result.rules, RULES)
    else:
        lines = field_lines(result)
    if as_json:
        import json

        typer.echo(json.dumps(report_json(result), indent=2, default=str))
        return
    for line in lines:
        typer.echo(line)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="Folder to create (or fill).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Make DIR ready for `briefing run`: a commented config.yaml, a sources folder with one
    example article, and the three audience templates to override."""
    from briefing.scaffold import scaffold

    report = _reporter(verbose, quiet, as_json)
    report.wrote(scaffold(folder, force=force))
    report.note(f"next: cd {folder} && briefing check && briefing run")


@app.command()
def check(
    config: ConfigOption = None,
    no_mail: Annotated[
        bool, typer.Option("--no-mail", help="Do not connect to the mail server.")
    ] = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Check config.yaml, every source (folders exist, feeds answer) and the mail server
    (connects and logs in; sends nothing). Exit 2 when something is wrong, saying what."""
    from briefing.check import check_all

    report = _reporter(verbose, quiet, as_json)
    cfg = _config(config)
    problems = 0
    with report.progress() as step:
        for finding in check_all(cfg, mail=not no_mail, step=step):
            report.add("checks", {"what": finding.what, "ok": finding.ok, "detail": finding.detail})
            if finding.ok:
                report.line(f"ok    {finding.what}: {finding.detail}")
            else:
                problems += 1
                report.warn(f"wrong {finding.what}: {finding.detail}")
    if problems:
        from briefing.errors import ConfigError

        raise ConfigError(f"{problems} problem(s) found by `briefing check`")


@app.command()
def templates(
    name: Annotated[
        str | None,
        typer.Argument(help="A template to print, e.g. brief.md.j2."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """List the templates and the blocks each can override; with NAME, print that template."""
    from briefing.render.blocks import parse_template, template_blocks
    from briefing.render.templates import make_environment, template_names

    cfg = _config(config)
    env = make_environment(cfg.templates.dir, markdown=True)
    if name is not None:
        assert env.loader is not None
        try:
            source, _, _ = env.loader.get_source(env, name)
        except Exception as exc:
            raise BriefingError(f"no template {name!r}; `briefing templates` lists them") from exc
        typer.echo(source, nl=False)
        return
    for template in template_names(cfg.templates.dir):
        typer.echo(template)
        parsed = parse_template(env, template) if template.endswith(".j2") else None
        if parsed is not None and parsed.parent is not None:
            own = [b.name for b in parsed.blocks if b.depth == 0]
            typer.echo(f"  extends {parsed.parent}; overrides: {', '.join(own) or 'nothing'}")
        elif parsed is not None:
            for block in template_blocks(env, template):
                typer.echo(f"  {'  ' * block.depth}{block.name}  (line {block.line})")
    typer.echo("print one to start from: briefing templates brief.md.j2 > my.md.j2", err=True)


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


def exit_status(exc: BaseException) -> int:
    """The exit code for an exception ending a command (see briefing.errors.ExitCode)."""
    if isinstance(exc, BriefingError):
        return int(exc.exit_code)
    if isinstance(exc, SystemExit):
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else int(ExitCode.USAGE))
    if isinstance(exc, KeyboardInterrupt):
        return 130
    return int(ExitCode.INTERNAL)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the app; a BriefingError is one line on stderr and its exit code."""
    error: str | None = None
    try:
        app(args=argv, standalone_mode=True)
        status = 0
    except SystemExit as exc:  # click ends every command this way, usage errors with 2
        status = exit_status(exc)
    except BriefingError as exc:
        if _debug["on"]:
            raise
        error = str(exc)
        typer.echo(f"briefing: error: {printable(str(exc))}", err=True)
        status = exit_status(exc)
    except KeyboardInterrupt as exc:
        error = "interrupted"
        typer.echo("briefing: interrupted", err=True)
        status = exit_status(exc)
    except Exception as exc:
        if _debug["on"]:
            raise
        error = f"internal error: {exc!r}"
        typer.echo(
            f"briefing: internal error: {exc!r} (run with --debug for the traceback)", err=True
        )
        status = exit_status(exc)
    for reporter in _reporters:
        reporter.finish(status, error)
    sys.exit(status)
