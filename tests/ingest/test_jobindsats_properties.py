"""Property tests: jobindsats number formats round-trip; no input crashes the parser (E20)."""

from __future__ import annotations

import contextlib
import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.jobindsats import JobindsatsFormatError, parse_extract_bytes
from ingest.jobindsats_values import parse_number


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


@_quick
@given(_names, st.binary(max_size=400))
def test_arbitrary_bytes_fail_only_with_the_format_error(name: str, data: bytes):
    with contextlib.suppress(JobindsatsFormatError):
        parse_extract_bytes(name, data)


csv_cells = st.text(alphabet=st.sampled_from(list('Horsens;Periode2024M01Q.,-"\n 9Område')))


@_quick
@given(_names, csv_cells)
def test_near_miss_text_fails_only_with_the_format_error(name: str, text: str):
    data = ("Område;Periode;Antal\n" + text).encode()
    with contextlib.suppress(JobindsatsFormatError):
        parse_extract_bytes(name, data)


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
    with contextlib.suppress(JobindsatsFormatError):
        parse_extract_bytes("Y07A02_x.json", json.dumps(payload).encode())
