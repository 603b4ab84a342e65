"""Plain-text articles: decoding, headline and dateline detection."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime, timezone

import yaml
from charset_normalizer import from_bytes

from briefing.errors import IngestError
from briefing.models import Article

MAX_ARTICLE_BYTES = 5_000_000
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

# "SEOUL:", "WASHINGTON (Reuters) -", "NAIROBI, Kenya —" at the start of wire copy.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.\- ]{1,40}[A-Z.])"
    r"(?:,[^:\n—–(]{1,40})?"
    r"\s*(?:\((?P<outlet>[^)\n]{1,40})\))?"
    r"\s*(?::|—|–|-{1,2})\s+"
)
_SENTENCE_END = (".", "!", "?", ":", ";", ",", "”", '"', "’", "'")


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


def _looks_like_headline(line: str, rest: str) -> bool:
    words = line.split()
    return (
        bool(rest.strip())
        and 0 < len(words) <= HEADLINE_MAX_WORDS
        and not line.endswith(_SENTENCE_END)
        and not _DATELINE.match(line)
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
        meta = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = " ".join(str(getattr(exc, "problem", None) or "not valid YAML").split())
        raise IngestError(f"{source}: malformed front matter{where}: {problem}") from None
    if not isinstance(meta, dict):
        raise IngestError(f"{source}: front matter must be a mapping of keys")
    for key, value in meta.items():
        if key in ("title", "outlet", "url") and not isinstance(value, (str, int, float)):
            raise IngestError(f"{source}: front matter {key} must be text")
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
        if not isinstance(meta["date"], date):
            raise IngestError(f"{source}: front matter date must be YYYY-MM-DD")
        article_date = meta["date"]
    if "published" in meta:
        published = _timestamp(meta["published"], source)
    given_title = title
    first, _, rest = text.partition("\n")
    title = None
    if _looks_like_headline(first, rest):
        title, text = first, rest.strip()
    dateline = None
    match = _DATELINE.match(text)
    if match:
        dateline = match["place"].strip().title()
        text = text[match.end() :]
    title = str(meta["title"]) if meta.get("title") else (given_title or title)
    body = re.sub(r"\n{3,}", "\n\n", text).strip()
    if len(body.split()) < 3:
        raise IngestError(f"{source}: too little text to brief ({len(body.split())} words)")
    return Article(
        id=article_id,
        title=title or _title_from(body),
        text=body,
        source=source,
        date=article_date,
        dateline=dateline,
        outlet=str(meta["outlet"]) if meta.get("outlet") else (outlet or _dateline_outlet(match)),
        url=str(meta["url"]) if meta.get("url") else url,
        published=published,
        digest=hashlib.sha256(body.encode("utf-8")).hexdigest(),
    )


def _dateline_outlet(match: re.Match[str] | None) -> str | None:
    return match["outlet"] if match else None


def _timestamp(value: object, source: str) -> datetime:
    if isinstance(value, datetime):
        stamp = value
    else:
        try:
            stamp = datetime.fromisoformat(str(value))
        except ValueError:
            raise IngestError(f"{source}: front matter published must be an ISO time") from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def slug(name: str) -> str:
    """A file-name-safe id: lower case letters, digits and dashes."""
    value = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return value[:60] or "article"
