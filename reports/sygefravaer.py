"""Sygefravær for HR: dual sickness statistics per org unit (docs/domain.md §5.4, §6, §7).

Reads reporting.rpt_sickness_units (fct_sickness with the hierarchy and each unit's own staff).
For the chosen period it shows, per unit in hierarchy order, the gap alle − ordinære and the three
staff groups side by side (fraværsprocent, fraværsdage pr. årsværk, personer); plus monthly
trends for the top unit and the units right below it.

Disclosure control (reports/disclosure.py): a group with 1–4 persons is hidden (primary), and
further groups are hidden so that no hidden group and no unit's small own staff can be worked
out through alle = ordinære + inklusion or parent = own staff + Σ children. The complementary
cell is chosen so that readers keep what they need most: the top unit, then ordinære (the
figure a leader is measured on) before alle, and a small unit before a large one.
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
from reports.formatting import fmt_date, fmt_month_short, fmt_number
from reports.labels import labels
from reports.metadata import report_meta
from reports.periods import month_end, period_code, resolve_period
from reports.rendering import write_report
from reports.spec import ReportSpec, reject_options
from reports.units import find_unit
from reports.warehouse import records
from reports.xlsx import Column, Sheet, Workbook

GROUPS = ("ordinaere", "alle", "inklusion")  # display order: the leader's figure first
# Keep first (hidden last): ordinære, then alle; inklusion groups are hidden first.
GROUP_COST = {"inklusion": 0, "alle": 1, "ordinaere": 2}
# A unit's alle figure this many percentage points above ordinære is highlighted: its inclusion
# staff visibly raise the unit's sickness figure ("to statistikker").
GAP_HIGHLIGHT_PP = 0.5
REGISTERS = ("org_units", "engagements", "absences")

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
    "Diskretion: en gruppe med færre end {min_persons} personer vises ikke. Desuden skjules så "
    "mange andre tal, at et skjult tal ikke kan regnes ud ved at trække tal fra hinanden (Alle = "
    "Ordinære + Inklusion, og en enhed = dens egne ansatte + enhederne under den). Der skjules "
    "helst et lille tal frem for et stort, og Ordinære beholdes frem for Alle.",
]


@dataclass(frozen=True)
class GroupFigures:
    absence_pct: float | None
    days_per_fte: float | None
    persons: int | None  # None: hidden
    hidden: bool


@dataclass(frozen=True)
class UnitRow:
    org_unit_id: str
    name: str
    parent_id: str | None
    level: int  # relative to the report's top unit
    has_children: bool
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


def top_unit(conn: duckdb.DuckDBPyConnection, unit: str | None) -> dict:
    """The report's top unit: `unit` (id or name), or the root with most contracted hours."""
    if unit:
        return find_unit(conn, unit)
    rows = records(
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
    )
    if not rows:
        raise ReportError("Organisationen er tom: ingen enheder i marts.dim_org_unit.")
    return rows[0]


def load_rows(
    conn: duckdb.DuckDBPyConnection, period_type: str, top: dict, depth: int | None = None
) -> list[dict]:
    """rpt_sickness_units rows of the top unit's subtree (down to `depth` levels below it)."""
    return records(
        conn,
        """
        select * from reporting.rpt_sickness_units
        where period_type = ?
          and (path = ? or starts_with(path, ? || '/'))
          and (? is null or level <= ? + ?)
        order by period_start, path, staff_group
        """,
        [period_type, top["path"], top["path"], depth, top["level"], depth],
    )


def protect_period(
    rows: list[dict], top_id: str, min_persons: int
) -> tuple[Protection, dict[str, dict[str, dict]]]:
    """Disclosure control for one period's rows (all from the same period): the protection and
    the rows by unit and group. Units without any row are left out (nobody in them)."""
    by_unit: dict[str, dict[str, dict]] = {}
    for r in rows:
        by_unit.setdefault(r["org_unit_id"], {})[r["staff_group"]] = r
    info = {u: next(iter(g.values())) for u, g in by_unit.items()}
    children: dict[str, list[str]] = {}
    for u, r in info.items():
        if u != top_id and r["parent_id"] in by_unit:
            children.setdefault(r["parent_id"], []).append(u)

    persons: dict[Hashable, int] = {}
    primary: set[Hashable] = set()
    for u, groups in by_unit.items():
        for g in GROUPS:
            row = groups.get(g)
            persons[(u, g)] = row["persons"] if row else 0
            if row and row["suppressed"] and row["persons"] > 0:
                primary.add((u, g))
    relations = [Relation((u, "alle"), ((u, "ordinaere"), (u, "inklusion"))) for u in by_unit]
    own: set[Hashable] = set()
    for u, kids in children.items():
        for g in GROUPS:
            row = by_unit[u].get(g)
            persons[("own", u, g)] = row["own_persons"] if row else 0
            own.add(("own", u, g))
            relations.append(Relation((u, g), (("own", u, g), *((c, g) for c in kids))))
        relations.append(
            Relation(("own", u, "alle"), (("own", u, "ordinaere"), ("own", u, "inklusion")))
        )

    def cost(key: Hashable) -> tuple:
        u, g = key[-2], key[-1]
        r = info[u]
        n = persons.get(key, 0)
        return (u == top_id, GROUP_COST[g], -r["level"], n == 0, n, r["path"])

    protection = protect(
        persons, relations, min_persons, cost=cost, unpublished=own, primary=primary
    )
    return protection, by_unit


def _figures(row: dict | None, hidden: bool) -> GroupFigures:
    if row is None:
        return GroupFigures(None, None, 0, False)  # nobody in the group
    if hidden:
        return GroupFigures(None, None, None, True)
    return GroupFigures(row["absence_pct"], row["absence_days_per_fte"], row["persons"], False)


def unit_rows(rows: list[dict], top: dict, min_persons: int) -> tuple[list[UnitRow], Protection]:
    protection, by_unit = protect_period(rows, top["org_unit_id"], min_persons)
    out = []
    for u, groups in sorted(by_unit.items(), key=lambda kv: next(iter(kv[1].values()))["path"]):
        r = next(iter(groups.values()))
        out.append(
            UnitRow(
                org_unit_id=u,
                name=r["name"],
                parent_id=r["parent_id"] if u != top["org_unit_id"] else None,
                level=r["level"] - top["level"],
                has_children=r["children"] > 0,
                groups={g: _figures(groups.get(g), protection.is_hidden((u, g))) for g in GROUPS},
            )
        )
    has_kids = {u.parent_id for u in out if u.parent_id}
    out = [
        UnitRow(u.org_unit_id, u.name, u.parent_id, u.level, u.org_unit_id in has_kids, u.groups)
        for u in out
    ]
    return out, protection


def monthly_trends(rows: list[dict], top: dict, min_persons: int) -> dict:
    """Per month: the top unit's and its children's absence % per group, protected month by
    month (the months are separate periods)."""
    by_month: dict[date, list[dict]] = {}
    for r in rows:
        by_month.setdefault(r["period_start"], []).append(r)
    months = sorted(by_month)
    units: dict[str, str] = {}
    values: dict[tuple[str, str, date], float | None] = {}
    hidden = 0
    for m in months:
        protection, by_unit = protect_period(by_month[m], top["org_unit_id"], min_persons)
        hidden += len(protection.hidden)
        for u, groups in by_unit.items():
            name = next(iter(groups.values()))["name"]
            units.setdefault(u, name if u != top["org_unit_id"] else f"{name} (i alt)")
            for g in GROUPS:
                row = groups.get(g)
                values[(u, g, m)] = (
                    None if row is None or protection.is_hidden((u, g)) else row["absence_pct"]
                )
    order = [u for u in [top["org_unit_id"]] if u in units] + sorted(
        (u for u in units if u != top["org_unit_id"]), key=lambda u: units[u]
    )
    return {"months": months, "units": [(u, units[u]) for u in order], "values": values,
            "hidden": hidden}  # fmt: skip


def build_content(
    conn: duckdb.DuckDBPyConnection, period_text: str, unit: str | None = None
) -> dict:
    meta = report_meta(conn, REGISTERS)
    period = resolve_period(period_text, meta)
    minp = int(meta["small_cell_min_persons"])
    top = top_unit(conn, unit)
    period_rows = [
        r for r in load_rows(conn, period.kind, top) if r["period_start"] == period.start
    ]
    units, protection = unit_rows(period_rows, top, minp)
    trend = monthly_trends(load_rows(conn, "month", top, depth=1), top, minp)
    as_of = meta["as_of"]
    partial = [bool(as_of and m <= as_of < month_end(m)) for m in trend["months"]]
    return {
        "meta": meta,
        "period": period,
        "top": top,
        "min_persons": minp,
        "units": units,
        "protection": protection,
        "trend": trend,
        "partial": partial,
        "method": [m.format(min_persons=minp) for m in METHOD_DA],
    }


def charts_for(c: dict) -> dict[str, str]:
    t = c["trend"]
    labels_x = [fmt_month_short(m) for m in t["months"]]
    note = (
        f"Sidste måned er ikke slut: opgjort til og med {fmt_date(c['meta']['as_of'])}."
        if any(c["partial"])
        else None
    )
    group_labels = labels("staff_group")
    return {
        g: charts.line_chart(
            labels_x,
            {name: [t["values"].get((u, g, m)) for m in t["months"]] for u, name in t["units"]},
            title=f"Fraværsprocent pr. måned – {group_labels[g].lower()}",
            y_label="Fravær (%)",
            y_format="pct",
            partial=c["partial"],
            note=note,
        )
        for g in GROUPS
    }


def footnotes(c: dict) -> list[str]:
    return [
        f"– = skjult for at beskytte enkeltpersoner (færre end {c['min_persons']} personer i "
        "gruppen, eller et tal, som et skjult tal ellers kunne regnes ud fra). 0 personer = "
        "ingen ansatte i gruppen.",
        f"Markeret forskel: Alle ligger mindst {fmt_number(GAP_HIGHLIGHT_PP, 1)} procentpoint "
        "over Ordinære, dvs. inklusionsansattes fravær trækker enhedens samlede tal op.",
        "Personer tælles én gang pr. gruppe; en person, der har skiftet gruppe, tæller i begge.",
    ]


GROUP_COLUMNS = [("Fravær %", "pct"), ("Fraværsdage pr. årsværk", "dec1"), ("Personer", "int")]


def hierarchy_sheet(c: dict) -> Sheet:
    """All units on one sheet in hierarchy order, grouped by level (Excel's outline)."""
    group_labels = labels("staff_group")
    columns = [
        Column("Enhed", width=44),
        Column("Forskel alle − ordinære (procentpoint)", "dec1", 14),
    ]
    for g in GROUPS:
        columns += [Column(f"{group_labels[g]}: {h}", kind, 12) for h, kind in GROUP_COLUMNS]
    columns += [Column("Niveau", "int", 8), Column("Enheds-id", width=11)]
    rows, levels = [], []
    for u in c["units"]:
        cells: list = [u.name, u.gap_pp]
        for g in GROUPS:
            f = u.groups[g]
            cells += [f.absence_pct, f.days_per_fte, f.persons]
        rows.append([*cells, u.level, u.org_unit_id])
        levels.append(u.level)
    return Sheet(
        name="Enheder",
        columns=columns,
        rows=rows,
        title=f"Sygefravær {c['period'].label} – {c['top']['name']} og enhederne under",
        notes=footnotes(c)[1:],  # in Excel a hidden figure is an empty cell (the sheet's note)
        levels=levels,
        indent_column=0,
    )


def trend_sheet(c: dict) -> Sheet:
    t = c["trend"]
    top_id = c["top"]["org_unit_id"]
    group_labels = labels("staff_group")
    return Sheet(
        name="Udvikling",
        columns=[Column("Måned", width=12), Column("Periodekode", width=11)]
        + [Column(f"{group_labels[g]}: Fravær %", "pct", 14) for g in GROUPS],
        rows=[
            [
                fmt_month_short(m) + (" (ikke slut)" if p else ""),
                period_code("month", m),
                *(t["values"].get((top_id, g, m)) for g in GROUPS),
            ]
            for m, p in zip(t["months"], c["partial"], strict=True)
        ],
        title=f"Fraværsprocent pr. måned – {c['top']['name']}",
    )


def method_sheet(c: dict) -> Sheet:
    return Sheet(
        name="Metode",
        columns=[Column("Sådan er tallene opgjort", width=110)],
        rows=[[m] for m in c["method"]],
        title="Metode",
        prose=True,
    )


def render(conn: duckdb.DuckDBPyConnection, *, period: str, out_dir: Path, **options) -> list[Path]:
    unit = options.pop("unit", None)
    if unit is not None and not isinstance(unit, str):  # `--unit` given without a value
        raise ReportError(
            'Tilvalget --unit kræver en enhed: navn eller id, fx --unit "Børnehuset Nim".'
        )
    reject_options("sygefravaer", options)
    c = build_content(conn, period, unit)
    title = "Sygefravær – to statistikker"
    suffix = f"_{c['top']['org_unit_id']}" if unit else ""
    return write_report(
        out_dir,
        f"sygefravaer_{c['period'].code}{suffix}",
        "sygefravaer.html",
        {
            **c,
            "title": title,
            "subtitle": f"{c['top']['name']}: ordinært ansatte, alle ansatte og inklusionsansatte",
            "charts": charts_for(c),
            "gap_pp": GAP_HIGHLIGHT_PP,
            "groups": GROUPS,
            "group_labels": labels("staff_group"),
            "footnotes": footnotes(c),
            "disclosure": NOTICE_DA.format(min_persons=c["min_persons"]),
            "wide_start": True,  # the unit table is wide: every page landscape, no half pages
            "sections": [
                ("enheder", "Enheder"),
                ("udvikling", "Udvikling"),
                ("metode", "Metode"),
            ],
        },
        Workbook(
            title=f"{title} {c['period'].label}",
            subject=f"Sygefravær pr. enhed, {c['top']['name']}",
            as_of=c["meta"]["as_of"],
            sheets=[hierarchy_sheet(c), trend_sheet(c), method_sheet(c)],
            synthetic=c["meta"]["synthetic"],
        ),
    )


REPORT = ReportSpec(
    name="sygefravaer",
    title="Sygefravær – to statistikker",
    render=render,
    reads=(
        "reporting.rpt_sickness_units",
        "marts.fct_sickness",
        "marts.dim_org_unit",
        "marts.meta_build",
        "marts.meta_data_quality",
    ),  # fmt: skip
    description="Sygefravær pr. enhed for ordinære, alle og inklusionsansatte (HTML og XLSX).",
    options={"unit": 'Kun denne enhed og enhederne under den: navn eller id, fx "Børnehuset Nim".'},
    registers=REGISTERS,
    aliases=("sygefravær",),
)

__all__ = ["REPORT", "build_content", "protect_period", "render"]
