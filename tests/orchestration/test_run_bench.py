"""`make bench`'s table: JSON measurement lines picked out of a bench's output."""

from __future__ import annotations

from tests.bench.run_bench import discover, parse_measurements, table


def test_measurements_are_the_json_lines_only():
    out = 'building…\n{"employees": 50000, "seconds": 3.2}\n{broken\n{"employees": 9}\n'
    assert parse_measurements(out) == [{"employees": 50000, "seconds": 3.2}, {"employees": 9}]


def test_table_has_one_row_per_measurement_and_the_error_of_a_failed_bench():
    results = [
        {
            "bench": "bench_a",
            "status": "ok",
            "seconds": 12.34,
            "measurements": [{"n": 1, "s": 2.5}, {"n": 2, "s": 4.0}],
            "error": "",
        },
        {"bench": "bench_b", "status": "fejl (1)", "seconds": 1, "measurements": [], "error": "E"},
    ]
    lines = table(results).splitlines()
    assert lines[0].split() == ["bench", "status", "sekunder", "målinger"]
    assert lines[2].split() == ["bench_a", "ok", "12.3", "n=1,", "s=2.5"]
    assert lines[3].split() == ["n=2,", "s=4.0"]
    assert lines[4].split() == ["bench_b", "fejl", "(1)", "1.0", "E"]


def test_discovery_finds_the_bench_modules():
    assert "bench_sickness" in discover()
    assert discover(["sickness"]) == ["bench_sickness"]


def test_peak_memory_is_summed_over_the_whole_process_tree():
    import sys

    from tests.bench.measure import run_tree

    # a parent holding 200 MB starts a child holding 300 MB while it still holds its own
    hold = "import sys, time; b = bytearray({n} << 20); b[::4096] = b'x' * len(b[::4096]); {tail}"
    child = hold.format(n=300, tail="time.sleep(1.5)")
    parent = hold.format(
        n=200, tail=f"import subprocess; subprocess.run([sys.executable, '-c', {child!r}])"
    )
    wall, peak, code = run_tree([sys.executable, "-c", parent], every=0.1)
    assert code == 0 and wall >= 1.5
    assert 500 << 20 <= peak < 700 << 20


def test_bench_sizes_come_from_the_command_line_else_the_environment(monkeypatch):
    from tests.bench.bench_build import DEFAULT_SIZES, sizes

    monkeypatch.delenv("BENCH_SIZES", raising=False)
    assert sizes([]) == list(DEFAULT_SIZES) == [3000, 30000, 150000]
    monkeypatch.setenv("BENCH_SIZES", "500000 1000000")
    assert sizes([]) == [500000, 1000000]
    assert sizes(["3000"]) == [3000]
