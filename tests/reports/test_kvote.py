"""The kvote report on a hand-built warehouse: marts tables written directly in DuckDB.

Hand data (as_of 2025-06-15, window from 2024-01-01). Status on 2025-06-15:
  W1 Plejecenter Sol   5 ordinary, 2 extraordinary, allowed 1 → over (−1); statutory 1.540541 > 1
  W2 Børnehuset       10 ordinary, 1 extraordinary, allowed 2 → under; in karens to 2025-07-01;
                       not approved (with extraordinary staff)
  W3 Vej og Park       4 ordinary, 0 extraordinary, allowed 0 → at, but nobody placed: not listed
  W4 Nordskolen       20 ordinary, 4 extraordinary, allowed 4 → at with staff
  Key figures: 4 workplaces; over 1 (W1); at with staff 1 (W4); statutory over 1 (W1); karens 1
  (W2); unapproved with staff 1 (W2); extraordinary 2+1+0+4 = 7; allowed 1+2+0+4 = 7; positive
  headroom 0+1+0+0 = 1.
Breaches: pl-1 (W1, 2025-03-10: over_local_quota, over_statutory), pl-2 (W2, 2025-04-10:
not_approved, karens, merbeskaeftigelse), pl-3 (W4, 2024-11-01: over_local_quota).
2025: 2 placements with breaches, one of each type. 2024: 1 placement (over_local_quota).
Reconciliation: 2 × no_placement, 1 × no_engagement = 3.
Explanations are the mart's detail texts; the report writes their ISO dates the Danish way and
cites the statutory rule by its source instead of its internal name (bek_2636_2021).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from reports.errors import ReportError
from reports.kvote import build_content, reconciliation_count
from reports.registry import get_report, run_report
from tests.support.reporting import build_reporting

AS_OF = date(2025, 6, 15)
PERSON_KEYS = ["pk-secret-1", "pk-secret-2", "pk-secret-3", "pk-secret-4", "pk-secret-5"]

UNITS = [
    # org_unit_id, name, area, workplace_type
    ("W1", "Plejecenter Sol", "Social og Sundhed", "plejecenter"),
    ("W2", "Børnehuset", "Børn og Unge", "daginstitution"),
    ("W3", "Vej og Park", "Teknik", "vej_og_park"),
    ("W4", "Nordskolen", "Børn og Unge", "skole"),
]

# workplace_id → (ordinary, fte, extra, allowed, headroom, status, stat_count, stat_allowed,
#                 stat_status, in_karens, karens_until, approved)
STATUS_ASOF = {
    "W1": (5, 5.0, 2, 1, -1, "over", 1.540541, 1, "over", False, None, True),
    "W2": (10, 10.0, 1, 2, 1, "under", 1.0, 2, "ok", True, date(2025, 7, 1), False),
    "W3": (4, 4.0, 0, 0, 0, "at", 0.0, 1, "ok", False, None, True),
    "W4": (20, 20.0, 4, 4, 0, "at", 2.0, 4, "ok", False, None, True),
}
# Earlier month-ends for the trend: (extraordinary, allowed) per workplace.
EARLIER = {
    date(2024, 12, 31): {"W1": (0, 1), "W2": (0, 2), "W3": (0, 0), "W4": (2, 4)},
    date(2025, 5, 31): {"W1": (1, 1), "W2": (0, 2), "W3": (0, 0), "W4": (3, 4)},
}
BREACHES = [
    ("pl-1", "pk-secret-1", "W1", "virksomhedspraktik", date(2025, 3, 10), "over_local_quota"),
    ("pl-1", "pk-secret-1", "W1", "virksomhedspraktik", date(2025, 3, 10), "over_statutory"),
    ("pl-2", "pk-secret-2", "W2", "loentilskud", date(2025, 4, 10), "not_approved"),
    ("pl-2", "pk-secret-2", "W2", "loentilskud", date(2025, 4, 10), "karens"),
    ("pl-2", "pk-secret-2", "W2", "loentilskud", date(2025, 4, 10), "merbeskaeftigelse"),
    ("pl-3", "pk-secret-3", "W4", "fleksjob", date(2024, 11, 1), "over_local_quota"),
]


DETAILS = {
    "over_statutory": "rimelighedskrav: 1,54 årsværk omfattet, tilladt 1 (bek_2636_2021)",
    "karens": "karens til 2025-07-01 efter afskedigelse 2025-04-01",
}


def _status_row(month_end, wp, values):
    (o, fte, x, allowed, head, st, sc, sa, ss, karens, until, approved) = values
    return (month_end, wp, o, fte, x, allowed, head, st, "bek_2636_2021", sc, "fte_4m_avg",
            fte, sa, ss, karens, until, approved)  # fmt: skip


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("kvote") / "kvote.duckdb"
    with duckdb.connect(str(db)) as conn:
        conn.execute("CREATE SCHEMA marts")
        conn.execute("CREATE SCHEMA intermediate")
        conn.execute("CREATE SCHEMA staging")
        conn.execute("CREATE TABLE intermediate.int_build AS SELECT DATE '2025-06-15' AS as_of")
        conn.execute(
            """CREATE TABLE staging.stg_rules_statutory_ratio AS SELECT 'bek_2636_2021' AS name,
               'bek. nr. 2636 af 28/12/2021 § 65' AS source"""
        )
        conn.execute(
            """CREATE TABLE marts.meta_build (as_of DATE, window_start DATE, built_at TIMESTAMP,
               municipality_code VARCHAR, municipality_name VARCHAR)"""
        )
        conn.execute(
            "INSERT INTO marts.meta_build VALUES (?, ?, ?, '615', 'Horsens')",
            [AS_OF, date(2024, 1, 1), datetime(2025, 6, 16, 6, 0)],
        )
        conn.execute(
            """CREATE TABLE marts.dim_org_unit (org_unit_id VARCHAR, name VARCHAR,
               area VARCHAR, workplace_type VARCHAR, parent_id VARCHAR)"""
        )
        conn.executemany("INSERT INTO marts.dim_org_unit VALUES (?, ?, ?, ?, 'K')", UNITS)
        conn.execute(
            """CREATE TABLE marts.fct_quota_status (month_end DATE, workplace_id VARCHAR,
               ordinary_headcount BIGINT, ordinary_fte DOUBLE, extraordinary_persons BIGINT,
               allowed_local INTEGER, headroom_local BIGINT, status_local VARCHAR,
               statutory_version VARCHAR, statutory_count DOUBLE, statutory_basis VARCHAR,
               ordinary_fte_4m_avg DOUBLE, allowed_statutory INTEGER, status_statutory VARCHAR,
               in_karens BOOLEAN, karens_until DATE, approved BOOLEAN)"""
        )
        rows = [_status_row(AS_OF, wp, v) for wp, v in STATUS_ASOF.items()]
        for month_end, figures in EARLIER.items():
            for wp, (x, allowed) in figures.items():
                status = "under" if x < allowed else ("at" if x == allowed else "over")
                rows.append(
                    _status_row(
                        month_end,
                        wp,
                        (5, 5.0, x, allowed, allowed - x, status, 0.0, 1, "ok", False, None, True),
                    )
                )
        conn.executemany(f"INSERT INTO marts.fct_quota_status VALUES ({', '.join('?' * 17)})", rows)
        conn.execute(
            """CREATE TABLE marts.fct_quota_breaches (placement_id VARCHAR, person_key VARCHAR,
               workplace_id VARCHAR, scheme VARCHAR, start_date DATE, breach_type VARCHAR,
               detail VARCHAR)"""
        )
        conn.executemany(
            "INSERT INTO marts.fct_quota_breaches VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*b, DETAILS.get(b[5], f"forklaring {b[5]}")) for b in BREACHES],
        )
        conn.execute(
            """CREATE TABLE marts.fct_inclusion_reconciliation (record_type VARCHAR,
               record_id VARCHAR, person_key VARCHAR, reason_code VARCHAR)"""
        )
        conn.executemany(
            "INSERT INTO marts.fct_inclusion_reconciliation VALUES (?, ?, ?, ?)",
            [
                ("engagement", "E1", "pk-secret-4", "no_placement"),
                ("engagement", "E2", "pk-secret-5", "no_placement"),
                ("placement", "P9", "pk-secret-4", "no_engagement"),
            ],
        )
    build_reporting(db, ["rpt_quota_trend", "rpt_quota_breaches"], AS_OF)
    return db


def content(db: Path, period: str) -> dict:
    with duckdb.connect(str(db), read_only=True) as conn:
        return build_content(conn, period)


def test_key_figures_on_the_periods_last_month_end(warehouse):
    c = content(warehouse, "2025")
    assert c["snapshot"] == AS_OF
    assert dict(c["keyfigures"]) == {
        "Arbejdspladser (enheder med P-nummer)": 4,
        "Over den lokale kvote": 1,
        "På kvoten med ekstraordinært ansatte": 1,
        "Over rimelighedskravet": 1,
        "I karensperiode": 1,
        "Ekstraordinært ansatte uden godkendelse": 1,
        "Ekstraordinært ansatte i alt": 7,
        "Tilladt efter den lokale kvote i alt": 7,
        "Ledige pladser (positivt råderum) i alt": 1,
        "Forløb med brud, startet i perioden": 2,
        "Uafstemte poster HR ↔ jobcenter": 3,
    }


def test_flagged_workplaces_are_over_at_with_staff_karens_or_unapproved(warehouse):
    c = content(warehouse, "2025")
    # Ordered by headroom: W1 (−1), W4 (0), W2 (1); W3 is at quota with nobody placed.
    assert [r["workplace_name"] for r in c["flagged"]] == [
        "Plejecenter Sol",
        "Nordskolen",
        "Børnehuset",
    ]


def test_breaches_counted_by_type_within_the_period(warehouse):
    c = content(warehouse, "2025")
    assert [n for _, n in c["breach_types"]] == [1, 1, 1, 1, 1]
    assert c["breach_workplaces"] == [("Børnehuset", [1, 1, 0, 0, 1], 3),
                                      ("Plejecenter Sol", [0, 0, 1, 1, 0], 2)]  # fmt: skip
    c2024 = content(warehouse, "2024")
    assert c2024["snapshot"] == date(2024, 12, 31)
    assert dict(c2024["breach_types"])["Over den lokale kvote"] == 1
    assert sum(n for _, n in c2024["breach_types"]) == 1


def test_trend_sums_the_municipality_per_month_end(warehouse):
    c = content(warehouse, "2025")
    trend = c["trend"]
    assert [(t["month_end"], t["extraordinary_persons"], t["allowed_local"]) for t in trend] == [
        (date(2024, 12, 31), 2, 7),
        (date(2025, 5, 31), 4, 7),
        (AS_OF, 7, 7),
    ]


def test_reconciliation_count(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert reconciliation_count(conn) == 3


def test_render_writes_html_and_xlsx_without_person_identifiers(warehouse, tmp_path):
    paths = run_report("kvote", warehouse, period="2025", out_dir=tmp_path)
    assert [p.name for p in paths] == ["kvote_2025.html", "kvote_2025.xlsx"]
    html = paths[0].read_text(encoding="utf-8")
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org", "")
    assert "Kvoter og rimelighedskrav" in html and "1,54 / 1 (Over)" in html
    assert "Merbeskæftigelseskravet ikke opfyldt" in html
    # one row per placement; Danish dates and the rule's citation in the explanation
    assert html.count("karens til 1. jul. 2025 efter afskedigelse 1. apr. 2025") == 1
    assert "tilladt 1 (bek. nr. 2636 af 28/12/2021 § 65)" in html
    assert "bek_2636_2021" not in html and "2025-07-01" not in html
    assert "Ingen tal er skjult" in html
    book = openpyxl.load_workbook(paths[1])
    assert "Brud" in book.sheetnames and "Alle arbejdspladser" in book.sheetnames
    xlsx_text = " ".join(
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    )
    for secret in [*PERSON_KEYS, "pl-1", "pl-2", "pl-3", "E1", "P9"]:
        assert not re.search(rf"\b{re.escape(secret)}\b", html), secret
        assert not re.search(rf"\b{re.escape(secret)}\b", xlsx_text), secret
    # A breach row names no scheme: one placement's scheme (e.g. fleksjob) is a personal attribute.
    for scheme_label in ["Virksomhedspraktik", "Fleksjob", "Ordning"]:
        assert scheme_label not in html and scheme_label not in xlsx_text, scheme_label


def test_xlsx_workplace_sheet_equals_the_hand_status(warehouse, tmp_path):
    paths = run_report("kvote", warehouse, period="2025", out_dir=tmp_path)
    ws = openpyxl.load_workbook(paths[1])["Alle arbejdspladser"]
    assert ws.freeze_panes == "A4"  # title, blank line, header on row 3
    names = {u[0]: u[1] for u in UNITS}
    got = {}
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[0] is None:  # the notes follow after a blank row
            break
        got[row[0]] = row
    assert set(got) == {names[wp] for wp in STATUS_ASOF}
    for wp, (o, fte, x, allowed, head, _, sc, sa, _, _, until, approved) in STATUS_ASOF.items():
        row = got[names[wp]]
        karens = row[11].date() if isinstance(row[11], datetime) else row[11]
        assert (row[2], row[3], row[4], row[5], row[6]) == (o, fte, x, allowed, head), wp
        assert (row[8], row[9]) == (pytest.approx(sc), sa), wp
        assert (karens, row[12]) == (until, "Ja" if approved else "Nej"), wp


def test_period_outside_the_data_window_is_refused(warehouse):
    with pytest.raises(ReportError):
        content(warehouse, "2019")


def test_registry_knows_kvote():
    assert get_report("kvote").name == "kvote"


def test_cli_report_kvote_writes_html_and_xlsx(warehouse, tmp_path):
    from click.testing import CliRunner

    from orchestration.cli import cli

    out = tmp_path / "ud"
    args = ["report", "kvote", "--database", str(warehouse), "--period", "2025", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["kvote_2025.html", "kvote_2025.xlsx"]
    book = openpyxl.load_workbook(out / "kvote_2025.xlsx")
    rows = book["Brud pr. type"].iter_rows(min_row=4, max_row=8, values_only=True)
    assert [row[1] for row in rows] == [1, 1, 1, 1, 1]
