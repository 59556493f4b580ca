"""Fault cases: one bad value in a row (dates, numbers, codes, booleans, required cells) and
files that cannot be read at all. Each case appends one line to a BASE register and states the
quarantine entries of that line (docs/ingest decisions: error = row not loaded, warning = cell
nulled, row loaded)."""

from __future__ import annotations

import pytest

from tests.faults.harness import BASE, BASE_ROWS

ENG = "E5;1111901234;A;ordinaer;37;2024-01-01;;;FOA;Pædagog"  # a good engagement row


def _engagement(**cells: str) -> str:
    columns = BASE["registers/engagements.csv"].split("\n", 1)[0].split(";")
    values = dict(zip(columns, ENG.split(";"), strict=True)) | cells
    return ";".join(values[c] for c in columns)


# (kind, register, appended line, {(column, severity, reason)}, loaded after)
CASES = [
    ("invalid_date_feb30", "engagements", _engagement(start_date="2024-02-30"),
     {("start_date", "error", "invalid_date")}, False),
    ("date_us_format", "engagements", _engagement(start_date="12/31/2024"),
     {("start_date", "error", "invalid_date")}, False),
    ("date_two_digit_year", "engagements", _engagement(start_date="01-02-24"),
     {("start_date", "error", "invalid_date")}, False),
    ("date_danish_formats", "engagements",
     _engagement(start_date="1.2.2024", end_date="31-12-2024"), set(), True),
    ("invalid_end_date", "engagements", _engagement(end_date="2024-13-01"),
     {("end_date", "error", "invalid_date")}, False),
    ("end_before_start", "engagements", _engagement(end_date="2023-12-31"),
     {("end_date", "error", "end_before_start")}, False),
    ("weekly_hours_zero", "engagements", _engagement(weekly_hours="0"),
     {("weekly_hours", "error", "out_of_range")}, False),
    ("weekly_hours_over_48", "engagements", _engagement(weekly_hours="48,5"),
     {("weekly_hours", "error", "out_of_range")}, False),
    ("number_with_thousands_separator", "engagements", _engagement(weekly_hours="1.234,5"),
     {("weekly_hours", "error", "invalid_number")}, False),
    ("number_as_words", "engagements", _engagement(weekly_hours="fuld tid"),
     {("weekly_hours", "error", "invalid_number")}, False),
    ("number_inf_nan", "engagements", _engagement(weekly_hours="NaN"),
     {("weekly_hours", "error", "invalid_number")}, False),
    ("decimal_comma", "engagements", _engagement(weekly_hours="37,5"), set(), True),
    ("unknown_required_code", "engagements", _engagement(engagement_type="vikar"),
     {("engagement_type", "error", "unknown_code")}, False),
    ("unknown_optional_code", "engagements", _engagement(union_area="LO"),
     {("union_area", "warning", "unknown_code")}, True),
    ("code_in_other_case", "engagements", _engagement(engagement_type="ORDINAER", union_area="foa"),
     set(), True),
    ("missing_required_cell", "engagements", _engagement(org_unit_id=""),
     {("org_unit_id", "error", "missing_required")}, False),
    ("missing_cpr", "engagements", _engagement(cpr=""),
     {("cpr", "error", "missing_required")}, False),
    ("invalid_boolean", "absences", "S9;E1;egen_sygdom;2024-06-01;2024-06-02;;måske",
     {("s56", "warning", "invalid_boolean")}, True),
    ("negative_hours", "absences", "S9;E1;egen_sygdom;2024-06-01;2024-06-02;-4;0",
     {("hours", "warning", "out_of_range")}, True),
    ("partial_sickness_without_hours", "absences", "S9;E1;delvis_sygdom;2024-06-01;;;0",
     {("hours", "error", "missing_required")}, False),
    ("invalid_p_number", "org_units", "C;Klubben;K;12345;skole;",
     {("p_number", "warning", "invalid_p_number"), ("p_number", "warning", "no_workplace")}, True),
    ("unknown_category", "sdp_events", "V2;C1;2024-05-01;opfoelgningssamtale;4;afholdt",
     {("category", "warning", "unknown_code")}, True),
    ("invalid_status", "sdp_events", "V2;C1;2024-05-01;opfoelgningssamtale;1;glemt",
     {("status", "error", "unknown_code")}, False),
    ("whitespace_around_cells", "engagements",
     "  E5 ; 1111901234 ;A; ordinaer ;37; 2024-01-01 ; ; ;\tFOA ; Pædagog ", set(), True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("register", "line", "expected", "loads"),
    [pytest.param(*c[1:], id=c[0], marks=pytest.mark.fault(c[0])) for c in CASES],
)
def test_one_bad_value(case, register, line, expected, loads):
    file_name = f"{register}.csv"
    case.append(f"registers/{file_name}", line + "\n")
    row = BASE[f"registers/{file_name}"].count("\n")  # the appended line's row number
    loaded = case.load()
    problems = {
        (c, s, r) for f, n, c, s, r in loaded.problems(register) if (f, n) == (file_name, row)
    }
    assert problems == expected
    errors = 0 if loads else 1
    assert loaded.log(file_name)[:4] == ("loaded", row, row - errors, errors)
    assert loaded.rows(register) == BASE_ROWS[register] + (1 if loads else 0)


FILE_CASES = [
    ("latin1_encoding", "Pædagog\n".encode("latin-1"),
     "ikke UTF-8-kodet (ugyldig byte ved position"),
    ("utf16_encoding", "engagement_id;cpr\n".encode("utf-16"),
     "UTF-16-kodet; gem filen som CSV UTF-8"),
    ("binary_file", b"PK\x03\x04\x00\x00binary;stuff\n", "binær fil, ikke en CSV-fil"),
    ("empty_file", b"", "tom fil (ingen kolonneoverskrifter)"),
    ("tab_separated", b"engagement_id\tcpr\tstart_date\nE1\t0101901234\t2024-01-01\n",
     "ikke en CSV-fil (overskriftslinjen har hverken ';' eller ',')"),
    ("missing_required_column", b"engagement_id;cpr;org_unit_id\nE1;0101901234;A\n",
     "mangler påkrævet kolonnerne engagement_type, weekly_hours, start_date"),
    ("duplicate_header", b"engagement_id;cpr;cpr\nE1;0101901234;0101901234\n",
     "kolonnen cpr findes mere end én gang"),
    ("cut_inside_a_character", "Pædagog".encode()[:-6],
     "ikke UTF-8-kodet (afkortet tegn i slutningen)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "message"),
    [pytest.param(*c[1:], id=c[0], marks=pytest.mark.fault(c[0])) for c in FILE_CASES],
)
def test_a_file_that_cannot_be_read_fails_alone(case, data, message):
    header = BASE["registers/engagements.csv"].split("\n", 1)[0] + "\n"
    if message.startswith("ikke UTF-8"):
        data = header.encode() + b"E9;0101901234;A;ordinaer;37;2024-01-01;;;FOA;" + data
    case.write_bytes("registers/engagements_2.csv", data)
    loaded = case.load()
    status, read, *_, text = loaded.log("engagements_2.csv")
    assert (status, read) == ("failed", 0)
    assert text.startswith(f"engagements_2.csv: {message}")
    assert loaded.rows("engagements") == BASE_ROWS["engagements"]  # the other files load


@pytest.mark.fault("separator_mismatch")
def test_a_header_with_semicolons_over_comma_rows_quarantines_every_row(case):
    case.write(
        "registers/absences.csv",
        "absence_id;engagement_id;cause;from_date\nS1,E1,barsel,2024-05-01\nS2,E2,barsel,2024-05-01\n",
    )
    loaded = case.load()
    assert loaded.log("absences.csv")[:4] == ("loaded", 2, 0, 2)
    assert {r for *_, r in loaded.problems("absences")} == {"truncated_row"}


@pytest.mark.fault("bom_and_comma_separator")
def test_a_bom_and_comma_separator_load(case):
    text = BASE["registers/absences.csv"].replace(";", ",")
    case.write_bytes("registers/absences.csv", "\ufeff".encode() + text.encode())
    loaded = case.load()
    assert loaded.log("absences.csv")[:4] == ("loaded", 3, 3, 0)
