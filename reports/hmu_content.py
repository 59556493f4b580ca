"""What the HMU report shows, section by section, read from the warehouse and already protected.

Each `load_*` function reads its marts.* / reporting.* relations (listed in reports/hmu.py's
ReportSpec.reads) and returns plain data for the HTML, the XLSX and the Resumé; no figure about
fewer than `small_cell_min_persons` persons leaves here (None = hidden). The inclusion tables
and the sickness table reuse the inklusion and sygefravaer reports' own code, so the same
figures are hidden in those reports and here: nobody can set one report against the other.
Decisions: docs/decisions/hmu.md.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from reports import inklusion, kvote, sygefravaer
from reports.disclosure import Relation, protect, protect_column
from reports.labels import codes, kpis, label, labels
from reports.periods import Period, shifted
from reports.warehouse import records

# --- årshjul ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WheelMonth:
    month: int  # 1–12
    topic: str | None  # None: no HMU meeting that month
    in_period: bool
    is_current: bool  # as_of's month


def load_aarshjul(conn: duckdb.DuckDBPyConnection, period: Period, as_of: date) -> list[WheelMonth]:
    rows = records(conn, "select month, topic from reporting.rpt_hmu_aarshjul order by month")
    topics = {r["month"]: r["topic"] for r in rows}
    months = set(range(period.start.month, period.end.month + 1))
    return [WheelMonth(m, topics.get(m), m in months, m == as_of.month) for m in range(1, 13)]


# --- inclusion overview ----------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    label: str
    persons: int | None  # None: hidden
    fte: float | None


@dataclass(frozen=True)
class CountTable:
    rows: list[CountRow]
    total: CountRow


def _from_inklusion(table: inklusion.Table) -> CountTable:
    def row(g: inklusion.Group) -> CountRow:
        return CountRow(g.label, g.persons, g.fte)

    return CountTable([row(g) for g in table.rows], row(table.total))


@dataclass(frozen=True)
class Inclusion:
    snapshot: date  # the period's last month_end (as_of in a running month)
    by_scheme: CountTable
    by_type: CountTable
    by_area: CountTable
    by_union: CountTable  # staff on special terms (payroll), by union area
    union_snapshot: date
    largest_scheme: tuple[str, int] | None  # the scheme with most persons, if shown and unique


def load_union_areas(
    conn: duckdb.DuckDBPyConnection, month_end: date, min_persons: int
) -> CountTable:
    """Staff on special terms by union area on `month_end`; the total is the sum of the rows
    (a table's total = Σ rows, protected together by protect_column)."""
    rows = records(
        conn,
        "select union_area, persons, fte from reporting.rpt_hmu_union_areas where month_end = ?",
        [month_end],
    )
    order = {c: i for i, c in enumerate(codes("union_area"))}
    rows.sort(key=lambda r: (r["union_area"] is None, order.get(r["union_area"], 99)))
    counts = [int(r["persons"]) for r in rows]
    shown, total = protect_column(counts, sum(counts), min_persons)
    out = [
        CountRow(label(r["union_area"], "union_area"), p, None if p is None else r["fte"])
        for r, p in zip(rows, shown, strict=True)
    ]
    total_fte = round(sum(r["fte"] for r in rows), 6)
    return CountTable(out, CountRow("I alt", total, None if total is None else total_fte))


def load_inclusion(conn: duckdb.DuckDBPyConnection, period: Period, min_persons: int) -> Inclusion:
    c = inklusion.build_content(conn, period.code)
    snapshot = c["last_month_end"]
    # "flest i …" must hold for the true counts, hidden ones included: named only when the
    # largest scheme is unique and shown (then it says no more than the table does).
    keys = {s: ("active", snapshot, "scheme", s) for s in c["schemes"]}
    counts = {s: c["cells"][k] for s, k in keys.items()}
    largest = None
    if counts and max(counts.values()) > 0:
        top = max(counts, key=counts.get)
        unique = list(counts.values()).count(counts[top]) == 1
        if unique and not c["protection"].is_hidden(keys[top]):
            largest = (label(top, "scheme"), counts[top])
    return Inclusion(
        snapshot=snapshot,
        by_scheme=_from_inklusion(c["by_scheme"]),
        by_type=_from_inklusion(c["by_type"]),
        by_area=_from_inklusion(c["by_area"]),
        by_union=load_union_areas(conn, snapshot, min_persons),
        union_snapshot=snapshot,
        largest_scheme=largest,
    )


# --- quota status and its changes ------------------------------------------------------------


@dataclass(frozen=True)
class WatchStatus:
    code: str  # over | at_full | karens | not_approved | over_statutory
    label: str
    now: list[str]  # workplace names in the status on the snapshot
    before: int | None  # workplaces in it on the previous snapshot (None: outside the window)
    entered: list[str]
    left: list[str]


@dataclass(frozen=True)
class WatchedWorkplace:
    name: str
    area: str | None
    ordinary_headcount: int
    extraordinary_persons: int
    allowed_local: int
    headroom_local: int
    karens_until: date | None
    approved: bool
    statuses: list[str]  # labels, code-list order
    new_statuses: list[str]  # those it entered since the previous snapshot


@dataclass(frozen=True)
class Quota:
    snapshot: date
    previous: date
    previous_known: bool
    statuses: list[WatchStatus]
    workplaces: list[WatchedWorkplace]

    def status(self, code: str) -> WatchStatus:
        return next(s for s in self.statuses if s.code == code)


def load_quota(
    conn: duckdb.DuckDBPyConnection, period: Period, as_of: date, window_start: date
) -> Quota:
    rows = records(
        conn,
        """
        select * from reporting.rpt_hmu_quota_watch
        where period_type = ? and period_start = ?
        order by workplace_name, workplace_id
        """,
        [period.kind, period.start],
    )
    previous = period.start - timedelta(days=1)
    # the same dates as the model (int_periods.period_end; the day before the period)
    snapshot = rows[0]["snapshot_date"] if rows else period.clipped_end(as_of)
    known = rows[0]["previous_known"] if rows else previous >= window_start
    names = labels("quota_watch")
    statuses = []
    for code, name in names.items():
        mine = [r for r in rows if r["watch"] == code]
        statuses.append(
            WatchStatus(
                code=code,
                label=name,
                now=[r["workplace_name"] for r in mine if r["in_now"]],
                before=sum(bool(r["in_before"]) for r in mine) if known else None,
                entered=[r["workplace_name"] for r in mine if r["change"] == "entered"],
                left=[r["workplace_name"] for r in mine if r["change"] == "left"],
            )
        )
    by_workplace: dict[str, list[dict]] = {}
    for r in rows:
        if r["in_now"]:
            by_workplace.setdefault(r["workplace_id"], []).append(r)
    order = list(names)
    workplaces = []
    for mine in by_workplace.values():
        mine.sort(key=lambda r: order.index(r["watch"]))
        r = mine[0]
        workplaces.append(
            WatchedWorkplace(
                name=r["workplace_name"],
                area=r["area"],
                ordinary_headcount=r["ordinary_headcount"],
                extraordinary_persons=r["extraordinary_persons"],
                allowed_local=r["allowed_local"],
                headroom_local=r["headroom_local"],
                karens_until=r["karens_until"],
                approved=bool(r["approved"]),
                statuses=[names[x["watch"]] for x in mine],
                new_statuses=[names[x["watch"]] for x in mine if x["change"] == "entered"],
            )
        )
    workplaces.sort(key=lambda w: (w.headroom_local, w.name))
    return Quota(snapshot, previous, bool(known), statuses, workplaces)


# --- breaches --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breaches:
    by_type: list[tuple[str, int, int | None]]  # label, placements now, previous (None: unknown)
    total: int
    previous_total: int | None
    previous_cut: bool  # the previous period starts before the window (counted in part)
    workplaces: list[dict]  # per workplace and type: placements, latest start, its reason
    rows: list[dict]  # one per placement: start_date, workplace_name, area, labels, explanation


def load_breaches(conn: duckdb.DuckDBPyConnection, period: Period, as_of: date) -> Breaches:
    previous = shifted(period, -1)
    counts = records(
        conn,
        """
        select * from reporting.rpt_hmu_breach_counts
        where period_type = ? and period_start in (?, ?)
        order by sort_order
        """,
        [period.kind, period.start, previous.start],
    )
    now = [r for r in counts if r["period_start"] == period.start]
    before = {r["breach_type"]: r for r in counts if r["period_start"] == previous.start}
    names = labels("breach_type")
    by_type = [
        (names.get(r["breach_type"], r["breach_type"]), r["placements"],
         before[r["breach_type"]]["placements"] if before else None)
        for r in now
    ]  # fmt: skip
    first_before = next(iter(before.values()), None)
    workplaces = records(
        conn,
        """
        select w.*, c.sort_order from reporting.rpt_hmu_breach_workplaces as w
        inner join reporting.rpt_hmu_breach_counts as c
            on c.period_type = w.period_type and c.period_start = w.period_start
            and c.breach_type = w.breach_type
        where w.period_type = ? and w.period_start = ?
        order by w.workplace_name, w.area, c.sort_order
        """,
        [period.kind, period.start],
    )
    for w in workplaces:
        w["breach_label"] = names.get(w["breach_type"], w["breach_type"])
        w["reason"] = kvote.danish_dates(w["latest_detail"])
    return Breaches(
        by_type=by_type,
        total=now[0]["period_placements"] if now else 0,
        previous_total=first_before["period_placements"] if first_before else None,
        previous_cut=bool(first_before and first_before["cut_by_window"]),
        workplaces=workplaces,
        rows=kvote.load_breaches(conn, period.start, period.clipped_end(as_of)),
    )


# --- sickness --------------------------------------------------------------------------------


def sickness_protection(
    conn: duckdb.DuckDBPyConnection, top: dict, periods: list[Period], min_persons: int
) -> dict[date, list[sygefravaer.UnitRow]]:
    """The periods' unit rows (by period_start), each period protected over the whole hierarchy
    exactly as the sygefravaer report protects it, so the two reports hide the same cells."""
    starts = {p.start for p in periods}
    by_period: dict[date, list[dict]] = {}
    for r in sygefravaer.load_rows(conn, periods[0].kind, top):
        if r["period_start"] in starts:
            by_period.setdefault(r["period_start"], []).append(r)
    return {
        start: sygefravaer.unit_rows(rows, top, min_persons)[0] for start, rows in by_period.items()
    }


def summary_rows(units: list[sygefravaer.UnitRow]) -> list[sygefravaer.UnitRow]:
    """The municipality and the areas right below it."""
    return [u for u in units if u.level <= 1]


# --- retention and outcomes ------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    label: str
    cases: int | None  # None: hidden
    successes: int | None
    pct: float | None


@dataclass(frozen=True)
class OutcomeTable:
    measure: str  # retention | employment
    rows: list[OutcomeRow]
    total: OutcomeRow
    present: bool  # any complete window in the period


def load_outcomes(
    conn: duckdb.DuckDBPyConnection, period: Period, min_persons: int
) -> list[OutcomeTable]:
    """Retention and employment after placements in the period (complete windows only), each
    table protected with total = Σ groups (cases and successes are additive)."""
    rows = records(
        conn,
        """
        select * from reporting.rpt_hmu_outcomes
        where period_type = ? and period_start = ?
        order by measure desc, is_total desc, group_code nulls first
        """,
        [period.kind, period.start],
    )
    order = {c: i for i, c in enumerate(codes("scheme"))}
    out = []
    for measure in ("retention", "employment"):
        mine = [r for r in rows if r["measure"] == measure]
        groups = sorted(
            (r for r in mine if not r["is_total"]),
            key=lambda r: (r["group_code"] is not None, order.get(r["group_code"], 99)),
        )
        total = next((r for r in mine if r["is_total"]), None)
        persons: dict[Hashable, int] = {("g", r["group_code"]): r["persons"] for r in groups}
        persons[("total",)] = total["persons"] if total else 0
        relation = Relation(("total",), tuple(("g", r["group_code"]) for r in groups))

        def cost(key: Hashable, persons=persons) -> tuple:
            return (key == ("total",), persons[key] == 0, persons[key], repr(key))

        protection = protect(persons, [relation], min_persons, cost=cost)

        def row(r: dict | None, key: Hashable, name: str, protection=protection) -> OutcomeRow:
            if r is None:
                return OutcomeRow(name, 0, 0, None)
            if protection.is_hidden(key):
                return OutcomeRow(name, None, None, None)
            return OutcomeRow(name, r["cases"], r["successes"], r["success_pct"])

        def name(code: str | None, measure=measure) -> str:
            if code is None and measure == "retention":
                return "Ansat direkte på særlige vilkår (intet forløb før)"
            return label(code, "scheme")

        out.append(
            OutcomeTable(
                measure,
                [row(r, ("g", r["group_code"]), name(r["group_code"])) for r in groups],
                row(total, ("total",), "I alt"),
                present=total is not None,
            )
        )
    return out


# --- targets against actual ------------------------------------------------------------------

SICKNESS_KPIS = {
    "sickness_pct_alle": "alle",
    "sickness_pct_ordinaere": "ordinaere",
    "sickness_pct_inklusion": "inklusion",
}
TREND_PERIODS = {"quarter": 4, "year": 3}  # the periods a target's trend shows, this one last


def trend_periods(period: Period) -> list[Period]:
    """The periods a target's trend shows, oldest first, the report's period last."""
    n = TREND_PERIODS[period.kind]
    return [shifted(period, k) for k in range(-(n - 1), 1)]


@dataclass(frozen=True)
class KpiCell:
    value: float | None  # None: hidden or no value
    judgement: str  # met | not_met | no_target | no_value | hidden (code list kpi_judgement)
    target_value: float | None = None
    direction: str | None = None
    target_source: str | None = None


@dataclass(frozen=True)
class KpiRow:
    kpi: str
    label: str
    unit: str  # count | pct
    scope_name: str
    cells: list[KpiCell]  # one per trend period, the report's period last

    @property
    def current(self) -> KpiCell:
        return self.cells[-1]


@dataclass(frozen=True)
class Targets:
    periods: list[Period]  # the trend's periods, oldest first; the report's period last
    kommune: list[KpiRow]
    areas: list[KpiRow]  # area rows that have a target in the report's period


def judge(row: dict | None, hidden: bool) -> KpiCell:
    """A fct_kpi row as the report shows it: a suppressed (or sickness-protected) value is
    hidden and not judged either (met / not met would bound the hidden figure)."""
    if row is None:
        return KpiCell(None, "no_value")
    target = {
        "target_value": row["target_value"],
        "direction": row["direction"],
        "target_source": row["target_source"],
    }
    if hidden or row["suppressed"]:
        return KpiCell(None, "hidden", **target)
    if row["value"] is None:
        return KpiCell(None, "no_value", **target)
    if row["target_met"] is None:
        return KpiCell(row["value"], "no_target", **target)
    return KpiCell(row["value"], "met" if row["target_met"] else "not_met", **target)


def load_targets(
    conn: duckdb.DuckDBPyConnection,
    period: Period,
    sickness_hidden: dict[date, set[tuple[str, str]]],
    top_id: str,
) -> Targets:
    """fct_kpi for the kommune (every KPI) and the areas (KPIs with a target now), over the
    trend periods. sickness_hidden: per period_start, the (unit, staff group) cells that the
    sickness protection hides; those sickness KPIs are hidden here too."""
    periods = trend_periods(period)
    n = len(periods)
    rows = records(
        conn,
        f"""
        select * from marts.fct_kpi
        where period_type = ? and period_start in ({", ".join("?" * n)})
          and scope_type in ('kommune', 'area')
        """,
        [period.kind, *(p.start for p in periods)],
    )
    by_key = {(r["kpi"], r["scope_type"], r["scope_id"], r["period_start"]): r for r in rows}
    scopes = sorted(
        {(r["scope_type"], r["scope_id"], r["scope_name"]) for r in rows},
        key=lambda s: (s[0] != "kommune", s[2] or ""),
    )

    def kpi_row(kpi: str, scope_type: str, scope_id: str, scope_name: str) -> KpiRow:
        cells = []
        unit = top_id if scope_type == "kommune" else scope_id
        for p in periods:
            group = SICKNESS_KPIS.get(kpi)
            hidden = group is not None and (unit, group) in sickness_hidden.get(p.start, set())
            cells.append(judge(by_key.get((kpi, scope_type, scope_id, p.start)), hidden))
        info = kpis()[kpi]
        return KpiRow(kpi, info["label_da"], info["unit"], scope_name, cells)

    kommune, areas = [], []
    for kpi in kpis():
        for scope_type, scope_id, scope_name in scopes:
            if (kpi, scope_type, scope_id, period.start) not in by_key:
                continue
            row = kpi_row(kpi, scope_type, scope_id, scope_name)
            if scope_type == "kommune":
                kommune.append(row)
            elif row.current.target_value is not None:
                areas.append(row)
    areas.sort(key=lambda r: (r.scope_name, list(kpis()).index(r.kpi)))
    return Targets(periods, kommune, areas)
