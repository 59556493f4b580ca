"""An independent Python reading of docs/domain.md §5.5–5.6 (E4, E16–E18), written from the
specification and not from the SQL: day by day, week by week and due by due, with the interval
chain as the plain loop the rule describes. Tests compare the jobcentre marts with it.

Input rows are dicts with the raw register columns (person_key instead of CPR). Dates are
`datetime.date`. Decisions the specification leaves open are the ones of
docs/decisions/jobcenter.md (a case_end_date or fast-track request after as_of is not observed;
a case no rule version covers gets no dues).
"""

from __future__ import annotations

import statistics
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

INKLUSION = {
    "fleksjob", "fleksjob_foer_2013", "loentilskud", "skaanejob", "saerlige_vilkaar", "seniorjob",
}  # fmt: skip


@dataclass(frozen=True)
class SdpVersion:
    name: str
    valid_from: date
    valid_to: date | None
    first_due_days: int = 55
    fast_track_days: int = 14
    count: int | None = None
    within_days: int | None = None
    interval_days: int | None = None
    categories: frozenset[int] = frozenset({2, 3})


DEFAULT_VERSIONS = (
    SdpVersion("sdp_2023", date(2023, 3, 22), None, count=3, within_days=182),
    SdpVersion("sdp_2014", date(2014, 7, 1), date(2023, 3, 21), interval_days=28),
)


@dataclass
class Registers:
    as_of: date
    history_months: int = 36
    weeks: int = 26
    retained_weeks: int = 13
    placement_followup_days: int = 90
    employment_min_days: int = 28
    versions: tuple[SdpVersion, ...] = DEFAULT_VERSIONS
    engagements: list[dict] = field(default_factory=list)
    placements: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)

    @property
    def window_start(self) -> date:
        month = self.as_of.year * 12 + self.as_of.month - 1 - self.history_months
        return date(month // 12, month % 12 + 1, 1)

    # E4: rows that start after as_of are not observed.
    def observed_engagements(self) -> list[dict]:
        return [e for e in self.engagements if e["start_date"] <= self.as_of]

    def observed_placements(self) -> list[dict]:
        return [p for p in self.placements if p["start_date"] <= self.as_of]

    def observed_cases(self) -> list[dict]:
        return [c for c in self.cases if c["first_absence_date"] <= self.as_of]

    def observed_events(self) -> list[dict]:
        return [e for e in self.events if e["event_date"] <= self.as_of]


def _active(row: dict, d: date) -> bool:
    return row["start_date"] <= d and (row["end_date"] is None or d <= row["end_date"])


# --- §5.5 ------------------------------------------------------------------------------------


def retention(r: Registers) -> list[dict]:
    engagements = r.observed_engagements()
    placements = r.observed_placements()
    days = timedelta(days=r.placement_followup_days)
    out = []
    for e in engagements:
        s = e["start_date"]
        if not r.window_start <= s <= r.as_of:
            continue
        preceded = False
        for p in placements:
            if p["person_key"] != e["person_key"] or p["scheme"] == e["engagement_type"]:
                continue
            active = _active(p, s)
            ended_before = p["end_date"] is not None and p["end_date"] < s <= p["end_date"] + days
            preceded = preceded or active or ended_before
        if e["engagement_type"] not in INKLUSION and not preceded:
            continue
        mine = [f for f in engagements if f["person_key"] == e["person_key"]]
        observed = employed = 0
        for k in range(r.weeks):
            last_day = s + timedelta(days=7 * k + 6)
            if last_day > r.as_of:
                continue
            observed += 1
            employed += any(_active(f, last_day) for f in mine)
        out.append(
            {
                "engagement_id": e["engagement_id"],
                "person_key": e["person_key"],
                "engagement_type": e["engagement_type"],
                "org_unit_id": e["org_unit_id"],
                "start_date": s,
                "preceded_by_placement": preceded,
                "weeks_observed": observed,
                "weeks_employed": employed,
                "retained_13_of_26": employed >= r.retained_weeks,
                # start + 181 ≤ as_of for 26 weeks: the last week's last day is observed.
                "window_complete": s + timedelta(days=7 * r.weeks - 1) <= r.as_of,
            }
        )
    return out


def placement_outcomes(r: Registers, workplace_of: dict[str, str | None]) -> list[dict]:
    engagements = r.observed_engagements()
    out = []
    for p in r.observed_placements():
        end = p["end_date"]
        if end is None or not r.window_start <= end <= r.as_of:
            continue
        qualifying = []
        for e in engagements:
            if e["person_key"] != p["person_key"] or e["engagement_type"] == p["scheme"]:
                continue
            if (
                not p["start_date"]
                <= e["start_date"]
                <= end + timedelta(days=r.placement_followup_days)
            ):
                continue
            last = min(e["end_date"] or r.as_of, r.as_of)
            if (last - e["start_date"]).days + 1 >= r.employment_min_days:
                qualifying.append(e)
        first = min(qualifying, key=lambda e: (e["start_date"], e["engagement_id"]), default=None)
        out.append(
            {
                "placement_id": p["placement_id"],
                "person_key": p["person_key"],
                "scheme": p["scheme"],
                "benefit_group": p["benefit_group"],
                "workplace_id": workplace_of.get(p["org_unit_id"]),
                "end_date": end,
                "employed_after": first is not None,
                "first_engagement_type": first["engagement_type"] if first else None,
                "days_to_employment": (first["start_date"] - end).days if first else None,
                "window_complete": end
                + timedelta(days=r.placement_followup_days + r.employment_min_days)
                <= r.as_of,
            }
        )
    return out


# --- §5.6 ------------------------------------------------------------------------------------


def _version(r: Registers, first_absence: date) -> SdpVersion | None:
    for v in sorted(r.versions, key=lambda v: v.valid_from, reverse=True):
        if v.valid_from <= first_absence and (v.valid_to is None or first_absence <= v.valid_to):
            return v
    return None


def sdp_followup(r: Registers) -> list[dict]:
    events = r.observed_events()
    out = []
    for c in r.observed_cases():
        v = _version(r, c["first_absence_date"])
        if v is None:
            continue
        fad = c["first_absence_date"]
        end = c["case_end_date"] if c["case_end_date"] and c["case_end_date"] <= r.as_of else None
        fast = c["fast_track_requested_date"]
        fast = fast if fast and fast <= r.as_of else None
        mine = [e for e in events if e["case_id"] == c["case_id"]]
        held = sorted(
            (e["event_date"], e["event_id"])
            for e in mine
            if e["event_type"] == "opfoelgningssamtale"
            and e["status"] in (None, "afholdt")
            and e["event_date"] >= fad
        )
        visits = [e for e in mine if e["event_type"] == "visitation"]

        def category_on(d: date, visits=visits):
            before = [e for e in visits if e["event_date"] <= d]
            if not before:
                return None
            return max(before, key=lambda e: (e["event_date"], e["event_id"]))["category"]

        due1 = fad + timedelta(days=v.first_due_days)
        if fast is not None:
            due1 = min(due1, fast + timedelta(days=v.fast_track_days))
        dues = [due1]
        if v.count is not None and v.within_days is not None:
            later = fad + timedelta(days=v.within_days)
            if category_on(min(later, r.as_of)) in v.categories:
                dues += [later] * v.count
        elif v.interval_days is not None:
            while dues[-1] < r.as_of:  # up to and including the first due on or after as_of
                k = len(dues)
                anchor = held[k - 1][0] if k <= len(held) else dues[-1]
                candidate = anchor + timedelta(days=v.interval_days)
                if category_on(candidate) not in v.categories:
                    break
                dues.append(candidate)
        for k, due in enumerate(dues, start=1):
            held_date = held[k - 1][0] if k <= len(held) else None
            if held_date is None and end is not None and end <= due:
                continue  # dropped
            if held_date is not None:
                status = "on_time" if held_date <= due else "late"
                late = max(0, (held_date - due).days)
            elif due < r.as_of:
                status, late = "missing", (r.as_of - due).days
            else:
                status, late = "not_due_yet", 0
            out.append(
                {
                    "case_id": c["case_id"],
                    "person_key": c["person_key"],
                    "rule_version": v.name,
                    "due_no": k,
                    "due_date": due,
                    "held_date": held_date,
                    "status": status,
                    "days_late": late,
                }
            )
    return out


def rettidighed_monthly(r: Registers, followup: list[dict]) -> list[dict]:
    groups: dict[tuple[date, str], list[dict]] = {}
    for row in followup:
        if row["status"] not in ("on_time", "late", "missing"):
            continue
        due = row["due_date"]
        if not r.window_start <= due.replace(day=1) <= r.as_of.replace(day=1):
            continue
        if (due.year, due.month) == (r.as_of.year, r.as_of.month):
            month_end = r.as_of
        else:
            month_end = due.replace(day=monthrange(due.year, due.month)[1])
        kind = "first" if row["due_no"] == 1 else "later"
        for key in ((month_end, kind), (month_end, "all")):
            groups.setdefault(key, []).append(row)
    out = []
    for (month_end, kind), rows in sorted(groups.items()):
        on_time = sum(r_["status"] == "on_time" for r_ in rows)
        late = [r_["days_late"] for r_ in rows if r_["status"] in ("late", "missing")]
        out.append(
            {
                "month_end": month_end,
                "due_kind": kind,
                "dues": len(rows),
                "on_time": on_time,
                "rettidighed_pct": 100 * on_time / len(rows),
                "median_days_late": float(statistics.median(late)) if late else None,
            }
        )
    return out
