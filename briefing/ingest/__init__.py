"""Ingest: read sources into Article values."""

from briefing.ingest.sources import read_files
from briefing.ingest.text import parse_article

__all__ = ["parse_article", "read_files"]
