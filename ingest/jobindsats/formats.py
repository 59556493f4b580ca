"""Readers for the file formats of jobindsats.dk extracts (docs/domain.md §3.4).

Each reader turns one file into `RawTable`s: column labels plus data rows (all as wide as the
columns) with their cells as found (text, or numbers from JSON/XLSX); row 1 = first data row.
Splitting measures from dimensions and parsing values happens in `ingest.jobindsats.normalise`.
Every problem that makes a file unusable raises `JobindsatsFormatError` with a Danish reason.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from ingest.jobindsats.values import cell_text

AREA_LABELS = frozenset({"område", "area"})
PERIOD_LABELS = frozenset({"periode", "period", "tid"})

TABLE_ID = re.compile(r"[A-Z]{1,4}\d{2}(?:[A-Z]\d{2})?")
_TABLE_ID_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])([A-Z]{1,4}\d{2}(?:[A-Z]\d{2})?)(?![A-Za-z0-9])")
# Lines after the data that are notes, not rows ("Kilde: Jobindsats.dk", "Anm.: …").
# No area name starts with these words, so such a first cell ends the table.
_FOOTNOTE = re.compile(
    r"^\s*(?:\*|(?:kilde|anm|anmærkning|note|noter|fodnote|bemærk|signaturforklaring|"
    r"opdateret|udtrukket)(?:[\s:.]|$))",
    re.IGNORECASE,
)
_CSV_DELIMITERS = (";", "\t", ",")
_MAX_JSON_BYTES = 512 * 1024 * 1024

Cell = Any  # str | int | float | None


class JobindsatsFormatError(ValueError):
    """The file is not a usable jobindsats extract; the message says why (shown in load_log)."""


@dataclass(frozen=True)
class Column:
    label: str  # the label as written: dimensions keys and measure names use it
    name: str | None = None  # API variable name (v2/v3), when given


@dataclass
class RawTable:
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)  # row i + 1 = data row number
    table_id: str | None = None  # named by the API payload
    title_table_id: str | None = None  # written in a title line above the header


def _norm(label: str | None) -> str:
    return (label or "").strip().casefold()


def column_role(column: Column) -> str | None:
    """'area' or 'period' for the columns E19 names, else None."""
    keys = {_norm(column.label), _norm(column.name)}
    if keys & AREA_LABELS:
        return "area"
    if keys & PERIOD_LABELS:
        return "period"
    return None


def table_id_from_file_name(file_name: str) -> str | None:
    """`Y07A02_sygedagpenge.csv` → `Y07A02`."""
    prefix = re.split(r"[_\-. ]", file_name, maxsplit=1)[0].upper()
    return prefix if TABLE_ID.fullmatch(prefix) else None


def normalise_table_id(value: Any) -> str | None:
    if isinstance(value, str) and TABLE_ID.fullmatch(value.strip().upper()):
        return value.strip().upper()
    return None


def decode_text(data: bytes) -> str:
    """UTF-8 with or without BOM; Windows-1252 (old Excel exports) as a fallback."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise JobindsatsFormatError("filen er hverken UTF-8 eller Windows-1252") from exc


# --- grids (CSV and XLSX) --------------------------------------------------------------------


def _is_header(cells: list[Cell]) -> bool:
    labels = {_norm(cell_text(c)) for c in cells}
    return bool(labels & AREA_LABELS) and bool(labels & PERIOD_LABELS)


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def table_from_grid(grid: list[list[Cell]], what: str) -> RawTable:
    """Find the header row (the first with an area and a period column), keep the data rows
    after it and stop at a footnote (`Kilde: …`). Title lines before the header may name the
    table id."""
    header_index = next((i for i, row in enumerate(grid) if _is_header(row)), None)
    if header_index is None:
        raise JobindsatsFormatError(
            f"{what}: ingen overskriftsrække med kolonnerne Område og Periode fundet"
        )
    header = [cell_text(c) for c in grid[header_index]]
    body: list[list[Cell]] = []
    for row in grid[header_index + 1 :]:
        if all(_blank(c) for c in row):
            continue
        if isinstance(row[0], str) and _FOOTNOTE.match(row[0]):
            break
        body.append(row)

    width = max([len(header), *(len(row) for row in body)])
    header += [""] * (width - len(header))
    # A column without a header is kept only when it holds something.
    keep = [
        i
        for i, label in enumerate(header)
        if label or any(i < len(row) and not _blank(row[i]) for row in body)
    ]
    columns = [Column(header[i] or f"Kolonne {i + 1}") for i in keep]
    if len(keep) == width:
        rows = [row if len(row) == width else row + [None] * (width - len(row)) for row in body]
    else:
        rows = [[row[i] if i < len(row) else None for i in keep] for row in body]
    title_ids = [
        m.group(1)
        for row in grid[:header_index]
        for c in row
        for m in _TABLE_ID_IN_TEXT.finditer(cell_text(c))
    ]
    return RawTable(columns, rows, title_table_id=title_ids[0] if title_ids else None)


def _csv_grid(lines: list[str], delimiter: str) -> tuple[list[list[str]], int | None]:
    """The rows, and the line number of the first row that spans lines (a stray quote would
    silently merge the rows after it), or None. Extracts are small: a Python loop is fine."""
    reader = csv.reader(lines, delimiter=delimiter)
    grid: list[list[str]] = []
    spanning = None
    for row in reader:
        if spanning is None and reader.line_num != len(grid) + 1:
            spanning = len(grid) + 1
        grid.append(row)
    return grid, spanning


def read_csv(data: bytes) -> RawTable:
    text = decode_text(data)
    if "\x00" in text:
        raise JobindsatsFormatError("CSV: filen indeholder binære data")
    lines = text.splitlines()
    for delimiter in _CSV_DELIMITERS:
        try:
            grid, spanning = _csv_grid(lines, delimiter)
        except csv.Error as exc:
            raise JobindsatsFormatError(f"CSV kan ikke læses: {exc}") from exc
        if any(_is_header(row) for row in grid):
            if spanning is not None:
                raise JobindsatsFormatError(
                    f"CSV: et citationstegn i linje {spanning} lukkes ikke på samme linje; en "
                    "celle kan ikke gå over flere linjer (rækkerne ville blive slået sammen)"
                )
            return table_from_grid(grid, "CSV")
    raise JobindsatsFormatError(
        "CSV: ingen overskriftsrække med kolonnerne Område og Periode fundet"
    )


def read_xlsx(data: bytes) -> RawTable:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise JobindsatsFormatError(f"XLSX kan ikke åbnes: {type(exc).__name__}") from exc
    try:
        for sheet in workbook.worksheets:
            grid = [list(row) for row in sheet.iter_rows(values_only=True)]
            if any(_is_header(row) for row in grid):
                return table_from_grid(grid, f"XLSX ark {sheet.title}")
    except JobindsatsFormatError:
        raise
    except Exception as exc:
        raise JobindsatsFormatError(f"XLSX kan ikke læses: {type(exc).__name__}") from exc
    finally:
        workbook.close()
    raise JobindsatsFormatError(
        "XLSX: intet ark med en overskriftsrække med kolonnerne Område og Periode"
    )


# --- JSON (API v2 and v3) ---------------------------------------------------------------------


def _key(mapping: dict, *names: str) -> Any:
    """mapping[name] with the name matched case-insensitively (APIs vary in casing)."""
    wanted = {n.casefold() for n in names}
    for key, value in mapping.items():
        if isinstance(key, str) and key.casefold() in wanted:
            return value
    return None


def _error_message(payload: Any) -> str | None:
    """The text of an API error payload such as {"Forkert nøgle eller nøglen er udløbet.": ""}."""
    if isinstance(payload, list) and len(payload) == 1:
        return _error_message(payload[0])
    if not isinstance(payload, dict) or not payload:
        return None
    if _key(payload, "variables", "data", "columns", "rows") is not None:
        return None
    explicit = _key(payload, "error", "errors", "message", "fejl", "detail")
    if explicit:
        return str(explicit)
    if all(v in ("", None) for v in payload.values()):
        return "; ".join(str(k) for k in payload)
    return None


def _column_from_spec(spec: Any, position: int) -> Column:
    if isinstance(spec, str):
        return Column(spec.strip())
    if isinstance(spec, dict):
        label = _key(spec, "label", "text", "title")
        name = _key(spec, "name", "id", "code")
        text = label if isinstance(label, str) and label.strip() else name
        if isinstance(text, str) and text.strip():
            return Column(text.strip(), name if isinstance(name, str) else None)
    raise JobindsatsFormatError(f"JSON: kolonne {position + 1} har intet navn")


def _rows_from_payload(rows: Any, columns: list[Column]) -> list:
    if not isinstance(rows, list):
        raise JobindsatsFormatError("JSON: data er ikke en liste af rækker")
    out: list[list[Cell]] = []
    for n, row in enumerate(rows, start=1):
        if isinstance(row, dict):
            row = [_key(row, *(k for k in (c.label, c.name) if k)) for c in columns]
        if not isinstance(row, list):
            raise JobindsatsFormatError(f"JSON: række {n} er ikke en liste")
        if len(row) != len(columns):
            raise JobindsatsFormatError(
                f"JSON: række {n} har {len(row)} værdier, men der er {len(columns)} kolonner"
            )
        for cell in row:
            if isinstance(cell, dict | list):
                raise JobindsatsFormatError(f"JSON: række {n} indeholder en sammensat værdi")
        out.append(list(row))
    return out


def _table_from_payload(columns_spec: Any, rows: Any, payload: dict) -> RawTable:
    if not isinstance(columns_spec, list) or not columns_spec:
        raise JobindsatsFormatError("JSON: kolonnelisten mangler eller er tom")
    columns = [_column_from_spec(spec, i) for i, spec in enumerate(columns_spec)]
    table_id = normalise_table_id(_key(payload, "tableid", "table_id", "table", "tablename"))
    return RawTable(columns, _rows_from_payload(rows, columns), table_id)


def read_json(data: bytes) -> list[RawTable]:
    if len(data) > _MAX_JSON_BYTES:
        raise JobindsatsFormatError("JSON: filen er for stor")
    try:
        payload = json.loads(decode_text(data))
    except (ValueError, RecursionError) as exc:
        raise JobindsatsFormatError("JSON kan ikke læses (ugyldig JSON)") from exc
    message = _error_message(payload)
    if message is not None:
        raise JobindsatsFormatError(f"API-fejlsvar, ikke data: {message}")
    if isinstance(payload, dict):
        if _key(payload, "columns") is not None and _key(payload, "rows") is not None:
            return [_table_from_payload(_key(payload, "columns"), _key(payload, "rows"), payload)]
        if _key(payload, "variables") is not None and _key(payload, "data") is not None:
            payload = [payload]
    if (
        isinstance(payload, list)
        and payload
        and all(
            isinstance(p, dict) and _key(p, "variables") is not None and _key(p, "data") is not None
            for p in payload
        )
    ):
        return [_table_from_payload(_key(p, "variables"), _key(p, "data"), p) for p in payload]
    raise JobindsatsFormatError(
        "JSON: ukendt struktur (hverken API v2 {Variables, Data} eller v3 {columns, rows})"
    )


def read_tables(file_name: str, data: bytes) -> list[RawTable]:
    """Every table in one extract, by the file's extension."""
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix == "csv":
        return [read_csv(data)]
    if suffix == "xlsx":
        return [read_xlsx(data)]
    if suffix == "json":
        return read_json(data)
    raise JobindsatsFormatError(f"ukendt filtype .{suffix} (forventet .csv, .xlsx eller .json)")
