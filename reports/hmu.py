"""HMU-rapporten: the HMU's annual-wheel (årshjul) review for a year or a quarter (docs/domain.md
§6 `hmu`; decisions in docs/decisions/hmu.md).

Sections in the order the HMU meets them: a one-page Resumé generated from the figures
(reports/hmu_summary.py), the årshjul (rules.yml `aarshjul`), the inclusion overview (by scheme,
workplace type, area and union area), quota status per workplace with the changes since the
previous period, breaches by type with their reasons, the dual sickness summary per area,
retention and employment after placements, and targets against actual with their trend.

Every figure comes from marts.* or reporting.* (READS below) and is protected in
reports/hmu_content.py; the inclusion and sickness tables reuse the inklusion and sygefravaer
reports' code, so this report hides what they hide. `rummelig report hmu --year 2025` or
`--quarter 2025Q3` (`--period` works too; a month is refused).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from reports import charts, sygefravaer
from reports.disclosure import NOTICE_DA
from reports.errors import ReportError
from reports.formatting import (
    fmt_date,
    fmt_month_abbr,
    fmt_month_short,
    fmt_number,
    fmt_pct,
)
from reports.hmu_content import (
    CountTable,
    KpiCell,
    KpiRow,
    OutcomeTable,
    Targets,
    load_aarshjul,
    load_breaches,
    load_inclusion,
    load_outcomes,
    load_quota,
    load_targets,
    sickness_protection,
    summary_rows,
    trend_periods,
)
from reports.hmu_summary import sentences
from reports.labels import labels
from reports.metadata import report_meta
from reports.periods import period_code, resolve_period, shifted
from reports.rendering import write_report
from reports.spec import ReportSpec, reject_options
from reports.xlsx import Column, Sheet, Workbook

NAME = "hmu"
TITLE = "HMU: årshjul og status"
REGISTERS = (
    "org_units",
    "engagements",
    "absences",
    "placements",
    "sdp_cases",
    "sdp_events",
    "targets",
)
READS = (
    "reporting.rpt_hmu_aarshjul",
    "reporting.rpt_inclusion_monthly",
    "reporting.rpt_hmu_union_areas",
    "reporting.rpt_hmu_quota_watch",
    "reporting.rpt_hmu_breach_counts",
    "reporting.rpt_hmu_breach_workplaces",
    "reporting.rpt_quota_breaches",
    "reporting.rpt_sickness_units",
    "reporting.rpt_hmu_outcomes",
    "marts.fct_kpi",
    "marts.fct_sickness",
    "marts.dim_org_unit",
    "marts.meta_build",
    "marts.meta_data_quality",
)
MARK = {"met": "✓", "not_met": "✗", "no_target": "", "no_value": "", "hidden": ""}
GROUPS = sygefravaer.GROUPS  # ordinære, alle, inklusion: the leader's figure first


def kpi_text(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return fmt_pct(value) if unit == "pct" else fmt_number(value, 0)


def target_text(cell: KpiCell, unit: str) -> str:
    """'højst 5,0 %' / 'mindst 30'; '' without a target."""
    if cell.target_value is None:
        return ""
    word = "mindst" if cell.direction == "min" else "højst"
    return f"{word} {kpi_text(cell.target_value, unit)}"


def judgement_text(cell: KpiCell) -> str:
    """The marker in words (never colour alone): '✓ Nået', '✗ Ikke nået', 'Intet mål' …"""
    name = labels("kpi_judgement")[cell.judgement]
    return f"{MARK[cell.judgement]} {name}".strip()


def build_content(conn: duckdb.DuckDBPyConnection, period_text: str) -> dict:
    meta = report_meta(conn, REGISTERS)
    period = resolve_period(period_text, meta)
    if period.kind not in ("year", "quarter"):
        raise ReportError("HMU-rapporten laves for et år eller et kvartal, ikke en måned.")
    as_of = meta["as_of"]
    if as_of is None:
        raise ReportError("Varehuset mangler byggeoplysninger (marts.meta_build).")
    minp = int(meta["small_cell_min_persons"])
    window_start = meta["window_start"] or period.start

    top = sygefravaer.top_unit(conn, None)
    protected = sickness_protection(conn, top, trend_periods(period), minp)
    sickness_rows = summary_rows(protected.get(period.start, []))
    if not sickness_rows:
        raise ReportError(f"Der er ingen sygefraværstal for {period.label}.")
    sickness_hidden = {
        start: {(u.org_unit_id, g) for u in summary_rows(units) for g in GROUPS
                if u.groups[g].hidden}
        for start, units in protected.items()
    }  # fmt: skip

    inclusion = load_inclusion(conn, period, minp)
    quota = load_quota(conn, period, as_of, window_start)
    breaches = load_breaches(conn, period, as_of)
    outcomes = load_outcomes(conn, period, minp)
    targets = load_targets(conn, period, sickness_hidden, top["org_unit_id"])
    wheel = load_aarshjul(conn, period, as_of)
    return {
        "meta": meta,
        "period": period,
        "previous": shifted(period, -1),
        "min_persons": minp,
        "as_of": as_of,
        "wheel": wheel,
        "inclusion": inclusion,
        "quota": quota,
        "breaches": breaches,
        "sickness_top": top,
        "sickness": sickness_rows,
        "sickness_hidden_cells": sum(u.groups[g].hidden for u in sickness_rows for g in GROUPS),
        "outcomes": outcomes,
        "targets": targets,
        "summary": sentences(period, inclusion, quota, breaches, sickness_rows, outcomes, targets),
    }


# --- chart -----------------------------------------------------------------------------------


def wheel_chart(c: dict) -> str:
    period, as_of = c["period"], c["as_of"]
    year = period.start.year
    months = [fmt_month_abbr(date(year, m, 1)) for m in range(1, 13)]
    return charts.year_wheel(
        months,
        {w.month: w.topic for w in c["wheel"] if w.topic},
        highlighted={w.month for w in c["wheel"] if w.in_period},
        current=as_of.month,
        centre=period.label,
        centre_note="HMU's årshjul",
        title=f"Årshjul – {period.label}",
        highlight_label=f"Rapportens periode ({period.label})",
        current_label=f"Opgørelsesmåned ({fmt_month_short(as_of)})",
    )


# --- notes -----------------------------------------------------------------------------------


def notes(c: dict) -> dict[str, list[str]]:
    minp = c["min_persons"]
    return {
        "inclusion": [
            "Ordning, arbejdspladstype og område: personer i ekstraordinære forløb efter "
            "jobcentrets liste (samme tal som rapporten Inklusionsoverblik). Faglig "
            "organisation: ansatte på særlige vilkår (fleksjob, løntilskud, skånejob, job på "
            "særlige vilkår, seniorjob) efter lønsystemets ansættelser.",
            "En person med to samtidige forløb eller ansættelser i forskellige grupper tælles i "
            "hver; totalen er summen af rækkerne.",
            f"„–“: skjult for at beskytte enkeltpersoner (færre end {minp} personer, eller et "
            "tal, som et skjult tal ellers kunne regnes ud fra via totalen).",
        ],
        "quota": [
            "Status pr. periodens sidste månedsskifte (i en igangværende måned "
            "opgørelsesdatoen), sammenlignet med udgangen af forrige periode.",
            "På kvoten: arbejdspladsen har lige så mange ekstraordinært ansatte, som kvoten "
            "tillader (og mindst én). Uden godkendelse: ekstraordinært ansatte på en "
            "arbejdsplads, der ikke er godkendt til det på dagen.",
            "Arbejdspladsernes tal vises præcist, som i kvoterapporten: de er kvotereglens "
            "grundlag og siger intet om den enkelte persons forløb.",
        ],
        "breaches": [
            "Et brud vurderes på forløbets startdato, hvor forløbet selv tæller med. Et forløb "
            "kan bryde flere regler; det tæller da under hver type, men kun én gang i alt.",
            "Begrundelsen er den for arbejdspladsens seneste forløb med bruddet. Alle forløb med "
            "brud og deres begrundelse står i Excel-filen (arket Brud).",
        ],
        "sickness": [
            "Fraværsprocent = fraværstimer / aftalte timer (Danmarks Statistiks metode). "
            "Ordinære = ordinært ansatte og elever; Inklusion = ansatte på særlige vilkår; "
            "Alle = begge grupper. Forskellen er Alle − Ordinære i procentpoint.",
            f"„–“: skjult (færre end {minp} personer, eller så et skjult tal ikke kan regnes "
            "ud); skjules på samme måde som i sygefraværsrapporten.",
        ],
        "outcomes": [
            "Fastholdelse: ansættelser på særlige vilkår og ansættelser efter et forløb, "
            "startet i perioden, hvor de 26 uger er gået; fastholdt = i arbejde i kommunen "
            "mindst 13 af de 26 uger.",
            "Beskæftigelse efter forløb: forløb, der sluttede i perioden, og hvor "
            "opfølgningstiden (90 + 28 dage) er gået; i job = en ansættelse i kommunen på "
            "mindst 28 dage, der begynder senest 90 dage efter forløbet.",
            f"„–“: grupper med færre end {minp} personer, og tal, der ellers kunne regnes ud.",
        ],
        "targets": [
            "Måltal fra config/targets.csv; et mål gælder, når dets periode dækker rapportens "
            "periode (det snævreste mål vinder). ✓ Nået, ✗ Ikke nået; „Intet mål“: der er "
            "intet mål for perioden; „Ingen tal“: intet at måle endnu; „Skjult“: tallet "
            "bygger på for få personer og vurderes ikke offentligt.",
            "En periode, der ikke er slut, måles til og med opgørelsesdatoen.",
        ],
    }


# --- XLSX ------------------------------------------------------------------------------------


def _count_sheet(name: str, first: str, table: CountTable, title: str) -> Sheet:
    rows = [(r.label, r.persons, r.fte) for r in table.rows]
    rows.append((table.total.label, table.total.persons, table.total.fte))
    return Sheet(
        name,
        [Column(first, "text", 34), Column("Personer", "int"), Column("Årsværk", "dec1")],
        rows,
        title=title,
    )


def _outcome_sheet(name: str, table: OutcomeTable, c: dict) -> Sheet:
    retention = table.measure == "retention"
    columns = [
        Column("Forudgående forløb" if retention else "Ordning", "text", 44),
        Column("Ansættelser" if retention else "Afsluttede forløb", "int"),
        Column("Heraf fastholdt" if retention else "Heraf i job bagefter", "int"),
        Column("Andel", "pct"),
    ]
    rows = [(r.label, r.cases, r.successes, r.pct) for r in [*table.rows, table.total]]
    what = "Fastholdelse 13 af 26 uger" if retention else "Beskæftigelse efter forløb"
    return Sheet(name, columns, rows if table.present else [], title=f"{what}, {c['period'].label}")


def _kpi_sheet_rows(rows: list[KpiRow]) -> list[tuple]:
    out = []
    for r in rows:
        cell = r.current
        out.append(
            (
                r.label,
                r.scope_name,
                "%" if r.unit == "pct" else "antal",
                cell.value,
                cell.target_value,
                {"min": "mindst", "max": "højst"}.get(cell.direction, ""),
                judgement_text(cell),
                cell.target_source,
            )
        )
    return out


def xlsx_sheets(c: dict) -> list[Sheet]:
    period, inc, q, b, t = c["period"], c["inclusion"], c["quota"], c["breaches"], c["targets"]
    snapshot = fmt_date(q.snapshot)
    year = period.start.year
    statuses = ", ".join(labels("quota_watch").values()).lower()
    sheets = [
        Sheet(
            "Resumé",
            [Column("Resumé", width=110)],
            [[s] for s in c["summary"]],
            title=f"{TITLE} – {period.label}",
            prose=True,
        ),
        Sheet(
            "Årshjul",
            [
                Column("Måned", "text", 12),
                Column("Periodekode", "text", 11),
                Column("Emne på HMU-mødet", "text", 70),
                Column("I rapportens periode", "text", 12),
                Column("Opgørelsesmåned", "text", 12),
            ],
            [
                (
                    fmt_month_short(date(year, w.month, 1)),
                    period_code("month", date(year, w.month, 1)),
                    w.topic or "",
                    "Ja" if w.in_period else "",
                    "Ja" if w.is_current else "",
                )
                for w in c["wheel"]
            ],
            title=f"HMU's årshjul {year}",
        ),
        _count_sheet(
            "Ordninger",
            "Ordning",
            inc.by_scheme,
            f"Personer i ekstraordinære forløb pr. ordning, {fmt_date(inc.snapshot)}",
        ),
        _count_sheet(
            "Arbejdspladstyper",
            "Arbejdspladstype",
            inc.by_type,
            f"Personer i ekstraordinære forløb pr. arbejdspladstype, {fmt_date(inc.snapshot)}",
        ),
        _count_sheet(
            "Områder",
            "Område",
            inc.by_area,
            f"Personer i ekstraordinære forløb pr. område, {fmt_date(inc.snapshot)}",
        ),
        _count_sheet(
            "Faglig organisation",
            "Faglig organisation",
            inc.by_union,
            f"Ansatte på særlige vilkår pr. faglig organisation, {fmt_date(inc.union_snapshot)}",
        ),
        Sheet(
            "Kvotestatus",
            [
                Column("Status", "text", 36),
                Column(f"Antal {snapshot}", "int"),
                Column(f"Antal {fmt_date(q.previous)}", "int"),
                Column("Kommet til", "text", 50),
                Column("Ude igen", "text", 50),
            ],
            [
                (s.label, len(s.now), s.before, "; ".join(s.entered), "; ".join(s.left))
                for s in q.statuses
            ],
            title=f"Arbejdspladser pr. status {snapshot} og ved {fmt_date(q.previous)}",
        ),
        Sheet(
            "Arbejdspladser",
            [
                Column("Arbejdsplads", "text", 34),
                Column("Område", "text", 22),
                Column("Ordinært ansatte", "int"),
                Column("Ekstraordinært ansatte", "int"),
                Column("Tilladt (lokal kvote)", "int"),
                Column("Råderum", "int"),
                Column("Status", "text", 50),
                Column("Ny siden forrige periode", "text", 40),
                Column("Karens til", "date"),
                Column("Godkendt", "text"),
            ],
            [
                (
                    w.name,
                    w.area,
                    w.ordinary_headcount,
                    w.extraordinary_persons,
                    w.allowed_local,
                    w.headroom_local,
                    "; ".join(w.statuses),
                    "; ".join(w.new_statuses),
                    w.karens_until,
                    "Ja" if w.approved else "Nej",
                )
                for w in q.workplaces
            ],  # fmt: skip
            title=f"Arbejdspladser i mindst én status ({statuses}), {snapshot}",
        ),
        Sheet(
            "Brud pr. type",
            [
                Column("Brud", "text", 40),
                Column(f"Forløb {period.label}", "int"),
                Column(f"Forløb {c['previous'].label}", "int"),
            ],
            [*b.by_type, ("Forløb med mindst ét brud", b.total, b.previous_total)],
            title=f"Forløb med brud på reglerne, startet i {period.label}",
        ),
        Sheet(
            "Brud pr. arbejdsplads",
            [
                Column("Arbejdsplads", "text", 32),
                Column("Område", "text", 22),
                Column("Brud", "text", 36),
                Column("Forløb", "int"),
                Column("Seneste start", "date"),
                Column("Begrundelse (seneste forløb)", "text", 80),
            ],
            [
                (
                    w["workplace_name"],
                    w["area"],
                    w["breach_label"],
                    w["placements"],
                    w["latest_start"],
                    w["reason"],
                )
                for w in b.workplaces
            ],  # fmt: skip
            title=f"Brud pr. arbejdsplads og type, forløb startet i {period.label}",
        ),
        Sheet(
            "Brud",
            [
                Column("Startdato", "date"),
                Column("Arbejdsplads", "text", 32),
                Column("Område", "text", 22),
                Column("Brud", "text", 40),
                Column("Forklaring", "text", 80),
            ],
            [
                (
                    r["start_date"],
                    r["workplace_name"],
                    r["area"],
                    "; ".join(r["breach_labels"]),
                    r["explanation"],
                )
                for r in b.rows
            ],  # fmt: skip
            title=f"Forløb startet i {period.label} med brud (ét forløb pr. række)",
        ),
        Sheet(
            "Sygefravær",
            [
                Column("Område", "text", 34),
                Column("Forskel alle − ordinære (procentpoint)", "dec1", 14),
                *[
                    col
                    for g in GROUPS
                    for col in (
                        Column(f"{labels('staff_group')[g]}: Fravær %", "pct", 12),
                        Column(f"{labels('staff_group')[g]}: Personer", "int", 12),
                    )
                ],
                Column("Enheds-id", "text", 11),
            ],
            [
                (
                    u.name,
                    u.gap_pp,
                    *[v for g in GROUPS for v in (u.groups[g].absence_pct, u.groups[g].persons)],
                    u.org_unit_id,
                )
                for u in c["sickness"]
            ],  # fmt: skip
            title=f"Sygefravær {period.label}: kommunen og områderne",
        ),
        _outcome_sheet("Fastholdelse", c["outcomes"][0], c),
        _outcome_sheet("Job efter forløb", c["outcomes"][1], c),
        Sheet(
            "Måltal",
            [
                Column("Måltal", "text", 40),
                Column("Gælder", "text", 30),
                Column("Enhed", "text", 7),
                Column("Værdi", "dec2"),
                Column("Mål", "dec2"),
                Column("Retning", "text", 9),
                Column("Vurdering", "text", 14),
                Column("Kilde", "text", 12),
            ],
            _kpi_sheet_rows(t.kommune) + _kpi_sheet_rows(t.areas),
            title=f"Måltal og resultat, {period.label}",
            notes=["Procenter står som tal fra 0 til 100 (fx 5,5 = 5,5 %)."],
        ),
        Sheet(
            "Måltal udvikling",
            [Column("Måltal", "text", 40)]
            + [
                col
                for p in t.periods
                for col in (Column(p.label, "dec2"), Column(f"{p.label}: vurdering", "text", 12))
            ],
            [
                (r.label, *[v for cell in r.cells for v in (cell.value, judgement_text(cell))])
                for r in t.kommune
            ],
            title=f"Måltal for kommunen, de seneste {len(t.periods)} perioder",
        ),
    ]
    return sheets


# --- render ----------------------------------------------------------------------------------


def render(conn: duckdb.DuckDBPyConnection, *, period: str, out_dir: Path, **options) -> list[Path]:
    reject_options(NAME, options)
    c = build_content(conn, period)
    t: Targets = c["targets"]
    return write_report(
        out_dir,
        f"hmu_{c['period'].code}",
        "hmu.html",
        {
            **c,
            "title": TITLE,
            "subtitle": "Hovedudvalgets gennemgang: inklusion, kvoter, brud, sygefravær, "
            "fastholdelse og måltal",
            "wheel_chart": wheel_chart(c),
            "notes": notes(c),
            "disclosure": NOTICE_DA.format(min_persons=c["min_persons"]),
            "groups": GROUPS,
            "group_labels": labels("staff_group"),
            "kpi_text": kpi_text,
            "target_text": target_text,
            "judgement_text": judgement_text,
            "trend_labels": [p.label for p in t.periods],
            "sections": [
                ("resume", "Resumé"),
                ("aarshjul", "Årshjul"),
                ("inklusion", "Inklusion"),
                ("kvote", "Kvotestatus pr. arbejdsplads"),
                ("brud", "Brud i perioden"),
                ("sygefravaer", "Sygefravær"),
                ("fastholdelse", "Fastholdelse og job efter forløb"),
                ("maaltal", "Måltal"),
            ],
        },
        Workbook(
            title=f"{TITLE} {c['period'].label}",
            subject="HMU's årshjul: inklusion, kvoter, brud, sygefravær, fastholdelse, måltal",
            as_of=c["as_of"],
            sheets=xlsx_sheets(c),
            synthetic=c["meta"]["synthetic"],
        ),
    )


REPORT = ReportSpec(
    name=NAME,
    title=TITLE,
    render=render,
    reads=READS,
    description="HMU's gennemgang for et år eller et kvartal: resumé, årshjul, inklusion, "
    "kvotestatus, brud, sygefravær, fastholdelse og måltal (HTML og XLSX).",
    options={
        "year": "Året, fx --year 2025.",
        "quarter": "Kvartalet, fx --quarter 2025Q3.",
    },
    registers=REGISTERS,
    period_kinds=("year", "quarter"),
)

__all__ = ["REPORT", "build_content", "render"]
