"""The HTML part of an email with nothing a mail reader would load from elsewhere.

Templates may write any HTML; a reader opening the message must fetch nothing (a remote
load tells the sender who read it, and when). Images from the template folders become
related parts (cid:), every other image is dropped, and so is every element or attribute
that loads: `<object>`, `<embed>`, `<iframe>`, `<video>`, `<audio>`, `<source>`, `<link>`,
`<script>`, `<image>` (SVG's or HTML's), external `href`s in SVG, `srcset`, `poster`,
`background`, and CSS `url()` / `image-set()` in style attributes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser

# dropped with everything inside them
DROPPED_WITH_CONTENT = frozenset(
    {
        "applet", "audio", "frameset", "iframe", "noembed", "noframes", "object", "portal",
        "script", "style", "template", "video",
        "foreignobject",  # SVG: HTML inside SVG
    }
)  # fmt: skip
# elements dropped alone; <image> is <img> to an HTML parser, and SVG's image in SVG
DROPPED_ALONE = frozenset(
    {"base", "bgsound", "embed", "feimage", "frame", "image", "link", "source", "track"}
)
VOID = frozenset(
    {"area", "br", "col", "hr", "img", "input", "meta", "param", "wbr", "base", "embed", "frame"}
    | {"link", "source", "track", "bgsound", "keygen"}
)
# attributes that make a reader fetch something, on any element
LOADING_ATTRIBUTES = frozenset(
    {"srcset", "poster", "background", "lowsrc", "dynsrc", "longdesc", "ping", "data"}
    | {"formaction", "codebase", "archive", "classid", "imagesrcset", "manifest", "icon"}
)
_CSS_LOAD = re.compile(r"url\(|image-set\(|image\(|element\(|@import|\\|expression\(", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _style(value: str) -> str | None:
    """The declarations of a style attribute that load nothing (None if none is left)."""
    if not _CSS_LOAD.search(value):
        return value
    value = _CSS_COMMENT.sub("", value)
    kept = [d.strip() for d in value.split(";") if d.strip() and not _CSS_LOAD.search(d)]
    return "; ".join(kept) or None


def _quoted(value: str) -> str:
    """An attribute value for name="...": &, < and the double quote escaped."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


class _Cleaner(HTMLParser):
    def __init__(self, image: Callable[[str], str | None]) -> None:
        super().__init__(convert_charrefs=False)
        self.image = image
        self.out: list[str] = []
        self.skipping: list[str] = []  # open elements being dropped with their content
        self.svg = 0  # depth inside <svg>

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
        """The attributes kept, as text; None when the element itself must go."""
        kept: list[str] = []
        for name, value in attrs:
            name = name.lower()
            if name in LOADING_ATTRIBUTES or name.startswith("on"):
                continue
            if name == "src":
                if tag != "img":
                    continue
                value = self.image(value or "")
                if value is None:
                    return None  # an image from elsewhere: dropped whole
            outside = not (value or "").startswith("#")
            if name in ("href", "xlink:href") and (self.svg or tag != "a") and outside:
                continue  # SVG <use>, <pattern> ... and <area>: nothing outside
            if name == "style":
                value = _style(value or "")
                if value is None:
                    continue
            if name == "http-equiv":
                return None  # <meta http-equiv="refresh" content="0;url=...">
            kept.append(name if value is None else f'{name}="{_quoted(value)}"')
        if tag == "img" and not any(a.startswith("src=") for a in kept):
            return None
        return "".join(" " + a for a in kept)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        if self.skipping:
            if tag == self.skipping[-1] and not closed:
                self.skipping.append(tag)
            return
        if tag in DROPPED_WITH_CONTENT:
            if not closed and tag not in VOID:
                self.skipping.append(tag)
            return
        if tag in DROPPED_ALONE:
            return
        kept = self._attributes(tag, attrs)
        if kept is None:
            return
        if tag == "svg" and not closed:
            self.svg += 1
        original = self.get_starttag_text() or ""
        unchanged = kept == self._attributes_of(attrs)
        self.out.append(original if unchanged else f"<{tag}{kept}{' /' if closed else ''}>")

    @staticmethod
    def _attributes_of(attrs: list[tuple[str, str | None]]) -> str:
        return "".join(
            f" {name}" if value is None else f' {name}="{_quoted(value)}"' for name, value in attrs
        )

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in DROPPED_WITH_CONTENT or tag in DROPPED_ALONE:
            return
        if tag == "svg" and self.svg:
            self.svg -= 1
        self.out.append(f"</{tag}>")

    def _text(self, text: str) -> None:
        if not self.skipping:
            self.out.append(text)

    def handle_data(self, data: str) -> None:
        self._text(escape(data, quote=False))

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        pass  # conditional comments (<!--[if mso]>) can carry markup: none kept

    def handle_decl(self, decl: str) -> None:
        self._text(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        pass  # <![CDATA[ ... ]]>

    def handle_pi(self, data: str) -> None:
        pass


def without_remote_loads(html: str, image: Callable[[str], str | None]) -> str:
    """html with nothing left that a mail reader would fetch.

    image(src) gives the new src of an <img> (a cid: URL), or None to drop the image.
    """
    cleaner = _Cleaner(image)
    cleaner.feed(html)
    cleaner.close()
    return "".join(cleaner.out)
