"""A rules.yml the user must fix stops `rummelig build` before it starts: one Danish line naming
the file and the key, exit 2, no traceback (issue 14 item 5)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _build(landing, database) -> subprocess.CompletedProcess:
    code = "from orchestration.cli import main; main()"
    args = ["build", "--input", str(landing), "--database", str(database)]
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (b"small_cell_min_persons: -1\n",
         "Fejl: rules.yml: small_cell_min_persons: skal være mindst 3 (fik -1)"),
        (b"full_time_hours: 0\n",
         "Fejl: rules.yml: full_time_hours: skal være større end 0 (fik 0)"),
        (b'require_inclusion_approval: "nope"\n',
         "Fejl: rules.yml: require_inclusion_approval: forventede true/false, ja/nej eller 1/0 "
         "(fik 'nope')"),
        (b"karens_months: [3\n",
         "Fejl: rules.yml linje 2, kolonne 1: ikke gyldig YAML (expected ',' or ']', but got "
         "'<stream end>')"),
        ("# Århus\n".encode("latin-1"),
         "Fejl: rules.yml: ikke UTF-8-kodet (ugyldig byte ved position 2); gem filen som UTF-8"),
    ],
)  # fmt: skip
def test_bad_rules_file_is_one_line_and_exit_2(tmp_path, rules, message):
    landing = tmp_path / "landing"
    (landing / "registers").mkdir(parents=True)
    (landing / "config").mkdir()
    (landing / "config" / "rules.yml").write_bytes(rules)
    done = _build(landing, tmp_path / "w.duckdb")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip().splitlines() == [message]
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "w.duckdb").exists()  # nothing was built
