"""Fault cases: the shape of a register CSV (lines, quotes, cells, line endings, size)."""

from __future__ import annotations

import pytest

from tests.faults.harness import BASE_ROWS, ENGAGEMENTS

BASE_PROBLEMS = {("org_units.csv", 1, "p_number", "warning", "no_workplace")}


@pytest.mark.fault("clean_base")
def test_the_base_landing_loads_clean(case):
    loaded = case.load()
    assert loaded.error is None
    assert {t: loaded.rows(t) for t in BASE_ROWS} == BASE_ROWS
    assert loaded.problems() == BASE_PROBLEMS
    assert loaded.summary.ignored == [] and loaded.summary.warnings == []


@pytest.mark.fault("stray_quotes")
def test_two_stray_quotes_spoil_only_their_own_rows(case):
    """The issue's case: an unmatched quote in one job title and another a few rows later used
    to merge the rows between them into one cell (and put their CPRs in a text column)."""
    case.write(
        "registers/engagements.csv",
        ENGAGEMENTS
        + 'E5;1111901234;A;ordinaer;37;2024-01-01;;;FOA;"Pædagog\n'
        + "E6;1212901234;A;ordinaer;37;2024-01-01;;;FOA;Leder\n"
        + "E7;1312901234;A;ordinaer;37;2024-01-01;;;FOA;Leder\n"
        + 'E8;1412901234;A;ordinaer;37;2024-01-01;;;FOA;Kok"\n'
        + "E9;1512901234;A;ordinaer;37;2024-01-01;;;FOA;Kok\n",
    )
    loaded = case.load()
    assert loaded.log("engagements.csv")[:4] == ("loaded", 9, 8, 1)
    assert loaded.problems("engagements") == {
        ("engagements.csv", 5, None, "error", "unbalanced_quote")
    }
    # A quote inside a cell (not at its start) is a literal character, as in any CSV reader:
    # E8 loads with it; the rows between the two quotes load as they are.
    assert loaded.sql("SELECT engagement_id, job_title FROM raw.engagements ORDER BY 1")[4:] == [
        ("E6", "Leder"),
        ("E7", "Leder"),
        ("E8", 'Kok"'),
        ("E9", "Kok"),
    ]
    (masked,) = loaded.sql("SELECT row_masked FROM audit.quarantine WHERE row_number = 5")[0]
    assert masked == 'E5;111190-****;A;ordinaer;37;2024-01-01;;;FOA;"Pædagog'


@pytest.mark.fault("quoted_cell_over_two_lines")
def test_a_quoted_cell_over_two_lines_is_two_quarantined_rows(case):
    case.write(
        "registers/engagements.csv",
        ENGAGEMENTS + 'E5;1111901234;A;ordinaer;37;2024-01-01;;;FOA;"Leder\nSFO"\n',
    )
    loaded = case.load()
    assert loaded.log("engagements.csv")[:4] == ("loaded", 6, 4, 2)
    assert loaded.problems("engagements") == {
        ("engagements.csv", 5, None, "error", "unbalanced_quote"),
        # `SFO"` alone: one cell (its quote is literal), so the line is too short
        ("engagements.csv", 6, None, "error", "truncated_row"),
    }


@pytest.mark.fault("truncated_last_line")
def test_a_last_line_cut_at_a_cell_boundary_is_truncated_row_not_an_open_engagement(case):
    # E2 ended 2024-06-30; the delivery was cut right after its start_date.
    text = ENGAGEMENTS.replace(
        "E2;1502851234;A;ordinaer;30;2021-03-01;2024-06-30;opsagt;FOA;Medhjælper\n", ""
    )
    case.write("registers/engagements.csv", text + "E2;1502851234;A;ordinaer;30;2021-03-01")
    loaded = case.load()
    assert loaded.log("engagements.csv")[:4] == ("loaded", 4, 3, 1)
    assert loaded.problems("engagements") == {
        ("engagements.csv", 4, None, "error", "truncated_row")
    }
    assert loaded.sql("SELECT count(*) FROM raw.engagements WHERE engagement_id = 'E2'") == [(0,)]
    (detail,) = loaded.sql("SELECT detail FROM audit.quarantine WHERE reason = 'truncated_row'")[0]
    assert detail.startswith("rækken har 6 felter, men overskriften har 10; rækken er afkortet")


@pytest.mark.fault("short_row_mid_file")
def test_a_short_row_in_the_middle_is_quarantined_too(case):
    case.write(
        "registers/absences.csv",
        "absence_id;engagement_id;cause;from_date;to_date;hours;s56\n"
        "S1;E1;egen_sygdom;2024-02-01;2024-02-05;;0\n"
        "S2;E2;barn_syg;2024-03-01\n"
        "S3;E3;egen_sygdom;2024-04-01;;;1\n",
    )
    loaded = case.load()
    assert loaded.log("absences.csv")[:4] == ("loaded", 3, 2, 1)
    assert loaded.problems("absences") == {("absences.csv", 2, None, "error", "truncated_row")}


@pytest.mark.fault("too_many_fields")
def test_a_separator_inside_an_unquoted_cell_is_too_many_fields(case):
    case.write(
        "registers/engagements.csv",
        ENGAGEMENTS + "E5;1111901234;A;ordinaer;37;2024-01-01;;;FOA;Leder; SFO\n",
    )
    loaded = case.load()
    assert loaded.log("engagements.csv")[:4] == ("loaded", 5, 4, 1)
    assert loaded.problems("engagements") == {
        ("engagements.csv", 5, None, "error", "too_many_fields")
    }


@pytest.mark.fault("trailing_separators")
def test_trailing_empty_cells_beyond_the_header_are_fine(case):
    case.write("registers/engagements.csv", ENGAGEMENTS.replace("\n", ";;\n"))
    loaded = case.load()
    assert loaded.log("engagements.csv")[:4] == ("loaded", 4, 4, 0)
    assert loaded.rows("engagements") == 4


@pytest.mark.fault("blank_and_whitespace_lines")
def test_blank_whitespace_and_separator_only_lines_are_not_rows(case):
    lines = ENGAGEMENTS.splitlines(keepends=True)
    case.write(
        "registers/engagements.csv",
        lines[0] + lines[1] + "\n" + "   \t\n" + ";;;;;;;;;\n" + "".join(lines[2:]) + "\n\n",
    )
    loaded = case.load()
    assert loaded.log("engagements.csv")[:4] == ("loaded", 4, 4, 0)
    # E2 is on line 6 of the file: its row number keeps counting the blank lines
    assert loaded.sql("SELECT _row_number FROM raw.engagements WHERE engagement_id = 'E2'") == [
        (5,)
    ]


@pytest.mark.fault("crlf_line_endings")
def test_windows_line_endings_and_no_final_newline(case):
    case.write("registers/engagements.csv", ENGAGEMENTS.replace("\n", "\r\n").rstrip("\r\n"))
    loaded = case.load()
    assert loaded.log("engagements.csv")[:4] == ("loaded", 4, 4, 0)
    assert loaded.sql("SELECT job_title FROM raw.engagements WHERE engagement_id = 'E4'") == [
        ("Social- og sundhedsassistent",)
    ]


@pytest.mark.fault("cr_only_line_endings")
def test_old_mac_line_endings_fail_the_file_with_advice(case):
    case.write("registers/engagements.csv", ENGAGEMENTS.replace("\n", "\r"))
    loaded = case.load()
    status, *_, message = loaded.log("engagements.csv")
    assert status == "failed"
    assert message == (
        "engagements.csv: linjeskift med kun CR (gammelt Mac-format); gem filen med almindelige "
        "linjeskift (LF eller CR+LF)"
    )
    assert loaded.error.startswith("Registret engagements har ingen rækker")


@pytest.mark.fault("quoted_header_and_cells")
def test_quoted_header_names_and_cells_with_separators_and_doubled_quotes(case):
    case.write(
        "registers/engagements.csv",
        '"engagement_id";"cpr";"org_unit_id";"engagement_type";"weekly_hours";"start_date";'
        '"job_title"\n'
        '"E1";"0101901234";"A";"ordinaer";"37,5";"2020-01-01";"Leder; ""SFO"" og klub"\n'
        ' "E2" ;1502851234;A;ordinaer;30;2021-03-01;""\n',
    )
    loaded = case.load()
    assert loaded.log("engagements.csv")[:4] == ("loaded", 2, 2, 0)
    assert loaded.sql(
        "SELECT engagement_id, weekly_hours, job_title FROM raw.engagements ORDER BY 1"
    ) == [("E1", 37.5, 'Leder; "SFO" og klub'), ("E2", 30.0, None)]


@pytest.mark.fault("text_after_closing_quote")
def test_text_after_a_closing_quote_is_an_unbalanced_quote(case):
    case.write(
        "registers/engagements.csv",
        ENGAGEMENTS + 'E5;1111901234;A;ordinaer;37;2024-01-01;;;FOA;"Leder" af SFO\n',
    )
    loaded = case.load()
    assert loaded.problems("engagements") == {
        ("engagements.csv", 5, None, "error", "unbalanced_quote")
    }


@pytest.mark.fault("huge_cell")
def test_a_cell_of_eight_megabytes_loads_whole_and_a_quarantined_one_is_cut_in_the_row(case):
    big = "x" * (8 << 20)
    case.write(
        "registers/engagements.csv",
        ENGAGEMENTS
        + f"E5;1111901234;A;ordinaer;37;2024-01-01;;;FOA;{big}\n"
        + f"E6;1212901234;A;ukendt;37;2024-01-01;;;FOA;{big}\n",
    )
    loaded = case.load()
    assert loaded.log("engagements.csv")[:4] == ("loaded", 6, 5, 1)
    assert loaded.sql(
        "SELECT length(job_title) FROM raw.engagements WHERE engagement_id = 'E5'"
    ) == [(8 << 20,)]
    (masked,) = loaded.sql("SELECT row_masked FROM audit.quarantine WHERE row_number = 6")[0]
    assert masked.startswith("E6;121290-****;A;ukendt;") and masked.endswith("…")
    assert len(masked) <= 2000


@pytest.mark.fault("header_only")
def test_a_header_only_optional_register_loads_zero_rows_and_warns(case):
    case.write("registers/placements.csv", "placement_id;cpr;org_unit_id;scheme;start_date\n")
    loaded = case.load()
    assert loaded.log("placements.csv")[:4] == ("loaded", 0, 0, 0)
    assert loaded.summary.warnings == [
        "Registret placements har ingen rækker (filerne (placements.csv) gav 0 indlæste rækker "
        "(se audit.load_log og audit.quarantine)); tal, der bygger på det, bliver tomme."
    ]


@pytest.mark.fault("file_changed_while_read")
def test_a_file_that_grows_while_it_is_read_fails_and_stages_nothing(case, monkeypatch):
    import ingest.registers.load as load_module

    real_inspect = load_module.inspect_csv

    def inspect_then_append(path, required):
        csv = real_inspect(path, required)
        if path.name == "absences.csv":
            case.append("registers/absences.csv", "S9;E1;barsel;2024-06-01;;;0\n")
        return csv

    monkeypatch.setattr(load_module, "inspect_csv", inspect_then_append)
    loaded = case.load()
    status, *_, message = loaded.log("absences.csv")
    assert (status, message) == (
        "failed",
        "absences.csv: filen har 4 linjer, men 5 blev læst; filen er ikke indlæst",
    )
    assert loaded.rows("absences") == 0
    assert loaded.sql("SELECT count(*) FROM raw._files_absences") == [(0,)]


@pytest.mark.fault("garbage_rows_million")
def test_a_million_garbage_lines_are_each_quarantined_and_counted(case):
    """1 000 000 lines of noise after a valid header: every line is read, none loads, each one
    has its quarantine entry, and rows_read = rows_loaded + rows_quarantined."""
    n = 1_000_000
    header = "absence_id;engagement_id;cause;from_date;to_date;hours;s56\n"
    noise = b"\xc3\xa6\xc3\xb8\xc3\xa5 noise 0101901234 ### \n" * n
    case.write_bytes("registers/absences_noise.csv", header.encode() + noise)
    loaded = case.load()
    assert loaded.log("absences_noise.csv")[:4] == ("loaded", n, 0, n)
    assert loaded.sql(
        "SELECT reason, count(*) FROM audit.quarantine WHERE file_name = 'absences_noise.csv' "
        "GROUP BY 1"
    ) == [("truncated_row", n)]
    assert loaded.rows("absences") == BASE_ROWS["absences"]


@pytest.mark.fault("file_unreadable")
def test_a_file_that_cannot_be_opened_fails_alone(case, monkeypatch):
    """Permissions cannot be taken from root (the tests may run as root), so the open fails
    the way an unreadable file's does: PermissionError from the first read."""
    import ingest.registers.load as load_module

    real_inspect = load_module.inspect_csv

    def denied(path, required):
        if path.name == "absences.csv":
            raise PermissionError(13, "Permission denied")
        return real_inspect(path, required)

    monkeypatch.setattr(load_module, "inspect_csv", denied)
    loaded = case.load()
    assert loaded.log("absences.csv") == (
        "failed", 0, 0, 0, "absences.csv: filen kan ikke læses (Permission denied)"
    )  # fmt: skip
    assert loaded.rows("engagements") == BASE_ROWS["engagements"]
