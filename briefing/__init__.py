"""briefing: turn news articles into briefing notes."""

__version__ = "0.1.0"
