"""The report framework: the explicit registry, ReportSpec.reads, metadata, labels, structure."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import duckdb
import pytest

from reports.errors import ReportError
from reports.labels import codes, label
from reports.metadata import report_meta
from reports.registry import REPORTS, all_reports, get_report, run_report
from reports.spec import ReportSpec, reject_options

REPO = Path(__file__).resolve().parents[2]


def test_the_registry_is_an_explicit_list_with_aliases():
    assert list(all_reports()) == [
        "sygefravaer",
        "inklusion",
        "kvote",
        "benchmark",
        "hmu",
        "jobcenter",
    ]
    assert get_report("sygefravær") is get_report("SYGEFRAVAER") is all_reports()["sygefravaer"]
    with pytest.raises(ReportError, match="Ukendt rapport 'nope'. Kendte rapporter: sygefravaer"):
        get_report("nope")
    source = (REPO / "reports" / "registry.py").read_text(encoding="utf-8")
    assert "pkgutil" not in source


def test_every_report_reads_existing_marts_and_reporting_models():
    models = {p.stem for p in (REPO / "dbt_project" / "models").rglob("*.sql")}
    for spec in REPORTS:
        assert spec.reads, spec.name
        for relation in spec.reads:
            schema, model = relation.split(".")
            assert schema in ("marts", "reporting"), relation
            assert model in models, relation
            folder = "reporting" if schema == "reporting" else "marts"
            assert list((REPO / "dbt_project" / "models" / folder).rglob(f"{model}.sql")), relation
    with pytest.raises(ValueError, match="marts.* and reporting.* only"):
        ReportSpec("x", "X", lambda *a, **k: [], reads=("intermediate.int_build",))


def test_report_modules_query_only_what_they_declare():
    """Every schema.table a report module names in SQL is in its ReportSpec.reads."""
    import re

    for spec in REPORTS:
        # the report's module and its helpers (reports/hmu.py, hmu_content.py, hmu_summary.py)
        paths = [REPO / "reports" / f"{spec.name}.py"]
        paths += sorted((REPO / "reports").glob(f"{spec.name}_*.py"))
        source = "\n".join(p.read_text(encoding="utf-8") for p in paths)
        named = set(
            re.findall(r"\b((?:marts|reporting|intermediate|staging|raw)\.[a-z_]+)", source)
        )
        named = {n for n in named if not n.endswith("_DA")}
        assert named <= set(spec.reads), (spec.name, named - set(spec.reads))


def test_reports_have_no_import_circle():
    """reports/ modules form a DAG (charts ↔ common was a circle once)."""
    graph = {}
    for path in (REPO / "reports").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "reports":
                    deps |= {a.name for a in node.names}
                elif node.module.startswith("reports."):
                    deps.add(node.module.split(".")[1])
        graph[path.stem] = deps
    done: set[str] = set()

    def visit(node, trail):
        assert node not in trail, f"import circle: {' → '.join([*trail, node])}"
        if node in done:
            return
        for dep in graph.get(node, ()):
            visit(dep, [*trail, node])
        done.add(node)

    for module in graph:
        visit(module, [])
    assert "common" not in graph  # split into modules that each own one thing
    assert "registry" not in graph["charts"] and "charts" not in graph["formatting"]


def test_reject_options_names_the_unknown_ones_and_ignores_unset():
    reject_options("kvote", {"unit": None})
    with pytest.raises(ReportError, match=r"^Rapporten kvote kender ikke tilvalget --a, --b-c\.$"):
        reject_options("kvote", {"b_c": "x", "a": 1, "c": None})


def test_run_report_checks_the_database_and_period_first(tmp_path):
    with pytest.raises(ReportError, match="findes ikke"):
        run_report("inklusion", tmp_path / "none.duckdb", period="2025", out_dir=tmp_path)
    with pytest.raises(ReportError, match="Ugyldig periode"):
        run_report("inklusion", tmp_path / "none.duckdb", period="2025-1-1", out_dir=tmp_path)
    assert not (tmp_path / "none.duckdb").exists()


def test_an_old_warehouse_without_the_reporting_layer_is_a_clear_error(tmp_path):
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as conn:
        conn.execute("create schema marts")
    with pytest.raises(ReportError, match="mangler reporting.rpt_sickness_units.*rummelig build"):
        run_report("sygefravaer", db, period="2025", out_dir=tmp_path)


def test_labels_come_from_the_one_seed_shared_with_ingest():
    from ingest.registers.specs import BENEFIT_GROUPS, CAUSES, SCHEMES, WORKPLACE_TYPES

    assert tuple(codes("scheme")) == SCHEMES
    assert tuple(codes("workplace_type")) == WORKPLACE_TYPES
    assert tuple(codes("absence_cause")) == CAUSES
    assert tuple(codes("benefit_group")) == BENEFIT_GROUPS
    assert label("loentilskud", "scheme") == "Løntilskud"
    assert label("ny_kode", "scheme") == "ny_kode" and label(None, "scheme") == "Uoplyst"
    with pytest.raises(KeyError):
        codes("schemes")  # a misspelt list fails loudly
    for path in (REPO / "reports").glob("*.py"):  # no copy of a code list in the reports
        assert '"Virksomhedspraktik"' not in path.read_text(encoding="utf-8"), path.name


@pytest.fixture
def meta_db(tmp_path) -> Path:
    db = tmp_path / "m.duckdb"
    with duckdb.connect(str(db)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            """create table marts.meta_build as select date '2025-11-15' as as_of,
            date '2022-11-01' as window_start, date '2025-11-15' as window_end,
            timestamp '2025-11-15 06:30:00' as built_at, '615' as municipality_code,
            'Horsens' as municipality_name, 3 as small_cell_min_persons, 36 as history_months"""
        )
        conn.execute(
            """create table marts.dim_org_unit as
            select 'K' as org_unit_id, 'Horsens Kommune (syntetiske data)' as name,
                   null::varchar as parent_id"""
        )
        conn.execute(
            """create table marts.meta_data_quality as
            select 'registers' as source, 'engagements' as register, 1 as files_loaded,
              0 as files_skipped, 0 as files_failed, 10 as rows_read, 8 as rows_loaded,
              2 as rows_quarantined, 0 as warnings, 2 as errors,
              [{'severity': 'error', 'reason': 'invalid_date', 'problems': 2}] as reasons,
              []::varchar[] as failed_files
            union all
            select 'registers', 'placements', 1, 0, 0, 5, 5, 0, 3, 0,
              [{'severity': 'warning', 'reason': 'missing_hours', 'problems': 3}], []
            union all
            select 'jobindsats', 'Y07A02', 1, 0, 1, 0, 0, 0, 0, 0, [],
              ['Y07A02_x.json: Forkert nøgle']"""
        )
    return db


def test_report_meta_lists_only_the_registers_a_report_uses(meta_db):
    with duckdb.connect(str(meta_db), read_only=True) as conn:
        hr = report_meta(conn, ("org_units", "engagements"))
        placements = report_meta(conn, ("placements",))
        benchmark = report_meta(conn, (), ("Y07A02",))
    assert hr["as_of"] == date(2025, 11, 15) and hr["small_cell_min_persons"] == 3
    assert hr["synthetic"] is True  # the root unit says so
    assert hr["warnings"] == [
        "Ansættelser (HR/løn): 2 rækker af 10 blev afvist ved indlæsningen og er ikke med i "
        "tallene (ugyldig dato: 2)."
    ]
    assert placements["warnings"] == [
        "Ekstraordinære forløb (jobcentret): 3 rækker er med, men med et forbehold "
        "(timetal mangler (regnet som fuld tid): 3)."
    ]
    assert benchmark["warnings"] == [
        "jobindsats.dk, tabel Y07A02: 1 fil kunne ikke læses og er ikke med "
        "(Y07A02_x.json: Forkert nøgle)."
    ]
    assert benchmark["dq_registers"] == ["jobindsats.dk"]


def test_a_report_takes_its_period_from_year_or_quarter_when_it_offers_them(tmp_path):
    """hmu: --year / --quarter (or --period); exactly one; no month. Other reports keep
    --period only. All checked before the database is opened."""
    from reports.registry import choose_period

    hmu, kvote = get_report("hmu"), get_report("kvote")
    assert choose_period(hmu, None, {"year": "2025"}) == "2025"
    assert choose_period(hmu, None, {"quarter": "2025k3"}) == "2025Q3"
    assert choose_period(hmu, "2025q1", {}) == "2025Q1"
    options = {"quarter": "2025Q3", "unit": None}
    choose_period(hmu, None, options)
    assert options == {"unit": None}  # the period option is used up, the rest stays
    for period, options, message in (
        (None, {"quarter": "2025Q5"}, "Ugyldigt kvartal '2025Q5'"),
        (None, {"quarter": True}, "Tilvalget --quarter kræver en værdi"),
        (None, {"year": "2025-01"}, "Ugyldigt år '2025-01'"),
        ("2025-11", {}, "laves for et år eller et kvartal, ikke for en måned"),
        ("2025", {"year": "2025"}, r"Angiv perioden én gang \(fik --period, --year\)"),
        (None, {}, "Angiv rapportens periode: --year 2025 eller --quarter 2025Q3"),
    ):
        with pytest.raises(ReportError, match=message):
            choose_period(hmu, period, dict(options))
    assert choose_period(kvote, "2025-11", {}) == "2025-11"
    with pytest.raises(ReportError, match=r"^Angiv rapportens periode: --period 2025\.$"):
        choose_period(kvote, None, {"year": "2025"})  # kvote has no --year: left for render
    with pytest.raises(ReportError, match="Ugyldigt kvartal"):
        run_report("hmu", tmp_path / "none.duckdb", quarter="2025Q0", out_dir=tmp_path)
