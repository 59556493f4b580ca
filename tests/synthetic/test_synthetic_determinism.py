"""Same arguments → byte-identical files; another seed → other data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from synthetic.__main__ import main
from synthetic.generate import generate_landing

AS_OF = date(2025, 9, 15)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path):
    rows_a = generate_landing(tmp_path / "a", seed=11, employees=300, as_of=AS_OF)
    rows_b = generate_landing(tmp_path / "b", seed=11, employees=300, as_of=AS_OF)
    generate_landing(tmp_path / "c", seed=12, employees=300, as_of=AS_OF)
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert rows_a == rows_b
    assert a == b
    assert set(a) == set(c)
    differing = [name for name in a if name.startswith("registers/") and a[name] != c[name]]
    assert len(differing) == len([n for n in a if n.startswith("registers/")])


def test_regenerating_into_the_same_folder_replaces_the_files(tmp_path):
    out = tmp_path / "landing"
    generate_landing(out, seed=1, employees=200, as_of=AS_OF)
    first = _files(out)
    generate_landing(out, seed=1, employees=200, as_of=AS_OF)
    assert _files(out) == first


def test_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "registers").mkdir()
    (tmp_path / "registers" / "engagements_real.csv").write_text("engagement_id\n")
    try:
        generate_landing(tmp_path, seed=1, employees=200, as_of=AS_OF)
    except FileExistsError as exc:
        assert "som generatoren ikke har skrevet" in str(exc)
    else:
        raise AssertionError("expected FileExistsError")


def test_command_line_writes_the_landing_layout(tmp_path, capsys):
    code = main(
        [
            "--out",
            str(tmp_path),
            "--seed",
            "2",
            "--employees",
            "200",
            "--start",
            "2024-01-01",
            "--as-of",
            "2025-03-31",
        ]
    )
    assert code == 0
    assert "written to" in capsys.readouterr().out
    assert (tmp_path / "README.txt").read_text(encoding="utf-8").startswith("SYNTETISKE DATA")
    # start 2024-01-01 → yearly deliveries 2024 and 2025
    assert (tmp_path / "registers" / "engagements_2024.csv").exists()
    assert (tmp_path / "registers" / "engagements_2025.csv").exists()
    assert (tmp_path / "config" / "targets.csv").exists()
