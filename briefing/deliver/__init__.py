"""Deliver: write the finished brief."""

from briefing.deliver.files import write_outputs

__all__ = ["write_outputs"]
