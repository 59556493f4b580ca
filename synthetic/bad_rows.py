"""Deliberately bad rows, appended to the last file of each register so the demo shows
quarantine. Each one is listed (file, register, key, row, column, reason, severity) in the
landing README so that ingest tests can check that exactly these rows are caught."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl


@dataclass(frozen=True)
class BadRow:
    register: str
    key: str
    column: str
    reason: str
    severity: str
    values: dict[str, str]  # the row as text in the file's dialect
    note: str


def impossible_date(year: int, fmt: str) -> str:
    """30 February in the file's date format: looks like a date, is none."""
    return date(year, 2, 1).strftime(fmt).replace("01", "30", 1)


def bad_rows(
    *,
    as_of: date,
    date_formats: dict[str, str],
    next_ids: dict[str, str],
    unit_id: str,
    existing_engagement: dict[str, str],
    overlapped_spell: dict[str, str],
    good_engagement_id: str,
    good_case_id: str,
) -> list[BadRow]:
    """Text rows per register. existing_engagement / overlapped_spell are rows (as text, in the
    dialect of the last engagements / absences file) of real, valid rows."""
    fmt = date_formats
    y = as_of.year
    d = lambda register, days_back: (as_of - timedelta(days=days_back)).strftime(fmt[register])  # noqa: E731
    eng_ok = {
        "org_unit_id": unit_id, "engagement_type": "ordinaer", "weekly_hours": "37",
        "start_date": d("engagements", 40), "end_date": "", "end_reason": "",
        "union_area": "HK", "job_title": "Administrativ medarbejder",
    }  # fmt: skip
    e1, e2, e3, e4, e5 = (next_ids[f"engagement_{i}"] for i in range(1, 6))
    rows = [
        BadRow("org_units", next_ids["org_unit"], "name", "missing_required", "error",
               {"org_unit_id": next_ids["org_unit"], "name": "", "parent_id": "U000000"},
               "unit without a name"),
        BadRow("engagements", e1, "cpr", "invalid_cpr", "error",
               {**eng_ok, "engagement_id": e1, "cpr": "3102851234"}, "31 February is no date"),
        BadRow("engagements", e2, "start_date", "invalid_date", "error",
               {**eng_ok, "engagement_id": e2, "cpr": "0101901234",
                "start_date": impossible_date(y, fmt["engagements"])}, "30 February"),
        BadRow("engagements", e3, "engagement_type", "unknown_code", "error",
               {**eng_ok, "engagement_id": e3, "cpr": "0202902345", "engagement_type": "vikar"},
               "vikar is not an engagement type"),
        BadRow("engagements", e4, "weekly_hours", "out_of_range", "error",
               {**eng_ok, "engagement_id": e4, "cpr": "0303903456", "weekly_hours": "0"},
               "0 hours a week"),
        BadRow("engagements", e5, "org_unit_id", "missing_required", "error",
               {**eng_ok, "engagement_id": e5, "cpr": "0404904567", "org_unit_id": ""},
               "no org unit"),
        BadRow("engagements", existing_engagement["engagement_id"], "end_date",
               "end_before_start", "error",
               {**existing_engagement, "end_date": existing_engagement["_before_start"],
                "end_reason": "opsagt"},
               "an update of an earlier good row ends before it starts; the good row stays (E2)"),
        BadRow("absences", next_ids["absence_1"], "engagement_id", "dangling_reference", "error",
               {"absence_id": next_ids["absence_1"], "engagement_id": "E99999999",
                "cause": "egen_sygdom", "from_date": d("absences", 20),
                "to_date": d("absences", 18)}, "no such engagement"),
        BadRow("absences", next_ids["absence_2"], "engagement_id", "dangling_reference", "error",
               {"absence_id": next_ids["absence_2"], "engagement_id": e1, "cause": "egen_sygdom",
                "from_date": d("absences", 15), "to_date": d("absences", 14)},
               "its engagement is quarantined (invalid CPR), so it cascades (E2)"),
        BadRow("absences", next_ids["absence_3"], "from_date", "overlapping_spell", "error",
               {**overlapped_spell, "absence_id": next_ids["absence_3"]},
               f"starts a day after spell {overlapped_spell['_overlaps']} of the same engagement"),
        BadRow("absences", next_ids["absence_4"], "cause", "unknown_code", "error",
               {"absence_id": next_ids["absence_4"], "engagement_id": good_engagement_id,
                "cause": "ferie", "from_date": d("absences", 12), "to_date": d("absences", 12)},
               "ferie is not an absence cause"),
        BadRow("placements", next_ids["placement_1"], "scheme", "unknown_code", "error",
               {"placement_id": next_ids["placement_1"], "cpr": "0505905678",
                "org_unit_id": unit_id, "scheme": "praktik",
                "start_date": d("placements", 30)}, "praktik is not a scheme code"),
        BadRow("placements", next_ids["placement_2"], "end_date", "end_before_start", "error",
               {"placement_id": next_ids["placement_2"], "cpr": "0606906789",
                "org_unit_id": unit_id, "scheme": "nyttejob", "start_date": d("placements", 30),
                "end_date": d("placements", 60)}, "ends a month before it starts"),
        BadRow("sdp_cases", next_ids["case"], "cpr", "invalid_cpr", "error",
               {"case_id": next_ids["case"], "cpr": "3002921234",
                "first_absence_date": d("sdp_cases", 30), "employment_status": "ansat"},
               "30 February is no date"),
        BadRow("sdp_events", next_ids["event"], "case_id", "dangling_reference", "error",
               {"event_id": next_ids["event"], "case_id": "S9999999",
                "event_date": d("sdp_events", 10), "event_type": "opfoelgningssamtale",
                "status": "afholdt"}, "no such case"),
        BadRow("sdp_events", next_ids["event_2"], "status", "unknown_code", "error",
               {"event_id": next_ids["event_2"], "case_id": good_case_id,
                "event_date": d("sdp_events", 5), "event_type": "opfoelgningssamtale",
                "status": "glemt"}, "glemt is not a status; status null would mean afholdt (E1a)"),
    ]  # fmt: skip
    return rows


def append_rows(text: pl.DataFrame, rows: list[BadRow]) -> tuple[pl.DataFrame, list[int]]:
    """Append rows (missing columns empty); returns the frame and their 1-based row numbers."""
    if not rows:
        return text, []
    extra = pl.DataFrame(
        [{c: r.values.get(c, "") or None for c in text.columns} for r in rows],
        schema={c: pl.String for c in text.columns},
    )
    numbers = list(range(text.height + 1, text.height + 1 + len(rows)))
    return pl.concat([text, extra]), numbers
