"""Second audit, points 5, 9 and 10: templates are a user's files, and their renders are
bounded; the date filter formats dates only; loaders stay inside their folders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.config import Config, parse_config
from briefing.errors import RenderError
from briefing.render import render_brief
from tests.conftest import ROOT, sample_context


def _user_config(folder: Path, **templates: str) -> Config:
    for name, source in templates.items():
        (folder / name).write_text(source, encoding="utf-8")
    return parse_config({"templates": {"dir": "."}}, base_dir=folder)


def test_the_dependency_floor_is_the_fixed_jinja() -> None:
    """jinja2 3.1.4 and 3.1.5 have sandbox escapes through str.format (CVE-2024-56326,
    CVE-2025-27516); the floor admits only 3.1.6 and later."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"jinja2>=3\.1\.(6|[7-9]|\d\d)"', pyproject)


@pytest.mark.parametrize(
    "source",
    [
        # the audit's escape: a namespace with a format-string strftime given to `date`
        '{% set ns = namespace(strftime="{0[f].__globals__[os].environ}".format) %}'
        '{{ ns|date({"%": 1, "f": lipsum}) }}',
        '{% set ns = namespace(strftime="x".format) %}{{ ns|date("%Y") }}',
        "{{ 12345|date }}",
        "{{ 'not a date'|date }}",
        "{{ date|date(cycler) }}",
    ],
)
def test_the_date_filter_takes_dates_only(tmp_path: Path, source: str) -> None:
    config = _user_config(tmp_path, **{"analyst.md.j2": source})
    with pytest.raises(RenderError):
        render_brief(sample_context(), config, ("md",))


@pytest.mark.parametrize(
    ("source", "why"),
    [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "steps",
        ),
        ("{% for i in range(10**9) %}{% endfor %}", "range"),
        ('{{ "x" * 300000000 }}', "output limit"),
        ('{% set s = "x" * 1000000 %}{% for i in range(100) %}{{ s }}{% endfor %}', "longer than"),
        ("{{ 10 ** 10000000 }}", "power"),
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "recursion"),
        ("{% include 'analyst.md.j2' %}", "recursion"),
    ],
)
def test_template_renders_are_bounded(tmp_path: Path, source: str, why: str) -> None:
    config = _user_config(tmp_path, **{"analyst.md.j2": source})
    with pytest.raises(RenderError, match=why):
        render_brief(sample_context(), config, ("md",))


def test_an_extends_cycle_is_a_render_error_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.md.j2").write_text('{% extends "b.md.j2" %}', encoding="utf-8")
    (tmp_path / "b.md.j2").write_text('{% extends "a.md.j2" %}', encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(
        "BERLIN: Germany's economy ministry said on Thursday that output would grow "
        "next year, officials told reporters.\n",
        encoding="utf-8",
    )
    (tmp_path / "config.yaml").write_text(
        "templates: {dir: .}\naudiences: [{name: analyst, template: a.md.j2, formats: [md]}]\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "build", str(article), "--date", "2025-09-18",
         "--config", str(tmp_path / "config.yaml"), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300, check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "recursion" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_template_folders_do_not_follow_links_out(tmp_path: Path) -> None:
    user = tmp_path / "tpl"
    user.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    (user / "passwd.j2").symlink_to(secret)
    (user / "root").symlink_to("/")
    (user / "evil.css").symlink_to(secret)
    for source in ("{% include 'passwd.j2' %}", "{% include 'root/etc/passwd' %}"):
        config = _user_config(user, **{"analyst.md.j2": source})
        with pytest.raises(RenderError):
            render_brief(sample_context(), config, ("md",))
    config = _user_config(user, **{"analyst.md.j2": "# {{ title }}\n"})
    audience = config.audience().model_copy(update={"css": ("evil.css",)})
    with pytest.raises(RenderError, match=r"evil\.css"):
        render_brief(sample_context(), config, ("html",), audience)


def test_a_link_inside_the_template_folder_still_works(tmp_path: Path) -> None:
    (tmp_path / "real.md.j2").write_text("# {{ title }} ok\n", encoding="utf-8")
    (tmp_path / "link.md.j2").symlink_to(tmp_path / "real.md.j2")
    config = _user_config(tmp_path, **{"analyst.md.j2": "{% include 'link.md.j2' %}"})
    assert "ok" in render_brief(sample_context(), config, ("md",)).markdown
