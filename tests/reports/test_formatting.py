"""reports.formatting and reports.periods: Danish numbers, dates and periods through Babel."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from reports.errors import ReportError
from reports.formatting import (
    fmt_date,
    fmt_datetime,
    fmt_month,
    fmt_month_short,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_value,
)
from reports.periods import fmt_period, parse_period, period_code, resolve_period

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (999.95, 1, "1.000,0"),  # rounds up across the thousands boundary
        (2.5, 0, "3"),  # half up, not Babel's (or Python's) half to even
        (0.125, 2, "0,13"),  # 0.125 is exact in binary: half up gives 0,13
        (-1234.56, 1, "-1.234,6"),
        (-0.04, 1, "0,0"),  # no negative zero
        (0, 0, "0"),
        (None, 0, "–"),
        (float("nan"), 1, "–"),
    ],
)
def test_fmt_number(value, decimals, expected):
    assert fmt_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(12.345, 1, f"12,3{NBSP}%"), (12.35, 1, f"12,4{NBSP}%"), (100, 0, f"100{NBSP}%"),
     (None, 1, "–")],
)  # fmt: skip
def test_fmt_pct(value, decimals, expected):
    assert fmt_pct(value, decimals) == expected


def test_percentage_points_carry_a_sign():
    assert (fmt_pp(2.94), fmt_pp(-0.35), fmt_pp(0.04), fmt_pp(None)) == ("+2,9", "-0,4", "0,0", "–")


def test_dates_months_and_period_labels():
    assert fmt_date(date(2025, 11, 15)) == "15. nov. 2025"
    assert fmt_date(date(2025, 5, 1)) == "1. maj 2025"
    assert fmt_date(date(2025, 11, 5), short=True) == "05.11.2025"
    assert fmt_datetime(datetime(2025, 11, 15, 9, 5)) == "15. nov. 2025 kl. 09.05"
    assert fmt_date(None) == "–"
    assert fmt_month(date(2025, 11, 1)) == "november 2025"
    assert fmt_month_short(date(2024, 1, 31)) == "jan. 2024"
    assert fmt_period("year", date(2025, 1, 1)) == "2025"
    assert fmt_period("quarter", date(2025, 10, 1)) == "4. kvt. 2025"
    assert fmt_period("month", date(2025, 11, 1)) == "november 2025"
    assert fmt_value(5.25, "pct") == f"5,3{NBSP}%"
    assert fmt_value(date(2025, 3, 31), "date") == "31.03.2025"


def test_one_period_code_style():
    assert period_code("year", date(2025, 1, 1)) == "2025"
    assert period_code("quarter", date(2025, 7, 1)) == "2025Q3"
    assert period_code("month", date(2025, 11, 1)) == "2025-11"


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "code"),
    [
        ("2025", "year", date(2025, 1, 1), date(2025, 12, 31), "2025"),
        ("2025Q3", "quarter", date(2025, 7, 1), date(2025, 9, 30), "2025Q3"),
        ("2025q1", "quarter", date(2025, 1, 1), date(2025, 3, 31), "2025Q1"),
        ("2024K4", "quarter", date(2024, 10, 1), date(2024, 12, 31), "2024Q4"),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        (" 2025-11 ", "month", date(2025, 11, 1), date(2025, 11, 30), "2025-11"),
    ],
)
def test_parse_period(text, kind, start, end, code):
    p = parse_period(text)
    assert (p.kind, p.start, p.end, p.code) == (kind, start, end, code)


@pytest.mark.parametrize("text", ["25", "2025Q5", "2025-13", "2025-00", "nov 2025", "", "2025H1"])
def test_parse_period_rejects_other_forms(text):
    with pytest.raises(ReportError, match="periode"):
        parse_period(text)


def test_month_ends_stop_at_as_of():
    q4 = parse_period("2025Q4")
    assert q4.month_ends(date(2025, 11, 15)) == [date(2025, 10, 31), date(2025, 11, 15)]
    assert q4.month_ends() == [date(2025, 10, 31), date(2025, 11, 30), date(2025, 12, 31)]


def test_period_wording_says_when_the_period_is_not_over():
    year = parse_period("2026")
    text = year.wording(date(2026, 12, 7), date(2023, 12, 1))
    assert text == (
        "2026: 1. jan. 2026 – 7. dec. 2026 (perioden er ikke slut; tallene går til og med "
        "7. dec. 2026)"
    )
    assert parse_period("2025").wording(date(2026, 12, 7), date(2023, 12, 1)) == (
        "2025: 1. jan. 2025 – 31. dec. 2025"
    )
    assert "data begynder først" in parse_period("2023").wording(
        date(2026, 12, 7), date(2023, 12, 1)
    )


def test_resolve_period_outside_the_window():
    meta = {"window_start": date(2022, 11, 1), "as_of": date(2025, 11, 15)}
    assert resolve_period("2022", meta).kind == "year"  # overlaps the window
    with pytest.raises(ReportError, match="uden for datavinduet"):
        resolve_period("2026", meta)
    with pytest.raises(ReportError, match="uden for datavinduet"):
        resolve_period("2022-10", meta)
