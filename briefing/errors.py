"""One error hierarchy: every failure a user can act on is a BriefingError.

Each class carries the exit code the command line ends with (see ExitCode), so every
command maps the same failure to the same status.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a briefing command's exit status means, the same for every command."""

    OK = 0  # written (or sent)
    INTERNAL = 1  # a bug: run again with --debug and report the traceback
    USAGE = 2  # bad input, configuration, template or usage
    DELIVERY = 3  # the brief could not be written, or a message stayed in the outbox
    NOTHING = 4  # nothing to brief for the date
    SKIPPED = 5  # written, but a source was skipped (under --strict)


class BriefingError(Exception):
    """Base of all errors briefing reports to the user as one line."""

    exit_code = ExitCode.USAGE


class ConfigError(BriefingError):
    """config.yaml is missing, malformed or has invalid values."""


class IngestError(BriefingError):
    """An article could not be read: missing, empty, binary or undecodable."""


class NothingToBrief(IngestError):
    """The sources hold no article for the date: not a fault, but nothing was written."""

    exit_code = ExitCode.NOTHING


class AnalysisError(BriefingError):
    """The NLP model could not be loaded or the analysis failed."""


class RenderError(BriefingError):
    """A template, Markdown, HTML or PDF step failed."""


class PathError(BriefingError):
    """A file or folder briefing needs cannot be used: it exists already, or is not writable."""


class PortError(BriefingError):
    """A network port cannot be used (busy, or not allowed)."""


class DeliveryError(BriefingError):
    """Writing or sending the finished brief failed."""

    exit_code = ExitCode.DELIVERY


class AuthenticationError(DeliveryError):
    """The mail server refused the login; no message can be sent until that is fixed."""
