"""Benchmark med jobindsats.dk: our municipality against Hele landet and the other municipalities.

For one table and measure (`--table Y07A02 --measure "Antal fuldtidspersoner"`): our value and
Hele landet's over time (a count is shown as an index, first period = 100, since a municipality's
count and the national count are not on one scale), our rank over time, and the latest period's
top and bottom municipalities. Reads marts.fct_benchmark and reporting.rpt_benchmark_periods /
rpt_benchmark_measures. Suppressed jobindsats figures are shown as "–" with a footnote, never as 0.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from reports import charts
from reports.disclosure import PUBLISHER_SUPPRESSED_DA
from reports.errors import ReportError
from reports.formatting import fmt_month, fmt_quarter
from reports.metadata import report_meta
from reports.periods import parse_period
from reports.rendering import write_report
from reports.spec import ReportSpec
from reports.warehouse import table_exists
from reports.xlsx import Column, Sheet, Workbook

TOP_N = 5
# What rank 1 (the highest value) means for the reader, by the measure's direction.
RANK_MEANING = {
    "higher_better": "(1 = højeste værdi = bedst)",
    "lower_better": "(1 = højeste værdi = dårligst)",
}
PERIOD_TYPE_ORDER = ["month", "quarter", "qmat", "year", "mytd"]
SUPPRESSED_NOTE = (
    "„–“ for en kommune betyder, at jobindsats.dk har diskretioneret (skjult) tallet, fordi det "
    "bygger på for få personer, eller at tallet mangler. Et skjult tal er hverken 0 eller med i "
    "placeringen; antallet af kommuner i placeringen tæller kun kommuner med et tal."
)


@dataclass(frozen=True)
class Selection:
    table_id: str
    measure: str
    dimensions: str
    period_type: str
    municipality_code: str


@dataclass
class PeriodRow:
    period_code: str
    report_code: str
    label: str
    period_start: date
    period_end: date
    value: float | None
    national: float | None
    diff: float | None
    rank: int | None
    n: int | None
    percentile: float | None


@dataclass
class RankRow:
    rank: int | None
    name: str
    code: str
    value: float | None
    diff: float | None
    percentile: float | None
    ours: bool


def period_label(period_type: str, start: date, end: date, code: str) -> str:
    """Danish label of a jobindsats period."""
    if period_type == "month":
        return fmt_month(start)
    if period_type == "quarter":
        return fmt_quarter(start)
    if period_type == "year":
        return str(start.year)
    if period_type == "qmat":
        return f"12 mdr. til og med {fmt_quarter(end)}"
    if period_type == "mytd":
        return f"jan.–{fmt_month(end)}"
    return code


def is_count(measure: str) -> bool:
    """Counts ('Antal …') of a municipality and of Hele landet are not on one scale."""
    return measure.strip().lower().startswith("antal")


def value_kind(values: list[float | None]) -> str:
    present = [v for v in values if v is not None]
    if all(float(v).is_integer() for v in present):
        return "int"
    if all(round(v, 1) == v for v in present):
        return "dec1"
    return "dec2"


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[tuple]:
    return conn.execute(sql, params).fetchall()


def choose_selection(
    conn: duckdb.DuckDBPyConnection,
    municipality_code: str,
    *,
    table: str | None,
    measure: str | None,
    dimensions: str | None,
    period_type: str | None,
    until: date,
) -> Selection:
    """Fill the options the user left out from what the benchmark holds for our municipality:
    the table/measure with the most rows, the dimensions '{}' (else the most frequent, totals
    ("I alt") first), and the most frequent period type."""
    where = ["municipality_code = ?", "period_end <= ?"]
    params: list = [municipality_code, until]
    for column, value in (("table_id", table), ("measure", measure), ("period_type", period_type)):
        if value:
            where.append(f"lower({column}) = lower(?)")
            params.append(value)
    if dimensions:
        try:
            dimensions = json.dumps(json.loads(dimensions), ensure_ascii=False, sort_keys=True)
        except ValueError as exc:
            example = '{"Køn": "I alt"}'
            raise ReportError(
                f"--dimensions skal være et JSON-objekt, fx {example}: {dimensions!r}"
            ) from exc
        where.append("dimensions = ?")
        params.append(dimensions)
    rows = _rows(
        conn,
        f"""
        select table_id, measure, dimensions, period_type, count(*) as n
        from marts.fct_benchmark where {" and ".join(where)}
        group by table_id, measure, dimensions, period_type
        order by (dimensions = '{{}}') desc, n desc, table_id, measure,
            (dimensions like '%"I alt"%') desc, dimensions
        """,
        params,
    )
    if not rows:
        wanted = ", ".join(
            f"{k} {v}"
            for k, v in (
                ("tabel", table),
                ("måling", measure),
                ("dimensioner", dimensions),
                ("periodetype", period_type),
            )
            if v
        )
        raise ReportError(
            f"Ingen jobindsats-tal for kommune {municipality_code}"
            + (f" ({wanted})" if wanted else "")
            + f" til og med {until.isoformat()}. "
            + what_exists(conn, municipality_code, until, table=table, measure=measure)
        )
    table_id, measure_name, dims, _, _ = rows[0]
    types = [r[3] for r in rows if r[:3] == (table_id, measure_name, dims)]
    counts = {
        t: sum(r[4] for r in rows if r[:4] == (table_id, measure_name, dims, t)) for t in types
    }
    chosen_type = max(types, key=lambda t: (counts[t], -PERIOD_TYPE_ORDER.index(t)))
    return Selection(table_id, measure_name, dims, chosen_type, municipality_code)


def what_exists(
    conn: duckdb.DuckDBPyConnection,
    municipality_code: str,
    until: date,
    *,
    table: str | None,
    measure: str | None,
) -> str:
    """The tables and measures (or, for a known measure, dimensions and period types) the
    benchmark holds for the municipality: the second half of a 'not found' message."""
    rows = _rows(
        conn,
        """
        select table_id, measure, list(distinct dimensions order by dimensions),
            list(distinct period_type order by period_type)
        from marts.fct_benchmark where municipality_code = ? and period_end <= ?
        group by table_id, measure order by table_id, measure
        """,
        [municipality_code, until],
    )
    if not rows:
        return "Der er ingen tal for kommunen: læg udtræk i landing-mappens jobindsats/."
    in_table = [r for r in rows if table and r[0].lower() == table.lower()]
    scope = in_table if table and in_table else rows
    known = [r for r in scope if measure and r[1].lower() == measure.lower()]
    if known and (in_table or not table):
        table_id, name, dims, types = known[0]
        return (
            f'{table_id} "{name}" findes med dimensionerne {"; ".join(dims)} '
            f"og periodetyperne {', '.join(types)}."
        )
    tables: dict[str, list[str]] = {}
    for table_id, name, _, _ in scope:
        tables.setdefault(table_id, []).append(f'"{name}"')
    return "Findes: " + "; ".join(f"{t}: {', '.join(m)}" for t, m in tables.items()) + "."


def load_series(conn: duckdb.DuckDBPyConnection, sel: Selection, until: date) -> list[PeriodRow]:
    """Every period of the selection up to `until`: our value, Hele landet, rank."""
    rows = _rows(
        conn,
        """
        select p.period_code, p.report_period_code, p.period_start, p.period_end, o.value,
            p.national_value, o.diff_to_national, o.rank_desc, o.n_municipalities, o.percentile
        from reporting.rpt_benchmark_periods as p
        left join marts.fct_benchmark as o
            on o.table_id = p.table_id and o.measure = p.measure
            and o.dimensions = p.dimensions and o.period_code = p.period_code
            and o.municipality_code = ?
        where p.table_id = ? and p.measure = ? and p.dimensions = ? and p.period_type = ?
            and p.period_end <= ?
        order by p.period_start, p.period_code
        """,
        [sel.municipality_code, sel.table_id, sel.measure, sel.dimensions, sel.period_type, until],
    )
    return [
        PeriodRow(
            code,
            report_code,
            period_label(sel.period_type, start, end, code),
            start,
            end,
            value,
            national,
            diff,
            rank,
            n,
            pct,
        )
        for code, report_code, start, end, value, national, diff, rank, n, pct in rows
    ]


def measure_info(conn: duckdb.DuckDBPyConnection, sel: Selection) -> dict[str, str | None]:
    """The measure's unit and direction (reporting.rpt_benchmark_measures); a measure that is
    not listed gets a unit guessed from its name and no direction."""
    row = _rows(
        conn,
        "select unit_da, direction, direction_da from reporting.rpt_benchmark_measures "
        "where lower(table_id) = lower(?) and lower(measure) = lower(?)",
        [sel.table_id, sel.measure],
    )
    if row:
        return {"unit": row[0][0], "direction": row[0][1], "direction_da": row[0][2]}
    name = sel.measure.lower()
    unit = (
        "procentpoint"
        if "pct.-point" in name
        else "procent"
        if "pct" in name or "andel" in name
        else "antal"
    )
    return {"unit": unit, "direction": None, "direction_da": "retning ikke angivet"}


def load_ranking(
    conn: duckdb.DuckDBPyConnection, sel: Selection, period_code: str
) -> tuple[list[RankRow], int]:
    """All municipalities of one period, highest first (suppressed last); and how many are
    suppressed."""
    rows = _rows(
        conn,
        """
        select rank_desc, area_name, municipality_code, value, diff_to_national, percentile
        from marts.fct_benchmark
        where table_id = ? and measure = ? and dimensions = ? and period_code = ?
        order by rank_desc nulls last, area_name
        """,
        [sel.table_id, sel.measure, sel.dimensions, period_code],
    )
    ranking = [RankRow(*r, ours=r[2] == sel.municipality_code) for r in rows]
    return ranking, sum(1 for r in ranking if r.rank is None)


def top_and_bottom(ranking: list[RankRow], n: int = TOP_N) -> list[RankRow | None]:
    """The n highest and n lowest ranked municipalities and ours; None marks a gap."""
    ranked = [r for r in ranking if r.rank is not None]
    keep = set(range(min(n, len(ranked)))) | set(range(max(0, len(ranked) - n), len(ranked)))
    keep |= {i for i, r in enumerate(ranked) if r.ours}
    out: list[RankRow | None] = []
    previous = -1
    for i in sorted(keep):
        if previous >= 0 and i != previous + 1:
            out.append(None)
        out.append(ranked[i])
        previous = i
    out += [r for r in ranking if r.rank is None and r.ours]
    return out


def index_series(points: list[tuple[date, float | None]], base: float | None) -> list:
    if not base:
        return [(d, None) for d, _ in points]
    return [(d, None if v is None else 100.0 * v / base) for d, v in points]


def build_content(conn: duckdb.DuckDBPyConnection, period: str, **options) -> dict:
    for relation in ("marts.fct_benchmark", "reporting.rpt_benchmark_periods"):
        if not table_exists(conn, relation):
            raise ReportError(f"{relation} findes ikke: byg data først (rummelig build).")
    meta = report_meta(conn, (), ())
    chosen = parse_period(period)
    code = options.get("municipality") or meta.get("municipality_code")
    if not code:
        raise ReportError("Kommunekoden er ukendt: angiv --municipality (fx 615).")
    code = str(code)
    sel = choose_selection(
        conn,
        code,
        table=options.get("table"),
        measure=options.get("measure"),
        dimensions=options.get("dimensions"),
        period_type=options.get("period_type"),
        until=chosen.end,
    )
    meta = report_meta(conn, (), (sel.table_id,))  # data quality of this table only
    series = load_series(conn, sel, chosen.end)
    latest = series[-1]  # also when our figure is suppressed there: shown as "–"
    ranking, n_suppressed = load_ranking(conn, sel, latest.period_code)
    ours_name = next((r.name for r in ranking if r.ours), None) or meta.get("municipality_name")
    ours_name = ours_name or f"Kommune {code}"
    info = measure_info(conn, sel)

    kind = value_kind([p.value for p in series] + [p.national for p in series])
    ours_points = [(p.period_end, p.value) for p in series]
    national_points = [(p.period_end, p.national) for p in series]
    counts = is_count(sel.measure)
    direction = info["direction_da"]
    if counts:
        base = next(
            (p for p in series if p.value is not None and p.national is not None and p.value),
            None,
        )
        ours_points = index_series(ours_points, base.value if base else None)
        national_points = index_series(national_points, base.national if base else None)
        chart_title = f"{sel.measure} ({info['unit']}): indeks, {base.label if base else '–'} = 100"
        y_format, y_label = "dec1", f"Indeks ({info['unit']})"
    else:
        chart_title, y_format = f"{sel.measure} ({info['unit']})", kind
        y_label = info["unit"].capitalize()
    x = [p.label for p in series]
    development = charts.line_chart(
        x,
        {ours_name: [v for _, v in ours_points], "Hele landet": [v for _, v in national_points]},
        title=f"{chart_title} · {direction}",
        y_label=y_label,
        y_format="pct" if info["unit"] == "procent" and not counts else y_format,
    )
    rank_chart = charts.line_chart(
        x,
        {f"Placering for {ours_name}": [p.rank for p in series]},
        title="Placering blandt kommunerne "
        + RANK_MEANING.get(info["direction"], "(1 = højeste værdi)"),
        y_label="Placering",
        invert_y=True,
    )
    dims = json.loads(sel.dimensions)
    dims_text = ", ".join(f"{k}: {v}" for k, v in dims.items()) or "ingen (hele tabellen)"
    footnotes = [SUPPRESSED_NOTE]
    if counts:
        footnotes.append(
            "Antal personer i en kommune og i hele landet er ikke på samme skala; kurverne viser "
            "derfor udviklingen som indeks, hvor den første periode med begge tal er 100."
        )
    footnotes.append(
        "Placering: 1 = højeste værdi blandt kommuner med et tal (lige tal deler placering, og "
        "den næste springes over). Percentil = 100 × (antal − placering) / (antal − 1). "
        f"For denne måling gælder: {direction.lower()}."
    )
    return {
        "title": "Benchmark med jobindsats.dk",
        "subtitle": f"{sel.table_id} · {sel.measure} · {ours_name} mod hele landet",
        "meta": meta,
        "period": chosen,
        "selection": sel,
        "dims_text": dims_text,
        "ours_name": ours_name,
        "measure_info": info,
        "series": series,
        "latest": latest,
        "ranking": ranking,
        "top_bottom": top_and_bottom(ranking),
        "n_suppressed": n_suppressed,
        "kind": kind,
        "charts": {"development": development, "rank": rank_chart},
        "footnotes": footnotes,
        "disclosure": PUBLISHER_SUPPRESSED_DA,
        "sections": [
            ("udvikling", "Udvikling mod hele landet"),
            ("placering", "Placering over tid"),
            ("seneste", f"Kommunerne i {latest.label}"),
        ],
    }


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)[:60]


def workbook(content: dict) -> Workbook:
    kind = content["kind"]
    sel: Selection = content["selection"]
    series: list[PeriodRow] = content["series"]
    notes = list(content["footnotes"])
    development = Sheet(
        "Udvikling",
        [
            Column("Periode", width=22),
            Column("Periodekode", width=12),
            Column("Fra", "date"),
            Column("Til", "date"),
            Column(content["ours_name"], kind),
            Column("Hele landet", kind),
            Column("Forskel til hele landet", kind),
            Column("Placering", "int"),
            Column("Kommuner med tal", "int"),
            Column("Percentil", "dec1"),
        ],
        [
            (
                p.label,
                p.report_code,
                p.period_start,
                p.period_end,
                p.value,
                p.national,
                p.diff,
                p.rank,
                p.n,
                p.percentile,
            )
            for p in series
        ],
        title=f"{sel.table_id} · {sel.measure} · dimensioner: {content['dims_text']}",
        notes=notes,
    )
    latest: PeriodRow = content["latest"]
    ranking = Sheet(
        "Seneste periode",
        [
            Column("Placering", "int"),
            Column("Kommune"),
            Column("Kommunekode"),
            Column(sel.measure, kind),
            Column("Forskel til hele landet", kind),
            Column("Percentil", "dec1"),
        ],
        [(r.rank, r.name, r.code, r.value, r.diff, r.percentile) for r in content["ranking"]],
        title=f"Alle kommuner, {latest.label}",
        notes=notes,
    )
    meta = content["meta"]
    return Workbook(
        title=f"{content['title']}: {sel.measure}",
        subject=f"{sel.table_id} · {content['ours_name']} mod hele landet",
        as_of=meta["as_of"],
        sheets=[development, ranking],
        synthetic=meta["synthetic"],
    )


def render(conn: duckdb.DuckDBPyConnection, *, period: str, out_dir: Path, **options) -> list[Path]:
    content = build_content(conn, period, **options)
    sel: Selection = content["selection"]
    stem = f"benchmark_{_safe(sel.table_id)}_{_safe(sel.measure)}_{_safe(period)}"
    return write_report(out_dir, stem, "benchmark.html", content, workbook(content))


REPORT = ReportSpec(
    name="benchmark",
    title="Benchmark med jobindsats.dk",
    render=render,
    reads=(
        "marts.fct_benchmark",
        "reporting.rpt_benchmark_periods",
        "reporting.rpt_benchmark_measures",
        "marts.meta_build",
        "marts.meta_data_quality",
        "marts.dim_org_unit",
    ),  # fmt: skip
    description="Kommunen mod hele landet og de andre kommuner for én jobindsats-måling.",
    options={
        "table": "jobindsats-tabel, fx Y07A02 (standard: den med flest perioder)",
        "measure": 'måling, fx "Antal fuldtidspersoner"',
        "dimensions": 'dimensioner som JSON, fx {"Køn": "I alt"} (standard: {} / hyppigste)',
        "period_type": "month, quarter, qmat, year eller mytd (standard: den hyppigste)",
        "municipality": "kommunekode (standard: reglernes municipality_code)",
    },
)
