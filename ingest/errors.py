"""Errors a user sees from ingest. Their messages pass the CPR mask (ingest/cpr_mask.py) when
they are made, so no CPR reaches a terminal, a log or audit.load_log through an error."""

from ingest.cpr_mask import mask_cpr


class MaskedError(Exception):
    """An exception whose message is Danish, meant for the user, and CPR-masked."""

    def __init__(self, message: str) -> None:
        super().__init__(mask_cpr(message))


class IngestError(MaskedError):
    """A fatal problem with the landing folder as a whole (not one file): the message is Danish,
    names the path, and is meant to be printed as it is, without a traceback."""
