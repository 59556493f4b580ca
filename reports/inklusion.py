"""Inklusionsoverblik: extraordinary placements by scheme, workplace type and area (issue 2 item 6).

Reads marts.fct_placements_monthly and marts.dim_org_unit. Person counts are sums of the mart's
active_persons over its rows, so a person with two concurrent placements in different units or
schemes counts in each (the mart's grain does not allow a distinct count across rows).
Every person count from 1 to small_cell_min_persons − 1 is hidden, with secondary suppression
inside each table (reports.common.protect); an FTE figure is hidden with its person count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from reports.common import (
    SCHEME_DA,
    WORKPLACE_TYPE_DA,
    Column,
    Period,
    ReportError,
    ReportSpec,
    Sheet,
    fmt_date,
    fmt_month,
    label,
    protect,
    protect_total,
    reject_options,
    report_meta,
    resolve_period,
    svg_bar_chart,
    svg_line_chart,
    write_report,
)

PLACEMENT_SCHEMES = [
    "virksomhedspraktik",
    "nyttejob",
    "loentilskud",
    "fleksjob",
    "skaanejob",
    "saerlige_vilkaar",
    "seniorjob",
    "beskyttet_beskaeftigelse",
]
NO_WORKPLACE = "Uden arbejdssted"


@dataclass
class Group:
    """One table row: a label with active persons and FTE at a month_end (+ optional counts)."""

    label: str
    persons: int | None
    fte: float | None
    starts: int | None = None
    ends: int | None = None


@dataclass
class Table:
    rows: list[Group]
    total: Group


def window_month_ends(window_start: date, as_of: date) -> list[date]:
    """The mart's month_end keys: natural month ends, as_of in as_of's month."""
    return Period("", "month", window_start, as_of).month_ends(as_of)


def _fetch(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    return conn.execute(sql, params or []).fetchall()


def load_monthly_by_scheme(conn: duckdb.DuckDBPyConnection) -> dict[tuple[date, str], tuple]:
    """(month_end, scheme) → (active_persons, active_fte, starts, ends), summed over units."""
    rows = _fetch(
        conn,
        """
        select month_end, scheme, sum(active_persons), sum(active_fte), sum(starts), sum(ends)
        from marts.fct_placements_monthly
        group by month_end, scheme
        """,
    )
    return {(r[0], r[1]): (int(r[2]), float(r[3]), int(r[4]), int(r[5])) for r in rows}


def load_by_dimension(
    conn: duckdb.DuckDBPyConnection, month_end_key: date, dimension: str
) -> list[tuple[str | None, int, float]]:
    """Active persons and FTE on one month_end by the workplace's type or area.

    The workplace's own type/area is used; a unit without a workplace falls back to its own.
    """
    column = {"workplace_type": "workplace_type", "area": "area"}[dimension]
    return [
        (r[0], int(r[1]), float(r[2]))
        for r in _fetch(
            conn,
            f"""
            select
                case when f.workplace_id is null and u.{column} is null then null
                     else coalesce(w.{column}, u.{column}, '') end as grp,
                sum(f.active_persons), sum(f.active_fte)
            from marts.fct_placements_monthly f
            left join marts.dim_org_unit u on f.org_unit_id = u.org_unit_id
            left join marts.dim_org_unit w on f.workplace_id = w.org_unit_id
            where f.month_end = ? and f.active_persons > 0
            group by grp
            """,
            [month_end_key],
        )
    ]


def protected_table(groups: list[Group], min_persons: int) -> Table:
    """Hide small counts (primary + secondary per column) and the FTE that goes with persons."""
    persons = protect([g.persons for g in groups], min_persons)
    total_persons = protect_total(sum(g.persons or 0 for g in groups), min_persons)
    total = Group(
        "I alt",
        total_persons,
        None if total_persons is None else round(sum(g.fte or 0.0 for g in groups), 6),
    )
    rows = [
        Group(g.label, p, None if p is None else g.fte, g.starts, g.ends)
        for g, p in zip(groups, persons, strict=True)
    ]
    with_flow = bool(groups) and all(g.starts is not None and g.ends is not None for g in groups)
    if with_flow:
        starts = protect([g.starts for g in groups], min_persons)
        ends = protect([g.ends for g in groups], min_persons)
        for row, st, en in zip(rows, starts, ends, strict=True):
            row.starts, row.ends = st, en
        total.starts = protect_total(sum(g.starts for g in groups), min_persons)
        total.ends = protect_total(sum(g.ends for g in groups), min_persons)
    return Table(rows, total)


def build_content(conn: duckdb.DuckDBPyConnection, period_text: str) -> dict:
    """Everything the HTML and XLSX show, already suppressed (no raw small counts leave here)."""
    meta = report_meta(conn)
    period = resolve_period(period_text, meta)
    minp = int(meta["small_cell_min_persons"])
    monthly = load_monthly_by_scheme(conn)
    as_of = meta["as_of"] or max((k[0] for k in monthly), default=None)
    if as_of is None:
        raise ReportError("Der er ingen forløbsdata og ingen byggeoplysninger i databasen.")
    window_start = meta["window_start"] or min(k[0] for k in monthly).replace(day=1)
    window = window_month_ends(window_start, as_of)
    months = [m for m in period.month_ends(as_of) if m >= window_start]
    if not months:
        raise ReportError(f"Perioden {period.label} har ingen måneder i datavinduet.")
    last = months[-1]
    schemes = [s for s in PLACEMENT_SCHEMES if any(k[1] == s for k in monthly)]
    schemes += sorted({k[1] for k in monthly} - set(schemes))

    def cell(m: date, s: str, i: int) -> int | float:
        return monthly.get((m, s), (0, 0.0, 0, 0))[i]

    # By scheme on the period's last month_end, with starts and ends summed over the period.
    by_scheme = protected_table(
        [
            Group(
                label(s, SCHEME_DA),
                cell(last, s, 0),
                cell(last, s, 1),
                sum(cell(m, s, 2) for m in months),
                sum(cell(m, s, 3) for m in months),
            )
            for s in schemes
        ],
        minp,
    )

    def dimension_table(dimension: str, labels: dict[str, str]) -> Table:
        raw = load_by_dimension(conn, last, dimension)
        groups = [
            Group(NO_WORKPLACE if g is None else (labels.get(g, g) or "Uoplyst"), p, f)
            for g, p, f in raw
        ]
        groups.sort(key=lambda g: (g.label == NO_WORKPLACE, g.label))
        return protected_table(groups, minp)

    by_type = dimension_table("workplace_type", WORKPLACE_TYPE_DA)
    by_area = dimension_table("area", {})

    # Starts, ends and active persons per month over the window. Counts in a month are
    # hidden when small; inside the period the table has a total, so secondary suppression too.
    def month_series(i: int, with_period_total: bool) -> dict[date, int | None]:
        raw = {m: sum(cell(m, s, i) for s in schemes) for m in window}
        out = {m: protect_total(v, minp) for m, v in raw.items()}
        if with_period_total:
            out.update(zip(months, protect([raw[m] for m in months], minp), strict=True))
        return out

    starts, ends = month_series(2, True), month_series(3, True)
    # Active persons have no period total (a stock, not a flow): primary suppression only, the
    # same figures as the trend's "I alt".
    active = month_series(0, False)
    month_rows = [
        {"month": fmt_month(m), "month_end": m, "starts": starts[m], "ends": ends[m],
         "active": active[m]}
        for m in months
    ]  # fmt: skip
    month_total = {
        "starts": protect_total(sum(cell(m, s, 2) for m in months for s in schemes), minp),
        "ends": protect_total(sum(cell(m, s, 3) for m in months for s in schemes), minp),
    }

    # Active persons per scheme per month (the trend chart and its sheet); per month the schemes
    # form a table whose total is shown, so each month is protected as a whole.
    trend: dict[date, list[int | None]] = {}
    trend_total: dict[date, int | None] = {}
    for m in window:
        values = [cell(m, s, 0) for s in schemes]
        trend[m] = protect(values, minp)
        trend_total[m] = protect_total(sum(values), minp)

    return {
        "meta": meta,
        "period": period,
        "min_persons": minp,
        "last_month_end": last,
        "months": months,
        "window": window,
        "schemes": schemes,
        "scheme_labels": [label(s, SCHEME_DA) for s in schemes],
        "by_scheme": by_scheme,
        "by_type": by_type,
        "by_area": by_area,
        "month_rows": month_rows,
        "month_total": month_total,
        "starts_window": starts,
        "ends_window": ends,
        "trend": trend,
        "trend_total": trend_total,
    }


def charts(c: dict) -> dict[str, str]:
    window = c["window"]
    trend_series = {
        name: [(m, c["trend"][m][j]) for m in window] for j, name in enumerate(c["scheme_labels"])
    }
    return {
        "trend": svg_line_chart(
            trend_series,
            title="Aktive personer pr. ordning ved månedens udgang",
            y_label="Personer",
            y_format="int",
        ),
        "flow": svg_line_chart(
            {
                "Starter": [(m, c["starts_window"][m]) for m in window],
                "Ophør": [(m, c["ends_window"][m]) for m in window],
            },
            title="Starter og ophør pr. måned",
            y_label="Forløb",
            y_format="int",
        ),
        "by_type": svg_bar_chart(
            [g.label for g in c["by_type"].rows],
            {"Aktive personer": [g.persons for g in c["by_type"].rows]},
            title=f"Aktive personer pr. arbejdspladstype, {fmt_date(c['last_month_end'])}",
        ),
        "by_area": svg_bar_chart(
            [g.label for g in c["by_area"].rows],
            {"Aktive personer": [g.persons for g in c["by_area"].rows]},
            title=f"Aktive personer pr. område, {fmt_date(c['last_month_end'])}",
        ),
    }


def notes(c: dict) -> list[str]:
    return [
        f"Aktive personer og årsværk er opgjort ved periodens sidste månedsskifte "
        f"({fmt_date(c['last_month_end'])}); starter og ophør tæller hele perioden.",
        f"„–“: tallet er skjult, fordi gruppen har færre end {c['min_persons']} personer "
        f"(eller for at et skjult tal ikke kan regnes tilbage fra totalen).",
        "En person med to samtidige forløb i forskellige enheder eller ordninger tælles i hver.",
        "Årsværk = ugentlige timer / 37; forløb uden timetal tæller som 1 årsværk.",
        "Arbejdspladstype og område er arbejdsstedets (nærmeste enhed med P-nummer).",
    ]


def _group_rows(table: Table, with_flow: bool) -> list[tuple]:
    def row(g: Group) -> tuple:
        base = (g.label, g.persons, g.fte)
        return base + (g.starts, g.ends) if with_flow else base

    return [row(g) for g in table.rows] + [row(table.total)]


def xlsx_sheets(c: dict) -> list[Sheet]:
    period = c["period"]
    title = f"Inklusionsoverblik {period.label}"
    group_cols = [Column("Aktive personer", "int"), Column("Årsværk", "dec1")]
    flow_cols = [Column("Starter i perioden", "int"), Column("Ophør i perioden", "int")]
    t = c["by_scheme"].total
    return [
        Sheet(
            "Overblik",
            [Column("Nøgletal", "text", 40), Column("Værdi", "dec1", 14)],
            [
                ("Aktive personer ved periodens udgang", t.persons),
                ("Årsværk ved periodens udgang", t.fte),
                ("Starter i perioden", t.starts),
                ("Ophør i perioden", t.ends),
            ],
            title=title,
            notes=notes(c),
        ),
        Sheet(
            "Ordninger",
            [Column("Ordning", "text"), *group_cols, *flow_cols],
            _group_rows(c["by_scheme"], True),
            title=f"{title} – pr. ordning",
        ),
        Sheet(
            "Arbejdspladstyper",
            [Column("Arbejdspladstype", "text"), *group_cols],
            _group_rows(c["by_type"], False),
            title=f"{title} – pr. arbejdspladstype",
        ),
        Sheet(
            "Områder",
            [Column("Område", "text"), *group_cols],
            _group_rows(c["by_area"], False),
            title=f"{title} – pr. område",
        ),
        Sheet(
            "Starter og ophør",
            [
                Column("Måned", "text", 16),
                Column("Starter", "int"),
                Column("Ophør", "int"),
                Column("Aktive ved månedens udgang", "int"),
            ],
            [(r["month"], r["starts"], r["ends"], r["active"]) for r in c["month_rows"]]
            + [("I alt", c["month_total"]["starts"], c["month_total"]["ends"], None)],
            title=f"{title} – starter og ophør pr. måned",
        ),
        Sheet(
            "Udvikling",
            [
                Column("Måned (udgang)", "date"),
                *[Column(name, "int") for name in c["scheme_labels"]],
                Column("I alt", "int"),
            ],
            [(m, *c["trend"][m], c["trend_total"][m]) for m in c["window"]],
            title="Aktive personer pr. ordning ved hver måneds udgang (hele datavinduet)",
            notes=notes(c)[1:3],
        ),
    ]


def render(conn: duckdb.DuckDBPyConnection, *, period: str, out_dir: Path, **options) -> list[Path]:
    reject_options("inklusion", options)
    c = build_content(conn, period)
    return write_report(
        out_dir,
        f"inklusion_{c['period'].code}",
        "inklusion.html",
        {
            **c,
            "title": "Inklusionsoverblik",
            "subtitle": "Ekstraordinært ansatte og personer i virksomhedsrettede forløb",
            "charts": charts(c),
            "notes": notes(c),
            "sections": [
                ("overblik", "Overblik"),
                ("ordninger", "Ordninger"),
                ("arbejdspladstyper", "Arbejdspladstyper"),
                ("omraader", "Områder"),
                ("starter-ophoer", "Starter og ophør"),
            ],
        },
        xlsx_sheets(c),
    )


REPORT = ReportSpec(
    name="inklusion",
    title="Inklusionsoverblik",
    render=render,
    description="Aktive forløb pr. ordning, arbejdspladstype og område; starter og ophør.",
)

__all__ = ["REPORT", "build_content", "render"]
