"""config/targets.csv: måltal (docs/domain.md §3.5) for the KPIs of §5.8."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from synthetic.core import Settings

HEADER = "kpi;scope_type;scope_id;period_start;period_end;target_value;direction;source"

# kpi, target, direction, source (municipality scope, one row per year)
YEARLY = [
    ("quota_workplaces_over_pct", "5", "max", "HMU"),
    ("quota_breaches", "0", "max", "HMU"),
    ("sickness_pct_alle", "6.0", "max", "HMU"),
    ("sickness_pct_ordinaere", "5,5", "max", "HMU"),
    ("sickness_pct_inklusion", "9.0", "max", "HMU"),
    ("retention_13_26_pct", "50", "min", "byraad"),
    ("placement_employment_pct", "50", "min", "byraad"),
    ("rettidighed_pct", "90", "min", "jobcenter"),
    ("rettidighed_first_pct", "95", "min", "ministermaal"),
]


def write_targets(s: Settings, path: Path, units: pl.DataFrame) -> int:
    code = s.municipality_code
    rows = []
    active_target = max(10, round(s.employees * 0.065 / 10) * 10)
    for year in range(s.start.year, s.as_of.year + 1):
        first, last = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
        rows.append(f"placements_active;kommune;{code};{first};{last};{active_target};min;byraad")
        rows += [f"{k};kommune;{code};{first};{last};{v};{d};{src}" for k, v, d, src in YEARLY]
    # A narrower target wins over the yearly one (E23): a push on timeliness in one quarter.
    q_year = s.as_of.year
    rows.append(f"rettidighed_pct;kommune;{code};{q_year}-01-01;{q_year}-03-31;95;min;jobcenter")
    # A target over the whole period, overridden by the yearly rows where they exist.
    rows.append(
        f"sickness_pct_alle;kommune;{code};{s.start.isoformat()};{s.as_of.year}-12-31;6.5;max;byraad"
    )
    # Area scope uses the area name as written in org_units.area; org_unit scope the id of an
    # area's unit (fct_kpi has a row per area: the units directly below the root).
    named = ("Børn og Unge", "Social og Sundhed")
    for area, target in zip(named, ("5.0", "6.5"), strict=True):
        rows.append(
            f"sickness_pct_ordinaere;area;{area};{s.as_of.year}-01-01;{s.as_of.year}-12-31;"
            f"{target};max;HMU"
        )
    root_id = units.filter(pl.col("parent_id").is_null())["org_unit_id"][0]
    areas = units.filter((pl.col("parent_id") == root_id) & ~pl.col("area").is_in(named)).sort(
        "org_unit_id"
    )
    for unit_id in areas["org_unit_id"].head(2):
        rows.append(
            f"sickness_pct_alle;org_unit;{unit_id};{s.as_of.year}-01-01;{s.as_of.year}-12-31;"
            "7.0;max;HMU"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return len(rows)
