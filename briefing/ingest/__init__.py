"""Ingest: read sources into Article values."""

from briefing.ingest.text import parse_article, read_articles

__all__ = ["parse_article", "read_articles"]
