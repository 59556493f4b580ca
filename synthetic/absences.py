"""Absence spells per engagement, never overlapping (a packed Poisson process).

Spell starts are uniform over the engagement's observed days; durations depend on the cause and,
for own sickness, on a kort/mellem/lang band mix. Overlaps are removed by pushing each spell to
start after the previous one ends: from_i = max(pos_i, to_{i-1} + 1), computed for all spells at
once as c_i + cummax(pos_j − c_j) with c_i the running sum of earlier lengths (+1 day gap).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from synthetic.core import NO_DATE, Settings, busdays, choice, ensure_codes, text_series, weekday

CAUSES = ["egen_sygdom", "delvis_sygdom", "arbejdsskade", "barn_syg", "barsel", "andet"]
SICK_CAUSES = ["egen_sygdom", "delvis_sygdom", "arbejdsskade"]

# Spells per employee-year and the cause mix, by staff group (inclusion staff are sick more).
RATE = {"ordinaere": 1.5, "inklusion": 1.95}
CAUSE_MIX = {
    "ordinaere": [0.70, 0.04, 0.015, 0.17, 0.015, 0.06],
    "inklusion": [0.72, 0.09, 0.02, 0.10, 0.005, 0.065],
}
# Own sickness: share of kort (1–3 days), mellem (4–28) and lang (29+) spells.
BANDS = {"ordinaere": [0.55, 0.33, 0.12], "inklusion": [0.45, 0.35, 0.20]}
S56_SHARE = {"ordinaere": 0.02, "inklusion": 0.25}


def _durations(cause: np.ndarray, group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(cause)
    kort = rng.choice([1, 2, 3], size=n, p=[0.5, 0.3, 0.2])
    mellem = np.minimum(4 + rng.geometric(0.14, n) - 1, 28)
    lang = np.minimum(29 + rng.exponential(80, n).astype(np.int64), 400)
    band = np.zeros(n, dtype=np.int64)
    for g, probs in BANDS.items():
        rows = group == g
        band[rows] = rng.choice(3, size=int(rows.sum()), p=probs)
    sick = np.select([band == 0, band == 1], [kort, mellem], lang)
    return np.select(
        [
            cause == "egen_sygdom",
            cause == "delvis_sygdom",
            cause == "arbejdsskade",
            cause == "barn_syg",
            cause == "barsel",
        ],
        [
            sick,
            rng.integers(14, 91, n),
            rng.integers(2, 61, n),
            rng.integers(1, 3, n),
            rng.integers(90, 331, n),
        ],
        rng.integers(1, 11, n),
    ).astype(np.int64)


def build_absences(s: Settings, eng: pl.DataFrame) -> pl.DataFrame:
    """eng: engagement_id, staff_group, weekly_hours, start_day, end_day (NO_DATE = open)."""
    rng = s.rng("absences")
    end = eng["end_day"].to_numpy()
    lo = np.maximum(eng["start_day"].to_numpy(), s.start_day)
    hi = np.minimum(np.where(end == NO_DATE, s.as_of_day, end), s.as_of_day)
    span = np.maximum(hi - lo + 1, 0)
    group = eng["staff_group"].to_numpy()
    rate = np.where(group == "inklusion", RATE["inklusion"], RATE["ordinaere"])
    count = rng.poisson(rate * span / 365.25)
    idx = np.repeat(np.arange(eng.height), count)
    n = len(idx)
    pos = lo[idx] + (rng.random(n) * span[idx]).astype(np.int64)
    # Most people report sick on a weekday: a weekend start moves to Monday.
    wd = weekday(pos)
    pos = np.where((wd >= 5) & (rng.random(n) < 0.85), pos + (7 - wd), pos)
    g = group[idx]
    cause = np.empty(n, dtype=object)
    for name, mix in CAUSE_MIX.items():
        rows = np.flatnonzero(g == name)
        cause[rows] = choice(rng, CAUSES, mix, len(rows))
    cause = ensure_codes(cause, CAUSES, np.ones(n, dtype=bool))
    dur = _durations(cause, g, rng)
    frame = (
        pl.DataFrame({"e": idx, "pos": pos, "dur": dur, "cause": cause, "g": g})
        .sort("e", "pos")
        .with_columns(c=(pl.col("dur") + 1).cum_sum().over("e") - (pl.col("dur") + 1))
        .with_columns(from_day=pl.col("c") + (pl.col("pos") - pl.col("c")).cum_max().over("e"))
    )
    e = frame["e"].to_numpy()
    from_day = frame["from_day"].to_numpy()
    keep = from_day <= hi[e]
    frame = frame.filter(pl.Series(keep))
    e, from_day = e[keep], from_day[keep]
    to_day = from_day + frame["dur"].to_numpy() - 1
    to_day = np.where(end[e] != NO_DATE, np.minimum(to_day, end[e]), to_day)
    open_spell = to_day > s.as_of_day
    daily = eng["weekly_hours"].to_numpy()[e] / 5
    m = len(e)
    cause = frame["cause"].to_numpy()
    g = frame["g"].to_numpy()
    # delvis_sygdom: part of each day (hours required); some one-day spells are a few hours.
    counted_to = np.minimum(to_day, s.as_of_day)
    partial = np.round(busdays(from_day, counted_to) * daily * rng.uniform(0.3, 0.7, m) * 2) / 2
    hours = np.where(cause == "delvis_sygdom", np.maximum(partial, 0.5), np.nan)
    short = (cause == "egen_sygdom") & (to_day == from_day) & (rng.random(m) < 0.05)
    hours = np.where(short, np.round(daily * rng.uniform(0.3, 0.8, m) * 2) / 2, hours)
    sick = np.isin(cause, SICK_CAUSES)
    s56_p = np.where(g == "inklusion", S56_SHARE["inklusion"], S56_SHARE["ordinaere"])
    s56 = sick & (rng.random(m) < s56_p)
    s56_empty = ~s56 & (rng.random(m) < 0.2)  # an empty cell means false (E13)
    out = pl.DataFrame(
        {
            "engagement_id": eng["engagement_id"].to_numpy()[e],
            "cause": text_series(cause),
            "from_day": from_day,
            "to_day": np.where(open_spell, NO_DATE, to_day),
            "final_to_day": to_day,
            "hours": pl.Series(hours).fill_nan(None),
            "s56": pl.select(
                pl.when(pl.Series(s56_empty)).then(None).otherwise(pl.Series(s56))
            ).to_series(),
        }
    ).sort("from_day", "engagement_id")
    return out.with_columns(
        absence_id=pl.lit("F") + pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(9)
    )
