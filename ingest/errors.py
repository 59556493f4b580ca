"""Errors a user sees from ingest."""


class IngestError(Exception):
    """A fatal problem with the landing folder as a whole (not one file): the message is Danish,
    names the path, and is meant to be printed as it is, without a traceback."""
