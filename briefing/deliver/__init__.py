"""Deliver: write the finished brief, email it through the outbox."""

from briefing.deliver.files import write_outputs

__all__ = ["write_outputs"]
