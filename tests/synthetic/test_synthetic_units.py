"""Small pure functions of the generator."""

from __future__ import annotations

from datetime import date

import numpy as np

from synthetic.core import busdays, day, ensure_codes
from synthetic.cpr import make_cprs
from tests.synthetic.landing_reader import birth_date, cpr_is_valid


def test_many_people_born_on_one_day_get_distinct_valid_cprs():
    births = np.array([day(date(1980, 5, 17))] * 5000 + [day(date(2008, 2, 29))] * 50)
    cprs = make_cprs(births, np.random.default_rng(1))
    assert len(set(cprs)) == len(cprs)
    assert all(cpr_is_valid(c) for c in cprs)
    assert {birth_date(c) for c in cprs} == {date(1980, 5, 17), date(2008, 2, 29)}


def test_century_digit_follows_the_birth_year():
    births = np.array([day(date(y, 1, 2)) for y in (1890, 1920, 1950, 2001, 2040)])
    cprs = make_cprs(births, np.random.default_rng(2))
    assert [birth_date(c).year for c in cprs] == [1890, 1920, 1950, 2001, 2040]


def test_ensure_codes_adds_missing_codes_without_removing_others():
    values = np.array(["a", "a", "b", "c", "c"], dtype=object)
    out = ensure_codes(values, ["a", "b", "c", "d"], np.ones(5, dtype=bool))
    assert set(out) == {"a", "b", "c", "d"}
    # only eligible rows count and change
    out = ensure_codes(values, ["d"], np.array([True, True, False, False, False]))
    assert list(out) == ["a", "d", "b", "c", "c"]


def test_busdays_counts_weekdays_inclusive():
    # Mon 2024-01-01 … Sun 2024-01-07: five weekdays; an empty interval counts 0
    first = np.array([day(date(2024, 1, 1)), day(date(2024, 1, 8))])
    last = np.array([day(date(2024, 1, 7)), day(date(2024, 1, 7))])
    assert list(busdays(first, last)) == [5, 0]
