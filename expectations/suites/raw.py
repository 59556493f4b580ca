"""Suites on the raw registers ingest writes: what dbt and the marts rely on (blocking).

The code lists come from ingest's register specifications, so the suites check exactly what
ingest promises to write.
"""

from __future__ import annotations

from expectations.core import Suite, gx
from ingest.registers.specs import ENGAGEMENT_TYPES, SCHEMES

PERSON_KEY = r"^[0-9a-f]{64}$"  # lowercase hex HMAC-SHA256 (docs/domain.md §7): never a CPR


def _person_rows(key: str, type_column: str, types: tuple[str, ...]) -> list:
    """What engagements and placements share: hours 0 < h ≤ 48 (E1), a known code, a pseudonym,
    a unique key and no end before its start."""
    e = gx().expectations
    return [
        e.ExpectColumnValuesToBeBetween(
            column="weekly_hours", min_value=0, max_value=48, strict_min=True
        ),
        e.ExpectColumnValuesToBeInSet(column=type_column, value_set=list(types)),
        e.ExpectColumnValuesToMatchRegex(column="person_key", regex=PERSON_KEY),
        e.ExpectColumnValuesToNotBeNull(column="person_key"),
        e.ExpectColumnValuesToBeUnique(column=key),
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="end_date",
            column_B="start_date",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
    ]


def _engagements() -> list:
    # weekly_hours is required on engagements (E1: empty or out of range rejects the row).
    return [
        *_person_rows("engagement_id", "engagement_type", ENGAGEMENT_TYPES),
        gx().expectations.ExpectColumnValuesToNotBeNull(column="weekly_hours"),
    ]


def _placements() -> list:
    # weekly_hours is optional on placements (null → FTE 1.0); out of range was nulled (E1).
    return _person_rows("placement_id", "scheme", SCHEMES)


SUITES = [
    Suite(
        name="raw_engagements",
        table="raw.engagements",
        expectations=_engagements,
        description="Ansættelser: timetal 0 < t ≤ 48, kendt type, pseudonym, unik nøgle.",
    ),
    Suite(
        name="raw_placements",
        table="raw.placements",
        expectations=_placements,
        description="Placeringer: timetal 0 < t ≤ 48, kendt ordning, pseudonym, unik nøgle.",
    ),
]
