"""Sygefravær for HR: dual sickness statistics per org unit (DOMAIN.md §5.4, §6).

Reads marts.fct_sickness and marts.dim_org_unit. For the chosen period it shows, per unit in
hierarchy order, the three staff groups side by side (fraværsprocent, fraværsdage pr. årsværk,
personer) and the gap between alle and ordinære; plus monthly trends over the whole window.

Small cells: a group with fewer than small_cell_min_persons persons shows "–" in every figure,
in HTML, charts and XLSX alike (the number never leaves this module). Only ratios and head
counts are published, never absolute hours, days or årsværk, so a suppressed group's sickness
cannot be recovered by subtracting the visible group from alle, or siblings from their parent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from reports.common import (
    STAFF_GROUP_DA,
    Column,
    Period,
    ReportError,
    ReportSpec,
    Sheet,
    fmt_number,
    reject_options,
    report_meta,
    resolve_period,
    svg_line_chart,
    write_report,
)

GROUPS = ("alle", "ordinaere", "inklusion")
# A unit's alle figure this many percentage points above ordinære is highlighted: its inclusion
# staff visibly raise the unit's sickness figure ("to statistikker").
GAP_HIGHLIGHT_PP = 0.5

METHOD_DA = [
    "Sygefraværet opgøres efter Danmarks Statistiks metode: fraværstimer i forhold til aftalte "
    "timer på arbejdsdage. 1 dagsværk = 7,4 timer.",
    "Arbejdsdage er mandag–fredag undtagen helligdage (nytårsdag, skærtorsdag, langfredag, "
    "2. påskedag, store bededag til og med 2023, Kristi himmelfartsdag, 2. pinsedag, "
    "grundlovsdag, juleaftensdag, 1. og 2. juledag og nytårsaftensdag).",
    "Aftalte timer: for hver ansættelse ugentlige timer / 5 pr. arbejdsdag i perioden.",
    "Fraværstimer: fravær med årsagerne egen sygdom, delvis sygdom og arbejdsskade på "
    "arbejdsdage inden for både fraværet, ansættelsen og perioden; en dags aftalte timer pr. "
    "dag, eller – når fraværet har registrerede timer – timerne fordelt ligeligt på fraværets "
    "arbejdsdage i ansættelsen.",
    "Fraværsprocent = 100 × fraværstimer / aftalte timer. Fraværsdage = fraværstimer / 7,4. "
    "Årsværk = aftalte timer / (7,4 × arbejdsdage i perioden). Fraværsdage pr. årsværk = "
    "fraværsdage / årsværk.",
    "Grupper: Ordinære = ordinært ansatte og elever. Inklusion = fleksjob (ny og gammel "
    "ordning), løntilskud, skånejob, job på særlige vilkår og seniorjob. Alle = begge grupper.",
    "En enheds tal omfatter alle enheder under den; øverste niveau er hele kommunen.",
    "Personer = forskellige personer med en aktiv ansættelse i perioden. En person, der skifter "
    "gruppe i perioden (fx fra løntilskud til ordinær ansættelse), tæller i begge grupper, men "
    "kun én gang under Alle.",
    "Et fravær hører til den ansættelse, det er registreret på; dage efter ansættelsens ophør "
    "tæller ikke. Igangværende fravær tælles med til og med opgørelsesdatoen.",
    "Perioder, der kun delvist ligger i datavinduet eller efter opgørelsesdatoen, opgøres for "
    "de dage, der ligger i vinduet og til og med opgørelsesdatoen.",
    'Diskretion: grupper med færre end {min_persons} personer vises som "–". Rapporten viser '
    "kun andele og antal personer – ikke timer, dage eller årsværk – så et skjult tal ikke kan "
    "regnes ud som forskellen mellem andre tal.",
]


@dataclass(frozen=True)
class GroupFigures:
    absence_pct: float | None
    days_per_fte: float | None
    persons: int | None
    suppressed: bool


@dataclass(frozen=True)
class UnitRow:
    org_unit_id: str
    name: str
    parent_name: str | None
    level: int  # relative to the report's top unit
    groups: dict[str, GroupFigures]

    @property
    def gap_pp(self) -> float | None:
        """alle − ordinære in percentage points; None when either is hidden or missing."""
        alle, ordinaere = self.groups["alle"].absence_pct, self.groups["ordinaere"].absence_pct
        if alle is None or ordinaere is None:
            return None
        return round(alle - ordinaere, 4)

    @property
    def gap_highlight(self) -> bool:
        return self.gap_pp is not None and self.gap_pp >= GAP_HIGHLIGHT_PP


EMPTY = GroupFigures(None, None, None, False)


def figures(row: dict | None) -> GroupFigures:
    """A mart row's published figures; every figure None for a suppressed row."""
    if row is None:
        return EMPTY
    if row["suppressed"]:
        return GroupFigures(None, None, None, True)
    return GroupFigures(row["absence_pct"], row["absence_days_per_fte"], row["persons"], False)


def _records(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def top_unit(conn: duckdb.DuckDBPyConnection, unit: str | None) -> dict:
    """The report's top unit: `unit`, or the municipality's root (the root with most staff)."""
    if unit:
        rows = _records(
            conn,
            "select org_unit_id, name, path, level from marts.dim_org_unit where org_unit_id = ?",
            [unit],
        )
        if not rows:
            raise ReportError(f"Enheden {unit!r} findes ikke i organisationen.")
        return rows[0]
    rows = _records(
        conn,
        """
        select u.org_unit_id, u.name, u.path, u.level
        from marts.dim_org_unit as u
        left join marts.fct_sickness as s
            on s.org_unit_id = u.org_unit_id and s.staff_group = 'alle'
        where u.parent_id is null
        group by all
        order by coalesce(sum(s.contracted_hours), 0) desc, u.org_unit_id
        limit 1
        """,
        [],
    )
    if not rows:
        raise ReportError("Organisationen er tom: ingen enheder i marts.dim_org_unit.")
    return rows[0]


def load_unit_rows(conn: duckdb.DuckDBPyConnection, period: Period, top: dict) -> list[UnitRow]:
    rows = _records(
        conn,
        """
        select s.*, u.name, u.level, u.path, parent.name as parent_name
        from marts.fct_sickness as s
        inner join marts.dim_org_unit as u on u.org_unit_id = s.org_unit_id
        left join marts.dim_org_unit as parent on parent.org_unit_id = u.parent_id
        where s.period_type = ? and s.period_start = ?
          and (u.path = ? or starts_with(u.path, ? || '/'))
        order by u.path, s.staff_group
        """,
        [period.kind, period.start, top["path"], top["path"]],
    )
    by_unit: dict[str, dict[str, dict]] = {}
    for r in rows:
        by_unit.setdefault(r["org_unit_id"], {})[r["staff_group"]] = r
    out = []
    for unit_id, groups in by_unit.items():
        any_row = next(iter(groups.values()))
        out.append(
            UnitRow(
                org_unit_id=unit_id,
                name=any_row["name"],
                parent_name=any_row["parent_name"] if unit_id != top["org_unit_id"] else None,
                level=any_row["level"] - top["level"],
                groups={g: figures(groups.get(g)) for g in GROUPS},
            )
        )
    return out


def load_trends(
    conn: duckdb.DuckDBPyConnection, top: dict
) -> dict[str, dict[str, list[tuple[date, float | None]]]]:
    """group → unit name → monthly absence % (None when suppressed) for the top unit and the
    units right below it, over the whole window."""
    rows = _records(
        conn,
        """
        select s.staff_group, u.org_unit_id, u.name, u.level, s.period_end, s.absence_pct,
            s.suppressed
        from marts.fct_sickness as s
        inner join marts.dim_org_unit as u on u.org_unit_id = s.org_unit_id
        where s.period_type = 'month'
          and (u.org_unit_id = ? or u.parent_id = ?)
        order by u.level, u.name, s.period_end
        """,
        [top["org_unit_id"], top["org_unit_id"]],
    )
    trends: dict[str, dict[str, list[tuple[date, float | None]]]] = {g: {} for g in GROUPS}
    for r in rows:
        name = r["name"] if r["org_unit_id"] != top["org_unit_id"] else f"{r['name']} (i alt)"
        value = None if r["suppressed"] else r["absence_pct"]
        trends[r["staff_group"]].setdefault(name, []).append((r["period_end"], value))
    return trends


def build_content(
    conn: duckdb.DuckDBPyConnection, period_text: str, unit: str | None = None
) -> dict:
    meta = report_meta(conn)
    period = resolve_period(period_text, meta)
    top = top_unit(conn, unit)
    return {
        "meta": meta,
        "period": period,
        "top": top,
        "min_persons": meta["small_cell_min_persons"],
        "units": load_unit_rows(conn, period, top),
        "trends": load_trends(conn, top),
        "method": [m.format(min_persons=meta["small_cell_min_persons"]) for m in METHOD_DA],
    }


def charts(c: dict) -> dict[str, str]:
    return {
        g: svg_line_chart(
            c["trends"][g],
            title=f"Fraværsprocent pr. måned – {STAFF_GROUP_DA[g].lower()}",
            y_label="Fravær %",
            y_format="pct",
        )
        for g in GROUPS
    }


def footnotes(c: dict) -> list[str]:
    return [
        f"– = færre end {c['min_persons']} personer i gruppen (vises ikke af hensyn til "
        "diskretion) eller ingen ansatte i gruppen.",
        f"Markeret forskel: Alle ligger mindst {fmt_number(GAP_HIGHLIGHT_PP, 1)} procentpoint "
        "over Ordinære, dvs. inklusionsansattes fravær trækker enhedens samlede tal op.",
        "Personer tælles én gang pr. gruppe; en person, der har skiftet gruppe, tæller i begge.",
    ]


GROUP_COLUMNS = [("Fravær %", "pct"), ("Fraværsdage pr. årsværk", "dec1"), ("Personer", "int")]


def level_sheets(c: dict) -> list[Sheet]:
    columns = [Column("Enhed-id"), Column("Enhed", width=36), Column("Overordnet enhed")]
    for g in GROUPS:
        columns += [Column(f"{STAFF_GROUP_DA[g]}: {h}", kind) for h, kind in GROUP_COLUMNS]
    columns.append(Column("Forskel alle − ordinære (procentpoint)", "dec1"))
    notes = footnotes(c)
    sheets = []
    for level in sorted({u.level for u in c["units"]}):
        rows = []
        for u in (u for u in c["units"] if u.level == level):
            cells: list = [u.org_unit_id, u.name, u.parent_name]
            for g in GROUPS:
                f = u.groups[g]
                cells += [f.absence_pct, f.days_per_fte, f.persons]
            rows.append([*cells, u.gap_pp])
        sheets.append(
            Sheet(
                name=f"Niveau {level}",
                columns=columns,
                rows=rows,
                title=f"Sygefravær {c['period'].label} – niveau {level} under {c['top']['name']}",
                notes=notes,
            )
        )
    return sheets


def trend_sheet(c: dict) -> Sheet:
    top_name = f"{c['top']['name']} (i alt)"
    months = sorted({d for g in GROUPS for d, _ in c["trends"][g].get(top_name, [])})
    values = {g: dict(c["trends"][g].get(top_name, [])) for g in GROUPS}
    return Sheet(
        name="Udvikling",
        columns=[Column("Måned", "date")]
        + [Column(f"{STAFF_GROUP_DA[g]}: Fravær %", "pct") for g in GROUPS],
        rows=[[m, *(values[g].get(m) for g in GROUPS)] for m in months],
        title=f"Fraværsprocent pr. måned – {c['top']['name']}",
        notes=footnotes(c)[:1],
    )


def method_sheet(c: dict) -> Sheet:
    return Sheet(
        name="Metode",
        columns=[Column("Sådan er tallene opgjort", width=110)],
        rows=[[m] for m in c["method"]],
        title="Metode",
    )


def render(conn: duckdb.DuckDBPyConnection, *, period: str, out_dir: Path, **options) -> list[Path]:
    unit = options.pop("unit", None)
    if unit is not None and not isinstance(unit, str):  # `--unit` given without an id
        raise ReportError("Tilvalget --unit kræver et enheds-id (org_unit_id), fx --unit U000001.")
    reject_options("sygefravaer", options)
    c = build_content(conn, period, unit)
    return write_report(
        out_dir,
        f"sygefravaer_{c['period'].code}" + (f"_{unit}" if unit else ""),
        "sygefravaer.html",
        {
            **c,
            "title": "Sygefravær – to statistikker",
            "subtitle": f"{c['top']['name']}: alle ansatte, ordinært ansatte og inklusionsansatte",
            "charts": charts(c),
            "gap_pp": GAP_HIGHLIGHT_PP,
            "groups": GROUPS,
            "group_labels": STAFF_GROUP_DA,
            "footnotes": footnotes(c),
            "sections": [
                ("enheder", "Enheder"),
                ("udvikling", "Udvikling"),
                ("metode", "Metode"),
            ],
        },
        [*level_sheets(c), trend_sheet(c), method_sheet(c)],
    )


REPORT = ReportSpec(
    name="sygefravaer",
    title="Sygefravær – to statistikker",
    render=render,
    description="Sygefravær pr. enhed for alle, ordinære og inklusionsansatte (HTML og XLSX).",
    options={"unit": "Vis kun denne enhed og enhederne under den (org_unit_id)."},
)

__all__ = ["REPORT", "build_content", "render"]
