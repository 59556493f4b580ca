"""The one exception a report raises for its users."""

from __future__ import annotations


class ReportError(ValueError):
    """A report cannot run (unknown name, bad period, missing data); the message is for users."""
