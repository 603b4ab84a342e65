"""Templates, escaping and the sandbox: article text is data, never markup or code."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefing.config import Config, parse_config
from briefing.errors import RenderError
from briefing.render import render_brief
from briefing.render.markdown import markdown_to_html
from briefing.render.templates import escape_markdown, make_environment, render_template
from tests.conftest import sample_context

HOSTILE = (
    "<script>alert(1)</script> [click](javascript:alert(1)) ![x](file:///etc/passwd) "
    "**bold** `code` {{ 7*7 }} {% include '/etc/passwd' %} <img src=x onerror=alert(1)> "
    "# not a heading | a | table | &amp; &#60;b&#62;"
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_hostile_article_text_stays_text_in_markdown_and_html(config: Config) -> None:
    brief = render_brief(sample_context(HOSTILE), config, ("md", "html"))
    assert "{{ 7*7 }}" in brief.markdown.replace("\\", "") and "49" not in brief.markdown
    assert brief.html is not None
    tags = _parse(brief.html)
    assert "script" not in tags.tags and "img" not in tags.tags
    assert not [v for _, v in tags.attrs if v and "javascript" in v]
    assert "<script>alert(1)</script>" in "".join(tags.text)  # shown, not run
    assert "[click](javascript:alert(1))" in "".join(tags.text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200))
@example("0.")
@example("12) twelve")
@example("- item")
@example("=== setext")
@example("&amp; &#60;b&#62; <http://x.org>")
@example("    indented code")
@example("> quote")
def test_escaped_text_renders_as_exactly_itself(text: str) -> None:
    html = markdown_to_html(escape_markdown(text))
    parsed = _parse(html)
    assert set(parsed.tags) <= {"p"}
    assert "".join(parsed.text).strip() == " ".join(text.split())


def test_markdown_raw_html_is_off_and_links_are_checked() -> None:
    html = markdown_to_html(
        '<b onclick="x()">hi</b>\n\n[a](javascript:alert(1)) [b](https://example.org)'
    )
    assert "<b" not in html and "&lt;b" in html
    assert 'href="javascript' not in html
    assert 'href="https://example.org"' in html


def _user_config(tmp_path: Path, **templates: str) -> Config:
    for name, source in templates.items():
        (tmp_path / name).write_text(source, encoding="utf-8")
    return parse_config({"templates": {"dir": "."}}, base_dir=tmp_path)


def test_user_template_extends_the_builtin_and_overrides_one_block(tmp_path: Path) -> None:
    config = _user_config(
        tmp_path,
        **{
            "analyst.md.j2": '{% extends "!base/brief.md.j2" %}'
            "{% block actors %}## People\n{% endblock %}"
        },
    )
    markdown = render_brief(sample_context(), config, ("md",)).markdown
    assert "## People" in markdown and "## Actors" not in markdown
    assert "## Outlook" in markdown and "## Key claims" in markdown


def test_missing_variable_names_template_and_line(tmp_path: Path) -> None:
    config = _user_config(tmp_path, **{"analyst.md.j2": "# {{ title }}\n\n{{ no_such_field }}\n"})
    with pytest.raises(RenderError, match=r"analyst\.md\.j2, line 3: 'no_such_field' is undefined"):
        render_brief(sample_context(), config, ("md",))


def test_syntax_error_names_template_and_line(tmp_path: Path) -> None:
    config = _user_config(tmp_path, **{"analyst.md.j2": "ok\n{% for x in %}\n"})
    with pytest.raises(RenderError, match=r"analyst\.md\.j2, line 2"):
        render_brief(sample_context(), config, ("md",))


@pytest.mark.parametrize(
    "source",
    [
        "{% include '../secret.txt' %}",
        "{% include '/etc/passwd' %}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__ }}",
    ],
)
def test_templates_cannot_escape_the_sandbox(tmp_path: Path, source: str) -> None:
    (tmp_path / "secret.txt").write_text("TOPSECRET", encoding="utf-8")
    user = tmp_path / "user"
    user.mkdir()
    config = _user_config(user, **{"analyst.md.j2": source})
    with pytest.raises(RenderError):
        render_brief(sample_context(), config, ("md",))


def test_filters(tmp_path: Path) -> None:
    env = make_environment(None, markdown=True)
    env_source = (
        "{{ outlook[0].likelihood|likelihood }}|{{ outlook[0]|cite }}|{{ date|date }}|"
        "{{ 'one two three'|words(2) }}"
    )
    env.loader = None
    template = env.from_string(env_source)
    out = template.render(**sample_context().model_dump())
    cite = '[(a1)](<#src-a1> "a1, sentences 1, 2")'  # no outlet known: the article's id
    assert out == f"likely (55–80 %)|{cite}|2 January 2025|one two …"


def test_missing_stylesheet_is_a_render_error(tmp_path: Path) -> None:
    config = parse_config({}, base_dir=tmp_path)
    audience = config.audience().model_copy(update={"css": ("nope.css",)})
    with pytest.raises(RenderError, match=r"stylesheet 'nope\.css' not found"):
        render_brief(sample_context(), config, ("html",), audience)


def test_html_is_self_contained(config: Config) -> None:
    html = render_brief(sample_context(), config, ("html",)).html
    assert html is not None
    assert "<style>" in html and "<link" not in html and "<script" not in html
    assert re.search(r'<meta name="dcterms.created" content="2025-01-02">', html)


def test_render_template_reports_unknown_template() -> None:
    env = make_environment(None, markdown=True)
    with pytest.raises(RenderError, match=r"nope\.md\.j2"):
        render_template(env, "nope.md.j2", {})
