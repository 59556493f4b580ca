"""The six registers of docs/domain.md §3.3 as column specifications that drive validation."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.code_lists import code_list


@dataclass(frozen=True)
class Col:
    """One landing column.

    kind: text | id | code | date | decimal | bool | cpr | category | p_number. `id` = a key or
    a reference to one (a CPR in it is replaced by a pseudonym); `text` = free text (a CPR in it
    is masked).
    required: empty or invalid → error (E1). strict: optional, but an invalid value is an error
    because a null would change the meaning (E1a). Range (low, high] for decimals; its severity
    follows `required`/`strict`.
    """

    name: str
    kind: str = "text"
    required: bool = False
    strict: bool = False
    codes: tuple[str, ...] = ()
    low_exclusive: float | None = None
    high_inclusive: float | None = None


@dataclass(frozen=True)
class RegisterSpec:
    name: str
    key: str
    columns: tuple[Col, ...]
    # (start column, end column): an end before its start is an error (E1a).
    date_pairs: tuple[tuple[str, str], ...] = ()

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)


# Code lists: one source, the dbt seed dbt_project/seeds/code_labels.csv (ingest/code_lists.py).
WORKPLACE_TYPES = code_list("workplace_type")
ENGAGEMENT_TYPES = code_list("engagement_type")
ENGAGEMENT_END_REASONS = code_list("engagement_end_reason")
UNION_AREAS = code_list("union_area")
CAUSES = code_list("absence_cause")
SCHEMES = code_list("scheme")
BENEFIT_GROUPS = code_list("benefit_group")
PLACEMENT_END_REASONS = code_list("placement_end_reason")
EMPLOYMENT_STATUSES = code_list("employment_status")
CASE_END_REASONS = code_list("case_end_reason")
EVENT_TYPES = code_list("sdp_event_type")
EVENT_STATUSES = code_list("sdp_event_status")
SDP_CATEGORIES = code_list("sdp_category")

REGISTERS: dict[str, RegisterSpec] = {
    "org_units": RegisterSpec(
        "org_units",
        "org_unit_id",
        (
            Col("org_unit_id", "id", required=True),
            Col("name", required=True),
            Col("parent_id", "id"),
            Col("p_number", "p_number"),
            Col("workplace_type", "code", codes=WORKPLACE_TYPES),
            Col("area"),
            Col("inclusion_approved_from", "date"),
            Col("inclusion_approved_to", "date"),
        ),
        date_pairs=(("inclusion_approved_from", "inclusion_approved_to"),),
    ),
    "engagements": RegisterSpec(
        "engagements",
        "engagement_id",
        (
            Col("engagement_id", "id", required=True),
            Col("cpr", "cpr", required=True),
            Col("org_unit_id", "id", required=True),
            Col("engagement_type", "code", required=True, codes=ENGAGEMENT_TYPES),
            Col("weekly_hours", "decimal", required=True, low_exclusive=0, high_inclusive=48),
            Col("start_date", "date", required=True),
            Col("end_date", "date", strict=True),
            Col("end_reason", "code", codes=ENGAGEMENT_END_REASONS),
            Col("union_area", "code", codes=UNION_AREAS),
            Col("job_title"),
        ),
        date_pairs=(("start_date", "end_date"),),
    ),
    "absences": RegisterSpec(
        "absences",
        "absence_id",
        (
            Col("absence_id", "id", required=True),
            Col("engagement_id", "id", required=True),
            Col("cause", "code", required=True, codes=CAUSES),
            Col("from_date", "date", required=True),
            Col("to_date", "date", strict=True),
            # required for delvis_sygdom: handled in validate.py
            Col("hours", "decimal", low_exclusive=0),
            Col("s56", "bool"),
        ),
        date_pairs=(("from_date", "to_date"),),
    ),
    "placements": RegisterSpec(
        "placements",
        "placement_id",
        (
            Col("placement_id", "id", required=True),
            Col("cpr", "cpr", required=True),
            Col("org_unit_id", "id", required=True),
            Col("scheme", "code", required=True, codes=SCHEMES),
            Col("benefit_group", "code", codes=BENEFIT_GROUPS),
            Col("weekly_hours", "decimal", low_exclusive=0, high_inclusive=48),
            Col("start_date", "date", required=True),
            Col("planned_end_date", "date"),
            Col("end_date", "date", strict=True),
            Col("end_reason", "code", codes=PLACEMENT_END_REASONS),
            Col("previous_placement_id", "id"),
        ),
        date_pairs=(("start_date", "end_date"), ("start_date", "planned_end_date")),
    ),
    "sdp_cases": RegisterSpec(
        "sdp_cases",
        "case_id",
        (
            Col("case_id", "id", required=True),
            Col("cpr", "cpr", required=True),
            Col("first_absence_date", "date", required=True),
            Col("employment_status", "code", codes=EMPLOYMENT_STATUSES),
            Col("case_end_date", "date", strict=True),
            Col("end_reason", "code", codes=CASE_END_REASONS),
            Col("fast_track_requested_date", "date"),
        ),
        date_pairs=(("first_absence_date", "case_end_date"),),
    ),
    "sdp_events": RegisterSpec(
        "sdp_events",
        "event_id",
        (
            Col("event_id", "id", required=True),
            Col("case_id", "id", required=True),
            Col("event_date", "date", required=True),
            Col("event_type", "code", required=True, codes=EVENT_TYPES),
            Col("category", "category", codes=SDP_CATEGORIES),
            Col("status", "code", strict=True, codes=EVENT_STATUSES),
        ),
    ),
}

# Load order: a register is checked against the final rows of the ones before it (E2).
REGISTER_ORDER = ("org_units", "engagements", "placements", "absences", "sdp_cases", "sdp_events")


def register_of(file_name: str) -> str | None:
    """The register a landing file belongs to, from its name prefix (case-insensitive)."""
    lower = file_name.lower()
    for name in REGISTERS:
        if lower.startswith(name):
            return name
    return None
