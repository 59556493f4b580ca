"""Extraordinary placements (the jobcentre's list) and the engagements they turn into.

Employed schemes mirror the HR engagements of an inclusion type (a few are missing on either
side, as in real registers); virksomhedspraktik, nyttejob and beskyttet beskæftigelse are
citizens who are not on the payroll. Chains (praktik → løntilskud) and conversions into ordinary
jobs link the two registers through the same person.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from synthetic.core import NO_DATE, Settings, choice, ensure_codes, masked_text, text_series
from synthetic.people import YEAR, People, birth_for_age
from synthetic.staff import KINDS, early_exits, weekly_hours_for

SCHEMES = [
    "virksomhedspraktik", "nyttejob", "loentilskud", "fleksjob", "skaanejob",
    "saerlige_vilkaar", "seniorjob", "beskyttet_beskaeftigelse",
]  # fmt: skip
BENEFIT_GROUPS = [
    "a_dagpenge", "kontanthjaelp_jobparat", "kontanthjaelp_aktivitetsparat", "uddannelseshjaelp",
    "sygedagpenge", "jobafklaring", "ressourceforloeb", "ledighedsydelse", "foertidspension",
    "revalidering", "integration", "andet",
]  # fmt: skip
BENEFIT_BY_SCHEME: dict[str, dict[str, float]] = {
    "virksomhedspraktik": {"kontanthjaelp_aktivitetsparat": .25, "kontanthjaelp_jobparat": .15,
                           "a_dagpenge": .15, "sygedagpenge": .10, "jobafklaring": .08,
                           "ressourceforloeb": .10, "uddannelseshjaelp": .07, "integration": .07,
                           "revalidering": .03},
    "nyttejob": {"kontanthjaelp_jobparat": .6, "uddannelseshjaelp": .3, "integration": .1},
    "loentilskud": {"a_dagpenge": .55, "kontanthjaelp_jobparat": .25, "revalidering": .05,
                    "integration": .05, "andet": .10},
    "fleksjob": {"ledighedsydelse": .6, "andet": .25, "sygedagpenge": .1, "ressourceforloeb": .05},
    "skaanejob": {"foertidspension": 1.0},
    "saerlige_vilkaar": {"foertidspension": .5, "kontanthjaelp_aktivitetsparat": .3, "andet": .2},
    "seniorjob": {"andet": .8, "a_dagpenge": .2},
    "beskyttet_beskaeftigelse": {"foertidspension": .8, "ressourceforloeb": .2},
}  # fmt: skip
# Non-employment schemes: stock share of the headcount, length (days) or mean years, ages.
CITIZEN_SCHEMES = {
    "virksomhedspraktik": (0.010, (28, 91), None, (18, 60)),
    "nyttejob": (0.003, (56, 182), None, (18, 45)),
    "beskyttet_beskaeftigelse": (0.004, None, 3.0, (25, 60)),
}
END_BY_SCHEME = {
    "virksomhedspraktik": {"gennemfoert": .55, "afbrudt_borger": .15, "afbrudt_arbejdsplads": .05,
                           "sygdom": .07, "overgang_ordinaer": .12, "andet": .06},
    "nyttejob": {"gennemfoert": .7, "afbrudt_borger": .2, "sygdom": .05, "andet": .05},
    "beskyttet_beskaeftigelse": {"gennemfoert": .3, "afbrudt_borger": .3, "sygdom": .2,
                                 "andet": .2},
}  # fmt: skip
# HR end_reason of an employed placement → the placement's end_reason.
END_FROM_HR = {"udloebet": "gennemfoert", "opsagt": "afbrudt_borger",
               "afskediget": "afbrudt_arbejdsplads", "pension": "andet", "doedsfald": "andet",
               "andet": "andet"}  # fmt: skip
PLACEMENT_END_REASONS = [
    "gennemfoert", "afbrudt_borger", "afbrudt_arbejdsplads", "overgang_loentilskud",
    "overgang_ordinaer", "sygdom", "andet",
]  # fmt: skip

_COLUMNS = {
    "person_id": pl.Int64, "org_unit_id": pl.String, "scheme": pl.String,
    "weekly_hours": pl.Float64, "start_day": pl.Int64, "planned_end_day": pl.Int64,
    "end_day": pl.Int64, "end_reason": pl.String, "tmp": pl.Int64, "prev_tmp": pl.Int64,
}  # fmt: skip


def build_placements(
    s: Settings, units: pl.DataFrame, engagements: pl.DataFrame, people: People
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(placements, new engagements from conversions)."""
    rng = s.rng("placements")
    pu = units.filter(pl.col("placement_weight") > 0).with_columns(
        p=pl.col("placement_weight") / pl.col("placement_weight").sum()
    )
    parts = [_from_engagements(s, engagements, rng)]
    parts += [_citizens(s, pu, scheme, spec, rng, people) for scheme, spec in
              CITIZEN_SCHEMES.items()]  # fmt: skip
    parts.append(_karens_starts(s, units, engagements, rng, people))
    parts.append(_crowded_workplaces(s, units, engagements, rng, people))
    parts.append(_unapproved(s, units, rng, people))
    frame = pl.concat([p.cast(_COLUMNS) for p in parts]).with_columns(
        tmp=pl.int_range(pl.len(), dtype=pl.Int64)
    )
    frame = pl.concat([frame, _praktik_before_loentilskud(s, frame, rng)], how="diagonal")
    frame = frame.filter(pl.col("end_day") >= s.start_day)
    frame = _benefit_groups(frame, rng)
    frame, conversions = _conversions(s, frame, units, rng)
    return _finalise(s, frame), conversions


def _from_engagements(s: Settings, eng: pl.DataFrame, rng) -> pl.DataFrame:
    inc = eng.filter(pl.col("kind").is_in(list(BENEFIT_BY_SCHEME) + ["fleksjob_foer_2013"]))
    # ~3 % of inclusion engagements have no placement on the jobcentre's list (reconciliation).
    inc = inc.filter(pl.Series(rng.random(inc.height) >= 0.03))
    n = inc.height
    ended = (inc["end_day"] <= s.as_of_day).to_numpy()
    hr_reason = inc["end_reason"].to_numpy()
    reason = np.asarray([END_FROM_HR.get(r, "andet") for r in np.unique(hr_reason)], object)
    mapped = reason[np.searchsorted(np.unique(hr_reason), hr_reason)]
    is_lt = (inc["kind"] == "loentilskud").to_numpy()
    mapped = np.where(is_lt & (rng.random(n) < 0.30), "overgang_ordinaer", mapped)
    mapped = np.where(~is_lt & (rng.random(n) < 0.05), "sygdom", mapped)
    fixed = inc["kind"].is_in(["loentilskud", "saerlige_vilkaar"]).to_numpy()
    hours = inc["weekly_hours"].to_numpy().astype(float)
    hours[rng.random(n) < 0.05] = np.nan  # the jobcentre did not record the hours
    return pl.DataFrame(
        {
            "person_id": inc["person_id"],
            "org_unit_id": inc["org_unit_id"],
            "scheme": inc["engagement_type"].replace("fleksjob_foer_2013", "fleksjob"),
            "weekly_hours": pl.Series(hours).fill_nan(None),
            "start_day": inc["start_day"],
            "planned_end_day": np.where(fixed, inc["end_day"].to_numpy(), NO_DATE),
            "end_day": inc["end_day"],
            "end_reason": masked_text(mapped, ended),
            "tmp": 0,
            "prev_tmp": -1,
        }
    )


def _citizens(
    s: Settings, pu, scheme, spec, rng, people: People, *, n=None, units=None, start=None
):
    """Placements of people who are not on the payroll (new persons)."""
    share, length, mean_years, ages = spec
    t_days = s.as_of_day - s.start_day + 1
    if n is None:
        stock = max(2, round(s.employees * share))
        mean_days = (length[0] + length[1]) / 2 if length else mean_years * YEAR
        n = stock + round(stock * t_days / mean_days)
        is_stock = np.arange(n) < stock
    else:
        is_stock = np.zeros(n, dtype=bool)
    if length:
        dur = rng.integers(length[0], length[1] + 1, n)
    else:
        dur = rng.exponential(mean_years * YEAR, n).astype(np.int64) + 30
    if start is None:
        start = np.where(
            is_stock,
            s.start_day - (rng.random(n) * dur).astype(np.int64),
            s.start_day + rng.integers(0, t_days, n),
        )
    if units is None:
        units = pu["org_unit_id"].to_numpy()[rng.choice(pu.height, size=n, p=pu["p"].to_numpy())]
    end = start + dur - 1
    reasons = END_BY_SCHEME[scheme]
    reason = choice(rng, list(reasons), list(reasons.values()), n)
    # An interrupted placement ends before its planned end.
    planned = np.where(np.isin(reason, ["gennemfoert", "overgang_ordinaer"]), end,
                       end + rng.integers(7, 60, n))  # fmt: skip
    hours = np.round(rng.uniform(10, 37, n) * 2) / 2
    if scheme == "virksomhedspraktik":
        hours[rng.random(n) < 0.10] = np.nan
    return pl.DataFrame(
        {
            "person_id": people.add(birth_for_age(start, *ages, rng)),
            "org_unit_id": units,
            "scheme": scheme,
            "weekly_hours": pl.Series(hours).fill_nan(None),
            "start_day": start,
            "planned_end_day": planned if length else np.full(n, NO_DATE),
            "end_day": end,
            "end_reason": masked_text(reason, end <= s.as_of_day),
            "tmp": 0,
            "prev_tmp": -1,
        }
    )


def _karens_starts(s, units, eng, rng, people):
    """Praktik started within three months after the workplace dismissed someone (karens)."""
    fired = eng.filter(
        (pl.col("engagement_type") == "ordinaer")
        & (pl.col("end_reason") == "afskediget")
        & pl.col("end_day").is_between(s.start_day + 30, s.as_of_day - 5)
    ).join(units.select("org_unit_id", "workplace_id"), on="org_unit_id")
    n = min(fired.height, max(2, s.employees // 1500))
    fired = fired.sample(n=n, seed=int(rng.integers(1 << 31))) if n else fired
    start = np.minimum(fired["end_day"].to_numpy() + rng.integers(1, 80, n), s.as_of_day)
    return _citizens(s, None, "virksomhedspraktik", CITIZEN_SCHEMES["virksomhedspraktik"], rng,
                     people, n=n, units=fired["workplace_id"].to_numpy(), start=start)  # fmt: skip


def _crowded_workplaces(s, units, eng, rng, people):
    """A few small approved workplaces take three nyttejob people at once: over the quota."""
    heads = (
        eng.filter(pl.col("engagement_type") == "ordinaer")
        .join(units.select("org_unit_id", "workplace_id"), on="org_unit_id")
        .group_by("workplace_id")
        .len()
    )
    small = (
        units.filter(pl.col("is_workplace") & pl.col("inclusion_approved_from").is_not_null())
        .join(heads, left_on="org_unit_id", right_on="workplace_id")
        .sort("len", "org_unit_id")
        .head(max(1, s.employees // 4000))
    )
    wp = np.repeat(small["org_unit_id"].to_numpy(), 3)
    start = np.repeat(s.as_of_day - rng.integers(100, 400, small.height), 3) + rng.integers(
        0, 10, len(wp)
    )
    return _citizens(s, None, "nyttejob", CITIZEN_SCHEMES["nyttejob"], rng, people,
                     n=len(wp), units=wp, start=start)  # fmt: skip


def _unapproved(s, units, rng, people):
    """Placements at a workplace that was never approved for inclusion."""
    wp = units.filter(pl.col("is_workplace") & pl.col("inclusion_approved_from").is_null())
    wp = wp.sort("org_unit_id").tail(2)["org_unit_id"].to_numpy()
    start = s.as_of_day - rng.integers(30, 500, len(wp))
    return _citizens(s, None, "virksomhedspraktik", CITIZEN_SCHEMES["virksomhedspraktik"], rng,
                     people, n=len(wp), units=wp, start=start)  # fmt: skip


def _praktik_before_loentilskud(s: Settings, frame: pl.DataFrame, rng) -> pl.DataFrame:
    """A third of løntilskud jobs were preceded by praktik at the same unit (chain)."""
    lt = frame.filter(
        (pl.col("scheme") == "loentilskud") & (pl.col("start_day") >= s.start_day + 100)
    )
    lt = lt.filter(pl.Series(rng.random(lt.height) < 0.35))
    n = lt.height
    end = lt["start_day"].to_numpy() - rng.integers(1, 14, n)
    start = end - rng.integers(28, 91, n) + 1
    return (
        pl.DataFrame(
            {
                "person_id": lt["person_id"],
                "org_unit_id": lt["org_unit_id"],
                "scheme": "virksomhedspraktik",
                "weekly_hours": pl.Series(np.round(rng.uniform(15, 37, n))),
                "start_day": start,
                "planned_end_day": end,
                "end_day": end,
                "end_reason": "overgang_loentilskud",
                "tmp": frame.height + np.arange(n),
                "prev_tmp": -1,
            }
        )
        .cast(_COLUMNS)
        .with_columns(next_tmp=lt["tmp"])
    )  # the løntilskud row it leads to


def _benefit_groups(frame: pl.DataFrame, rng) -> pl.DataFrame:
    n = frame.height
    group = np.full(n, None, dtype=object)
    scheme = frame["scheme"].to_numpy()
    for name, weights in BENEFIT_BY_SCHEME.items():
        rows = np.flatnonzero(scheme == name)
        group[rows] = choice(rng, list(weights), list(weights.values()), len(rows))
    group[rng.random(n) < 0.03] = None  # not recorded; its own value downstream (E11)
    group = ensure_codes(group, BENEFIT_GROUPS, scheme == "virksomhedspraktik")
    return frame.with_columns(benefit_group=text_series(group))


def _conversions(s: Settings, frame: pl.DataFrame, units: pl.DataFrame, rng):
    """Ended placements with end_reason overgang_ordinaer become ordinary engagements."""
    reason = ensure_codes(
        frame["end_reason"].to_numpy(),
        PLACEMENT_END_REASONS,
        (frame["scheme"] == "nyttejob").to_numpy() & (frame["end_day"] <= s.as_of_day).to_numpy(),
    )
    frame = frame.with_columns(end_reason=text_series(reason))
    src = frame.filter(
        (pl.col("end_reason") == "overgang_ordinaer") & (pl.col("end_day") < s.as_of_day)
    )
    n = src.height
    start = src["end_day"].to_numpy() + rng.integers(1, 30, n)
    wtype = src.join(units.select("org_unit_id", "workplace_type"), on="org_unit_id", how="left")
    new = pl.DataFrame(
        {
            "person_id": src["person_id"],
            "kind": "ordinaer",
            "engagement_type": "ordinaer",
            "org_unit_id": src["org_unit_id"],
            "workplace_type": wtype["workplace_type"],
            "weekly_hours": weekly_hours_for("ordinaer", n, rng),
            "start_day": start,
            "end_day": start + rng.exponential(6 * YEAR, n).astype(np.int64),
            "end_reason": choice(rng, list(KINDS[0].reasons), list(KINDS[0].reasons.values()), n),
        }
    )
    # Some ordinary jobs after a placement end within the first three months, too.
    new = early_exits(s, new, {"ordinaer": 0.15}, "conversion_exits")
    return frame, new.filter(pl.col("start_day") <= s.as_of_day)


def _finalise(s: Settings, frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.filter(pl.col("start_day") <= s.as_of_day + 30)
    # prev_tmp of a løntilskud row = the praktik row whose next_tmp points at it.
    links = frame.filter(pl.col("next_tmp").is_not_null()).select(
        pl.col("next_tmp").alias("tmp"), pl.col("tmp").alias("chain_prev")
    )
    frame = (
        frame.join(links, on="tmp", how="left")
        .with_columns(prev_tmp=pl.coalesce("chain_prev", pl.col("prev_tmp")))
        .sort("start_day", "person_id", "scheme", "tmp")
        .with_columns(
            placement_id=pl.lit("P") + pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(7)
        )
    )
    ids = frame.select(pl.col("tmp").alias("prev_tmp"), pl.col("placement_id").alias("prev_id"))
    frame = frame.join(ids, on="prev_tmp", how="left", maintain_order="left")
    # Open placements: unknown end; ends after as_of are not known yet.
    after = pl.col("end_day") > s.as_of_day
    return frame.with_columns(
        end_day=pl.when(after).then(None).otherwise(pl.col("end_day")),
        end_reason=pl.when(after).then(None).otherwise(pl.col("end_reason")),
    ).select(
        "placement_id", "person_id", "org_unit_id", "scheme", "benefit_group", "weekly_hours",
        "start_day", "planned_end_day", "end_day", "end_reason",
        pl.col("prev_id").alias("previous_placement_id"),
    )  # fmt: skip
