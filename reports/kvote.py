"""Kvoterapport: the 1:5 quota, rimelighedskrav, karens and approval per workplace (issue 3).

Reads marts.fct_quota_status, marts.fct_inclusion_reconciliation, marts.dim_org_unit and
reporting.rpt_quota_trend / rpt_quota_breaches. The workplace figures are the operands of the
quota rule and are shown exactly (hiding a small extraordinary count is futile: it equals
allowed − headroom). No person and no personal attribute is shown: no person_key, placement_id
or engagement_id, and no scheme on a breach row, so no table counts persons by an attribute that
small-cell suppression protects (reports.disclosure.EXEMPT_WORKPLACE_DA says so in the report).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb

from reports import charts
from reports.disclosure import EXEMPT_WORKPLACE_DA
from reports.errors import ReportError
from reports.formatting import fmt_date, fmt_month_short
from reports.labels import label, labels
from reports.metadata import report_meta
from reports.periods import period_code, resolve_period
from reports.rendering import write_report
from reports.spec import ReportSpec, reject_options
from reports.warehouse import records
from reports.xlsx import Column, Sheet, Workbook

REGISTERS = ("org_units", "engagements", "placements")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def danish_dates(text: str) -> str:
    """The mart's explanations write ISO dates; readers get '6. jan. 2026'."""
    return ISO_DATE.sub(lambda m: fmt_date(date(*map(int, m.groups()))), text)


RECONCILIATION_COUNT_SQL = "SELECT count(*) FROM marts.fct_inclusion_reconciliation"


def reconciliation_count(conn: duckdb.DuckDBPyConnection) -> int:
    """Unmatched inclusion records between HR and the jobcentre (for the build summary)."""
    return int(conn.execute(RECONCILIATION_COUNT_SQL).fetchone()[0])


def load_status(conn: duckdb.DuckDBPyConnection, month_end: date) -> list[dict]:
    """Every workplace's quota status on one month_end, with its name, area and type."""
    return records(
        conn,
        """
        select s.*, coalesce(u.name, s.workplace_id) as workplace_name, u.area,
               u.workplace_type
        from marts.fct_quota_status s
        left join marts.dim_org_unit u on u.org_unit_id = s.workplace_id
        where s.month_end = ?
        order by s.headroom_local, workplace_name
        """,
        [month_end],
    )


def load_trend(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    """The whole municipality per month_end (reporting.rpt_quota_trend)."""
    return records(conn, "select * from reporting.rpt_quota_trend order by month_end")


def load_breaches(conn: duckdb.DuckDBPyConnection, start: date, end: date) -> list[dict]:
    """Placements that started in [start, end] with at least one breach, one row each, without
    any person identifier and without the scheme (reporting.rpt_quota_breaches)."""
    rows = records(
        conn,
        """
        select * from reporting.rpt_quota_breaches
        where start_date between ? and ?
        order by start_date, workplace_name, placement_no
        """,
        [start, end],
    )
    names = labels("breach_type")
    for r in rows:
        r["breach_labels"] = [names.get(t, t) for t in r["breach_types"]]
        r["explanation"] = "; ".join(danish_dates(d) for d in r["details"])
    return rows


def load_reconciliation(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    return records(
        conn,
        """
        select record_type, reason_code, count(*) as records
        from marts.fct_inclusion_reconciliation
        group by record_type, reason_code
        order by record_type, reason_code
        """,
    )


def is_flagged(row: dict) -> bool:
    """A workplace the HMU must look at: over, full with extraordinary staff, in karens,
    over the rimelighedskrav, or with extraordinary staff without approval."""
    has_staff = (row["extraordinary_persons"] or 0) > 0
    return (
        row["status_local"] == "over"
        or (row["status_local"] == "at" and has_staff)
        or bool(row["in_karens"])
        or row["status_statutory"] == "over"
        or (not row["approved"] and has_staff)
    )


def build_content(conn: duckdb.DuckDBPyConnection, period_text: str) -> dict:
    meta = report_meta(conn, REGISTERS)
    period = resolve_period(period_text, meta)
    trend = load_trend(conn)
    if not trend:
        raise ReportError("Der er ingen kvotestatus i databasen (marts.fct_quota_status er tom).")
    as_of = meta["as_of"] or trend[-1]["month_end"]
    keys = {t["month_end"] for t in trend}
    snapshots = [m for m in period.month_ends(as_of) if m in keys]
    if not snapshots:
        raise ReportError(f"Perioden {period.label} har ingen måneder med kvotestatus.")
    snapshot = snapshots[-1]
    status = load_status(conn, snapshot)
    flagged = [r for r in status if is_flagged(r)]
    breaches = load_breaches(conn, period.start, period.clipped_end(as_of))
    by_type = Counter(t for b in breaches for t in b["breach_types"])
    by_workplace: dict[str, Counter] = {}
    for b in breaches:
        by_workplace.setdefault(b["workplace_name"], Counter()).update(b["breach_types"])
    breach_names = labels("breach_type")
    reconciliation = load_reconciliation(conn)
    keyfigures = [
        ("Arbejdspladser (enheder med P-nummer)", len(status)),
        ("Over den lokale kvote", sum(r["status_local"] == "over" for r in status)),
        (
            "På kvoten med ekstraordinært ansatte",
            sum(r["status_local"] == "at" and r["extraordinary_persons"] > 0 for r in status),
        ),
        ("Over rimelighedskravet", sum(r["status_statutory"] == "over" for r in status)),
        ("I karensperiode", sum(bool(r["in_karens"]) for r in status)),
        (
            "Ekstraordinært ansatte uden godkendelse",
            sum(not r["approved"] and r["extraordinary_persons"] > 0 for r in status),
        ),
        ("Ekstraordinært ansatte i alt", sum(r["extraordinary_persons"] for r in status)),
        ("Tilladt efter den lokale kvote i alt", sum(r["allowed_local"] for r in status)),
        (
            "Ledige pladser (positivt råderum) i alt",
            sum(max(r["headroom_local"], 0) for r in status),
        ),
        ("Forløb med brud, startet i perioden", len({b["placement_no"] for b in breaches})),
        ("Uafstemte poster HR ↔ jobcenter", sum(r["records"] for r in reconciliation)),
    ]
    return {
        "meta": meta,
        "period": period,
        "snapshot": snapshot,
        "status": status,
        "flagged": flagged,
        "keyfigures": keyfigures,
        "breaches": breaches,
        "breach_names": list(breach_names.values()),
        "breach_types": [(name, by_type.get(t, 0)) for t, name in breach_names.items()],
        "breach_workplaces": [
            (name, [counts.get(t, 0) for t in breach_names], sum(counts.values()))
            for name, counts in sorted(by_workplace.items())
        ],
        "trend": trend,
        "partial": [bool(t["is_partial_month"]) for t in trend],
        "reconciliation": [
            (label(r["reason_code"], "reconciliation_reason"), r["records"]) for r in reconciliation
        ],
    }


def _trend_chart(c: dict, series: dict[str, str], title: str, y_label: str) -> str:
    trend = c["trend"]
    note = None
    if any(c["partial"]):
        note = f"Sidste måned er ikke slut: status {fmt_date(trend[-1]['month_end'])}."
    return charts.line_chart(
        [fmt_month_short(t["month_end"]) for t in trend],
        {name: [t[col] for t in trend] for name, col in series.items()},
        title=title,
        y_label=y_label,
        partial=c["partial"],
        note=note,
    )


def chart(c: dict) -> str:
    return _trend_chart(
        c,
        {
            "Ekstraordinært ansatte": "extraordinary_persons",
            "Tilladt efter lokal kvote": "allowed_local",
        },
        "Hele kommunen: ekstraordinært ansatte og tilladt antal ved månedens udgang",
        "Personer",
    )


def chart_over(c: dict) -> str:
    return _trend_chart(
        c,
        {
            "Arbejdspladser over kvoten": "workplaces_over",
            "Arbejdspladser i karens": "workplaces_in_karens",
        },
        "Arbejdspladser over den lokale kvote og i karens",
        "Arbejdspladser",
    )


def notes(c: dict) -> list[str]:
    return [
        f"Status er opgjort {fmt_date(c['snapshot'])} (periodens sidste månedsskifte; i den "
        "igangværende måned er det datoen for datatræk).",
        "Lokal kvote: tilladt = antal ordinært ansatte (18 år og derover) divideret med kvoten, "
        "rundet ned. Råderum = tilladt − ekstraordinært ansatte; negativt råderum betyder over "
        "kvoten.",
        "Rimelighedskravet følger den bekendtgørelse, der gælder på datoen: fra 2022 "
        "gennemsnittet af ordinære årsværk de fire foregående måneder, før 2022 antal ansatte.",
        "Karens: arbejdspladsen har afskediget en ordinært ansat inden for de seneste "
        "karensmåneder. Brud vurderes på forløbets startdato, hvor forløbet selv tæller med.",
        "Listen over arbejdspladser viser dem, der er over eller på kvoten med ekstraordinært "
        "ansatte, over rimelighedskravet, i karens, eller har ekstraordinært ansatte uden "
        "godkendelse. Alle arbejdspladser står i Excel-filen.",
    ]


def _status_row(r: dict) -> tuple:
    return (
        r["workplace_name"],
        r["area"],
        r["ordinary_headcount"],
        r["ordinary_fte"],
        r["extraordinary_persons"],
        r["allowed_local"],
        r["headroom_local"],
        label(r["status_local"], "quota_status_local"),
        r["statutory_count"],
        r["allowed_statutory"],
        label(r["status_statutory"], "quota_status_statutory", ""),
        r["karens_until"],
        "Ja" if r["approved"] else "Nej",
    )


STATUS_COLUMNS = [
    Column("Arbejdsplads", "text"),
    Column("Område", "text"),
    Column("Ordinært ansatte", "int"),
    Column("Ordinære årsværk", "dec1"),
    Column("Ekstraordinært ansatte", "int"),
    Column("Tilladt (lokal kvote)", "int"),
    Column("Råderum", "int"),
    Column("Status", "text"),
    Column("Rimelighedskrav: omfattet", "dec2"),
    Column("Rimelighedskrav: tilladt", "int"),
    Column("Rimelighedskrav: status", "text"),
    Column("Karens til", "date"),
    Column("Godkendt", "text"),
]


def xlsx_sheets(c: dict) -> list[Sheet]:
    title = f"Kvoter og rimelighedskrav {c['period'].label}"
    snapshot = fmt_date(c["snapshot"])
    return [
        Sheet(
            "Overblik",
            [Column("Nøgletal", "text", 44), Column("Antal", "int", 12)],
            c["keyfigures"],
            title=f"{title} – status {snapshot}",
            notes=notes(c),
        ),
        Sheet(
            "Arbejdspladser at se på",
            STATUS_COLUMNS,
            [_status_row(r) for r in c["flagged"]],
            title=f"Arbejdspladser over/på kvoten, i karens eller uden godkendelse, {snapshot}",
        ),
        Sheet(
            "Alle arbejdspladser",
            [*STATUS_COLUMNS, Column("Arbejdspladstype", "text")],
            [(*_status_row(r), label(r["workplace_type"], "workplace_type")) for r in c["status"]],
            title=f"Kvotestatus for alle arbejdspladser, {snapshot}",
        ),
        Sheet(
            "Brud pr. type",
            [Column("Brud", "text", 40), Column("Forløb", "int")],
            c["breach_types"],
            title=f"Brud på regler ved forløbets start, {c['period'].label}",
        ),
        Sheet(
            "Brud",
            [
                Column("Startdato", "date"),
                Column("Arbejdsplads", "text"),
                Column("Område", "text"),
                Column("Brud", "text", 40),
                Column("Forklaring", "text", 80),
            ],
            [
                (
                    b["start_date"],
                    b["workplace_name"],
                    b["area"],
                    "; ".join(b["breach_labels"]),
                    b["explanation"],
                )
                for b in c["breaches"]
            ],
            title=f"Forløb startet i {c['period'].label} med brud (ét forløb pr. række)",
        ),
        Sheet(
            "Udvikling",
            [
                Column("Måned", "text", 16),
                Column("Periodekode", "text", 11),
                Column("Ekstraordinært ansatte", "int"),
                Column("Tilladt efter lokal kvote", "int"),
                Column("Arbejdspladser over kvoten", "int"),
                Column("Arbejdspladser i karens", "int"),
            ],
            [
                (
                    fmt_month_short(t["month_end"]) + (" (ikke slut)" if p else ""),
                    period_code("month", t["month_end"]),
                    t["extraordinary_persons"],
                    t["allowed_local"],
                    t["workplaces_over"],
                    t["workplaces_in_karens"],
                )
                for t, p in zip(c["trend"], c["partial"], strict=True)
            ],
            title="Hele kommunen ved hver måneds udgang (hele datavinduet)",
        ),
        Sheet(
            "Afstemning",
            [Column("Forskel mellem HR og jobcentrets liste", "text", 56), Column("Antal", "int")],
            c["reconciliation"],
            title="Inklusionsansatte, som kun det ene register kender",
        ),
    ]


def render(conn: duckdb.DuckDBPyConnection, *, period: str, out_dir: Path, **options) -> list[Path]:
    reject_options("kvote", options)
    c = build_content(conn, period)
    title = "Kvoter og rimelighedskrav"
    return write_report(
        out_dir,
        f"kvote_{c['period'].code}",
        "kvote.html",
        {
            **c,
            "title": title,
            "subtitle": "Ordinært og ekstraordinært ansatte pr. arbejdsplads: lokal kvote, "
            "rimelighedskrav, karens og godkendelse",
            "breach_headers": c["breach_names"],
            "chart": chart(c),
            "chart_over": chart_over(c),
            "notes": notes(c),
            "disclosure": EXEMPT_WORKPLACE_DA,
            "wide_start": True,  # wide tables throughout: every page landscape, no half pages
            "status_local_da": labels("quota_status_local"),
            "status_statutory_da": labels("quota_status_statutory"),
            "sections": [
                ("overblik", "Overblik"),
                ("arbejdspladser", "Arbejdspladser"),
                ("brud", "Brud i perioden"),
                ("afstemning", "Afstemning HR ↔ jobcenter"),
            ],
        },
        Workbook(
            title=f"{title} {c['period'].label}",
            subject="Lokal kvote, rimelighedskrav, karens og godkendelse pr. arbejdsplads",
            as_of=c["meta"]["as_of"],
            sheets=xlsx_sheets(c),
            synthetic=c["meta"]["synthetic"],
            empty_note="Tomme celler: ingen værdi (fx ingen karens eller ingen rimelighedskrav).",
        ),
    )


REPORT = ReportSpec(
    name="kvote",
    title="Kvoter og rimelighedskrav",
    render=render,
    reads=(
        "marts.fct_quota_status",
        "marts.dim_org_unit",
        "marts.fct_inclusion_reconciliation",
        "reporting.rpt_quota_trend",
        "reporting.rpt_quota_breaches",
        "marts.meta_build",
        "marts.meta_data_quality",
    ),  # fmt: skip
    registers=REGISTERS,
    description="Lokal kvote, rimelighedskrav, karens og godkendelse pr. arbejdsplads; brud.",
)

__all__ = ["REPORT", "build_content", "reconciliation_count", "render"]
