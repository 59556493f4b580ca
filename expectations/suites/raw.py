"""Suites on the raw registers ingest writes: what dbt and the marts rely on (blocking)."""

from __future__ import annotations

import great_expectations as gx

from expectations.core import Suite

ENGAGEMENT_TYPES = [
    "ordinaer",
    "elev",
    "fleksjob",
    "fleksjob_foer_2013",
    "loentilskud",
    "skaanejob",
    "saerlige_vilkaar",
    "seniorjob",
]
SCHEMES = [
    "virksomhedspraktik",
    "nyttejob",
    "loentilskud",
    "fleksjob",
    "skaanejob",
    "saerlige_vilkaar",
    "seniorjob",
    "beskyttet_beskaeftigelse",
]
PERSON_KEY = r"^[0-9a-f]{64}$"  # lowercase hex HMAC-SHA256 (DOMAIN.md §7): never a CPR


def _engagements() -> list:
    e = gx.expectations
    return [
        e.ExpectColumnValuesToBeBetween(
            column="weekly_hours", min_value=0, max_value=48, strict_min=True
        ),
        e.ExpectColumnValuesToNotBeNull(column="weekly_hours"),
        e.ExpectColumnValuesToBeInSet(column="engagement_type", value_set=ENGAGEMENT_TYPES),
        e.ExpectColumnValuesToMatchRegex(column="person_key", regex=PERSON_KEY),
        e.ExpectColumnValuesToNotBeNull(column="person_key"),
        e.ExpectColumnValuesToBeUnique(column="engagement_id"),
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="end_date",
            column_B="start_date",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
    ]


def _placements() -> list:
    e = gx.expectations
    return [
        # weekly_hours is optional on placements (null → FTE 1.0); out of range was nulled (E1).
        e.ExpectColumnValuesToBeBetween(
            column="weekly_hours", min_value=0, max_value=48, strict_min=True
        ),
        e.ExpectColumnValuesToBeInSet(column="scheme", value_set=SCHEMES),
        e.ExpectColumnValuesToMatchRegex(column="person_key", regex=PERSON_KEY),
        e.ExpectColumnValuesToNotBeNull(column="person_key"),
        e.ExpectColumnValuesToBeUnique(column="placement_id"),
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="end_date",
            column_B="start_date",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
    ]


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
