"""Templates told truthfully: the documented blocks are the blocks that exist, and a block the
base does not have is an error, never an override that silently changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.config import parse_config
from briefing.errors import RenderError
from briefing.render import render_brief
from briefing.render.blocks import template_blocks
from briefing.render.templates import make_environment
from briefing.scaffold import ANALYST
from tests.conftest import ROOT, sample_context
from tests.test_cli import run


def _base_blocks() -> set[str]:
    return {b.name for b in template_blocks(make_environment(None, markdown=True), "brief.md.j2")}


def _user_config(tmp_path: Path, template: str):  # type: ignore[no-untyped-def]
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "mine.md.j2").write_text(template, encoding="utf-8")
    return parse_config(
        {"templates": {"dir": "tpl"}, "audiences": [{"name": "analyst", "template": "mine.md.j2"}]},
        base_dir=tmp_path,
    )


def test_a_block_the_base_lacks_is_an_error_naming_block_template_and_line(
    tmp_path: Path,
) -> None:
    config = _user_config(
        tmp_path,
        '{% extends "!base/analyst.md.j2" %}\n\n{% block claims %}\nmine\n{% endblock %}\n',
    )
    with pytest.raises(RenderError) as caught:
        render_brief(sample_context(), config, ("md",))
    message = str(caught.value)
    assert "block 'claims'" in message and "mine.md.j2, line 3" in message
    assert "!base/analyst.md.j2" in message and "story_claims" in message  # what exists


def test_a_real_block_overrides_and_a_block_nested_in_an_override_is_allowed(
    tmp_path: Path,
) -> None:
    config = _user_config(
        tmp_path,
        '{% extends "!base/analyst.md.j2" %}\n'
        "{% block footer %}{% block signature %}Desk 4{% endblock %}{% endblock %}\n",
    )
    markdown = render_brief(sample_context(), config, ("md",)).markdown
    assert markdown.rstrip().endswith("Desk 4")


def test_readme_docs_and_scaffold_name_exactly_the_blocks_that_exist() -> None:
    blocks = _base_blocks()
    assert {"header", "body", "bluf", "stories", "sources", "footer"} <= blocks
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sentence = re.search(r"Its blocks are (.*?)\(`briefing templates`", readme, re.S)
    assert sentence is not None
    assert set(re.findall(r"`([a-z_]+)`", sentence.group(1))) == blocks
    docs = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    table = docs.split("## Blocks", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"^\| `([a-z_]+)` \|", table, re.M)) == blocks
    named = set(re.findall(r"{% block (\w+)", ANALYST))
    assert named <= blocks and "header" in named


def test_templates_command_lists_blocks_and_prints_the_base() -> None:
    listing = run("templates")
    assert listing.returncode == 0, listing.stderr
    for block in _base_blocks():
        assert re.search(rf"^\s+{block}  \(line \d+\)$", listing.stdout, re.M), block
    assert "executive.md.j2\n  extends !base/brief.md.j2; overrides: body" in listing.stdout
    printed = run("templates", "brief.md.j2")
    assert printed.returncode == 0
    assert printed.stdout == (ROOT / "templates" / "brief.md.j2").read_text(encoding="utf-8")
    missing = run("templates", "nope.md.j2")
    assert missing.returncode == 2 and "no template 'nope.md.j2'" in missing.stderr


@pytest.mark.parametrize(
    ("days", "args", "shown"),
    [
        (7, (), "7 days left"),
        (1, (), "1 day left"),
        (0, (), "ends today"),
        (0, ("today",), "today"),
        (-1, (), "ended 1 day ago"),
        (-3, (), "ended 3 days ago"),
    ],
)
def test_days_left_filter(days: int, args: tuple[str, ...], shown: str) -> None:
    env = make_environment(None, markdown=True)
    template = "{{ n|days_left(" + ", ".join(repr(a) for a in args) + ") }}"
    assert env.from_string(template).render(n=days) == shown
