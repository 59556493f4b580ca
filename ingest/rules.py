"""Rules and parameters (DOMAIN.md §4) as data tables, so SQL joins rule versions by date.

Defaults live in `ingest/default_rules.yml`; a municipality's `config/rules.yml` overrides any
top-level key (a list such as `statutory_ratio` is replaced whole). Targets come from
`config/targets.csv` (DOMAIN.md §3.5).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import yaml

DEFAULT_RULES_FILE = Path(__file__).with_name("default_rules.yml")

TARGET_COLUMNS = [
    "kpi",
    "scope_type",
    "scope_id",
    "period_start",
    "period_end",
    "target_value",
    "direction",
    "source",
]


class RulesError(ValueError):
    """A rules or targets file that cannot be used; the message names the file and the problem."""


def default_rules() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_RULES_FILE.read_text(encoding="utf-8"))


def merged_rules(config_path: Path | None) -> dict[str, Any]:
    rules = default_rules()
    if config_path is None or not config_path.exists():
        return rules
    try:
        override = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise RulesError(f"{config_path.name}: not valid YAML ({exc})") from exc
    if not isinstance(override, dict):
        raise RulesError(f"{config_path.name}: expected a mapping of rule names at the top level")
    unknown = sorted(set(override) - set(rules))
    if unknown:
        raise RulesError(f"{config_path.name}: unknown rule(s) {', '.join(unknown)}")
    for key, value in override.items():
        if isinstance(rules[key], dict) and isinstance(value, dict):
            rules[key] = {**rules[key], **value}
        else:
            rules[key] = value
    return rules


def _as_date(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise RulesError(f"{where}: '{value}' is not a date (YYYY-MM-DD)") from exc


def rules_tables(rules: dict[str, Any]) -> dict[str, pl.DataFrame]:
    """The raw.rules_* tables as frames (column order as in ingest/raw_schema.py)."""
    q, s, r = rules["local_quota"], rules["sickness"], rules["retention"]
    if q["basis"] not in ("headcount", "fte"):
        raise RulesError(f"rules.yml: local_quota.basis must be headcount or fte, not {q['basis']}")
    general = pl.DataFrame(
        [
            {
                "municipality_code": str(rules["municipality_code"]),
                "full_time_hours": float(rules["full_time_hours"]),
                "dagsvaerk_hours": float(rules["dagsvaerk_hours"]),
                "small_cell_min_persons": int(rules["small_cell_min_persons"]),
                "history_months": int(rules["history_months"]),
                "local_quota_ratio": float(q["ratio"]),
                "local_quota_basis": q["basis"],
                "local_quota_minimum_allowed": int(q["minimum_allowed"]),
                "require_inclusion_approval": bool(rules["require_inclusion_approval"]),
                "karens_months": int(rules["karens_months"]),
                "conversation_trigger_days": int(s["conversation_trigger_days"]),
                "retention_weeks": int(r["weeks"]),
                "retention_retained_weeks": int(r["retained_weeks"]),
                "placement_followup_days": int(r["placement_followup_days"]),
                "employment_min_days": int(r["employment_min_days"]),
            }
        ]
    )
    code_rows = [("local_quota_schemes", None, c) for c in q["schemes"]]
    code_rows += [("sickness_causes", None, c) for c in s["causes"]]
    statutory = []
    for v in rules["statutory_ratio"]:
        where = f"rules.yml statutory_ratio {v.get('name')}"
        if v["basis"] not in ("headcount", "fte_4m_avg"):
            raise RulesError(f"{where}: basis must be headcount or fte_4m_avg")
        statutory.append(
            {
                "name": v["name"],
                "valid_from": _as_date(v["valid_from"], where),
                "valid_to": _as_date(v.get("valid_to"), where),
                "basis": v["basis"],
                "source": v.get("source"),
            }
        )
        code_rows += [("statutory_schemes", v["name"], c) for c in v["schemes"]]
    sdp = []
    for v in rules["sdp_followup"]:
        where = f"rules.yml sdp_followup {v.get('name')}"
        then = v.get("then") or {}
        sdp.append(
            {
                "name": v["name"],
                "valid_from": _as_date(v["valid_from"], where),
                "valid_to": _as_date(v.get("valid_to"), where),
                "first_due_days": int(v["first_due_days"]),
                "fast_track_days": int(v["fast_track_days"]),
                "then_count": then.get("count"),
                "then_within_days": then.get("within_days"),
                "then_interval_days": then.get("interval_days"),
                "source": v.get("source"),
            }
        )
        code_rows += [("sdp_categories", v["name"], str(c)) for c in v["categories"]]
    bands = [
        {"band": name, "min_days": int(lo), "max_days": None if hi is None else int(hi)}
        for name, (lo, hi) in s["bands"].items()
    ]
    return {
        "rules_general": general,
        "rules_code_sets": pl.DataFrame(
            code_rows, schema=["rule_set", "version_name", "code"], orient="row"
        ),
        "rules_statutory_ratio": pl.DataFrame(
            statutory,
            schema={
                "name": pl.String,
                "valid_from": pl.Date,
                "valid_to": pl.Date,
                "basis": pl.String,
                "source": pl.String,
            },
        ),
        "rules_sickness_bands": pl.DataFrame(
            bands, schema={"band": pl.String, "min_days": pl.Int32, "max_days": pl.Int32}
        ),
        "rules_sdp_followup": pl.DataFrame(
            sdp,
            schema={
                "name": pl.String,
                "valid_from": pl.Date,
                "valid_to": pl.Date,
                "first_due_days": pl.Int32,
                "fast_track_days": pl.Int32,
                "then_count": pl.Int32,
                "then_within_days": pl.Int32,
                "then_interval_days": pl.Int32,
                "source": pl.String,
            },
        ),
    }


def read_targets(path: Path | None) -> pl.DataFrame:
    """config/targets.csv → frame; a missing column or bad value fails with file, row and reason."""
    schema = {
        "kpi": pl.String,
        "scope_type": pl.String,
        "scope_id": pl.String,
        "period_start": pl.Date,
        "period_end": pl.Date,
        "target_value": pl.Float64,
        "direction": pl.String,
        "source": pl.String,
        "file_row": pl.Int32,
    }
    if path is None or not path.exists():
        return pl.DataFrame(schema=schema)
    text = path.read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return pl.DataFrame(schema=schema)
    sep = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    header = [h.strip().lower() for h in lines[0].split(sep)]
    missing = [c for c in TARGET_COLUMNS if c != "source" and c not in header]
    if missing:
        raise RulesError(f"{path.name}: missing column(s) {', '.join(missing)}")
    rows = []
    for number, line in enumerate(lines[1:], start=1):
        cells = dict(zip(header, (c.strip() for c in line.split(sep)), strict=False))
        where = f"{path.name} row {number}"
        if cells.get("scope_type") not in ("kommune", "area", "org_unit"):
            raise RulesError(f"{where}: scope_type must be kommune, area or org_unit")
        if cells.get("direction") not in ("min", "max"):
            raise RulesError(f"{where}: direction must be min or max")
        try:
            value = float(cells["target_value"].replace(",", "."))
        except ValueError as exc:
            raise RulesError(
                f"{where}: target_value '{cells['target_value']}' is no number"
            ) from exc
        rows.append(
            {
                "kpi": cells["kpi"],
                "scope_type": cells["scope_type"],
                "scope_id": cells["scope_id"],
                "period_start": _as_date(cells["period_start"], where),
                "period_end": _as_date(cells["period_end"], where),
                "target_value": value,
                "direction": cells["direction"],
                "source": cells.get("source") or None,
                "file_row": number,
            }
        )
    return pl.DataFrame(rows, schema=schema)


def _replace_table(conn: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    conn.register("_rules_frame", frame.to_arrow())
    try:
        conn.execute(f"DELETE FROM raw.{table}")
        conn.execute(f"INSERT INTO raw.{table} SELECT * FROM _rules_frame")
    finally:
        conn.unregister("_rules_frame")


def load_rules(
    conn: duckdb.DuckDBPyConnection,
    config_path: Path | None = None,
    targets_path: Path | None = None,
) -> dict[str, Any]:
    """Replace raw.rules_* and raw.targets with the rules in force; returns the merged rules."""
    rules = merged_rules(config_path)
    for table, frame in rules_tables(rules).items():
        _replace_table(conn, table, frame)
    _replace_table(conn, "targets", read_targets(targets_path))
    return rules
