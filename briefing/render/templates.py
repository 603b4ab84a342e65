"""The template environment: sandboxed, strict, user folder first, filters in one place.

Markdown templates escape every value by default (article text cannot become markup);
a filter that builds Markdown on purpose returns `Md`, which is left as it is.
"""

from __future__ import annotations

import operator
import os
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    pass_context,
)
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from briefing.errors import RenderError
from briefing.paths import builtin_template_dir
from briefing.render.blocks import check_blocks
from briefing.safetext import public_url, without_bidi

BASE_PREFIX = "!base"
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
_SAFE_URL = re.compile(r"^https?://[^\s<>\\`]{1,2000}$")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&$])")
_LINE_START = re.compile(r"^(\s*)([-+=])")
_ORDERED_ITEM = re.compile(r"^(\s*\d+)([.)])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class Md(str):
    """Text that is already Markdown and must not be escaped again."""


def escape_markdown(value: Any) -> str:
    """Escape text so Markdown shows it literally: no emphasis, links, HTML or blocks."""
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    text = " ".join(_CONTROL.sub(" ", str(value)).split())  # one line, no terminal escapes
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _ORDERED_ITEM.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _likelihood(value: Mapping[str, Any] | None) -> Md:
    if not value:
        return Md("")
    return Md(f"{escape_markdown(value['label'])} ({value['low']}–{value['high']} %)")


@pass_context
def _format_date(ctx: Context, value: date | str | None, fmt: str | None = None) -> str:
    """A date in the audience's language: '28 December 2023', '28 décembre 2023'.

    fmt is a CLDR pattern ('d MMM y'), a babel width ('short', 'full') or a strftime format.
    Only dates and ISO date strings are formatted: any other object is refused, so the
    filter never calls a method a template chose (the audit's `namespace(strftime=...)`).
    """
    from babel.dates import format_date

    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise SecurityError("the date filter takes a date or an ISO date string") from None
    if not isinstance(value, date) or not (fmt is None or isinstance(fmt, str)):
        raise SecurityError("the date filter takes a date (or ISO string) and a text format")
    if fmt and "%" in fmt:
        return value.strftime(fmt)
    audience = ctx.get("audience")
    language = audience.get("language", "en") if isinstance(audience, Mapping) else "en"
    return str(format_date(value, format=fmt or "d MMMM y", locale=language))


def _anchor(article_id: str) -> str:
    return "src-" + article_id if _SAFE_ID.match(article_id) else ""


def _published_short(ctx: Context, value: datetime | str, brief_date: Any) -> str:
    """'03:40' on the brief's day, '17 Sep 23:05' on another day."""
    from babel.dates import format_datetime

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(brief_date, str):
        brief_date = date.fromisoformat(brief_date)
    audience = ctx.get("audience")
    language = audience.get("language", "en") if isinstance(audience, Mapping) else "en"
    pattern = "HH:mm" if value.date() == brief_date else "d MMM HH:mm"
    return str(format_datetime(value, pattern, tzinfo=value.tzinfo, locale=language))


def _source_of(ctx: Context, article_id: str) -> Mapping[str, Any] | None:
    for source in ctx.get("sources") or ():
        if isinstance(source, Mapping) and source.get("id") == article_id:
            return source
    return None


def _citation(ctx: Context, article_id: str) -> str:
    """How a reader names an article: 'Meridian Wire, 03:40'; its id when the outlet is unknown."""
    source = _source_of(ctx, article_id)
    if source is None or not source.get("outlet"):
        return article_id
    label = str(source["outlet"])
    if source.get("published"):
        label += ", " + _published_short(ctx, source["published"], ctx.get("date"))
    return label


@pass_context
def _cite(ctx: Context, item: Mapping[str, Any]) -> Md:
    """Provenance link: '(Meridian Wire, 03:40)' to the article, the sentence in its title."""
    sentences = item.get("sentences")
    if sentences is None:
        sentences = [item["sentence"]]
    numbers = ", ".join(str(n + 1) for n in sentences)
    mark = "sentences" if len(sentences) > 1 else "sentence"
    where = f"{mark} {numbers}" if sentences else "headline"  # a forecast the headline makes
    article = str(item["article"])
    label = f"({escape_markdown(_citation(ctx, article))})"
    source = _source_of(ctx, article)
    url = str(source.get("url") or "") if source else ""
    target = url if _SAFE_URL.match(url) and '"' not in url else "#" + _anchor(article)
    if target == "#":
        return Md(label)
    return Md(f'[{label}](<{target}> "{escape_markdown(article)}, {where}")')


@pass_context
def _source_label(ctx: Context, source: Mapping[str, Any]) -> Md:
    """A source's outlet (else its id) in bold, with the anchor that citations point to."""
    label = f"**{escape_markdown(source.get('outlet') or source['id'])}**"
    anchor = _anchor(str(source["id"]))
    return Md(f"[{label}]{{#{anchor}}}" if anchor else label)


def _block_id(value: str) -> Md:
    """'{#id}' on its own line gives the next block an anchor."""
    return Md(f"{{#{value}}}") if _SAFE_ID.match(str(value)) else Md("")


def _block_class(value: str) -> Md:
    """'{.name}' on its own line gives the next block a class (for the stylesheet)."""
    return Md(f"{{.{value}}}") if _SAFE_ID.match(str(value)) else Md("")


def _link(url: str | None) -> Md:
    """A public http(s) URL as an autolink; anything else as plain escaped text."""
    text = str(url or "")
    if public_url(text):
        return Md(f"<{text}>")
    return Md(escape_markdown(text))


@pass_context
def _format_datetime(ctx: Context, value: datetime | str | None) -> str:
    """A time in the audience's language: '18 September 2025, 06:40 UTC'."""
    from babel.dates import format_datetime

    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise SecurityError("the datetime filter takes a time or an ISO string") from None
    if not isinstance(value, datetime):
        raise SecurityError("the datetime filter takes a time or an ISO string")
    audience = ctx.get("audience")
    language = audience.get("language", "en") if isinstance(audience, Mapping) else "en"
    return str(format_datetime(value, "d MMMM y, HH:mm zzz", tzinfo=value.tzinfo, locale=language))


def _scale(value: Mapping[str, Any] | None, cells: int = 10) -> Md:
    """The ICD-203 band drawn on a 0–100 % scale of ten cells: '░░░░░▓▓▓░░'."""
    if not value:
        return Md("")
    low, high = int(value["low"]), int(value["high"])
    width = 100 / cells
    return Md(
        "".join("▓" if n * width < high and (n + 1) * width > low else "░" for n in range(cells))
    )


@pass_context
def _span(ctx: Context, value: Mapping[str, Any] | None) -> str:
    """A horizon as dates: '1 October 2025 – 31 October 2025'; 'by 31 December 2025' when it
    starts on the brief's day."""
    if not value:
        return ""
    start, end = value["start"], value["end"]
    if isinstance(start, str):
        start, end = date.fromisoformat(start), date.fromisoformat(end)
    today = ctx.get("date")
    if isinstance(today, str):
        today = date.fromisoformat(today)
    last = _format_date(ctx, end)
    if start in (today, end):
        return ("by " if start != end else "") + last
    return f"{_format_date(ctx, start)} – {last}"


def _likelihood_badge(value: Mapping[str, Any] | None) -> Md:
    """Short form for tight layouts: 'LIKELY'."""
    return Md(escape_markdown(str(value["label"]).upper())) if value else Md("")


def _truncate_words(value: str, count: int = 40) -> str:
    words = str(value).split()
    return value if len(words) <= count else " ".join(words[:count]) + " …"


def _join(values: Any, sep: str = ", ") -> str:
    return sep.join(str(v) for v in values)


def _days_left(days: int, today: str = "ends today") -> str:
    """Days to a horizon's end: '7 days left', 'ends today', 'ended 1 day ago'."""
    if days == 0:
        return today
    count = f"{abs(days)} {'day' if abs(days) == 1 else 'days'}"
    return f"{count} left" if days > 0 else f"ended {count} ago"


FILTERS: dict[str, Callable[..., Any]] = {
    "md": lambda v: Md(escape_markdown(v)),
    "likelihood": _likelihood,
    "badge": _likelihood_badge,
    "scale": _scale,
    "span": _span,
    "date": _format_date,
    "cite": _cite,
    "source_label": _source_label,
    "block_id": _block_id,
    "block_class": _block_class,
    "link": _link,
    "datetime": _format_datetime,
    "words": _truncate_words,
    "join_all": _join,
    "days_left": _days_left,
}


class _FolderLoader(FileSystemLoader):
    """A FileSystemLoader that serves only regular files inside its folder once links are
    resolved: `passwd.j2 -> /etc/passwd` or a folder link to / is not found."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            candidate = os.path.join(folder, *pieces)
            if not os.path.lexists(candidate):
                continue
            real, root = os.path.realpath(candidate), os.path.realpath(folder)
            if os.path.commonpath([real, root]) != root or not os.path.isfile(real):
                raise TemplateNotFound(template)
            break
        return super().get_source(environment, template)


def _loader(user_dir: Path | None) -> BaseLoader:
    builtin = _FolderLoader(str(builtin_template_dir()))
    loaders: list[BaseLoader] = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise RenderError(f"templates.dir {user_dir} is not a folder")
        loaders.append(_FolderLoader(str(user_dir)))
    loaders.append(builtin)
    loaders.append(PrefixLoader({BASE_PREFIX: builtin}, delimiter="/"))
    return ChoiceLoader(loaders)


# Bounds on one render: a template is a user's file, and a loop or a product must not
# take the machine. Steps are counted (loop iterations, calls, operators), not timed.
MAX_STEPS = 2_000_000
MAX_OUTPUT_CHARS = 20_000_000
MAX_RANGE = 100_000
MAX_POWER_BITS = 10_000


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox with a step budget and size limits; going over one is a SecurityError."""

    intercepted_binops = frozenset({"*", "**", "+"})
    max_steps = MAX_STEPS

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.steps = 0
        self.globals["range"] = self._range
        self.globals.pop("lipsum", None)  # random text, and a handle on module globals

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.max_steps:
            raise SecurityError(f"the template took more than {self.max_steps} steps")

    def _range(self, *args: int) -> Iterator[int]:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise SecurityError(f"range() of more than {MAX_RANGE} numbers")
        for number in numbers:
            self.tick()
            yield number

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.tick()
        return super().call(context, obj, *args, **kwargs)

    def call_binop(self, context: Context, operator_: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator_ == "**":
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and right * max(abs(left).bit_length() - 1, 0) > MAX_POWER_BITS
            ):
                raise SecurityError("a power too large to compute")
            return operator.pow(left, right)
        if operator_ == "*":
            for seq, n in ((left, right), (right, left)):
                if (
                    isinstance(seq, (str, list, tuple))
                    and isinstance(n, int)
                    and len(seq) * n > MAX_OUTPUT_CHARS
                ):
                    raise SecurityError("a repeated value larger than the output limit")
            return operator.mul(left, right)
        result = operator.add(left, right)
        if isinstance(result, (str, list, tuple)) and len(result) > MAX_OUTPUT_CHARS:
            raise SecurityError("a value larger than the output limit")
        return result


def template_names(user_dir: Path | None) -> tuple[str, ...]:
    """The templates and stylesheets a config can name: the user's first, then the built-ins."""
    names: dict[str, None] = {}
    for folder in (user_dir, builtin_template_dir()):
        if folder is not None and folder.is_dir():
            for path in sorted(folder.glob("*")):
                if path.suffix in (".j2", ".css"):
                    names.setdefault(path.name, None)
    return tuple(names)


def make_environment(user_dir: Path | None, *, markdown: bool) -> SandboxedEnvironment:
    """A sandboxed, strict environment; Markdown escaping or HTML autoescaping by default."""
    env = BoundedEnvironment(
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
        env.filters["datetime"] = _format_datetime
    return env


def render_template(env: SandboxedEnvironment, name: str, context: Mapping[str, Any]) -> str:
    """Render one template; any template problem becomes a RenderError naming file and line.

    The render is bounded: in steps (BoundedEnvironment), in output (MAX_OUTPUT_CHARS),
    and recursion, overflow or memory errors are template errors, not internal ones.
    """
    if isinstance(env, BoundedEnvironment):
        env.steps = 0
    try:
        check_blocks(env, name)
        parts: list[str] = []
        size = 0
        for part in env.get_template(name).generate(**context):
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                raise SecurityError(f"the output is longer than {MAX_OUTPUT_CHARS} characters")
            parts.append(part)
        return "".join(parts)
    except RecursionError as exc:
        raise RenderError(
            f"template {name}: recursion too deep (a macro, include or extends loop)"
        ) from exc
    except (OverflowError, MemoryError, ValueError) as exc:
        raise RenderError(f"template {name}: {type(exc).__name__}: {str(exc)[:200]}") from exc
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


def render_subject(source: str, context: Mapping[str, Any]) -> str:
    """A one-line subject from a template string: control characters, bidi controls and
    line breaks removed."""
    env = BoundedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.filters["date"] = _format_date
    env.filters["words"] = _truncate_words
    try:
        text = env.from_string(source).render(**context)[:MAX_OUTPUT_CHARS]
    except TemplateError as exc:
        raise RenderError(f"mail.subject: {exc.message or exc}") from exc
    except (RecursionError, OverflowError, MemoryError, ValueError) as exc:
        raise RenderError(f"mail.subject: {type(exc).__name__}") from exc
    text = " ".join(without_bidi(_CONTROL.sub(" ", text)).split())
    return text[:200] or "Brief"
