"""Property tests: jobindsats number formats round-trip; no input crashes the parser (E20)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.jobindsats.extracts import JobindsatsFormatError, parse_extract_bytes
from ingest.jobindsats.values import parse_number


def danish(value: Decimal, decimals: int, thousands: bool) -> str:
    """Write a number the way jobindsats.dk exports do: '1.234,5' / '1234,5' / '1.234'."""
    text = f"{abs(value):,.{decimals}f}" if thousands else f"{abs(value):.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("-" if value < 0 else "") + text


amounts = st.decimals(
    min_value=Decimal("-99999999.99"),
    max_value=Decimal("99999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(amounts, st.integers(min_value=1, max_value=2), st.booleans())
def test_danish_decimals_parse_back(value: Decimal, decimals: int, thousands: bool):
    value = round(value, decimals)
    assert parse_number(danish(value, decimals, thousands)) == float(value)


@given(st.integers(min_value=-(10**12), max_value=10**12), st.booleans())
def test_integers_with_or_without_thousands_dots_parse_back(value: int, thousands: bool):
    text = danish(Decimal(value), 0, thousands)
    assert parse_number(text) == float(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_json_numbers_are_taken_as_they_are(value: float):
    assert parse_number(value) == value
    assert parse_number(json.loads(json.dumps(value))) == value


@given(st.text(max_size=60))
def test_any_cell_text_gives_a_number_or_none(text: str):
    result = parse_number(text)
    assert result is None or isinstance(result, float)


_quick = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_names = st.sampled_from(["Y07A02_x.csv", "Y07A02_x.json", "Y07A02_x.xlsx", "x.csv", "y.txt"])


def _extract(name: str, written: list[str]) -> bytes:
    """One Horsens row per year (2000, 2001, …) with the figure as written, in the file's format."""
    rows = [["Horsens", str(2000 + i), text] for i, text in enumerate(written)]
    header = ["Område", "Periode", "Antal"]
    if name.endswith(".csv"):
        lines = [";".join(header)] + [
            ";".join(f'"{c}"' if "," in c else c for c in r) for r in rows
        ]
        return ("\ufeff" + "\n".join(lines)).encode()
    if name.endswith("v2.json"):
        variables = [{"Name": h, "Label": h} for h in header]
        return json.dumps([{"Variables": variables, "Data": rows}]).encode()
    return json.dumps({"columns": header, "rows": rows}).encode()


written_numbers = st.lists(
    st.tuples(amounts, st.integers(min_value=0, max_value=2), st.booleans()),
    min_size=1,
    max_size=12,
)


@_quick
@given(st.sampled_from(["Y07A02_x.csv", "Y07A02_v2.json", "Y07A02_v3.json"]), written_numbers)
def test_numbers_written_into_an_extract_parse_back(name: str, numbers):
    """Danish text figures in a whole CSV / API v2 / API v3 extract come back as the values."""
    values = [round(v, d) for v, d, _ in numbers]
    written = [danish(v, d, t) for v, (_, d, t) in zip(values, numbers, strict=True)]
    facts = parse_extract_bytes(name, _extract(name, written)).facts.sort("period_code")
    assert facts["value"].to_list() == [float(v) for v in values]
    assert not facts["suppressed"].any()


def _fails_clearly(name: str, data: bytes) -> None:
    """Parsing either succeeds or raises JobindsatsFormatError "<file>: <reason>"."""
    try:
        parse_extract_bytes(name, data)
    except JobindsatsFormatError as exc:
        message = str(exc)
        assert message.startswith(f"{name}: ") and len(message) > len(name) + 5
    except Exception as exc:  # noqa: BLE001 — the property under test
        pytest.fail(f"{name}: {type(exc).__name__} instead of JobindsatsFormatError: {exc}")


@_quick
@given(_names, st.binary(max_size=400))
def test_arbitrary_bytes_fail_only_with_the_format_error(name: str, data: bytes):
    _fails_clearly(name, data)


csv_cells = st.text(alphabet=st.sampled_from(list('Horsens;Periode2024M01Q.,-"\n 9Område')))


@_quick
@given(_names, csv_cells)
def test_near_miss_text_fails_only_with_the_format_error(name: str, text: str):
    _fails_clearly(name, ("Område;Periode;Antal\n" + text).encode())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["columns", "rows", "Variables", "Data", "Label", "Name", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@_quick
@given(json_values)
def test_arbitrary_json_fails_only_with_the_format_error(payload):
    _fails_clearly("Y07A02_x.json", json.dumps(payload).encode())
