"""The register CSV dialect (docs/domain.md §3.2): checking a file and scanning it as strings.

One pass over the bytes computes the file's sha256, counts its lines and proves it is UTF-8 text
(a NUL byte means binary); the header line gives the separator (`;` or `,`, whichever occurs more)
and the column names (trimmed, lower-case). The data is then scanned lazily by polars, line by
line, in batches, so a file of tens of millions of rows never sits in memory at once.

One physical line is one row: each line is split into cells by a regular expression, column-wise
in polars (no Python loop over rows). A cell never spans lines, so a stray quote can spoil only
its own row (quarantined as `unbalanced_quote`), never merge the rows after it; a line with too
few cells (a file cut off at a cell boundary) is `truncated_row`, not a row with empty cells. The
number of lines read must equal the number of lines in the file, or the file fails.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingest.cpr_mask import mask_cpr_expr
from ingest.errors import MaskedError

CHUNK_BYTES = 1 << 22
ROW_NUMBER = "_row_number"
LINE = "_line"
STRUCTURE = "_structure"
FIELD_COUNT = "_field_count"
BLANK = "_blank"


class FileProblem(MaskedError):
    """A file that cannot be loaded at all; the message (Danish) names the file and the problem."""


@dataclass(frozen=True)
class CsvFile:
    path: Path
    sha256: str
    separator: str
    columns: tuple[str, ...]  # normalised header names in file order
    lines: int = 0  # physical lines, header included (0 = not counted)


def inspect_csv(path: Path, required: list[str]) -> CsvFile:
    """Hash and check a register file; raise FileProblem when it cannot be read as our CSV."""
    name = path.name
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    head = ""
    size = newlines = 0
    last = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            size += len(chunk)
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
            digest.update(chunk)
            if size == len(chunk) and chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise FileProblem(f"{name}: UTF-16-kodet; gem filen som CSV UTF-8")
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
    if "\r" in header_line:
        raise FileProblem(
            f"{name}: linjeskift med kun CR (gammelt Mac-format); gem filen med almindelige "
            "linjeskift (LF eller CR+LF)"
        )
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
    lines = newlines + (1 if last not in (b"", b"\n") else 0)
    return CsvFile(path, digest.hexdigest(), separator, columns, lines)


def _unique_names(columns: tuple[str, ...]) -> list[str]:
    # Empty header cells get placeholder names (they are extra columns, ignored).
    return [c or f"_unnamed_{i}" for i, c in enumerate(columns)]


def _cell_pattern(separator: str) -> str:
    """One cell and the separator after it: quoted (quotes doubled inside, blanks around) or
    unquoted (no separator; a quote only after its first character, as a literal)."""
    quoted = r'[ \t]*"(?:[^"]|"")*"[ \t]*'
    unquoted = rf'[ \t]*(?:[^{separator}" \t][^{separator}]*)?'
    return f"(?:{quoted}|{unquoted}){re.escape(separator)}"


def _unquoted(token: pl.Expr, separator: str) -> pl.Expr:
    cell = token.str.strip_suffix(separator).str.strip_chars(" \t")
    is_quoted = cell.str.starts_with('"') & cell.str.ends_with('"') & (cell.str.len_chars() >= 2)
    inner = cell.str.slice(1, cell.str.len_chars() - 2).str.replace_all('""', '"', literal=True)
    return pl.when(is_quoted).then(inner).otherwise(cell)


def header_width(columns: tuple[str, ...]) -> int:
    """Columns up to the last named one: a row must have at least these cells."""
    named = [i for i, c in enumerate(columns) if c]
    return named[-1] + 1 if named else 1


def scan_lines(path: Path) -> pl.LazyFrame:
    """Every physical line after the header (`\r` of CRLF removed) with its number: 1 = the
    line after the header, so `_row_number` + 1 is the line number in the file."""
    return (
        pl.scan_lines(path, name=LINE, row_index_name=ROW_NUMBER)
        .filter(pl.col(ROW_NUMBER) > 0)
        .with_columns(pl.col(LINE).str.strip_suffix("\r"))
    )


def _structure(csv: CsvFile, complete: pl.Expr, fields: pl.Expr, extra: pl.Expr) -> pl.Expr:
    return (
        pl.when(~complete)
        .then(pl.lit("unbalanced_quote"))
        .when(fields < header_width(csv.columns))
        .then(pl.lit("truncated_row"))
        .when(extra)
        .then(pl.lit("too_many_fields"))
    )


def _plain_cells(lines: pl.DataFrame, csv: CsvFile) -> pl.DataFrame:
    """Lines without a quote character (nearly all): a plain split, no regular expression.
    Cells are left as they are (validate.py trims them and reads an empty cell as null)."""
    sep, names = csv.separator, _unique_names(csv.columns)
    line = pl.col(LINE)
    fields = pl.col(FIELD_COUNT)
    rest = pl.col("_parts").struct.field(f"field_{len(names)}")
    extra = rest.is_not_null() & rest.str.contains(f"[^{re.escape(sep)} \t]")
    return (
        lines.with_columns(
            line.str.splitn(sep, len(names) + 1).alias("_parts"),
            (line.str.count_matches(sep, literal=True) + 1).cast(pl.Int32).alias(FIELD_COUNT),
            line.str.contains(f"^[{re.escape(sep)} \t]*$").alias(BLANK),
        )
        .with_columns(
            _structure(csv, pl.lit(True), fields, extra).alias(STRUCTURE),
            *(
                pl.col("_parts").struct.field(f"field_{i}").alias(name)
                for i, name in enumerate(names)
            ),
        )
        .drop("_parts")
    )


def _quoted_cells(lines: pl.DataFrame, csv: CsvFile) -> pl.DataFrame:
    """Lines with a quote character: a regular expression takes the cells one by one; a line it
    cannot cover whole has a quote that is not closed on it."""
    sep, names = csv.separator, _unique_names(csv.columns)
    line = pl.col(LINE)
    tokens = (line + sep).str.extract_all(_cell_pattern(sep))
    covered = tokens.list.eval(pl.element().str.len_bytes()).list.sum().fill_null(0)
    cells = pl.col("_cells")
    complete = pl.col("_complete")
    extra = cells.list.slice(len(names)).list.eval(pl.element() != "").list.any()
    return (
        lines.with_columns(
            (covered == line.str.len_bytes() + len(sep.encode())).alias("_complete"),
            tokens.list.eval(_unquoted(pl.element(), sep)).alias("_cells"),
        )
        .with_columns(
            _structure(csv, complete, cells.list.len(), extra).alias(STRUCTURE),
            (complete & cells.list.eval(pl.element() == "").list.all()).alias(BLANK),
            cells.list.len().cast(pl.Int32).alias(FIELD_COUNT),
            *(
                cells.list.get(i, null_on_oob=True).replace("", None).alias(name)
                for i, name in enumerate(names)
            ),
        )
        .drop("_complete", "_cells")
    )


def split_cells(lines: pl.DataFrame, csv: CsvFile) -> pl.DataFrame:
    """A batch of lines split into the header's columns (all text), column-wise in polars.

    Adds to `_row_number` and `_line` (the raw line): the header's columns, `_field_count`,
    `_blank` (no cell has content: not a row) and `_structure`: null, or why the line cannot be
    split into the header's cells, so the row is quarantined instead of guessed at:
    `unbalanced_quote` (a quote not closed on its line: a cell never spans lines),
    `truncated_row` (fewer cells than the header), `too_many_fields` (cells with content beyond
    the header).
    """
    quoted = lines[LINE].str.contains('"', literal=True)
    if not quoted.any():
        return _plain_cells(lines, csv)
    plain = _plain_cells(lines.filter(~quoted), csv)
    return pl.concat([plain, _quoted_cells(lines.filter(quoted), csv).select(plain.columns)]).sort(
        ROW_NUMBER
    )


def read_batches(csv: CsvFile, batch_rows: int) -> Iterator[pl.DataFrame]:
    """The file's rows in batches (blank lines dropped), then a reconciliation: every physical
    line of the file was seen exactly once, or the file fails."""
    seen = 0
    try:
        for lines in scan_lines(csv.path).collect_batches(chunk_size=batch_rows):
            seen += lines.height
            batch = split_cells(lines, csv)
            yield batch.filter(~pl.col(BLANK)).drop(BLANK)
    except pl.exceptions.PolarsError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FileProblem(f"{csv.path.name}: kan ikke læses som CSV ({first})") from exc
    if csv.lines and seen + 1 != csv.lines:
        raise FileProblem(
            f"{csv.path.name}: filen har {csv.lines} linjer, men {seen + 1} blev læst; "
            "filen er ikke indlæst"
        )


def masked_row() -> pl.Expr:
    """The raw line as delivered, CPR-shaped digit runs masked (docs/domain.md §3.2 row_masked)."""
    return mask_cpr_expr(pl.col(LINE))


def masked_rows_of(csv: CsvFile, row_numbers: list[int]) -> pl.DataFrame:
    """Re-read only the given rows of a file (for problems found after staging)."""
    return (
        scan_lines(csv.path)
        .filter(pl.col(ROW_NUMBER).is_in(row_numbers))
        .select(
            pl.col(ROW_NUMBER).cast(pl.Int64).alias("row_number"),
            masked_row().alias("row_masked"),
        )
        .collect()
    )
