"""CPR validation and pseudonymisation (docs/domain.md §7), of the CPR column and of a CPR found
in a key column.

A CPR number never reaches DuckDB: ingest derives the birth date, then replaces the number with
`person_key` = lowercase hex HMAC-SHA256(key = UTF-8 bytes of the secret, message = the 10 digits).

The secret comes from the environment variable RUMMELIG_PSEUDONYM_KEY; without it, from a key file
(RUMMELIG_PSEUDONYM_KEY_FILE, default ~/.rummelig/pseudonym.key) that is created on first use with
a random secret and owner-only permissions (0600). Keep that file: a new key gives new person_keys,
so people in earlier and later loads no longer match.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
from pathlib import Path

import polars as pl

from ingest.cpr_mask import has_cpr_expr

KEY_ENV = "RUMMELIG_PSEUDONYM_KEY"
KEY_FILE_ENV = "RUMMELIG_PSEUDONYM_KEY_FILE"
DEFAULT_KEY_FILE = Path("~/.rummelig/pseudonym.key")

CPR_PATTERN = r"^\d{6}-?\d{4}$"


def key_file_path() -> Path:
    return Path(os.environ.get(KEY_FILE_ENV) or DEFAULT_KEY_FILE).expanduser()


def pseudonym_key() -> bytes:
    """The HMAC secret as bytes: the env variable, else the key file (created when missing)."""
    secret = os.environ.get(KEY_ENV)
    if secret:
        return secret.encode("utf-8")
    path = key_file_path()
    if not path.exists():
        _create_key_file(path)
    secret = path.read_text(encoding="utf-8").strip()
    if not secret:
        raise ValueError(f"{path}: the pseudonymisation key file is empty")
    return secret.encode("utf-8")


def _create_key_file(path: Path) -> None:
    """Write a random secret with mode 0600; atomic, so parallel first uses agree on one key."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # fails if another process created the key first: keep theirs
    finally:
        tmp.unlink(missing_ok=True)


def person_keys(digits: pl.Series, key: bytes) -> pl.Series:
    """HMAC-SHA256 hex of each 10-digit CPR, computed once per distinct CPR (then a join)."""
    distinct = digits.drop_nulls().unique()
    hashed = [hmac.digest(key, c.encode("ascii"), "sha256").hex() for c in distinct.to_list()]
    lookup = pl.DataFrame({"cpr": distinct, "person_key": pl.Series(hashed, dtype=pl.String)})
    frame = (
        digits.rename("cpr").to_frame().join(lookup, on="cpr", how="left", maintain_order="left")
    )
    return frame["person_key"]


def cpr_digits(cpr: pl.Expr) -> pl.Expr:
    """The 10 digits of a well-formed CPR (optional dash after 6), else null."""
    return pl.when(cpr.str.contains(CPR_PATTERN)).then(cpr.str.replace("-", "", literal=True))


def cpr_birth_date(digits: pl.Expr) -> pl.Expr:
    """Birth date from DDMMYY and the century rule of the 7th digit; null when not a real date.

    7th digit 0–3: 1900s; 4 and 9: YY 00–36 → 2000s, else 1900s; 5–8: YY 00–57 → 2000s, else 1800s.
    """
    yy = digits.str.slice(4, 2).cast(pl.Int32)
    d7 = digits.str.slice(6, 1).cast(pl.Int32)
    century = (
        pl.when(d7 <= 3)
        .then(1900)
        .when(d7.is_in([4, 9]))
        .then(pl.when(yy <= 36).then(2000).otherwise(1900))
        .otherwise(pl.when(yy <= 57).then(2000).otherwise(1800))
    )
    iso = pl.concat_str(
        [
            (century + yy).cast(pl.String),
            pl.lit("-"),
            digits.str.slice(2, 2),
            pl.lit("-"),
            digits.str.slice(0, 2),
        ]
    )
    return iso.str.to_date("%Y-%m-%d", strict=False)


# A key column that holds something CPR-shaped (someone typed the CPR into engagement_id …; the
# same recogniser as the mask, ingest/cpr_mask.py, no date check: a mistyped CPR is still one)
# keeps working as a key, but the value stored is a pseudonym: HMAC of the whole value
# (domain-separated from person_key), in letters only, so it cannot look like a CPR.
ID_PSEUDONYM_PREFIX = "pseudonym-"
_HEX_AS_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def id_pseudonym(value: str, key: bytes) -> str:
    digest = hmac.digest(key, b"id\x00" + value.encode("utf-8"), "sha256").hex()[:20]
    return ID_PSEUDONYM_PREFIX + digest.translate(_HEX_AS_LETTERS)


def pseudonymise_cpr_ids(values: pl.Series, key: bytes) -> pl.Series:
    """`values` with every value that holds a CPR replaced by its pseudonym (the same value gets
    the same pseudonym in every register, so references still match)."""
    flagged = values.filter(values.to_frame().select(has_cpr_expr(pl.first())).to_series())
    if flagged.is_empty():
        return values
    distinct = flagged.unique()
    lookup = dict(zip(distinct.to_list(), [id_pseudonym(v, key) for v in distinct], strict=True))
    return values.replace(lookup)
