"""Kvoterapport: the 1:5 quota, rimelighedskrav, karens and approval per workplace (issue 3).

Reads marts.fct_quota_status, marts.fct_quota_breaches, marts.fct_inclusion_reconciliation and
marts.dim_org_unit. The workplace figures are the operands of the quota rule and are shown
exactly (hiding a small extraordinary count is futile: it equals allowed − headroom). No person
and no personal attribute is shown: no person_key, placement_id or engagement_id, and no scheme
on a breach row, so no table counts persons by an attribute that small-cell suppression protects.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import duckdb

from reports.common import (
    WORKPLACE_TYPE_DA,
    Column,
    ReportError,
    ReportSpec,
    Sheet,
    fmt_date,
    label,
    reject_options,
    report_meta,
    resolve_period,
    svg_line_chart,
    write_report,
)

BREACH_DA = {
    "not_approved": "Arbejdspladsen ikke godkendt",
    "karens": "Start i karensperiode",
    "over_local_quota": "Over den lokale kvote",
    "over_statutory": "Over rimelighedskravet",
    "merbeskaeftigelse": "Merbeskæftigelseskravet ikke opfyldt",
}
STATUS_LOCAL_DA = {"under": "Under", "at": "På kvoten", "over": "Over"}
STATUS_STATUTORY_DA = {"ok": "OK", "over": "Over"}
RECONCILIATION_DA = {
    "no_placement": "Ansættelse i HR uden forløb hos jobcentret",
    "placement_other_workplace": "Ansættelse i HR, forløbet er på en anden arbejdsplads",
    "placement_other_scheme": "Ansættelse i HR, forløbet er i en anden ordning",
    "no_engagement": "Forløb uden ansættelse i HR/løn",
    "engagement_other_workplace": "Forløb, ansættelsen er på en anden arbejdsplads",
    "engagement_other_type": "Forløb, ansættelsen er af en anden type",
}

RECONCILIATION_COUNT_SQL = "SELECT count(*) FROM marts.fct_inclusion_reconciliation"


def reconciliation_count(conn: duckdb.DuckDBPyConnection) -> int:
    """Unmatched inclusion records between HR and the jobcentre (for the build summary)."""
    return int(conn.execute(RECONCILIATION_COUNT_SQL).fetchone()[0])


def _records(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = conn.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def load_status(conn: duckdb.DuckDBPyConnection, month_end: date) -> list[dict]:
    """Every workplace's quota status on one month_end, with its name, area and type."""
    return _records(
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
    """The whole municipality per month_end: extraordinary vs allowed, workplaces over."""
    return _records(
        conn,
        """
        select month_end,
               sum(extraordinary_persons) as extraordinary,
               sum(allowed_local) as allowed,
               count(*) filter (where status_local = 'over') as workplaces_over,
               count(*) filter (where in_karens) as workplaces_karens
        from marts.fct_quota_status
        group by month_end
        order by month_end
        """,
    )


def load_breaches(conn: duckdb.DuckDBPyConnection, start: date, end: date) -> list[dict]:
    """Breaches of placements that started in [start, end], without any person identifier and
    without the scheme (a person's scheme, e.g. fleksjob, is a personal attribute)."""
    return _records(
        conn,
        """
        select coalesce(u.name, b.workplace_id) as workplace_name, u.area,
               b.start_date, b.breach_type, b.detail,
               -- a number per placement inside this list only, to count distinct placements
               dense_rank() over (order by b.placement_id) as placement_no
        from marts.fct_quota_breaches b
        left join marts.dim_org_unit u on u.org_unit_id = b.workplace_id
        where b.start_date between ? and ?
        order by b.start_date, workplace_name, b.breach_type
        """,
        [start, end],
    )


def load_reconciliation(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    return _records(
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
    meta = report_meta(conn)
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
    for b in breaches:
        b["breach_label"] = BREACH_DA.get(b["breach_type"], b["breach_type"])
    by_type = Counter(b["breach_type"] for b in breaches)
    by_workplace: dict[str, Counter] = {}
    for b in breaches:
        by_workplace.setdefault(b["workplace_name"], Counter())[b["breach_type"]] += 1
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
        "breach_types": [(BREACH_DA[t], by_type.get(t, 0)) for t in BREACH_DA],
        "breach_workplaces": [
            (name, [counts.get(t, 0) for t in BREACH_DA], sum(counts.values()))
            for name, counts in sorted(by_workplace.items())
        ],
        "trend": trend,
        "reconciliation": [
            (label(r["reason_code"], RECONCILIATION_DA), r["records"]) for r in reconciliation
        ],
    }


def chart(c: dict) -> str:
    trend = c["trend"]
    return svg_line_chart(
        {
            "Ekstraordinært ansatte": [(t["month_end"], t["extraordinary"]) for t in trend],
            "Tilladt efter lokal kvote": [(t["month_end"], t["allowed"]) for t in trend],
        },
        title="Hele kommunen: ekstraordinært ansatte og tilladt antal ved månedens udgang",
        y_label="Personer",
        y_format="int",
    )


def chart_over(c: dict) -> str:
    trend = c["trend"]
    return svg_line_chart(
        {
            "Arbejdspladser over kvoten": [(t["month_end"], t["workplaces_over"]) for t in trend],
            "Arbejdspladser i karens": [(t["month_end"], t["workplaces_karens"]) for t in trend],
        },
        title="Arbejdspladser over den lokale kvote og i karens",
        y_label="Arbejdspladser",
        y_format="int",
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
        "Tallene handler om arbejdspladsernes bemanding og skjules derfor ikke; rapporten viser "
        "ingen personer og ikke det enkelte forløbs ordning.",
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
        label(r["status_local"], STATUS_LOCAL_DA),
        r["statutory_count"],
        r["allowed_statutory"],
        label(r["status_statutory"], STATUS_STATUTORY_DA, "–"),
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
            [(*_status_row(r), label(r["workplace_type"], WORKPLACE_TYPE_DA)) for r in c["status"]],
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
                Column("Brud", "text"),
                Column("Forklaring", "text", 70),
            ],
            [
                (
                    b["start_date"],
                    b["workplace_name"],
                    b["area"],
                    b["breach_label"],
                    b["detail"],
                )
                for b in c["breaches"]
            ],
            title=f"Forløb startet i {c['period'].label} med brud (ét brud pr. række)",
        ),
        Sheet(
            "Udvikling",
            [
                Column("Måned (udgang)", "date"),
                Column("Ekstraordinært ansatte", "int"),
                Column("Tilladt efter lokal kvote", "int"),
                Column("Arbejdspladser over kvoten", "int"),
                Column("Arbejdspladser i karens", "int"),
            ],
            [
                (
                    t["month_end"],
                    t["extraordinary"],
                    t["allowed"],
                    t["workplaces_over"],
                    t["workplaces_karens"],
                )
                for t in c["trend"]
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
    return write_report(
        out_dir,
        f"kvote_{c['period'].code}",
        "kvote.html",
        {
            **c,
            "title": "Kvoter og rimelighedskrav",
            "subtitle": "Ordinært og ekstraordinært ansatte pr. arbejdsplads: lokal kvote, "
            "rimelighedskrav, karens og godkendelse",
            "breach_headers": list(BREACH_DA.values()),
            "chart": chart(c),
            "chart_over": chart_over(c),
            "notes": notes(c),
            "status_local_da": STATUS_LOCAL_DA,
            "status_statutory_da": STATUS_STATUTORY_DA,
            "sections": [
                ("overblik", "Overblik"),
                ("arbejdspladser", "Arbejdspladser"),
                ("brud", "Brud i perioden"),
                ("afstemning", "Afstemning HR ↔ jobcenter"),
            ],
        },
        xlsx_sheets(c),
    )


REPORT = ReportSpec(
    name="kvote",
    title="Kvoter og rimelighedskrav",
    render=render,
    description="Lokal kvote, rimelighedskrav, karens og godkendelse pr. arbejdsplads; brud.",
)

__all__ = ["REPORT", "build_content", "reconciliation_count", "render"]
