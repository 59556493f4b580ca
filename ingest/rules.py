"""Rules and parameters (docs/domain.md §4) as data tables, so SQL joins rule versions by date.

Defaults live in `ingest/default_rules.yml`; a municipality's `config/rules.yml` overrides any
top-level key (a group such as `local_quota` is merged key by key, a list such as
`statutory_ratio` is replaced whole, and so is the HMU's `aarshjul`: a municipality's wheel is
its own, not the default's months with some changed). The merged rules are validated by
`ingest/rules_schema.py` before anything is written. Targets (`config/targets.csv`) are read
by `ingest/targets.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import yaml

from ingest.rules_schema import Rules, RulesError, parse_rules

DEFAULT_RULES_FILE = Path(__file__).with_name("default_rules.yml")


class _RulesLoader(yaml.SafeLoader):
    """Safe YAML, but dates stay text: the schema parses them (an unquoted 2022-13-01 would
    otherwise fail inside PyYAML with a bare ValueError that names neither file nor key)."""


_RulesLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)

__all__ = ["RulesError", "load_rules", "merged_rules", "read_rules_file", "rules_tables"]


def read_rules_file(path: Path) -> dict[str, Any]:
    """One rules file as a mapping; RulesError (Danish, naming the file) when it is not UTF-8,
    not YAML, or not a mapping of rule names."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RulesError(
            f"{path.name}: ikke UTF-8-kodet (ugyldig byte ved position {exc.start}); "
            "gem filen som UTF-8"
        ) from None
    try:
        data = yaml.load(text, Loader=_RulesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" linje {mark.line + 1}, kolonne {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RulesError(f"{path.name}{where}: ikke gyldig YAML ({problem})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RulesError(
            f"{path.name}: forventede regelnavne med værdier (nøgle: værdi) øverst i filen"
        )
    return data


def default_rules() -> dict[str, Any]:
    return read_rules_file(DEFAULT_RULES_FILE)


# Groups that a municipality's file replaces whole instead of merging key by key: the årshjul's
# months may be spelt differently (2, "02", februar), so a merge could not tell them apart.
REPLACED_WHOLE = frozenset({"aarshjul"})


def merged_rules(config_path: Path | None) -> Rules:
    """The defaults with `config_path` laid over them, validated."""
    rules = default_rules()
    if config_path is None or not config_path.exists():
        return parse_rules(rules, DEFAULT_RULES_FILE.name)
    for key, value in read_rules_file(config_path).items():
        if (
            key not in REPLACED_WHOLE
            and isinstance(rules.get(key), dict)
            and isinstance(value, dict)
        ):
            rules[key] = {**rules[key], **value}
        else:
            rules[key] = value  # unknown keys are refused by the schema
    return parse_rules(rules, config_path.name)


def rules_tables(rules: Rules) -> dict[str, pl.DataFrame]:
    """The raw.rules_* tables as frames (column order as in ingest/raw_schema.py)."""
    q, s, r = rules.local_quota, rules.sickness, rules.retention
    general = pl.DataFrame(
        [
            {
                "municipality_code": rules.municipality_code,
                "full_time_hours": float(rules.full_time_hours),
                "dagsvaerk_hours": float(rules.dagsvaerk_hours),
                "small_cell_min_persons": rules.small_cell_min_persons,
                "history_months": rules.history_months,
                "local_quota_ratio": float(q.ratio),
                "local_quota_basis": q.basis,
                "local_quota_minimum_allowed": q.minimum_allowed,
                "require_inclusion_approval": rules.require_inclusion_approval,
                "karens_months": rules.karens_months,
                "conversation_trigger_days": s.conversation_trigger_days,
                "retention_weeks": r.weeks,
                "retention_retained_weeks": r.retained_weeks,
                "placement_followup_days": r.placement_followup_days,
                "employment_min_days": r.employment_min_days,
            }
        ]
    )
    code_rows = [("local_quota_schemes", None, c) for c in q.schemes]
    code_rows += [("sickness_causes", None, c) for c in s.causes]
    statutory = []
    for v in rules.statutory_ratio:
        statutory.append(
            {
                "name": v.name,
                "valid_from": v.valid_from,
                "valid_to": v.valid_to,
                "basis": v.basis,
                "source": v.source,
            }
        )
        code_rows += [("statutory_schemes", v.name, c) for c in v.schemes]
    sdp = []
    for v in rules.sdp_followup:
        sdp.append(
            {
                "name": v.name,
                "valid_from": v.valid_from,
                "valid_to": v.valid_to,
                "first_due_days": v.first_due_days,
                "fast_track_days": v.fast_track_days,
                "then_count": v.then.count,
                "then_within_days": v.then.within_days,
                "then_interval_days": v.then.interval_days,
                "source": v.source,
            }
        )
        code_rows += [("sdp_categories", v.name, str(c)) for c in v.categories]
    bands = [
        {"band": name, "min_days": low, "max_days": high}
        for name, (low, high) in s.bands.model_dump().items()
    ]
    aarshjul = pl.DataFrame(
        [{"month": month, "topic": topic} for month, topic in rules.aarshjul.items()],
        schema={"month": pl.Int32, "topic": pl.String},
    )
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
        "rules_aarshjul": aarshjul,
    }


def _replace_table(conn: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    conn.register("_rules_frame", frame.to_arrow())
    try:
        conn.execute(f"DELETE FROM raw.{table}")
        conn.execute(f"INSERT INTO raw.{table} SELECT * FROM _rules_frame")
    finally:
        conn.unregister("_rules_frame")


def load_rules(conn: duckdb.DuckDBPyConnection, config_path: Path | None = None) -> Rules:
    """Replace raw.rules_* with the rules in force; returns them (validated)."""
    rules = merged_rules(config_path)
    for table, frame in rules_tables(rules).items():
        _replace_table(conn, table, frame)
    return rules
