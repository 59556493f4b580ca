"""The register CSV dialect (DOMAIN.md §3.2): checking a file and scanning it as strings.

One pass over the bytes computes the file's sha256 and proves it is UTF-8 text (a NUL byte means
binary); the header line gives the separator (`;` or `,`, whichever occurs more) and the column
names (trimmed, lower-case). The data is then scanned lazily by polars with every column as
text, in batches, so a file of tens of millions of rows never sits in memory as strings at once.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingest.audit import mask_cpr

CHUNK_BYTES = 1 << 22
ROW_NUMBER = "_row_number"


class FileProblem(Exception):
    """A file that cannot be loaded at all; the message (Danish) names the file and the problem."""


@dataclass(frozen=True)
class CsvFile:
    path: Path
    sha256: str
    separator: str
    columns: tuple[str, ...]  # normalised header names in file order


def inspect_csv(path: Path, required: list[str]) -> CsvFile:
    """Hash and check a register file; raise FileProblem when it cannot be read as our CSV."""
    name = path.name
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    head = ""
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            size += len(chunk)
            digest.update(chunk)
            if b"\x00" in chunk:
                raise FileProblem(f"{name}: binær fil, ikke en CSV-fil")
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                position = size - len(chunk) + exc.start
                raise FileProblem(
                    f"{name}: ikke UTF-8-kodet (ugyldig byte ved position {position})"
                ) from exc
            if "\n" not in head and len(head) < 1 << 20:
                head += text
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise FileProblem(f"{name}: ikke UTF-8-kodet (afkortet tegn i slutningen)") from exc
    header_line = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    if not header_line.strip():
        raise FileProblem(f"{name}: tom fil (ingen kolonneoverskrifter)")
    separator = ";" if header_line.count(";") >= header_line.count(",") else ","
    if header_line.count(separator) == 0:
        raise FileProblem(f"{name}: ikke en CSV-fil (overskriftslinjen har hverken ';' eller ',')")
    columns = tuple(h.strip().strip('"').strip().lower() for h in header_line.split(separator))
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        raise FileProblem(f"{name}: kolonnen {', '.join(duplicates)} findes mere end én gang")
    missing = [c for c in required if c not in columns]
    if missing:
        label = "kolonnen" if len(missing) == 1 else "kolonnerne"
        raise FileProblem(f"{name}: mangler påkrævet {label} {', '.join(missing)}")
    return CsvFile(path, digest.hexdigest(), separator, columns)


def _unique_names(columns: tuple[str, ...]) -> list[str]:
    # Empty header cells get placeholder names so polars accepts them (they are extra columns).
    return [c or f"_unnamed_{i}" for i, c in enumerate(columns)]


def scan_csv(csv: CsvFile) -> pl.LazyFrame:
    """All columns as text plus `_row_number` (1 = first data row); blank lines are skipped."""
    names = _unique_names(csv.columns)
    frame = pl.scan_csv(
        csv.path,
        separator=csv.separator,
        has_header=True,
        new_columns=names,
        infer_schema=False,
        truncate_ragged_lines=True,
        row_index_name=ROW_NUMBER,
        row_index_offset=1,
    )
    return frame.filter(~pl.all_horizontal(pl.col(names).is_null()))


def read_batches(csv: CsvFile, batch_rows: int) -> Iterator[pl.DataFrame]:
    try:
        yield from scan_csv(csv).collect_batches(chunk_size=batch_rows)
    except pl.exceptions.PolarsError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        # polars quotes the offending cell: mask it, the message is printed and logged
        raise FileProblem(f"{csv.path.name}: kan ikke læses som CSV ({mask_cpr(first)})") from exc


def masked_row(csv: CsvFile) -> pl.Expr:
    """The raw row joined with the file's separator, CPR-like digit runs masked DDMMYY-****.

    Deliberately greedy (any 10-digit run is masked, also inside longer numbers) so no CPR can
    slip through in quarantine.
    """
    names = _unique_names(csv.columns)
    cells = [_quoted(pl.col(n), csv.separator).fill_null("") for n in names]
    return mask_digits(pl.concat_str(cells, separator=csv.separator))


def _quoted(cell: pl.Expr, separator: str) -> pl.Expr:
    """A cell as CSV writes it: quoted (quotes doubled) when it holds the separator or a quote."""
    needs_quotes = cell.str.contains(f'[{separator}"\n]')
    return (
        pl.when(needs_quotes)
        .then(pl.format('"{}"', cell.str.replace_all('"', '""', literal=True)))
        .otherwise(cell)
    )


def mask_digits(text: pl.Expr) -> pl.Expr:
    return text.str.replace_all(r"(\d{6})[-\s]?\d{4}", "${1}-****")


def masked_rows_of(csv: CsvFile, row_numbers: list[int]) -> pl.DataFrame:
    """Re-read only the given rows of a file (for problems found after staging)."""
    return (
        scan_csv(csv)
        .filter(pl.col(ROW_NUMBER).is_in(row_numbers))
        .select(
            pl.col(ROW_NUMBER).cast(pl.Int64).alias("row_number"),
            masked_row(csv).alias("row_masked"),
        )
        .collect()
    )
