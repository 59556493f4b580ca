"""Shared report machinery: Danish formatting, periods, suppression, HTML rendering, metadata.

Every report module in reports/ defines `REPORT = ReportSpec(...)`; `reports.registry` finds them.
Reports read `marts.*` only. Charts live in reports/charts.py and the XLSX writer in
reports/xlsx.py; both are re-exported here so report modules need one import.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import jinja2

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
MISSING = "–"  # shown for None: suppressed, or no data (e.g. empty denominator)

MONTHS_DA = [
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
]  # fmt: skip
MONTHS_DA_SHORT = [
    "jan.", "feb.", "mar.", "apr.", "maj", "jun.",
    "jul.", "aug.", "sep.", "okt.", "nov.", "dec.",
]  # fmt: skip


class ReportError(ValueError):
    """A report cannot run (unknown name, bad period, missing data); the message is for users."""


# --- numbers -----------------------------------------------------------------------------------


def _is_missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_number(x: float | int | Decimal | None, decimals: int = 0) -> str:
    """Danish: thousands '.', decimal ',', half up (1234.55 → '1.234,6'); None → '–'."""
    if _is_missing(x):
        return MISSING
    q = Decimal(1).scaleb(-decimals)
    d = Decimal(str(x)).quantize(q, rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)  # no "-0,0"
    text = f"{abs(d):,.{decimals}f}"  # "1,234.5"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("-" if d < 0 else "") + text


def fmt_int(x: float | int | None) -> str:
    return fmt_number(x, 0)


def fmt_pct(x: float | None, decimals: int = 1) -> str:
    """A value already on the 0–100 scale: 12.34 → '12,3 %'; None → '–'."""
    if _is_missing(x):
        return MISSING
    return f"{fmt_number(x, decimals)} %"


def fmt_value(x: Any, kind: str) -> str:
    """Format by column kind (text|int|dec1|dec2|pct|date), as in reports/xlsx.py."""
    if _is_missing(x):
        return MISSING
    if kind == "int":
        return fmt_number(x, 0)
    if kind == "dec1":
        return fmt_number(x, 1)
    if kind == "dec2":
        return fmt_number(x, 2)
    if kind == "pct":
        return fmt_pct(x, 1)
    if kind == "date":
        return fmt_date(x, short=True)
    return str(x)


def suppress(value: Any, persons: int | None, min_persons: int) -> Any:
    """`value`, or None when the group has fewer than `min_persons` persons (unknown = too few)."""
    if persons is None or persons < min_persons:
        return None
    return value


def protect(counts: list[int | None], min_persons: int) -> list[int | None]:
    """Person counts of one table column whose total is shown: counts 1…min−1 become None
    (primary), and when exactly one cell is hidden the smallest other non-zero cell is hidden
    too, so the total minus the visible cells cannot reveal it (secondary). 0 stays 0: an empty
    group reveals nobody.
    """
    out = [None if c is not None and 0 < c < min_persons else c for c in counts]
    hidden = [i for i, (c, o) in enumerate(zip(counts, out, strict=True)) if c and o is None]
    if len(hidden) == 1:
        candidates = [i for i, o in enumerate(out) if o]
        if candidates:
            out[min(candidates, key=lambda i: (out[i], i))] = None
    return out


def protect_total(total: int | None, min_persons: int) -> int | None:
    """A total (or any lone count) is hidden when 0 < total < min_persons."""
    return None if total is not None and 0 < total < min_persons else total


# --- dates and periods -------------------------------------------------------------------------


def fmt_date(d: date | datetime | None, short: bool = False) -> str:
    """'15. nov. 2025' (prose, headers) or, with short=True, '15-11-2025' (tables)."""
    if d is None:
        return MISSING
    if short:
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    return f"{d.day}. {MONTHS_DA_SHORT[d.month - 1]} {d.year}"


def fmt_datetime(d: datetime | None) -> str:
    """'15. nov. 2025 kl. 14.05' (Danish clock with a dot)."""
    if d is None:
        return MISSING
    return f"{fmt_date(d)} kl. {d.hour:02d}.{d.minute:02d}"


def fmt_month(d: date) -> str:
    """'november 2025'."""
    return f"{MONTHS_DA[d.month - 1]} {d.year}"


def fmt_period(period_type: str, period_start: date) -> str:
    """Label of a mart period: '2025', '1. kvt. 2025', 'november 2025'."""
    if period_type == "year":
        return str(period_start.year)
    if period_type == "quarter":
        return f"{(period_start.month - 1) // 3 + 1}. kvt. {period_start.year}"
    if period_type == "month":
        return fmt_month(period_start)
    raise ValueError(f"unknown period_type {period_type!r}")


def month_end(d: date) -> date:
    """Natural last day of d's month."""
    first_next = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return first_next - timedelta(days=1)


_PERIOD_RE = re.compile(r"^(\d{4})(?:(?:Q|K)([1-4])|-(\d{1,2}))?$")


@dataclass(frozen=True)
class Period:
    """A reporting period chosen by the user: year, quarter or month (natural bounds)."""

    code: str
    kind: str  # year | quarter | month — the marts' period_type
    start: date
    end: date

    @property
    def label(self) -> str:
        return fmt_period(self.kind, self.start)

    def clipped_end(self, as_of: date | None) -> date:
        """Last observed day: min(natural end, as_of)."""
        return self.end if as_of is None else min(self.end, as_of)

    def month_ends(self, as_of: date | None = None) -> list[date]:
        """The marts' month_end keys inside the period (as_of replaces its own month's end)."""
        out, d = [], self.start
        last = self.clipped_end(as_of)
        while d <= last:
            out.append(min(month_end(d), last))
            d = month_end(d) + timedelta(days=1)
        return out


def parse_period(text: str) -> Period:
    """'2025' | '2025Q3' (also '2025K3', lower case) | '2025-11' → Period; else ReportError."""
    m = _PERIOD_RE.match(str(text).strip().upper())
    if not m:
        raise ReportError(
            f"Ugyldig periode {text!r}: brug år (2025), kvartal (2025Q3) eller måned (2025-11)."
        )
    year = int(m.group(1))
    if m.group(2):
        q = int(m.group(2))
        start = date(year, 3 * q - 2, 1)
        return Period(f"{year}Q{q}", "quarter", start, month_end(date(year, 3 * q, 1)))
    if m.group(3):
        month = int(m.group(3))
        if not 1 <= month <= 12:
            raise ReportError(f"Ugyldig periode {text!r}: måneden skal være 01–12.")
        start = date(year, month, 1)
        return Period(f"{year}-{month:02d}", "month", start, month_end(start))
    return Period(str(year), "year", date(year, 1, 1), date(year, 12, 31))


def resolve_period(text: str, meta: dict) -> Period:
    """parse_period, and a ReportError when the period lies wholly outside the data window."""
    period = parse_period(text)
    ws, as_of = meta.get("window_start"), meta.get("as_of")
    if ws is not None and as_of is not None and (period.end < ws or period.start > as_of):
        raise ReportError(
            f"Perioden {period.label} ligger uden for datavinduet "
            f"{fmt_date(ws)} – {fmt_date(as_of)}."
        )
    return period


# --- Danish labels for codes ------------------------------------------------------------------

SCHEME_DA = {
    "virksomhedspraktik": "Virksomhedspraktik",
    "nyttejob": "Nyttejob",
    "loentilskud": "Løntilskud",
    "fleksjob": "Fleksjob",
    "fleksjob_foer_2013": "Fleksjob (før 2013)",
    "skaanejob": "Skånejob",
    "saerlige_vilkaar": "Job på særlige vilkår",
    "seniorjob": "Seniorjob",
    "beskyttet_beskaeftigelse": "Beskyttet beskæftigelse",
    "ordinaer": "Ordinært ansat",
    "elev": "Elev",
}
WORKPLACE_TYPE_DA = {
    "daginstitution": "Daginstitution",
    "skole": "Skole",
    "plejecenter": "Plejecenter",
    "hjemmepleje": "Hjemmepleje",
    "sundhedscenter": "Sundhedscenter",
    "vej_og_park": "Vej og park",
    "administration": "Administration",
    "kultur_fritid": "Kultur og fritid",
    "teknik_forsyning": "Teknik og forsyning",
    "andet": "Andet",
}
BENEFIT_GROUP_DA = {
    "a_dagpenge": "A-dagpenge",
    "kontanthjaelp_jobparat": "Kontanthjælp, jobparat",
    "kontanthjaelp_aktivitetsparat": "Kontanthjælp, aktivitetsparat",
    "uddannelseshjaelp": "Uddannelseshjælp",
    "sygedagpenge": "Sygedagpenge",
    "jobafklaring": "Jobafklaring",
    "ressourceforloeb": "Ressourceforløb",
    "ledighedsydelse": "Ledighedsydelse",
    "foertidspension": "Førtidspension",
    "revalidering": "Revalidering",
    "integration": "Integration",
    "andet": "Andet",
}
STAFF_GROUP_DA = {"alle": "Alle", "ordinaere": "Ordinære", "inklusion": "Inklusion"}
REGISTER_DA = {
    "org_units": "Organisation",
    "engagements": "Ansættelser",
    "absences": "Fravær",
    "placements": "Ekstraordinære forløb",
    "sdp_cases": "Sygedagpengesager",
    "sdp_events": "Sygedagpengehændelser",
    "rules": "Regler",
    "targets": "Måltal",
    "unknown": "ukendt register",
}
REASON_DA = {
    "invalid_cpr": "ugyldigt CPR-nummer",
    "invalid_date": "ugyldig dato",
    "invalid_number": "ugyldigt tal",
    "invalid_boolean": "ugyldig ja/nej-værdi",
    "invalid_p_number": "ugyldigt P-nummer",
    "invalid_period": "ugyldig periode",
    "duplicate_cell": "dobbelt celle",
    "invalid_value": "ugyldig værdi",
    "unknown_code": "ukendt kode",
    "end_before_start": "slutdato før startdato",
    "dangling_reference": "henviser til ukendt række",
    "overlapping_spell": "overlappende fravær",
    "missing_required": "manglende obligatorisk felt",
    "out_of_range": "værdi uden for gyldigt interval",
    "unknown_area": "ukendt område",
    "no_workplace": "enhed uden arbejdssted (P-nummer)",
    "missing_hours": "timetal mangler (regnet som fuld tid)",
}


def label(code: str | None, labels: dict[str, str], missing: str = "Uoplyst") -> str:
    """Danish label of a code; unknown codes are shown as they are, None as 'Uoplyst'."""
    if code is None:
        return missing
    return labels.get(code, code)


# --- build metadata ----------------------------------------------------------------------------

SEVERITY_DA = {"error": "fejl", "warning": "advarsel"}


def _table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? "
            "and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def _records(conn: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cur = conn.execute(sql)
    names = [c[0] for c in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def data_quality_warnings(rows: list[dict]) -> list[str]:
    """Danish one-liners for the report header from marts.meta_data_quality rows."""
    out = []
    for r in rows:
        what = "jobindsats.dk " if r["source"] == "jobindsats" else ""
        what += label(r.get("register"), REGISTER_DA, "ukendt register")
        if r.get("files_failed"):
            files = "; ".join(r.get("failed_files") or [])
            out.append(
                f"{what}: {fmt_int(r['files_failed'])} fil(er) kunne ikke indlæses"
                + (f" ({files})" if files else "")
            )
        counts = []
        if r.get("rows_quarantined"):
            counts.append(f"{fmt_int(r['rows_quarantined'])} række(r) afvist")
        if r.get("warnings"):
            counts.append(f"{fmt_int(r['warnings'])} advarsel(er)")
        if counts:
            reasons = ", ".join(
                f"{label(x['reason'], REASON_DA)} "
                f"({label(x['severity'], SEVERITY_DA)}) {fmt_int(x['problems'])}"
                for x in (r.get("reasons") or [])
            )
            out.append(f"{what}: {' og '.join(counts)}" + (f" — {reasons}" if reasons else ""))
    return out


def report_meta(conn: duckdb.DuckDBPyConnection) -> dict:
    """Build facts for every report header, from marts.meta_build and marts.meta_data_quality.

    Missing meta marts do not stop a report: the fields become None and a warning says so.
    """
    meta: dict[str, Any] = {
        "as_of": None,
        "window_start": None,
        "window_end": None,
        "built_at": None,
        "municipality_code": None,
        "municipality_name": None,
        "small_cell_min_persons": 5,  # DOMAIN.md §4 default
        "data_quality": [],
        "warnings": [],
        "generated_at": datetime.now().replace(microsecond=0),
    }
    if _table_exists(conn, "marts", "meta_build"):
        rows = _records(conn, "select * from marts.meta_build")
        if rows:
            meta.update({k: v for k, v in rows[0].items() if k in meta and v is not None})
    else:
        meta["warnings"].append("Byggeoplysninger mangler (marts.meta_build findes ikke).")
    if _table_exists(conn, "marts", "meta_data_quality"):
        dq = _records(conn, "select * from marts.meta_data_quality order by source, register")
        meta["data_quality"] = dq
        meta["warnings"] += data_quality_warnings(dq)
    else:
        meta["warnings"].append("Datakvalitet ukendt (marts.meta_data_quality findes ikke).")
    return meta


# --- HTML --------------------------------------------------------------------------------------


def _jinja_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Jinja's own filters (int, round, …) are left alone: `num` is the Danish number.
    env.filters.update(
        num=fmt_number,
        pct=fmt_pct,
        value=fmt_value,
        dkdate=fmt_date,
        dkdatetime=fmt_datetime,
        month=fmt_month,
        period=fmt_period,
    )
    return env


_ENV: jinja2.Environment | None = None


def jinja_env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = _jinja_env()
    return _ENV


def render_html(template_name: str, context: dict, out_path: Path) -> Path:
    """Render reports/templates/<template_name> (which extends base.html) to out_path (UTF-8).

    base.html uses `title`, and when present `meta` (report_meta), `period` (a Period or a text),
    `subtitle`, `sections` (list of (anchor, heading) for the on-screen table of contents) and
    `footnotes` (list of texts).
    """
    ctx = {"subtitle": None, "sections": [], "footnotes": [], "period": None, **context}
    html = jinja_env().get_template(template_name).render(**ctx)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(html, encoding="utf-8")
    return out_path


# --- report specs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSpec:
    """A report: `render(conn, *, period: str, out_dir: Path, **options) -> list[Path]`."""

    name: str
    title: str
    render: Callable[..., list[Path]]
    description: str = ""
    options: dict[str, str] = field(default_factory=dict)  # option name → Danish help text


def reject_options(report: str, options: dict) -> None:
    """A report refuses options it does not know (those given a value), naming them."""
    unknown = sorted(k for k, v in options.items() if v is not None)
    if unknown:
        raise ReportError(f"Rapporten {report} kender ikke tilvalget {', '.join(unknown)}.")


def write_report(
    out_dir: Path, stem: str, template: str, context: dict, sheets: list[Sheet]
) -> list[Path]:
    """A report's pair of files: out_dir/<stem>.html (from `template`) and out_dir/<stem>.xlsx."""
    out_dir = Path(out_dir)
    html = render_html(template, context, out_dir / f"{stem}.html")
    return [html, write_xlsx(out_dir / f"{stem}.xlsx", sheets)]


# Re-exported so report modules import everything from here (imported last: they use the above).
from reports.charts import svg_bar_chart, svg_line_chart  # noqa: E402
from reports.xlsx import Column, Sheet, write_xlsx  # noqa: E402

__all__ = [
    "BENEFIT_GROUP_DA",
    "MISSING",
    "REASON_DA",
    "REGISTER_DA",
    "SCHEME_DA",
    "STAFF_GROUP_DA",
    "WORKPLACE_TYPE_DA",
    "Column",
    "Period",
    "ReportError",
    "ReportSpec",
    "Sheet",
    "data_quality_warnings",
    "fmt_date",
    "fmt_datetime",
    "fmt_int",
    "fmt_month",
    "fmt_number",
    "fmt_pct",
    "fmt_period",
    "fmt_value",
    "jinja_env",
    "label",
    "month_end",
    "parse_period",
    "protect",
    "protect_total",
    "reject_options",
    "render_html",
    "report_meta",
    "resolve_period",
    "suppress",
    "svg_bar_chart",
    "svg_line_chart",
    "write_report",
    "write_xlsx",
]
