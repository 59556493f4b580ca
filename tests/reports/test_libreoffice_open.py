"""Every demo XLSX report opened by LibreOffice Calc (headless) and saved again: LibreOffice must
read every sheet, and every text and number must come back as written (the numbers themselves
are checked against the marts by each report's own tests).

LibreOffice comes from Debian (`make test` installs `libreoffice-calc-nogui` when it can);
without it the test skips, unless RUMMELIG_REQUIRE_LIBREOFFICE=1 (set by .ci/run) turns the skip
into a failure.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.support.desktop_apps import required_program

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("libreoffice_open")]


@pytest.fixture(scope="module")
def soffice() -> str:
    return required_program(
        ("soffice", "libreoffice"), "RUMMELIG_REQUIRE_LIBREOFFICE", "libreoffice-calc-nogui"
    )


def _cells(path: Path) -> dict[str, dict[str, object]]:
    """Sheet → {coordinate: value} of every non-empty cell."""
    book = openpyxl.load_workbook(path, data_only=True)
    return {
        sheet.title: {
            cell.coordinate: cell.value
            for row in sheet.iter_rows()
            for cell in row
            if cell.value not in (None, "")
        }
        for sheet in book.worksheets
    }


def test_libreoffice_reads_and_rewrites_every_report_unchanged(demo_warehouse, soffice, tmp_path):
    reports = sorted(demo_warehouse.reports.glob("*.xlsx"))
    names = {p.name.split("_")[0] for p in reports}
    assert names == {"benchmark", "hmu", "inklusion", "jobcenter", "kvote", "sygefravaer"}
    out = tmp_path / "resaved"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",  # no shared profile
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *map(str, reports),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    for report in reports:
        written, reread = _cells(report), _cells(out / report.name)
        assert list(reread) == list(written), report.name  # every sheet, in order
        for sheet, cells in written.items():
            assert cells, (report.name, sheet)
            for coordinate, value in cells.items():
                got = reread[sheet].get(coordinate)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    assert got == pytest.approx(value, rel=1e-12, abs=1e-12), (sheet, coordinate)
                else:
                    assert str(got) == str(value), (report.name, sheet, coordinate)
