"""The template environment: sandboxed, strict, user folder first, filters in one place.

Markdown templates escape every value by default (article text cannot become markup);
a filter that builds Markdown on purpose returns `Md`, which is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.sandbox import SandboxedEnvironment

from briefing.errors import RenderError

BASE_PREFIX = "!base"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&$])")
_LINE_START = re.compile(r"^(\s*)([-+=])")
_ORDERED_ITEM = re.compile(r"^(\s*\d+)([.)])")


class Md(str):
    """Text that is already Markdown and must not be escaped again."""


def builtin_template_dir() -> Path:
    """The built-in templates: inside the package when installed, templates/ in a checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "brief.md.j2").is_file():
            return candidate
    raise RenderError("built-in templates are missing from the installation")


def escape_markdown(value: Any) -> str:
    """Escape text so Markdown shows it literally: no emphasis, links, HTML or blocks."""
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    text = " ".join(str(value).split())  # one line: no new blocks from article text
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _ORDERED_ITEM.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _likelihood(value: Mapping[str, Any] | None) -> Md:
    if not value:
        return Md("")
    return Md(f"{escape_markdown(value['label'])} ({value['low']}–{value['high']} %)")


def _format_date(value: date | str | None, fmt: str = "%-d %B %Y") -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.strftime(fmt)


def _cite(item: Mapping[str, Any]) -> Md:
    """Provenance of a claim, forecast or BLUF item: article id and sentence number(s)."""
    sentences = item.get("sentences")
    if sentences is None:
        sentences = [item["sentence"]]
    numbers = ", ".join(str(n + 1) for n in sentences)
    mark = "sentences" if len(sentences) > 1 else "sentence"
    return Md(f"({escape_markdown(item['article'])}, {mark} {numbers})")


def _truncate_words(value: str, count: int = 40) -> str:
    words = str(value).split()
    return value if len(words) <= count else " ".join(words[:count]) + " …"


def _join(values: Any, sep: str = ", ") -> str:
    return sep.join(str(v) for v in values)


FILTERS: dict[str, Callable[..., Any]] = {
    "md": lambda v: Md(escape_markdown(v)),
    "likelihood": _likelihood,
    "date": _format_date,
    "cite": _cite,
    "words": _truncate_words,
    "join_all": _join,
}


def _loader(user_dir: Path | None) -> BaseLoader:
    builtin = FileSystemLoader(str(builtin_template_dir()))
    loaders: list[BaseLoader] = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise RenderError(f"templates.dir {user_dir} is not a folder")
        loaders.append(FileSystemLoader(str(user_dir)))
    loaders.append(builtin)
    loaders.append(PrefixLoader({BASE_PREFIX: builtin}, delimiter="/"))
    return ChoiceLoader(loaders)


def make_environment(user_dir: Path | None, *, markdown: bool) -> SandboxedEnvironment:
    """A sandboxed, strict environment; Markdown escaping or HTML autoescaping by default."""
    env = SandboxedEnvironment(
        loader=_loader(user_dir),
        undefined=StrictUndefined,
        autoescape=not markdown,
        finalize=escape_markdown if markdown else None,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    if markdown:
        env.filters.update(FILTERS)
    else:
        env.filters["date"] = _format_date
    return env


def render_template(env: SandboxedEnvironment, name: str, context: Mapping[str, Any]) -> str:
    """Render one template; any template problem becomes a RenderError naming file and line."""
    try:
        return env.get_template(name).render(**context)
    except TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name or name}, line {exc.lineno}"
        raise RenderError(f"template {where}: {exc.message}") from exc
    except UndefinedError as exc:
        raise RenderError(f"template {name}{_line_of(exc, name)}: {exc.message}") from exc
    except TemplateError as exc:
        raise RenderError(f"template {name}: {exc.message or exc}") from exc


def _line_of(exc: BaseException, name: str) -> str:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_globals.get(
            "__jinja_template__"
        ) is not None or frame.f_code.co_filename.endswith((".j2", ".html", ".md")):
            line = tb.tb_lineno
        tb = tb.tb_next
    return f", line {line}" if line else ""
