"""Fault cases: jobindsats.dk extracts that are error payloads or broken files, and loads whose
as_of cannot be what the user meant."""

from __future__ import annotations

from datetime import date

import pytest

GOOD = "Område;Periode;Antal personer\nHorsens;2024M01;5\n"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param(
            "Y07A02_err.json", b'{"Message": "Authorization has been denied for this request."}',
            "API-fejlsvar, ikke data: Authorization has been denied for this request.",
            marks=pytest.mark.fault("jobindsats_error_payload"), id="error_payload",
        ),
        pytest.param(
            "Y07A02_html.csv", b"<!DOCTYPE html><html><body>503 Service Unavailable</body></html>",
            "CSV: ingen overskriftsrække med kolonnerne Område og Periode fundet",
            marks=pytest.mark.fault("jobindsats_html_page"), id="html_page",
        ),
        pytest.param(
            "Y07A02_cut.xlsx", b"PK\x03\x04\x14\x00\x00\x00broken",
            "XLSX kan ikke åbnes",
            marks=pytest.mark.fault("jobindsats_broken_xlsx"), id="broken_xlsx",
        ),
        pytest.param(
            "Y07A02_bad.json", b'{"columns": ["Omr', "JSON kan ikke læses (ugyldig JSON)",
            marks=pytest.mark.fault("jobindsats_truncated_json"), id="truncated_json",
        ),
        pytest.param(
            "Y07A02_quote.csv",
            'Område;Periode;Antal personer\n"Horsens;2024M01;5\nAarhus;2024M01;7"\n'.encode(),
            "CSV: et citationstegn i linje 2 lukkes ikke på samme linje",
            marks=pytest.mark.fault("jobindsats_quote_over_lines"), id="quote_over_lines",
        ),
    ],
)  # fmt: skip
def test_a_broken_extract_fails_alone_with_its_reason(case, name, data, message):
    case.write("jobindsats/Y07A02_good.csv", GOOD)
    case.write_bytes(f"jobindsats/{name}", data)
    loaded = case.load()
    status, *_, text = loaded.log(name)
    assert status == "failed" and message in text
    assert loaded.log("Y07A02_good.csv")[:4] == ("loaded", 1, 1, 0)
    assert loaded.sql("SELECT area_name, value FROM raw.jobindsats") == [("Horsens", 5.0)]


@pytest.mark.fault("jobindsats_unknown_area_and_period")
def test_unknown_areas_and_periods_are_quarantined_rows(case):
    case.write(
        "jobindsats/Y07A02_a.csv",
        GOOD + "Atlantis;2024M01;3\nHorsens;2024M13;4\n",
    )
    loaded = case.load()
    assert loaded.log("Y07A02_a.csv")[:4] == ("loaded", 3, 1, 2)
    assert loaded.problems("Y07A02") == {
        ("Y07A02_a.csv", 2, "Område", "error", "unknown_area"),
        ("Y07A02_a.csv", 3, "Periode", "error", "invalid_period"),
    }


@pytest.mark.fault("jobindsats_old_excel")
def test_an_old_excel_extract_is_listed_as_not_read(case):
    case.write_bytes("jobindsats/Y07A02.xls", b"\xd0\xcf\x11\xe0")
    loaded = case.load()
    assert [(i.path, i.reason) for i in loaded.summary.ignored] == [
        ("jobindsats/Y07A02.xls", "ikke en .csv/.xlsx/.json-fil")
    ]


@pytest.mark.fault("as_of_before_all_data")
def test_an_as_of_before_all_data_warns(case):
    loaded = case.load(as_of=date(2015, 1, 31))
    assert loaded.summary.warnings == [
        "as_of 2015-01-31 ligger før alle data (den tidligste dato er 2020-01-01): alle rækker "
        "starter efter as_of og tælles ikke med, så tallene bliver tomme. Er as_of rigtig?"
    ]


@pytest.mark.fault("as_of_years_after_the_data")
def test_an_as_of_years_after_the_data_warns(case):
    loaded = case.load(as_of=date(2031, 1, 31))
    assert loaded.summary.warnings == [
        "as_of 2031-01-31 ligger mere end et år efter de seneste data (den seneste start-, "
        "fraværs- eller hændelsesdato er 2024-04-20). Er as_of rigtig, eller mangler en nyere "
        "leverance?"
    ]
    assert ("advarsel", loaded.summary.warnings[0]) in loaded.sql(
        "SELECT kind, note FROM raw._load_notes"
    )


@pytest.mark.fault("targets_for_unknown_units")
def test_targets_for_units_that_do_not_exist_warn(case):
    case.write(
        "config/targets.csv",
        "kpi;scope_type;scope_id;period_start;period_end;target_value;direction;source\n"
        "quota_breaches;kommune;615;2025-01-01;2025-12-31;0;max;HMU\n"
        "quota_breaches;org_unit;A;2025-01-01;2025-12-31;0;max;HMU\n"
        "quota_breaches;org_unit;X9;2025-01-01;2025-12-31;0;max;HMU\n"
        "quota_breaches;kommune;751;2025-01-01;2025-12-31;0;max;HMU\n",
    )
    loaded = case.load()
    assert loaded.summary.warnings == [
        "targets.csv række 3: måltallet for quota_breaches gælder org_unit 'X9', som hverken er "
        "kommunekoden i rules.yml eller et område (en enhed lige under roden i org_units); det "
        "bruges ikke.",
        "targets.csv række 4: måltallet for quota_breaches gælder kommune '751', som hverken er "
        "kommunekoden i rules.yml eller et område (en enhed lige under roden i org_units); det "
        "bruges ikke.",
    ]
