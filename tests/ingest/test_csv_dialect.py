"""The register CSV dialect (docs/domain.md §3.2) and files that cannot be loaded at all."""

from __future__ import annotations

from datetime import date

import duckdb

from tests.ingest.landing_helpers import ORG_UNITS, load, problems, quarantine, write


def test_bom_comma_separator_header_case_spaces_extra_columns_and_quotes(tmp_path):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    text = (
        "\ufeff Engagement_ID , CPR,Org_Unit_Id,ENGAGEMENT_TYPE,Weekly_Hours,Start_Date,"
        "Noise,Job_Title\n"
        'E1,010190-1234,A,ordinaer,"37,5",2024-01-01,ignored,"Pædagog, leder"\n'
    )
    write(tmp_path, "engagements.csv", text)
    with duckdb.connect() as conn:
        results = load(conn, tmp_path)
        got = conn.execute(
            "SELECT engagement_id, weekly_hours, job_title, end_date, union_area "
            "FROM raw.engagements"
        ).fetchall()
    assert results["engagements.csv"].status == "loaded"
    assert got == [("E1", 37.5, "Pædagog, leder", None, None)]


def test_semicolon_separator_decimal_point_and_empty_cells_are_null(tmp_path):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    write(
        tmp_path,
        "engagements.csv",
        "engagement_id;cpr;org_unit_id;engagement_type;weekly_hours;start_date;end_date;"
        "end_reason;union_area;job_title\n"
        "E1;0101901234;A;ordinaer;18.5;2024-01-01;;;;\n",
    )
    with duckdb.connect() as conn:
        load(conn, tmp_path)
        got = conn.execute(
            "SELECT weekly_hours, end_date, end_reason, union_area, job_title FROM raw.engagements"
        ).fetchall()
        assert quarantine(conn, "engagements") == []
    assert got == [(18.5, None, None, None, None)]


def test_three_date_formats(tmp_path):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    write(
        tmp_path,
        "engagements.csv",
        "engagement_id;cpr;org_unit_id;engagement_type;weekly_hours;start_date;end_date\n"
        "E1;0101901234;A;ordinaer;37;2024-03-05;31-12-2024\n"
        "E2;0101901234;A;ordinaer;37;05.03.2024;2025-01-31\n",
    )
    with duckdb.connect() as conn:
        load(conn, tmp_path)
        got = conn.execute(
            "SELECT engagement_id, start_date, end_date FROM raw.engagements ORDER BY 1"
        ).fetchall()
    assert got == [
        ("E1", date(2024, 3, 5), date(2024, 12, 31)),
        ("E2", date(2024, 3, 5), date(2025, 1, 31)),
    ]


def test_booleans_and_codes_are_case_insensitive_and_stored_canonical(tmp_path):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    write(
        tmp_path,
        "engagements.csv",
        "engagement_id;cpr;org_unit_id;engagement_type;weekly_hours;start_date;union_area\n"
        "E1;0101901234;A;ORDINAER;37;2024-01-01;foa\n"
        "E2;0101901234;A;Fleksjob;20;2024-01-01;Andet\n"
        "E3;0101901234;A;elev;37;2024-01-01;3f\n",
    )
    write(
        tmp_path,
        "absences.csv",
        "absence_id;engagement_id;cause;from_date;to_date;hours;s56\n"
        "S1;E1;Egen_Sygdom;2024-02-01;2024-02-01;;1\n"
        "S2;E1;egen_sygdom;2024-02-02;2024-02-02;;0\n"
        "S3;E1;egen_sygdom;2024-02-03;2024-02-03;;JA\n"
        "S4;E1;egen_sygdom;2024-02-04;2024-02-04;;Nej\n"
        "S5;E1;egen_sygdom;2024-02-05;2024-02-05;;TRUE\n"
        "S6;E1;egen_sygdom;2024-02-06;2024-02-06;;false\n"
        "S7;E1;egen_sygdom;2024-02-07;2024-02-07;;\n",
    )
    with duckdb.connect() as conn:
        load(conn, tmp_path)
        engagements = conn.execute(
            "SELECT engagement_type, union_area FROM raw.engagements ORDER BY engagement_id"
        ).fetchall()
        absences = conn.execute(
            "SELECT cause, s56 FROM raw.absences ORDER BY absence_id"
        ).fetchall()
    assert engagements == [("ordinaer", "FOA"), ("fleksjob", "andet"), ("elev", "3F")]
    assert [a[0] for a in absences] == ["egen_sygdom"] * 7
    # empty s56 = false (E13)
    assert [a[1] for a in absences] == [True, False, True, False, True, False, False]


def test_header_only_file_loads_zero_rows(tmp_path):
    write(tmp_path, "org_units.csv", "org_unit_id;name\n")
    with duckdb.connect() as conn:
        results = load(conn, tmp_path)
    r = results["org_units.csv"]
    assert (r.status, r.rows_read, r.rows_loaded, r.rows_quarantined) == ("loaded", 0, 0, 0)


def test_blank_lines_are_not_rows_but_keep_row_numbers(tmp_path):
    write(tmp_path, "org_units.csv", "org_unit_id;name\nK;Kommunen\n\nA;\n")
    with duckdb.connect() as conn:
        results = load(conn, tmp_path)
        # Data lines: 1 = K, 2 = blank, 3 = A (name missing)
        assert problems(conn, "org_units") >= {(3, "name", "error", "missing_required")}
    assert results["org_units.csv"].rows_read == 2


def test_unloadable_files_fail_with_a_message_naming_file_and_problem(tmp_path):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    good = "engagement_id;cpr;org_unit_id;engagement_type;weekly_hours;start_date\n"
    write(tmp_path, "engagements_1.csv", good + "E1;0101901234;A;ordinaer;37;2024-01-01\n")
    write(
        tmp_path,
        "engagements_2_missing.csv",
        "engagement_id;cpr;org_unit_id;engagement_type;start_date\nE2;0101901234;A;elev;2024-01-01\n",
    )
    latin1 = good + "E3;0101901234;A;elev;37;2024-01-01;Æ\n"
    write(tmp_path, "engagements_3_latin1.csv", latin1, "latin-1")
    (tmp_path / "engagements_4_binary.csv").write_bytes(b"PK\x03\x04\x00\x00binary;stuff\n")
    write(tmp_path, "engagements_5_empty.csv", "")
    write(tmp_path, "engagements_6_json.csv", '{"engagements": [1, 2, 3]}\n')
    write(tmp_path, "engagements_7_text.csv", "Lønudtræk for januar\nintet at hente\n")
    write(tmp_path, "engagements_8_twice.csv", good.replace("start_date", "cpr"))
    write(tmp_path, "engagements_9_cut.csv", good + "E9;0101901234;A;elev;37;2024-01-01;Æ")
    (tmp_path / "engagements_9_cut.csv").write_bytes(
        (tmp_path / "engagements_9_cut.csv").read_bytes()[:-1]  # half of the two-byte Æ
    )
    write(
        tmp_path,
        "absences.csv",
        "absence_id;engagement_id;cause;from_date\nS1;E1;barsel;2024-05-01\n",
    )
    with duckdb.connect() as conn:
        results = load(conn, tmp_path)
        loaded = conn.execute("SELECT engagement_id FROM raw.engagements").fetchall()
        log = conn.execute(
            "SELECT file_name, status, message FROM audit.load_log ORDER BY file_name"
        ).fetchall()
        absences = conn.execute("SELECT count(*) FROM raw.absences").fetchone()[0]
    status = {name: (r.status, r.message) for name, r in results.items()}
    assert status["engagements_1.csv"][0] == "loaded"
    assert loaded == [("E1",)]
    assert absences == 1
    assert status["engagements_2_missing.csv"] == (
        "failed",
        "engagements_2_missing.csv: mangler påkrævet kolonnen weekly_hours",
    )
    position = latin1.encode("latin-1").index("Æ".encode("latin-1"))  # the first non-UTF-8 byte
    assert status["engagements_3_latin1.csv"] == (
        "failed",
        f"engagements_3_latin1.csv: ikke UTF-8-kodet (ugyldig byte ved position {position})",
    )
    assert status["engagements_4_binary.csv"] == (
        "failed",
        "engagements_4_binary.csv: binær fil, ikke en CSV-fil",
    )
    assert status["engagements_5_empty.csv"] == (
        "failed",
        "engagements_5_empty.csv: tom fil (ingen kolonneoverskrifter)",
    )
    # JSON has commas in its first line, so it is read as a header without the required columns
    assert status["engagements_6_json.csv"] == (
        "failed",
        "engagements_6_json.csv: mangler påkrævet kolonnerne engagement_id, cpr, org_unit_id, "
        "engagement_type, weekly_hours, start_date",
    )
    assert status["engagements_7_text.csv"] == (
        "failed",
        "engagements_7_text.csv: ikke en CSV-fil (overskriftslinjen har hverken ';' eller ',')",
    )
    assert status["engagements_8_twice.csv"] == (
        "failed",
        "engagements_8_twice.csv: kolonnen cpr findes mere end én gang",
    )
    assert status["engagements_9_cut.csv"] == (
        "failed",
        "engagements_9_cut.csv: ikke UTF-8-kodet (afkortet tegn i slutningen)",
    )
    # every file seen is in the load log, failed ones with their message
    assert [(n, s) for n, s, _ in log] == sorted((n, s) for n, (s, _) in status.items())


def test_unknown_register_csv_is_failed_not_ignored(tmp_path):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    write(tmp_path, "salaries.csv", "a;b\n1;2\n")
    write(tmp_path, "README.txt", "not data")
    with duckdb.connect() as conn:
        results = load(conn, tmp_path)
    assert results["salaries.csv"].status == "failed"
    assert "salaries.csv: ukendt register" in results["salaries.csv"].message
    assert "README.txt" not in results


def test_masked_row_quotes_cells_that_hold_the_separator(tmp_path):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    write(
        tmp_path,
        "engagements.csv",
        "engagement_id,cpr,org_unit_id,engagement_type,weekly_hours,start_date,job_title\n"
        'E1,0101901234,A,ordinaer,"37,5",2024-13-01,"Leder, ""SFO"""\n',
    )
    with duckdb.connect() as conn:
        load(conn, tmp_path)
        (masked,) = conn.execute("SELECT DISTINCT row_masked FROM audit.quarantine").fetchone()
    assert masked == 'E1,010190-****,A,ordinaer,"37,5",2024-13-01,"Leder, ""SFO"""'


def test_windows_line_endings(tmp_path):
    text = "org_unit_id;name;p_number\r\nK;Kommunen;\r\nA;Skolen;1234567890\r\n"
    write(tmp_path, "org_units.csv", text)
    with duckdb.connect() as conn:
        load(conn, tmp_path)
        got = conn.execute(
            "SELECT org_unit_id, name, p_number FROM raw.org_units ORDER BY 1"
        ).fetchall()
        assert problems(conn, "org_units") == {(1, "p_number", "warning", "no_workplace")}
    assert got == [("A", "Skolen", "1234567890"), ("K", "Kommunen", None)]
