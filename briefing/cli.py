"""Command line: a thin shell over briefing.pipeline; errors become one line and exit 2."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from briefing import __version__
from briefing.config import Config, load_config
from briefing.errors import BriefingError

FORMATS = ("md", "html", "pdf")
DEMO_DATE = date(2025, 6, 19)  # the newest bundled example article

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
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


def _config(path: Path | None) -> Config:
    if path is None:
        default = Path("config.yaml")
        return load_config(default if default.is_file() else None)
    return load_config(path)


def _date(value: str | None, config: Config) -> date:
    if value is None:
        return datetime.now(ZoneInfo(config.brief.timezone)).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date YYYY-MM-DD", param_hint="--date"
        ) from None


def _formats(value: str | None, config: Config) -> tuple[str, ...]:
    if value is None:
        return tuple(config.output.formats)
    chosen = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    bad = [v for v in chosen if v not in FORMATS]
    if bad or not chosen:
        raise typer.BadParameter(
            f"{', '.join(bad) or value!r}: choose from {', '.join(FORMATS)}", param_hint="--format"
        )
    return chosen


def _run_build(
    files: list[Path], config: Config, brief_date: date, formats: tuple[str, ...], out: Path
) -> tuple[Path, ...]:
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from briefing.analyse import load_analyser
    from briefing.pipeline import build_brief, publish

    console = Console(stderr=True)
    if not console.is_terminal:
        analyser = load_analyser(config.nlp.model, batch_size=config.nlp.batch_size)
        brief = build_brief(config, files, brief_date, analyser, formats)
        return publish(brief, out, formats)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as progress:
        task = progress.add_task("Loading the language model", total=None)
        analyser = load_analyser(config.nlp.model, batch_size=config.nlp.batch_size)

        def step(name: str) -> None:
            progress.update(task, description=name)

        brief = build_brief(config, files, brief_date, analyser, formats, step)
        step("Writing")
        return publish(brief, out, formats)


@app.command()
def build(
    files: FilesArgument,
    date_: DateOption = None,
    format_: Annotated[
        str | None, typer.Option("--format", "-f", help="Comma-separated: md,html,pdf.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder.")] = None,
    config: ConfigOption = None,
) -> None:
    """Brief FILES into OUT/<date>/brief.{md,html,pdf} and context.json."""
    cfg = _config(config)
    written = _run_build(
        files, cfg, _date(date_, cfg), _formats(format_, cfg), out or cfg.output.dir
    )
    for path in written:
        typer.echo(str(path))


@app.command()
def demo(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder.")] = None,
    config: ConfigOption = None,
) -> None:
    """Brief the bundled example articles: writes OUT/2025-06-19/brief.{md,html,pdf}."""
    cfg = _config(config)
    examples = sorted(_examples_dir().glob("*.txt"))
    written = _run_build(examples, cfg, DEMO_DATE, tuple(cfg.output.formats), out or cfg.output.dir)
    for path in written:
        typer.echo(str(path))


@app.command()
def context(files: FilesArgument, date_: DateOption = None, config: ConfigOption = None) -> None:
    """Print the context a template receives for FILES, as JSON."""
    from briefing.analyse import load_analyser
    from briefing.context import build_context
    from briefing.ingest import read_articles

    cfg = _config(config)
    brief_date = _date(date_, cfg)
    articles = read_articles(files, brief_date)
    analysis = load_analyser(cfg.nlp.model, batch_size=cfg.nlp.batch_size)(
        articles, max_bluf=cfg.brief.max_bluf
    )
    typer.echo(build_context(analysis, cfg, brief_date).model_dump_json(indent=2))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the context (what templates and context.json hold)."""
    from briefing.context import context_schema

    typer.echo(json.dumps(context_schema(), indent=2))


def _examples_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "examples", here.parent / "examples"):
        if candidate.is_dir():
            return candidate
    raise BriefingError("the bundled examples are missing from this installation")


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
