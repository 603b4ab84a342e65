"""Plain-text articles: decoding, headline and dateline detection."""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
from datetime import date, datetime, timezone

from charset_normalizer import from_bytes

from briefing.errors import IngestError
from briefing.ingest.dateline import read_dateline
from briefing.models import Article
from briefing.safeyaml import YamlProblem, load_yaml

MAX_ARTICLE_BYTES = 5_000_000
# spaCy's max_length: a longer text is refused by the parser (E088), so it is skipped here
MAX_ARTICLE_CHARS = 1_000_000
# Dates an article may carry; later ones overflow date arithmetic (horizons, windows)
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)
FRONT_MATTER_NODES = 200  # five short keys need a handful; aliases add up quickly
HEADLINE_MAX_WORDS = 20
TITLE_WORDS = 14
FRONT_MATTER_KEYS = {"title", "date", "outlet", "url", "published"}
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# embedding, override and isolate controls: they can reorder the text shown after them
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

_SENTENCE_END = (".", "!", "?", ":", ";", ",", "”", '"', "’", "'")
# "By Tom Aldridge", "By MARISA FELD Associated Press", "By Kevin Marsh, Senior Editor"
_NAME = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}"
BYLINE = re.compile(rf"^By {_NAME}(?:(?:,| and| &) {_NAME})*(?:,? [A-Za-z][\w ,.'’-]{{0,40}})?$")
# wire credit lines: "(Reporting by ...; Editing by ...)", "--With assistance from X.",
# "Associated Press writer X contributed to this report.", "Photo: ...", "File photo"
CREDIT = re.compile(
    r"^\(?(?:(?:Additional )?(?:Reporting|Writing|Editing|Compiled|Edited) by [A-Z].{0,200}"
    r"|--\s*With assistance (?:from|by)\b.{0,200}"
    r"|(?:[A-Z][\w.]* ){1,3}(?:writers?|correspondents?|reporters?)\b.{0,120}"
    r"\bcontributed(?: to)? (?:this|the) (?:report|story)\.?"
    r"|(?:Photo|Image|File photo|Photograph)(?: credit)?\s*[:/—–-].{0,160})\)?$",
)


def decode(raw: bytes, source: str) -> str:
    """Bytes to text: UTF-8 first, else the encoding charset-normalizer detects."""
    if not raw.strip():
        raise IngestError(f"{source}: file is empty")
    for bom, codec in BOMS:  # UTF-16/32 text has NUL bytes: its BOM says so first
        if raw.startswith(bom):
            try:
                text = raw[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise IngestError(f"{source}: not valid {codec} despite its BOM") from None
            return _checked(text, source)
    if b"\x00" in raw:
        raise IngestError(f"{source}: binary file, not a text article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(raw).best()
        if best is None:
            raise IngestError(f"{source}: cannot detect the text encoding") from None
        text = str(best)
    return _checked(text, source)


def _checked(text: str, source: str) -> str:
    """Refuse what is mostly control characters (binary); a few are dropped later."""
    if not text.strip():
        raise IngestError(f"{source}: file is empty")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    if controls > max(8, len(text) // 10):
        raise IngestError(f"{source}: binary file, not a text article")
    return text


# terminal escape sequences whole (CSI 'ESC[31m', OSC 'ESC]0;title BEL'), not only their ESC
ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = ANSI_ESCAPE.sub("", text)
    text = "".join(
        ch
        for ch in text
        if ch in "\n\t" or (unicodedata.category(ch) != "Cc" and ch not in BIDI_CONTROLS)
    )
    text = text.replace("\ufeff", "")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


WRAP_WIDTH = 100  # lines of hard-wrapped text are no longer than this


def unwrap(body: str) -> str:
    """Hard-wrapped paragraphs (e-mail, terminal copy: lines of ~72 characters) joined into
    one line each; a text with a paragraph per line is left as it is.

    A block between blank lines is hard-wrapped when its lines are short and all but the
    last fill most of the width; a headline or a deck line on its own stays a line.
    """
    blocks = []
    for block in re.split(r"\n\s*\n", body):
        lines = block.split("\n")
        widest = max(len(line) for line in lines)
        full = [line for line in lines[:-1] if len(line) >= 0.6 * widest]
        if len(lines) >= 3 and widest <= WRAP_WIDTH and len(full) >= 0.8 * (len(lines) - 1):
            block = " ".join(line for line in lines if line)
        else:  # a line cut mid-sentence: "... the bank would\nprobably move in December."
            block = re.sub(r"(?<=[,;])\n(?=\S)|(?<=\w)\n(?=[a-z])", " ", block)
        blocks.append(block)
    return "\n\n".join(blocks)


def _is_byline(line: str) -> bool:
    """'By Tom Aldridge', never 'By Monday, the talks had stalled.'"""
    return (
        len(line.split()) <= 12
        and not line.endswith((".", "!", "?"))
        and BYLINE.match(line) is not None
    )


def _without_credits(text: str) -> str:
    """The story without its byline (a 'By NAME' line among the first three) and the wire's
    credit lines ('Editing by ...', '--With assistance from ...', a photo credit), which
    name the outlet's people, not the story's."""
    lines = text.split("\n")
    kept = [
        line
        for n, line in enumerate(lines)
        if not (n < 3 and _is_byline(line.strip())) and not CREDIT.match(line.strip())
    ]
    return "\n".join(kept).strip() if len(kept) < len(lines) else text


def _looks_like_headline(line: str, rest: str) -> bool:
    """A short first line that ends no sentence; a closing quotation mark after a word
    ('BoE governor sees low inflation as "temporary"') ends none."""
    words = line.split()
    bare = line.rstrip().rstrip("\"”’'")
    return (
        bool(rest.strip())
        and 0 < len(words) <= HEADLINE_MAX_WORDS
        and bool(bare)
        and not bare.endswith(_SENTENCE_END)
        and read_dateline(line) is None
    )


def _title_from(text: str) -> str:
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    words = first.split()
    if len(words) <= TITLE_WORDS:
        return first.rstrip(".")
    return " ".join(words[:TITLE_WORDS]) + " …"


def _front_matter(text: str, source: str) -> tuple[dict[str, object], str]:
    """Optional YAML front matter ('---' lines around title/date/outlet), as Pandoc reads it."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    try:
        meta = load_yaml(text[4:end], max_nodes=FRONT_MATTER_NODES, timestamps=False) or {}
    except YamlProblem as exc:
        where = f" at {exc.where}" if exc.where else ""
        raise IngestError(f"{source}: malformed front matter{where}: {exc}") from None
    if not isinstance(meta, dict):
        raise IngestError(f"{source}: front matter must be a mapping of keys")
    for key, value in meta.items():
        # type first: a value is never turned into text before it is known to be a scalar
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise IngestError(f"{source}: front matter {str(key)[:40]!r} must be text")
        if isinstance(value, str) and len(value) > 2000:
            raise IngestError(f"{source}: front matter {key} is longer than 2000 characters")
    unknown = set(meta) - FRONT_MATTER_KEYS
    if unknown:
        raise IngestError(
            f"{source}: unknown front matter key(s): {', '.join(sorted(map(str, unknown)))}"
        )
    return meta, text[end + 4 :].lstrip("-").strip()


def parse_article(
    text: str,
    *,
    article_id: str,
    source: str,
    article_date: date,
    title: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    published: datetime | None = None,
) -> Article:
    """Split decoded text into front matter, headline, dateline and body; pure.

    The front matter's date, when given, overrides article_date; its other keys override
    the title, outlet, url and published time given.
    """
    text = _normalise(text)
    if not text:
        raise IngestError(f"{source}: file has no text")
    meta, text = _front_matter(text, source)
    if "date" in meta:
        article_date = _front_matter_date(meta["date"], source)
    if "published" in meta:
        published = _timestamp(meta["published"], source)
    check_date(article_date, source)
    if published is not None:
        check_date(published.date(), source)
    given_title = title
    first, _, rest = text.partition("\n")
    title = None
    if _looks_like_headline(first, rest):
        title, text = first, rest.strip()
    text = _without_credits(text)
    dateline = read_dateline(text)
    if dateline is not None:
        text = text[dateline.end :]
    date_from = "front matter" if "date" in meta or "published" in meta else None
    if date_from is None and published is None and dateline is not None:
        # the dateline's day ("SEOUL, Dec. 28 (Yonhap) --") when nothing else dates the story
        on = dateline.date_on_or_before(article_date)
        if on is not None and EARLIEST_DATE <= on <= LATEST_DATE:
            article_date, date_from = on, "dateline"
    title = _field(meta.get("title")) or _field(given_title) or title
    dateline_outlets = tuple(_field(o) or o for o in dateline.outlets) if dateline else ()
    body = unwrap(re.sub(r"\n{3,}", "\n\n", text).strip())
    if len(body) > MAX_ARTICLE_CHARS:
        raise IngestError(
            f"{source}: text is longer than {MAX_ARTICLE_CHARS} characters "
            "(the language model's limit); split the article"
        )
    if len(body.split()) < 3:
        raise IngestError(f"{source}: too little text to brief ({len(body.split())} words)")
    return Article(
        id=article_id,
        title=title or _title_from(body),
        text=body,
        source=source,
        date=article_date,
        dateline=dateline.place if dateline else None,
        outlet=_field(meta.get("outlet")) or _field(outlet) or (dateline_outlets or (None,))[0],
        dateline_outlets=dateline_outlets,
        url=_field(meta.get("url")) or _field(url),
        published=published,
        digest=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        date_from=date_from or ("published time" if published is not None else "brief date"),
    )


def _field(value: object) -> str | None:
    """A title, outlet or url from any reader (front matter, feed, page metadata) on one
    line, with control and bidi characters removed like the text's own."""
    if value is None or value == "":
        return None
    return " ".join(_normalise(str(value)).split()) or None


def check_date(value: date, source: str) -> date:
    """value, if it lies in the years briefing can reason about (1900 to 2999)."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise IngestError(
            f"{source}: date {value.isoformat()} is outside {EARLIEST_DATE} to {LATEST_DATE}"
        )
    return value


def _front_matter_date(value: object, source: str) -> date:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return date.fromisoformat(value)
    raise IngestError(f"{source}: front matter date must be a real date YYYY-MM-DD")


def _timestamp(value: object, source: str) -> datetime:
    try:
        stamp = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        stamp = None
    if stamp is None:
        raise IngestError(f"{source}: front matter published must be a real ISO time")
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def slug(name: str) -> str:
    """A file-name-safe id: lower case letters, digits and dashes."""
    value = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return value[:60] or "article"
