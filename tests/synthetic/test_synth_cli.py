"""`rummelig synth --out --seed --employees --start --as-of` (issue 2, item 2): every flag reaches
the generator and changes what it writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestration.cli import cli, main


def synth(out: Path, seed: int, employees: int, start: str, as_of: str) -> str:
    args = ["synth", "--out", str(out), "--seed", str(seed), "--employees", str(employees)]
    result = CliRunner().invoke(cli, [*args, "--start", start, "--as-of", as_of])
    assert result.exit_code == 0, result.output
    return result.output


def registers(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "registers").glob("*.csv"))}


def data_rows(out: Path, register: str) -> int:
    return sum(
        len(p.read_text(encoding="utf-8-sig").splitlines()) - 1
        for p in (out / "registers").glob(f"{register}_*.csv")
    )


def test_every_flag_reaches_the_generator(tmp_path):
    output = synth(tmp_path / "a", 3, 150, "2023-01-01", "2024-06-30")
    assert output.startswith(f"Syntetisk landing-mappe skrevet til {tmp_path / 'a'} (")
    readme = (tmp_path / "a" / "README.txt").read_text(encoding="utf-8")
    assert "seed=3 employees=150 start=2023-01-01 as_of=2024-06-30" in readme
    # --start and --as-of: the first org snapshot is dated start, the last as_of; one delivery
    # per calendar year from start's year to as_of's
    assert sorted(registers(tmp_path / "a")) == sorted(
        [f"org_units_{d}.csv" for d in ("2023-01-01", "2024-06-30")]
        + [
            f"{r}_{y}.csv"
            for r in ("engagements", "absences", "placements", "sdp_cases", "sdp_events")
            for y in (2023, 2024)
        ]
    )


def test_seed_and_employees_change_the_data(tmp_path):
    synth(tmp_path / "a", 3, 150, "2023-01-01", "2024-06-30")
    synth(tmp_path / "same", 3, 150, "2023-01-01", "2024-06-30")
    synth(tmp_path / "seed", 4, 150, "2023-01-01", "2024-06-30")
    synth(tmp_path / "more", 3, 600, "2023-01-01", "2024-06-30")
    a = registers(tmp_path / "a")
    assert registers(tmp_path / "same") == a
    other_seed = registers(tmp_path / "seed")
    assert set(other_seed) == set(a)
    assert all(other_seed[name] != a[name] for name in a if not name.startswith("org_units"))
    # four times the employees → clearly more engagement rows (hires and leavers scale too)
    more, fewer = (data_rows(tmp_path / f, "engagements") for f in ("more", "a"))
    assert more > 3 * fewer


def test_bad_flags_and_a_foreign_folder_are_one_danish_line(tmp_path, capsys):
    out = tmp_path / "landing"
    cases = [
        (["--start", "2025-01-01", "--as-of", "2024-06-30"],
         "Fejl: start 2025-01-01 skal ligge før as_of 2024-06-30"),
        (["--employees", "99", "--as-of", "2024-06-30"],
         "Fejl: employees skal være mindst 100 (alle koder skal forekomme), ikke 99"),
    ]  # fmt: skip
    (out / "registers").mkdir(parents=True)
    (out / "registers" / "engagements.csv").write_text("engagement_id\n", encoding="utf-8")
    cases.append(
        (["--as-of", "2024-06-30"],
         f"Fejl: {out} rummer registerfiler, som generatoren ikke har skrevet; overskrives ikke")
    )  # fmt: skip
    for flags, message in cases:
        with pytest.raises(SystemExit) as exit_info:
            main(["synth", "--out", str(out), *flags])
        assert exit_info.value.code == 2, flags
        assert capsys.readouterr().err.strip() == message
    assert (out / "registers" / "engagements.csv").read_text(encoding="utf-8") == "engagement_id\n"
