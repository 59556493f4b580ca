"""Inklusionsoverblik: extraordinary placements by scheme, workplace type and area.

Reads reporting.rpt_inclusion_monthly (fct_placements_monthly summed per month and breakdown).
Person counts are sums of active_persons over the mart's rows, so a person with two concurrent
placements in different units or schemes counts in each (the mart's grain allows no distinct
count across rows).

Disclosure control (reports/disclosure.py), with every table's total = Σ its rows as relations,
tables that share a total sharing it (active persons at the period's end by scheme, by workplace
type and by area all add up to the same total): a count of 1–4 is hidden, and further small rows
until nothing hidden can be worked out; totals are kept. An FTE figure is hidden with its count.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from reports import charts
from reports.disclosure import NOTICE_DA, Protection, Relation, protect
from reports.errors import ReportError
from reports.formatting import fmt_date, fmt_month_short
from reports.labels import codes, label
from reports.metadata import report_meta
from reports.periods import Period, month_end, period_code, resolve_period
from reports.rendering import write_report
from reports.spec import ReportSpec, reject_options
from reports.warehouse import records
from reports.xlsx import Column, Sheet, Workbook

NO_WORKPLACE = "Uden arbejdssted"
REGISTERS = ("org_units", "placements")
BREAKDOWNS = ("scheme", "workplace_type", "area")


@dataclass
class Group:
    """One table row: a label with active persons and FTE at a month_end (+ optional flows)."""

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


def load_monthly(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    return records(conn, "select * from reporting.rpt_inclusion_monthly order by month_end")


def _group_label(breakdown: str, code: str | None) -> str:
    if code is None:
        return NO_WORKPLACE
    if breakdown == "scheme":
        return label(code, "scheme")
    if breakdown == "workplace_type":
        return label(code, "workplace_type") if code else "Uoplyst"
    return code or "Uoplyst"


def _ordered_codes(breakdown: str, present: set) -> list:
    if breakdown == "scheme":
        known = [c for c in codes("scheme") if c in present]
        return known + sorted(c for c in present - set(known) if c is not None)
    labelled = sorted(present, key=lambda c: (c is None, _group_label(breakdown, c)))
    return labelled


def build_content(conn: duckdb.DuckDBPyConnection, period_text: str) -> dict:
    """Everything the HTML and XLSX show, already protected (no small count leaves here)."""
    meta = report_meta(conn, REGISTERS)
    period = resolve_period(period_text, meta)
    minp = int(meta["small_cell_min_persons"])
    rows = load_monthly(conn)
    as_of = meta["as_of"] or max((r["month_end"] for r in rows), default=None)
    if as_of is None:
        raise ReportError("Der er ingen forløbsdata og ingen byggeoplysninger i databasen.")
    window_start = meta["window_start"] or min(r["month_end"] for r in rows).replace(day=1)
    window = window_month_ends(window_start, as_of)
    months = [m for m in period.month_ends(as_of) if m >= window_start]
    if not months:
        raise ReportError(f"Perioden {period.label} har ingen måneder i datavinduet.")
    last = months[-1]
    cell: dict[tuple, dict] = {(r["month_end"], r["breakdown"], r["group_code"]): r for r in rows}

    def value(m: date, b: str, code, col: str):
        r = cell.get((m, b, code))
        return (r[col] if r else 0) if col != "active_fte" else (r[col] if r else 0.0)

    present = {b: {r["group_code"] for r in rows if r["breakdown"] == b} for b in BREAKDOWNS}
    order = {b: _ordered_codes(b, present[b]) for b in BREAKDOWNS}
    # The breakdowns of the last month list only groups with someone active then.
    snapshot = {
        b: [c for c in order[b] if value(last, b, c, "active_persons") > 0]
        for b in ("workplace_type", "area")
    }
    schemes = order["scheme"]

    # --- cells and relations -------------------------------------------------------------
    persons: dict[Hashable, int] = {}
    relations: list[Relation] = []
    for m in window:  # active persons per scheme and in total, every month of the window
        total = sum(value(m, "scheme", s, "active_persons") for s in schemes)
        persons[("active", m, "total")] = total
        parts = []
        for s in schemes:
            persons[("active", m, "scheme", s)] = value(m, "scheme", s, "active_persons")
            parts.append(("active", m, "scheme", s))
        relations.append(Relation(("active", m, "total"), tuple(parts)))
    for b in ("workplace_type", "area"):  # the last month, by workplace type and by area
        parts = []
        for code in snapshot[b]:
            persons[("active", last, b, code)] = value(last, b, code, "active_persons")
            parts.append(("active", last, b, code))
        relations.append(Relation(("active", last, "total"), tuple(parts)))
    for flow, col in (("starts", "starts"), ("ends", "ends")):
        for m in window:  # per month (the chart shows the window; the table the period)
            persons[(flow, m)] = sum(value(m, "scheme", s, col) for s in schemes)
        persons[(flow, "period")] = sum(persons[(flow, m)] for m in months)
        for s in schemes:
            persons[(flow, "period", s)] = sum(value(m, "scheme", s, col) for m in months)
        relations.append(Relation((flow, "period"), tuple((flow, m) for m in months)))
        relations.append(Relation((flow, "period"), tuple((flow, "period", s) for s in schemes)))

    def cost(key: Hashable) -> tuple:
        is_total = key[-1] in ("total", "period")
        n = persons[key]
        return (is_total, n == 0, n, repr(key))

    protection = protect(persons, relations, minp, cost=cost)
    shown = protection.shown

    def fte(m: date, b: str, code) -> float | None:
        return value(m, b, code, "active_fte")

    def table(b: str, codes_: list) -> Table:
        groups = []
        for code in codes_:
            key = ("active", last, b, code)
            p = shown(key, persons[key])
            g = Group(_group_label(b, code), p, None if p is None else fte(last, b, code))
            if b == "scheme":
                g.starts = shown(("starts", "period", code), persons[("starts", "period", code)])
                g.ends = shown(("ends", "period", code), persons[("ends", "period", code)])
            groups.append(g)
        tkey = ("active", last, "total")
        tp = shown(tkey, persons[tkey])
        total_fte = round(sum(fte(last, "scheme", s) for s in schemes), 6)
        total = Group("I alt", tp, None if tp is None else total_fte)
        if b == "scheme":
            total.starts = shown(("starts", "period"), persons[("starts", "period")])
            total.ends = shown(("ends", "period"), persons[("ends", "period")])
        return Table(groups, total)

    month_rows = [
        {
            "month": fmt_month_short(m),
            "code": period_code("month", m),
            "month_end": m,
            "starts": shown(("starts", m), persons[("starts", m)]),
            "ends": shown(("ends", m), persons[("ends", m)]),
            "active": shown(("active", m, "total"), persons[("active", m, "total")]),
            "partial": _partial(m, as_of),
        }
        for m in months
    ]
    trend = {
        m: [shown(("active", m, "scheme", s), persons[("active", m, "scheme", s)]) for s in schemes]
        for m in window
    }
    return {
        "meta": meta,
        "period": period,
        "min_persons": minp,
        "last_month_end": last,
        "months": months,
        "window": window,
        "partial": [_partial(m, as_of) for m in window],
        "schemes": schemes,
        "scheme_labels": [_group_label("scheme", s) for s in schemes],
        "by_scheme": table("scheme", schemes),
        "by_type": table("workplace_type", snapshot["workplace_type"]),
        "by_area": table("area", snapshot["area"]),
        "month_rows": month_rows,
        "month_total": {
            "starts": shown(("starts", "period"), persons[("starts", "period")]),
            "ends": shown(("ends", "period"), persons[("ends", "period")]),
        },
        "starts_window": {m: shown(("starts", m), persons[("starts", m)]) for m in window},
        "ends_window": {m: shown(("ends", m), persons[("ends", m)]) for m in window},
        "trend": trend,
        "trend_total": {
            m: shown(("active", m, "total"), persons[("active", m, "total")]) for m in window
        },
        "protection": protection,
        "cells": persons,
        "relations": relations,
    }


def _partial(m: date, as_of: date) -> bool:
    """A month_end that is as_of before its month is over (a mid-month snapshot)."""
    return m == as_of and as_of < month_end(as_of)


def charts_for(c: dict) -> dict[str, str]:
    window = c["window"]
    x = [fmt_month_short(m) for m in window]
    note = (
        f"Sidste måned er ikke slut: opgjort {fmt_date(c['meta']['as_of'])}."
        if any(c["partial"])
        else None
    )
    return {
        "trend": charts.line_chart(
            x,
            {name: [c["trend"][m][j] for m in window] for j, name in enumerate(c["scheme_labels"])},
            title="Aktive personer pr. ordning ved månedens udgang",
            y_label="Personer",
            partial=c["partial"],
            note=note,
        ),
        "flow": charts.line_chart(
            x,
            {
                "Starter": [c["starts_window"][m] for m in window],
                "Ophør": [c["ends_window"][m] for m in window],
            },
            title="Starter og ophør pr. måned",
            y_label="Forløb",
            partial=c["partial"],
            note=note,
        ),
        "by_type": charts.bar_chart(
            [g.label for g in c["by_type"].rows],
            [g.persons for g in c["by_type"].rows],
            title=f"Aktive personer pr. arbejdspladstype, {fmt_date(c['last_month_end'])}",
            x_label="Personer",
        ),
        "by_area": charts.bar_chart(
            [g.label for g in c["by_area"].rows],
            [g.persons for g in c["by_area"].rows],
            title=f"Aktive personer pr. område, {fmt_date(c['last_month_end'])}",
            x_label="Personer",
        ),
    }


def notes(c: dict) -> list[str]:
    return [
        f"Aktive personer og årsværk er opgjort ved periodens sidste månedsskifte "
        f"({fmt_date(c['last_month_end'])}); starter og ophør tæller hele perioden.",
        f"„–“: tallet er skjult for at beskytte enkeltpersoner (færre end {c['min_persons']} "
        "personer, eller et tal, som et skjult tal ellers kunne regnes ud fra via totalen).",
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
            notes=[n for i, n in enumerate(notes(c)) if i != 1],  # Excel: hidden = empty cell
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
                Column("Periodekode", "text", 11),
                Column("Starter", "int"),
                Column("Ophør", "int"),
                Column("Aktive ved månedens udgang", "int"),
            ],
            [(r["month"], r["code"], r["starts"], r["ends"], r["active"]) for r in c["month_rows"]]
            + [("I alt", period.code, c["month_total"]["starts"], c["month_total"]["ends"], None)],
            title=f"{title} – starter og ophør pr. måned",
        ),
        Sheet(
            "Udvikling",
            [
                Column("Måned", "text", 16),
                Column("Periodekode", "text", 11),
                *[Column(name, "int") for name in c["scheme_labels"]],
                Column("I alt", "int"),
            ],
            [
                (
                    fmt_month_short(m) + (" (ikke slut)" if p else ""),
                    period_code("month", m),
                    *c["trend"][m],
                    c["trend_total"][m],
                )
                for m, p in zip(c["window"], c["partial"], strict=True)
            ],
            title="Aktive personer pr. ordning ved hver måneds udgang (hele datavinduet)",
            notes=notes(c)[2:3],
        ),
    ]


def render(conn: duckdb.DuckDBPyConnection, *, period: str, out_dir: Path, **options) -> list[Path]:
    reject_options("inklusion", options)
    c = build_content(conn, period)
    title = "Inklusionsoverblik"
    return write_report(
        out_dir,
        f"inklusion_{c['period'].code}",
        "inklusion.html",
        {
            **c,
            "title": title,
            "subtitle": "Ekstraordinært ansatte og personer i virksomhedsrettede forløb",
            "charts": charts_for(c),
            "notes": notes(c),
            "disclosure": NOTICE_DA.format(min_persons=c["min_persons"]),
            "sections": [
                ("overblik", "Overblik"),
                ("ordninger", "Ordninger"),
                ("arbejdspladstyper", "Arbejdspladstyper"),
                ("omraader", "Områder"),
                ("starter-ophoer", "Starter og ophør"),
            ],
        },
        Workbook(
            title=f"{title} {c['period'].label}",
            subject="Ekstraordinært ansatte og virksomhedsrettede forløb",
            as_of=c["meta"]["as_of"],
            sheets=xlsx_sheets(c),
            synthetic=c["meta"]["synthetic"],
        ),
    )


REPORT = ReportSpec(
    name="inklusion",
    title="Inklusionsoverblik",
    render=render,
    reads=(
        "reporting.rpt_inclusion_monthly",
        "marts.meta_build",
        "marts.meta_data_quality",
        "marts.dim_org_unit",
    ),  # fmt: skip
    description="Aktive forløb pr. ordning, arbejdspladstype og område; starter og ophør.",
    registers=REGISTERS,
)

__all__ = ["REPORT", "Protection", "build_content", "render"]
