"""Jobcenterrapport: rettidighed, manglende samtaler, forløb og beskæftigelse, fastholdelse og
jobindsats.dk, for jobcentre leaders (docs/domain.md §5.5–5.8, §6 `jobcenter`).

Reads the reporting models made for it (reporting.rpt_jobcenter_rettidighed, _outcomes,
_retention, _rules and rpt_sdp_rule_versions, built from the jobcentre marts and fct_kpi's
targets) and, for the jobindsats.dk section, marts.fct_benchmark through the benchmark report's
own readers (reports.benchmark: series, units, directions, period labels). This module only
reads and formats; every count, percentage and median comes from dbt.

Disclosure control (reports/disclosure.py, docs/decisions/jobcenter.md): every figure belongs
to a group of persons — the dues of a month/period and kind, the ended placements of a scheme
or benefit group, the complete retention windows of a cohort quarter — and a group with 1 … min−1
distinct persons is hidden whole (primary). The relations a reader can use are declared:
rettidighed all = first + later (dues, on time, late, missing add up), a period = Σ its months;
outcomes total = Σ schemes = Σ benefit groups; retention year = Σ its quarters. `protect()`
then hides the cheapest further groups until no hidden group can be worked out. A median is
shown only when the persons it is taken over (the late/missing, the employed) are at least
min. jobindsats.dk figures are published figures: what jobindsats.dk suppressed stays "–".
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from reports import charts
from reports.benchmark import (
    Selection,
    is_count,
    load_series,
    measure_info,
    value_kind,
)
from reports.disclosure import NOTICE_DA, PUBLISHER_SUPPRESSED_DA, Protection, Relation, protect
from reports.errors import ReportError
from reports.formatting import fmt_date, fmt_month_short, fmt_pct, fmt_quarter, fmt_value
from reports.labels import codes, label
from reports.metadata import report_meta
from reports.periods import Period, month_end, period_code, resolve_period
from reports.rendering import write_report
from reports.spec import ReportSpec, reject_options
from reports.warehouse import records
from reports.xlsx import Column, Sheet, Workbook

TITLE = "Jobcenterrapport"
REGISTERS = ("sdp_cases", "sdp_events", "placements", "engagements")
KINDS = ("all", "first", "later")  # display order: the figure leaders are measured on first
# Which breakdowns of the outcome tables, in display order, with their code list.
BREAKDOWNS = (("scheme", "scheme", "Ordning"), ("benefit_group", "benefit_group", "Ydelsesgruppe"))
# When a jobindsats series exists with several period types ending on the same day, the longer
# period is shown (steadier figures).
PERIOD_TYPE_PREFERENCE = ("year", "qmat", "mytd", "quarter", "month")


# --- reading --------------------------------------------------------------------------------


def load(conn: duckdb.DuckDBPyConnection) -> dict:
    """Every row the report shows, read once (the models are small: periods × kinds/groups)."""
    rules = records(conn, "select * from reporting.rpt_jobcenter_rules")
    if not rules:
        raise ReportError(
            "Der er ingen byggeoplysninger i databasen (reporting.rpt_jobcenter_rules)."
        )
    rett = records(conn, "select * from reporting.rpt_jobcenter_rettidighed")
    outcomes = records(conn, "select * from reporting.rpt_jobcenter_outcomes")
    retention = records(conn, "select * from reporting.rpt_jobcenter_retention")
    versions = records(conn, "select * from reporting.rpt_sdp_rule_versions order by valid_from")
    return {
        "rules": rules[0],
        "rett": {(r["period_type"], r["period_start"], r["due_kind"]): r for r in rett},
        "outcomes": outcomes,
        "retention": {(r["period_type"], r["period_start"]): r for r in retention},
        "versions": versions,
    }


# --- jobindsats.dk ----------------------------------------------------------------------------


@dataclass
class BenchmarkRow:
    table_id: str
    measure: str
    dimensions: str
    period: str
    period_code: str
    value: float | None
    national: float | None
    diff: float | None
    rank: int | None
    n: int | None
    unit: str
    direction: str
    kind: str  # int | dec1 | dec2, for the HTML


def benchmark_rows(
    conn: duckdb.DuckDBPyConnection, municipality_code: str, until: date
) -> list[BenchmarkRow]:
    """For every jobindsats.dk table, measure and dimensions our municipality has: the latest
    period up to `until`, read with the benchmark report's own readers."""
    series = conn.execute(
        """
        select distinct table_id, measure, dimensions, period_type
        from marts.fct_benchmark
        where municipality_code = ? and period_end <= ?
        order by table_id, measure, dimensions, period_type
        """,
        [municipality_code, until],
    ).fetchall()
    latest: dict[tuple, tuple] = {}
    for table_id, measure, dims, period_type in series:
        sel = Selection(table_id, measure, dims, period_type, municipality_code)
        points = load_series(conn, sel, until)
        if not points:
            continue
        last = points[-1]
        order = (last.period_end, -PERIOD_TYPE_PREFERENCE.index(period_type))
        key = (table_id, measure, dims)
        if key not in latest or order > latest[key][0]:
            latest[key] = (order, sel, last)
    out = []
    for (table_id, measure, dims), (_, sel, p) in latest.items():
        info = measure_info(conn, sel)
        count = is_count(measure)
        out.append(
            BenchmarkRow(
                table_id=table_id,
                measure=measure,
                dimensions=", ".join(f"{k}: {v}" for k, v in json.loads(dims).items()) or "I alt",
                period=p.label,
                period_code=p.report_code,
                value=p.value,
                national=p.national,
                diff=None if count else p.diff,
                rank=p.rank,
                n=p.n,
                unit=info["unit"] or "",
                direction=info["direction_da"] or "",
                kind=value_kind([p.value, p.national]),
            )
        )
    return sorted(out, key=lambda b: (b.table_id, b.measure, b.dimensions))


# --- disclosure -------------------------------------------------------------------------------


def rett_key(period_type: str, start: date, kind: str) -> tuple:
    return ("rett", period_type, start, kind)


def protect_all(
    data: dict, period: Period, window_months: list[date], quarters: list[date], minp: int
) -> tuple[Protection, dict[Hashable, int]]:
    """Declare every group the report shows (with its persons) and the sums between them, and
    let reports.disclosure choose what to hide."""
    persons: dict[Hashable, int] = {}
    relations: list[Relation] = []
    rett = data["rett"]
    times = [("month", m) for m in window_months]
    if period.kind != "month":
        times.append((period.kind, period.start))
    for ptype, start in times:
        for kind in KINDS:
            persons[rett_key(ptype, start, kind)] = rett[(ptype, start, kind)]["persons"]
        relations.append(
            Relation(
                rett_key(ptype, start, "all"),
                (rett_key(ptype, start, "first"), rett_key(ptype, start, "later")),
            )
        )
    if period.kind != "month":
        inside = [m for m in window_months if period.start <= m <= period.end]
        for kind in KINDS:
            relations.append(
                Relation(
                    rett_key(period.kind, period.start, kind),
                    tuple(rett_key("month", m, kind) for m in inside),
                )
            )

    for row in period_outcomes(data, period):
        persons[("out", row["breakdown"], row["group_code"])] = row["persons"]
    for breakdown, _, _ in BREAKDOWNS:
        parts = tuple(k for k in persons if k[0] == "out" and k[1] == breakdown)
        relations.append(Relation(("out", "total", None), parts))

    retention = data["retention"]
    for q in quarters:
        persons[("ret", "quarter", q)] = retention[("quarter", q)]["persons"]
    period_ret = ("ret", period.kind, period.start)
    persons[period_ret] = retention[(period.kind, period.start)]["persons"]
    if period.kind == "year":
        inside = tuple(("ret", "quarter", q) for q in quarters if q.year == period.start.year)
        relations.append(Relation(period_ret, inside))

    def cost(key: Hashable) -> tuple:
        n = persons[key]
        if key[0] == "rett":
            total = key[1] != "month"
            rank = {"later": 0, "first": 1, "all": 2}[key[3]]
        elif key[0] == "out":
            total, rank = key[1] == "total", 0
        else:
            total, rank = key == period_ret, 0
        return (total, n == 0, rank, n, repr(key))

    return protect(persons, relations, minp, cost=cost), persons


def period_outcomes(data: dict, period: Period) -> list[dict]:
    """The outcome rows of the period: the total, then each breakdown in code-list order."""
    rows = [
        r
        for r in data["outcomes"]
        if r["period_type"] == period.kind and r["period_start"] == period.start
    ]

    def order(r: dict) -> tuple:
        if r["breakdown"] == "total":
            return (0, 0, "")
        b = [b for b, _, _ in BREAKDOWNS].index(r["breakdown"])
        known = codes(dict((x, y) for x, y, _ in BREAKDOWNS)[r["breakdown"]])
        code = r["group_code"]
        position = known.index(code) if code in known else len(known) + (code is None)
        return (1 + b, position, code or "")

    return sorted(rows, key=order)


# --- content ----------------------------------------------------------------------------------


def _month_label(m: date, partial: bool) -> str:
    return fmt_month_short(m) + (" (ikke slut)" if partial else "")


def _version_spans(versions: list[dict], window_months: list[date], as_of: date) -> list:
    """(x from, x to, label) of each rule version in force during the window, in chart points
    (month i covers i − 0,5 … i + 0,5; a change inside a month is placed by its day)."""
    if not window_months:
        return []

    def position(d: date) -> float:
        if d < window_months[0]:
            return -0.5
        for i, m in enumerate(window_months):
            if d <= month_end(m):
                days = (month_end(m) - m).days + 1
                return i - 0.5 + (d - m).days / days
        return len(window_months) - 0.5

    spans = []
    last = as_of + timedelta(days=1)
    for v in versions:
        start = v["valid_from"]
        end = v["valid_to"] + timedelta(days=1) if v["valid_to"] else last
        if end <= window_months[0] or start > as_of:
            continue
        text = v["name"]
        if start >= window_months[0]:
            text += f" fra {fmt_date(start, short=True)}"
        spans.append((position(max(start, window_months[0])), position(min(end, last)), text))
    return spans


def _and_list(items: str | list[str]) -> str:
    """'2, 3' or ['2', '3'] → '2 og 3'."""
    parts = [p.strip() for p in items.split(",")] if isinstance(items, str) else list(items)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def _versions_text(v: dict) -> str:
    """One Danish sentence on a rule version's deadlines, from the rules as data."""
    first = f"første samtale senest {v['first_due_days']} dage efter første fraværsdag"
    fast = f" (ved fast track senest {v['fast_track_days']} dage efter anmodningen)"
    cats = f" i visitationskategori {_and_list(v['categories'])}" if v["categories"] else ""
    if v["then_count"]:
        later = (
            f"; for sager{cats} derefter {v['then_count']} samtaler senest "
            f"{v['then_within_days']} dage efter første fraværsdag"
        )
    elif v["then_interval_days"]:
        later = (
            f"; for sager{cats} derefter en samtale hver {v['then_interval_days']}. dag, "
            "regnet fra den forrige samtale, så længe sagen er åben"
        )
    else:
        later = ""
    text = first + fast + later + "."
    return text[0].upper() + text[1:]


def build_content(conn: duckdb.DuckDBPyConnection, period_text: str) -> dict:
    """Everything the HTML and XLSX show, already protected (no small group leaves here)."""
    meta = report_meta(conn, REGISTERS, ())
    period = resolve_period(period_text, meta)
    data = load(conn)
    rules = data["rules"]
    as_of, window_start = rules["as_of"], rules["window_start"]
    minp = int(meta["small_cell_min_persons"])
    rett = data["rett"]
    window_months = sorted({start for (ptype, start, _) in rett if ptype == "month"})
    months = [m for m in window_months if period.start <= m <= period.end]
    if not months:
        raise ReportError(f"Perioden {period.label} har ingen måneder i datavinduet.")
    complete_through = rules["retention_complete_through"]
    quarters = sorted(
        start
        for (ptype, start) in data["retention"]
        if ptype == "quarter" and start <= complete_through
    )
    protection, persons = protect_all(data, period, window_months, quarters, minp)
    is_hidden = protection.is_hidden

    def rett_view(ptype: str, start: date, kind: str) -> dict:
        r = rett[(ptype, start, kind)]
        hidden = is_hidden(rett_key(ptype, start, kind))
        median_ok = not hidden and not 0 < r["persons_late_or_missing"] < minp
        return {
            "kind": kind,
            "kind_label": label(kind, "due_kind"),
            "dues": None if hidden else r["dues"],
            "on_time": None if hidden else r["on_time"],
            "late": None if hidden else r["late"],
            "missing": None if hidden else r["missing"],
            "pct": None if hidden else r["rettidighed_pct"],
            "median": r["median_days_late"] if median_ok else None,
            "cases_missing": None if hidden else r["cases_with_missing"],
            "rule_versions": None if hidden else r["rule_versions"],
            "target": r["target_value"],
            "target_met": None if hidden else r["target_met"],
            "partial": bool(r["is_partial"]),
        }

    month_rows = [
        {
            "month_start": m,
            "label": _month_label(m, rett[("month", m, "all")]["is_partial"]),
            "code": period_code("month", m),
            **{k: rett_view("month", m, k) for k in KINDS},
        }
        for m in months
    ]
    total = {k: rett_view(period.kind, period.start, k) for k in KINDS}
    trend = [
        {
            "month_start": m,
            "label": fmt_month_short(m),
            "code": period_code("month", m),
            **{k: rett_view("month", m, k) for k in KINDS},
        }
        for m in window_months
    ]

    outcome_rows = []
    for r in period_outcomes(data, period):
        hidden = is_hidden(("out", r["breakdown"], r["group_code"]))
        median_ok = not hidden and not 0 < r["persons_employed"] < minp
        if r["breakdown"] == "total":
            name = "I alt"
        else:
            name = label(r["group_code"], dict((b, c) for b, c, _ in BREAKDOWNS)[r["breakdown"]])
        outcome_rows.append(
            {
                "breakdown": r["breakdown"],
                "label": name,
                "placements": None if hidden else r["placements"],
                "employed": None if hidden else r["employed"],
                "pct": None if hidden else r["employed_pct"],
                "median": r["median_days_to_employment"] if median_ok else None,
                "target": r["target_value"],
                "target_met": None if hidden else r["target_met"],
            }
        )
    outcome_total = next(r for r in outcome_rows if r["breakdown"] == "total")
    outcome_tables = {b: [r for r in outcome_rows if r["breakdown"] == b] for b, _, _ in BREAKDOWNS}

    def ret_view(key: tuple, row: dict, text: str) -> dict:
        hidden = is_hidden(key)
        return {
            "label": text,
            "code": period_code(row["period_type"], row["period_start"]),
            "engagements": None if hidden else row["engagements"],
            "retained": None if hidden else row["retained"],
            "pct": None if hidden else row["retained_pct"],
            "target": row["target_value"],
            "target_met": None if hidden else row["target_met"],
        }

    retention = data["retention"]
    ret_quarters = [
        ret_view(("ret", "quarter", q), retention[("quarter", q)], fmt_quarter(q)) for q in quarters
    ]
    ret_total = ret_view(
        ("ret", period.kind, period.start), retention[(period.kind, period.start)], period.label
    )

    code = str(meta.get("municipality_code") or "")
    jobindsats = benchmark_rows(conn, code, period.end) if code else []
    versions = data["versions"]
    return {
        "meta": meta,
        "period": period,
        "min_persons": minp,
        "rules": rules,
        "as_of": as_of,
        "window_start": window_start,
        "months": month_rows,
        "total": total,
        "trend": trend,
        "spans": _version_spans(versions, window_months, as_of),
        "versions": [{**v, "text": _versions_text(v)} for v in versions],
        "outcome_total": outcome_total,
        "outcome_tables": outcome_tables,
        "retention_quarters": ret_quarters,
        "retention_total": ret_total,
        # no engagement of the period has had all its weeks yet: its 0 is "not yet", not "none"
        "retention_pending": period.start > complete_through,
        "jobindsats": jobindsats,
        "protection": protection,
        "persons": persons,
        "has_partial_month": any(t["all"]["partial"] for t in trend),
    }


# --- words ------------------------------------------------------------------------------------


def explanations(c: dict) -> dict[str, str]:
    """One plain Danish sentence per figure, with the rules in force."""
    rules, versions = c["rules"], c["versions"]
    cats = sorted(
        {c.strip() for v in versions if v["categories"] for c in v["categories"].split(",")}
    )
    cats_text = f"visitationskategori {_and_list(cats)}" if cats else "de rette kategorier"
    firsts = sorted({v["first_due_days"] for v in versions})
    first_days = " eller ".join(str(d) for d in firsts) or "55"
    weeks, retained = rules["retention_weeks"], rules["retention_retained_weeks"]
    return {
        "rettidighed": (
            "Rettidighed er andelen af opfølgningssamtaler i sygedagpengesager, der blev holdt "
            "senest på fristdagen; en samtale tæller i den måned, hvor fristen ligger."
        ),
        "first": (
            f"Første samtale skal holdes senest {first_days} dage efter første fraværsdag "
            "(tidligere, når der er bedt om fast track)."
        ),
        "later": (
            f"Senere samtaler er de følgende opfølgningssamtaler, som kun sager i {cats_text} "
            "skal have."
        ),
        "target": (
            "Målet er kommunens måltal fra targets.csv for perioden (rettidighed for alle "
            "samtaler og for den første samtale); et mål er nået, når rettidigheden er mindst "
            "så høj."
        ),
        "versions": (
            "Reglerne vælges efter sagens første fraværsdag, så sager efter de gamle regler kan "
            "have frister efter et regelskift; diagrammet viser, hvornår hvert regelsæt trådte i "
            "kraft."
        ),
        "missing": (
            "En samtale mangler, når fristen er overskredet på opgørelsesdatoen, uden at "
            "samtalen er holdt; sager, der sluttede inden fristen, tæller ikke, og rapporten "
            "nævner aldrig, hvilke sager det er."
        ),
        "median_late": (
            "Median dage for sent er den midterste forsinkelse blandt for sene og manglende "
            "samtaler (for en manglende samtale: dage fra fristen til opgørelsesdatoen)."
        ),
        "outcomes": (
            "Andel i beskæftigelse er andelen af afsluttede forløb, hvor personen senest "
            f"{rules['placement_followup_days']} dage efter forløbets slut (eller allerede under "
            "forløbet) fik en ansættelse i kommunen af en anden art, som varede mindst "
            f"{rules['employment_min_days']} dage."
        ),
        "outcomes_final": (
            "Kun forløb, hvis udfald er endeligt, tæller: forløb, der sluttede senest "
            f"{fmt_date(rules['outcomes_final_through'])}."
        ),
        "median_days": (
            "Median dage til beskæftigelse er den midterste afstand fra forløbets sidste dag til "
            "ansættelsens første; et negativt tal betyder, at ansættelsen begyndte under forløbet."
        ),
        "retention": (
            f"Fastholdelse er andelen af ansættelser på særlige vilkår eller efter et forløb, "
            f"hvor personen var ansat i kommunen i mindst {retained} af de første {weeks} uger; "
            f"kun ansættelser, hvor alle {weeks} uger er gået (start senest "
            f"{fmt_date(rules['retention_complete_through'])}), tæller."
        ),
        "jobindsats": (
            "Placering 1 er den kommune, der har den højeste værdi blandt de kommuner, som "
            "jobindsats.dk har et tal for; om en høj værdi er god, står i kolonnen Retning."
        ),
        "diff": (
            "Forskel til hele landet er kommunens værdi minus hele landets; den vises ikke for "
            "antal, da en kommunes antal og landets ikke er på samme skala."
        ),
    }


def _target_text(value: float | None, met: bool | None) -> str:
    if value is None:
        return "intet mål"
    verdict = {True: " – nået", False: " – ikke nået"}.get(met, "")
    return f"mål {fmt_pct(value)}{verdict}"


def key_figures(c: dict) -> list[dict]:
    """The period's headline figures (the same protected cells as the tables)."""
    t, o, r = c["total"], c["outcome_total"], c["retention_total"]
    rules = c["rules"]
    retained = (
        f"Fastholdt mindst {rules['retention_retained_weeks']} af {rules['retention_weeks']} uger"
    )
    missing = t["all"]["missing"]
    return [
        {
            "label": "Rettidighed, alle samtaler",
            "value": t["all"]["pct"],
            "kind": "pct",
            "note": _target_text(t["all"]["target"], t["all"]["target_met"]),
        },
        {
            "label": "Rettidighed, første samtale",
            "value": t["first"]["pct"],
            "kind": "pct",
            "note": _target_text(t["first"]["target"], t["first"]["target_met"]),
        },
        {
            "label": "Rettidighed, senere samtaler",
            "value": t["later"]["pct"],
            "kind": "pct",
            "note": "intet mål",
        },
        {
            "label": "Sager med mindst én manglende samtale",
            "value": t["all"]["cases_missing"],
            "kind": "int",
            "note": f"manglende samtaler i alt: {fmt_value(missing, 'int')}",
        },
        {
            "label": "Afsluttede forløb fulgt af beskæftigelse",
            "value": o["pct"],
            "kind": "pct",
            "note": _target_text(o["target"], o["target_met"]),
        },
        {
            "label": retained,
            "value": r["pct"],
            "kind": "pct",
            "note": _target_text(r["target"], r["target_met"]),
        },
    ]


def charts_for(c: dict) -> dict:
    trend = c["trend"]
    x = [t["label"] for t in trend]
    partial = [t["all"]["partial"] for t in trend]
    names = {k: label(k, "due_kind") for k in KINDS}
    note = f"Sidste måned er ikke slut: opgjort {fmt_date(c['as_of'])}." if any(partial) else None
    out = {
        "rettidighed": charts.line_chart(
            x,
            {names[k]: [t[k]["pct"] for t in trend] for k in KINDS},
            title="Rettidighed pr. måned",
            y_label="Rettidighed",
            y_format="pct",
            partial=partial,
            note=note,
            targets={names[k]: [t[k]["target"] for t in trend] for k in ("all", "first")},
            spans=c["spans"],
            height_in=3.4,
        ),
    }
    rows = [r for r in c["outcome_tables"]["scheme"]]
    out["outcomes"] = charts.bar_chart(
        [r["label"] for r in rows],
        [r["pct"] for r in rows],
        title=f"Andel i beskæftigelse efter forløb pr. ordning, {c['period'].label}",
        x_label="Andel af afsluttede forløb",
        value_format="pct",
    )
    quarters = c["retention_quarters"]
    rules = c["rules"]
    name = (
        f"Fastholdt mindst {rules['retention_retained_weeks']} af {rules['retention_weeks']} uger"
    )
    out["retention"] = charts.line_chart(
        [q["label"] for q in quarters],
        {name: [q["pct"] for q in quarters]},
        title="Fastholdelse pr. kvartal for ansættelsens start",
        y_label="Andel fastholdt",
        y_format="pct",
        targets={name: [q["target"] for q in quarters]},
    )
    return out


# --- XLSX -------------------------------------------------------------------------------------


def xlsx_sheets(c: dict, words: dict[str, str]) -> list[Sheet]:
    period = c["period"]
    title = f"{TITLE} {period.label}"
    rett_cols = [
        Column("Måned", "text", 18),
        Column("Periodekode", "text", 11),
        Column("Samtaler", "text", 16),
        Column("Frister", "int"),
        Column("Rettidige", "int"),
        Column("For sene", "int"),
        Column("Manglende", "int"),
        Column("Rettidighed", "pct"),
        Column("Mål", "pct"),
        Column("Median dage for sent", "dec1"),
        Column("Regelsæt", "text", 20),
    ]

    def rett_row(text: str, code: str, v: dict) -> tuple:
        return (
            text,
            code,
            v["kind_label"],
            v["dues"],
            v["on_time"],
            v["late"],
            v["missing"],
            v["pct"],
            v["target"],
            v["median"],
            v["rule_versions"],
        )

    rett_rows = [rett_row(m["label"], m["code"], m[k]) for m in c["months"] for k in KINDS]
    if period.kind != "month":
        rett_rows += [rett_row(f"I alt {period.label}", period.code, c["total"][k]) for k in KINDS]
    trend_rows = [
        (
            t["label"] + (" (ikke slut)" if t["all"]["partial"] else ""),
            t["code"],
            *(x for k in KINDS for x in (t[k]["dues"], t[k]["pct"])),
            t["all"]["target"],
            t["first"]["target"],
        )
        for t in c["trend"]
    ]
    missing_rows = [
        (
            m["label"],
            m["code"],
            m["all"]["cases_missing"],
            m["first"]["missing"],
            m["later"]["missing"],
            m["all"]["missing"],
        )
        for m in c["months"]
    ]
    t = c["total"]
    if period.kind != "month":
        missing_rows.append(
            (
                f"I alt {period.label}",
                period.code,
                t["all"]["cases_missing"],
                t["first"]["missing"],
                t["later"]["missing"],
                t["all"]["missing"],
            )
        )
    outcome_cols = [
        Column("Afsluttede forløb", "int"),
        Column("Fulgt af beskæftigelse", "int"),
        Column("Andel i beskæftigelse", "pct"),
        Column("Median dage til beskæftigelse", "dec1"),
    ]

    def outcome_sheet(breakdown: str, name: str, header: str) -> Sheet:
        rows = [
            (r["label"], r["placements"], r["employed"], r["pct"], r["median"])
            for r in c["outcome_tables"][breakdown]
        ]
        o = c["outcome_total"]
        rows.append(("I alt", o["placements"], o["employed"], o["pct"], o["median"]))
        return Sheet(
            name,
            [Column(header, "text", 30), *outcome_cols],
            rows,
            title=f"{title} – afsluttede forløb pr. {header.lower()}",
            notes=[words["outcomes"], words["outcomes_final"], words["median_days"]],
        )

    r = c["retention_total"]
    figures = key_figures(c)
    return [
        Sheet(
            "Overblik",
            [
                Column("Nøgletal", "text", 42),
                Column("Andel", "pct", 12),
                Column("Antal", "int", 10),
                Column("Mål og bemærkning", "text", 34),
            ],
            [
                (
                    f["label"],
                    f["value"] if f["kind"] == "pct" else None,
                    f["value"] if f["kind"] == "int" else None,
                    f["note"],
                )
                for f in figures
            ],
            title=title,
            notes=[words["rettidighed"], words["missing"], words["outcomes"], words["retention"]],
        ),
        Sheet(
            "Rettidighed",
            rett_cols,
            rett_rows,
            title=f"{title} – rettidighed pr. måned",
            notes=[
                words["rettidighed"],
                words["first"],
                words["later"],
                words["target"],
                words["median_late"],
                words["versions"],
            ],
        ),
        Sheet(
            "Udvikling",
            [
                Column("Måned", "text", 18),
                Column("Periodekode", "text", 11),
                *(
                    col
                    for k in KINDS
                    for col in (
                        Column(f"Frister, {label(k, 'due_kind').lower()}", "int"),
                        Column(f"Rettidighed, {label(k, 'due_kind').lower()}", "pct"),
                    )
                ),
                Column("Mål, alle samtaler", "pct"),
                Column("Mål, første samtale", "pct"),
            ],
            trend_rows,
            title="Rettidighed pr. måned i hele datavinduet",
            notes=[words["rettidighed"], words["versions"]],
        ),
        Sheet(
            "Manglende samtaler",
            [
                Column("Måned", "text", 18),
                Column("Periodekode", "text", 11),
                Column("Sager med mindst én manglende samtale", "int"),
                Column("Manglende første samtaler", "int"),
                Column("Manglende senere samtaler", "int"),
                Column("Manglende samtaler i alt", "int"),
            ],
            missing_rows,
            title=f"{title} – manglende samtaler",
            notes=[
                words["missing"],
                "I alt-rækken tæller hver sag én gang, også når den mangler samtaler i flere "
                "måneder; derfor er den ikke summen af månederne.",
            ],
        ),
        outcome_sheet("scheme", "Ordninger", "Ordning"),
        outcome_sheet("benefit_group", "Ydelsesgrupper", "Ydelsesgruppe"),
        Sheet(
            "Fastholdelse",
            [
                Column("Kvartal for ansættelsens start", "text", 30),
                Column("Periodekode", "text", 11),
                Column("Ansættelser med alle uger gået", "int"),
                Column("Fastholdt", "int"),
                Column("Andel fastholdt", "pct"),
                Column("Mål", "pct"),
            ],
            [
                (q["label"], q["code"], q["engagements"], q["retained"], q["pct"], q["target"])
                for q in c["retention_quarters"]
            ]
            + [
                (
                    f"I alt {period.label}",
                    r["code"],
                    r["engagements"],
                    r["retained"],
                    r["pct"],
                    r["target"],
                )
            ],
            title=f"{title} – fastholdelse pr. kvartal for ansættelsens start",
            notes=[words["retention"]],
        ),
        Sheet(
            "Jobindsats",
            [
                Column("Tabel", "text", 9),
                Column("Måling", "text", 34),
                Column("Dimensioner", "text", 28),
                Column("Periode", "text", 22),
                Column("Periodekode", "text", 12),
                Column("Kommunen", "dec2"),
                Column("Hele landet", "dec2"),
                Column("Forskel til hele landet", "dec2"),
                Column("Placering", "int"),
                Column("Kommuner med tal", "int"),
                Column("Enhed", "text", 16),
                Column("Retning", "text", 24),
            ],
            [
                (
                    b.table_id,
                    b.measure,
                    b.dimensions,
                    b.period,
                    b.period_code,
                    b.value,
                    b.national,
                    b.diff,
                    b.rank,
                    b.n,
                    b.unit,
                    b.direction,
                )
                for b in c["jobindsats"]
            ],
            title="Kommunens placering på jobindsats.dk (seneste periode i rapportens periode)",
            notes=[words["jobindsats"], words["diff"], PUBLISHER_SUPPRESSED_DA],
        ),
        Sheet(
            "Regelsæt",
            [
                Column("Regelsæt", "text", 12),
                Column("Gælder for sager med første fraværsdag fra", "date"),
                Column("til og med", "date"),
                Column("Frister", "text", 70),
                Column("Kilde", "text", 40),
            ],
            [
                (v["name"], v["valid_from"], v["valid_to"], v["text"], v["source"])
                for v in c["versions"]
            ],
            title="Regler for opfølgningssamtaler i sygedagpengesager",
            notes=[words["versions"]],
            prose=True,
        ),
    ]


# --- render -----------------------------------------------------------------------------------


def render(conn: duckdb.DuckDBPyConnection, *, period: str, out_dir: Path, **options) -> list[Path]:
    reject_options("jobcenter", options)
    c = build_content(conn, period)
    words = explanations(c)
    disclosure = NOTICE_DA.format(min_persons=c["min_persons"]) + " " + PUBLISHER_SUPPRESSED_DA
    return write_report(
        out_dir,
        f"jobcenter_{c['period'].code}",
        "jobcenter.html",
        {
            **c,
            "title": TITLE,
            "subtitle": "Rettidighed, forløb og fastholdelse, og kommunen på jobindsats.dk",
            "key_figures": key_figures(c),
            "words": words,
            "charts": charts_for(c),
            "disclosure": disclosure,
            "sections": [
                ("overblik", "Overblik"),
                ("rettidighed", "Rettidighed"),
                ("manglende", "Manglende samtaler"),
                ("forloeb", "Forløb og beskæftigelse bagefter"),
                ("fastholdelse", "Fastholdelse"),
                ("jobindsats", "Jobindsats.dk"),
            ],
        },
        Workbook(
            title=f"{TITLE} {c['period'].label}",
            subject="Rettidighed, forløb, fastholdelse og jobindsats.dk",
            as_of=c["meta"]["as_of"],
            sheets=xlsx_sheets(c, words),
            synthetic=c["meta"]["synthetic"],
        ),
    )


REPORT = ReportSpec(
    name="jobcenter",
    title=TITLE,
    render=render,
    reads=(
        "reporting.rpt_jobcenter_rettidighed",
        "reporting.rpt_jobcenter_outcomes",
        "reporting.rpt_jobcenter_retention",
        "reporting.rpt_jobcenter_rules",
        "reporting.rpt_sdp_rule_versions",
        "marts.fct_benchmark",
        "reporting.rpt_benchmark_periods",
        "reporting.rpt_benchmark_measures",
        "marts.meta_build",
        "marts.meta_data_quality",
        "marts.dim_org_unit",
    ),
    description=(
        "Rettidighed mod mål, manglende samtaler, beskæftigelse efter forløb, fastholdelse og "
        "kommunens placering på jobindsats.dk."
    ),
    registers=REGISTERS,
)

__all__ = ["REPORT", "build_content", "render"]
