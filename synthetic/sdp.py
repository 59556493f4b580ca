"""Sickness-benefit cases (sygedagpenge) in the jobcentre and their events.

Cases come from the municipality's own long sick spells (employment_status ansat) and from other
citizens. Follow-up conversations are planned on the due dates of the rule version chosen by
first_absence_date (sdp_2014: 28 days after the previous one, while the category is 2 or 3;
sdp_2023: three within 182 days) and are held on time, late, cancelled or not at all.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from synthetic.core import NO_DATE, Settings, choice, day, ensure_codes, masked_text, text_series
from synthetic.people import People, birth_for_age

RULE_SWITCH = day(date(2023, 3, 22))
EVENT_TYPES = ["visitation", "opfoelgningssamtale", "revurdering", "aktivering_start"]
CANCELLED = ["aflyst_borger", "aflyst_kommune", "udeblevet"]
CASE_END_REASONS = ["raskmeldt", "jobafklaring", "fleksjob", "foertidspension", "ophoer_andet"]
# Enough for the longest case under sdp_2014 (1 100 days ÷ 28).
MAX_CONVERSATIONS = 40


def build_cases(s: Settings, absences: pl.DataFrame, eng: pl.DataFrame, people: People):
    """sdp_cases with person_id; absences carry engagement_id, cause, from_day, final_to_day."""
    rng = s.rng("sdp_cases")
    long_sick = (
        absences.filter(
            (pl.col("cause") == "egen_sygdom")
            & ((pl.col("final_to_day") - pl.col("from_day")) >= 30)
            & (pl.col("from_day") >= s.start_day)
        )
        .join(eng.select("engagement_id", "person_id"), on="engagement_id")
        .select("person_id", "from_day", pl.col("final_to_day").alias("spell_end"))
    )
    n_own = long_sick.height
    # Other citizens: about a quarter case per employee-year, from well before the 2023 switch.
    lo = min(s.start_day, RULE_SWITCH - 200) - 60
    n_other = max(20, round(0.25 * s.employees * s.years))
    first_other = rng.integers(lo, s.as_of_day - 2, n_other)
    other_people = people.add(birth_for_age(first_other, 20, 64, rng))
    first = np.concatenate([long_sick["from_day"].to_numpy(), first_other])
    person = np.concatenate([long_sick["person_id"].to_numpy(), other_people])
    n = n_own + n_other
    status = np.concatenate(
        [np.full(n_own, "ansat", dtype=object),
         choice(rng, ["ansat", "ledig", "selvstaendig"], [0.55, 0.37, 0.08], n_other)]
    )  # fmt: skip
    duration = np.minimum(rng.lognormal(np.log(75), 0.8, n).astype(np.int64) + 10, 1100)
    own_end = np.concatenate([long_sick["spell_end"].to_numpy(), np.zeros(n_other, np.int64)])
    end = np.where(np.arange(n) < n_own, own_end + rng.integers(0, 10, n), first + duration)
    reason = np.where(
        end - first > 300,
        choice(rng, ["jobafklaring", "fleksjob", "foertidspension", "ophoer_andet"],
               [0.45, 0.25, 0.15, 0.15], n),
        choice(rng, ["raskmeldt", "ophoer_andet"], [0.85, 0.15], n),
    )  # fmt: skip
    closed = end <= s.as_of_day
    reason = ensure_codes(reason, CASE_END_REASONS, closed)
    fast = rng.random(n) < 0.06
    fast_date = first + rng.integers(3, 35, n)
    fast = fast & (fast_date <= s.as_of_day) & (fast_date < end)
    frame = pl.DataFrame(
        {
            "person_id": person,
            "first_day": first,
            "employment_status": status.astype(str),
            "end_day": np.where(closed, end, NO_DATE),
            "final_end_day": end,
            "end_reason": masked_text(reason, closed),
            "fast_day": np.where(fast, fast_date, NO_DATE),
        }
    ).sort("first_day", "person_id")
    return frame.with_columns(
        case_id=pl.lit("S") + pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(7)
    )


def build_events(s: Settings, cases: pl.DataFrame) -> pl.DataFrame:
    """Visitations, follow-up conversations, revurderinger and activations per case.

    The jobcentre plans conversations the way the rule of the case's version reads them
    (docs/domain.md §5.6): sdp_2014 chains each conversation 28 days after the previous one was
    held (or was due), as long as the category at the due date is 2 or 3; sdp_2023 holds three
    more before day 182 when the case is in category 2 or 3. Some are held late, some cancelled
    or not held at all, fewer each year (the jobcentre's trend). Categories change at a second
    visitation for about a quarter of the cases, both ways.
    """
    rng = s.rng("sdp_events")
    n = cases.height
    first = cases["first_day"].to_numpy()
    last = np.minimum(cases["final_end_day"].to_numpy(), s.as_of_day)
    fast = cases["fast_day"].to_numpy()
    case = cases["case_id"].to_numpy()
    # Visitation (category 1: expected back soon; 2: at risk; 3: long-term), some revisited:
    # 1 → 2 or 3, 2 → 1 (recovering) or 3, 3 → 2.
    category = rng.choice([1, 2, 3], size=n, p=[0.35, 0.45, 0.20])
    visit = first + rng.integers(-7, 35, n)  # sometimes before the first absence day
    revisit = first + rng.integers(60, 200, n)
    step = np.where(rng.random(n) < 0.5, 1, -1)
    recat = np.select([category == 1, category == 3], [2 + (step > 0), 2], 2 + step)
    has_revisit = rng.random(n) < 0.25
    category_on = lambda d: np.where(has_revisit[:, None] & (d >= revisit[:, None]),  # noqa: E731
                                     recat[:, None], category[:, None])  # fmt: skip
    # Timeliness improves a little each year; offsets of held conversations from their due date.
    k = np.arange(MAX_CONVERSATIONS)
    year_rank = (first - s.start_day) / 365.25
    p_late = np.clip(0.16 - 0.02 * year_rank, 0.05, 0.2)[:, None]
    p_missing = np.clip(0.08 - 0.012 * year_rank, 0.02, 0.1)[:, None]
    u = rng.random((n, MAX_CONVERSATIONS))
    late = u < p_late
    missing = (u >= p_late) & (u < p_late + p_missing)
    offset = np.where(
        late,
        rng.integers(1, 35, (n, MAX_CONVERSATIONS)),
        -rng.integers(0, 14, (n, MAX_CONVERSATIONS)),
    )
    offset = np.where(missing, 0, offset)
    due1 = np.where(fast != NO_DATE, np.minimum(first + 55, fast + 14), first + 55)
    # sdp_2014: due k + 1 = held (or due) date of k + 28, so dues follow the cumulated offsets.
    chained = due1[:, None] + k * 28 + np.cumsum(offset, axis=1) - offset
    # sdp_2023: three more well before day 182 (days 95, 135, 175), then none.
    spread = np.where(k == 0, due1[:, None], first[:, None] + 55 + k * 40)
    new_rule = first >= RULE_SWITCH
    due = np.where(new_rule[:, None], spread, chained)
    eligible = category_on(due) >= 2
    planned = np.where(
        new_rule[:, None],
        (k < 4) & ((k == 0) | (category_on(np.minimum(first + 182, s.as_of_day)[:, None]) >= 2)),
        (k == 0) | (np.cumprod(eligible | (k == 0), axis=1) == 1),
    )
    held = due + offset
    cancelled = missing & (rng.random(due.shape) < 0.6)
    cancel_day = due - rng.integers(0, 7, due.shape)
    cancel_code = np.asarray(CANCELLED, object)[rng.integers(0, 3, due.shape)]
    in_case = lambda d: (d <= last[:, None]) & (d >= first[:, None])  # noqa: E731
    rows = []
    case2 = np.repeat(case[:, None], MAX_CONVERSATIONS, axis=1)
    conv = planned & ~missing & in_case(held)
    rows.append(_events(case2[conv], held[conv], "opfoelgningssamtale", None,
                        np.where(rng.random(conv.sum()) < 0.6, "afholdt", None)))  # fmt: skip
    canc = planned & cancelled & in_case(cancel_day)
    cancel_code[canc] = ensure_codes(cancel_code[canc], CANCELLED, np.ones(canc.sum(), bool))
    rows.append(_events(case2[canc], cancel_day[canc], "opfoelgningssamtale", None,
                        cancel_code[canc]))  # fmt: skip
    vis = visit <= last
    rows.append(_events(case[vis], visit[vis], "visitation", category[vis], None))
    rev = has_revisit & (revisit <= last)
    rows.append(_events(case[rev], revisit[rev], "visitation", recat[rev], None))
    revurdering = first + rng.integers(140, 160, n)
    rv = revurdering <= last
    rows.append(_events(case[rv], revurdering[rv], "revurdering", None, None))
    akt = first + rng.integers(40, 120, n)
    ak = (rng.random(n) < 0.15) & (akt <= last)
    rows.append(_events(case[ak], akt[ak], "aktivering_start", None, None))
    events = pl.concat(rows).sort("case_id", "event_day", "event_type")
    return events.with_columns(
        event_id=pl.lit("H") + pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(8)
    )


def _events(case, day_, kind, category, status) -> pl.DataFrame:
    n = len(case)
    return pl.DataFrame(
        {
            "case_id": text_series(case),
            "event_day": pl.Series(np.asarray(day_, dtype=np.int64)),
            "event_type": kind,
            "category": pl.Series(
                np.full(n, None) if category is None else category, dtype=pl.Int64
            ),
            "status": text_series(np.full(n, None) if status is None else status),
        }
    )
