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
