"""One error hierarchy: every failure a user can act on is a BriefingError."""

from __future__ import annotations


class BriefingError(Exception):
    """Base of all errors briefing reports to the user as one line."""

    exit_code = 2


class ConfigError(BriefingError):
    """config.yaml is missing, malformed or has invalid values."""


class IngestError(BriefingError):
    """An article could not be read: missing, empty, binary or undecodable."""


class AnalysisError(BriefingError):
    """The NLP model could not be loaded or the analysis failed."""


class RenderError(BriefingError):
    """A template, Markdown, HTML or PDF step failed."""


class DeliveryError(BriefingError):
    """Writing or sending the finished brief failed."""

    exit_code = 3


class AuthenticationError(DeliveryError):
    """The mail server refused the login; no message can be sent until that is fixed."""
