"""HR engagements: a stock at the start of the data period plus hires over it, per type.

Exponential types (open-ended jobs) keep a steady headcount: stock S, hires S·T/mean, exits
after an exponential tenure. Fixed-term types (elev, løntilskud, særlige vilkår, fritidsjob)
draw a contract length and a position inside it for the stock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from synthetic.core import Settings, choice, day, ensure_codes, text_series
from synthetic.people import YEAR, People, birth_for_age

INCLUSION_TYPES = [
    "fleksjob", "fleksjob_foer_2013", "loentilskud", "skaanejob", "saerlige_vilkaar", "seniorjob",
]  # fmt: skip
ENGAGEMENT_TYPES = ["ordinaer", "elev", *INCLUSION_TYPES]
END_REASONS = ["afskediget", "opsagt", "udloebet", "pension", "doedsfald", "andet"]
UNION_AREAS = ["FOA", "3F", "HK", "BUPL", "DLF", "SL", "DSR", "andet"]


@dataclass(frozen=True)
class Kind:
    """How one kind of engagement is drawn (`etype` is the register's engagement_type)."""

    name: str
    etype: str
    share: float  # of the headcount at as_of
    mean_years: float | None  # exponential tenure; None = fixed term [lo_days, hi_days]
    lo_days: int
    hi_days: int
    age: tuple[float, float]  # age at start, years
    reasons: dict[str, float]


KINDS = [
    Kind("ordinaer", "ordinaer", 0.876, 9.0, 0, 0, (20, 58),
         {"opsagt": .61, "afskediget": .03, "pension": .10, "udloebet": .13, "doedsfald": .01,
          "andet": .12}),
    Kind("fritidsjob", "ordinaer", 0.004, None, 180, 720, (15, 17.5),
         {"opsagt": .7, "udloebet": .3}),
    Kind("elev", "elev", 0.060, None, 540, 1100, (18, 40),
         {"udloebet": .85, "opsagt": .10, "afskediget": .05}),
    Kind("ung_elev", "elev", 0.002, None, 540, 1100, (16, 17.9),
         {"udloebet": .85, "opsagt": .15}),
    Kind("fleksjob", "fleksjob", 0.030, 8.0, 0, 0, (30, 60),
         {"opsagt": .4, "afskediget": .15, "pension": .25, "andet": .2}),
    Kind("fleksjob_foer_2013", "fleksjob_foer_2013", 0.006, 15.0, 0, 0, (30, 45),
         {"opsagt": .4, "pension": .4, "andet": .2}),
    Kind("loentilskud", "loentilskud", 0.008, None, 120, 365, (22, 58),
         {"udloebet": .85, "opsagt": .1, "andet": .05}),
    Kind("skaanejob", "skaanejob", 0.004, 6.0, 0, 0, (40, 60),
         {"opsagt": .4, "pension": .4, "andet": .2}),
    Kind("saerlige_vilkaar", "saerlige_vilkaar", 0.004, None, 180, 730, (25, 60),
         {"udloebet": .7, "opsagt": .2, "andet": .1}),
    Kind("seniorjob", "seniorjob", 0.008, 4.0, 0, 0, (58, 63),
         {"pension": .7, "opsagt": .2, "andet": .1}),
]  # fmt: skip

# (union_area, job_title, weight) by workplace type, for ordinary staff.
TITLES: dict[str, list[tuple[str, str, float]]] = {
    "daginstitution": [("BUPL", "Pædagog", .55), ("FOA", "Pædagogmedhjælper", .35),
                       ("BUPL", "Dagtilbudsleder", .04), ("HK", "Administrativ medarbejder", .06)],
    "skole": [("DLF", "Lærer", .60), ("BUPL", "Pædagog", .20), ("FOA", "Pædagogisk assistent", .08),
              ("HK", "Skolesekretær", .05), ("3F", "Pedel", .04), ("andet", "Skoleleder", .03)],
    "plejecenter": [("FOA", "Social- og sundhedsassistent", .45),
                    ("FOA", "Social- og sundhedshjælper", .30), ("DSR", "Sygeplejerske", .12),
                    ("3F", "Køkkenmedarbejder", .08), ("andet", "Centerleder", .05)],
    "hjemmepleje": [("FOA", "Social- og sundhedshjælper", .55),
                    ("FOA", "Social- og sundhedsassistent", .25), ("DSR", "Sygeplejerske", .15),
                    ("HK", "Planlægger", .05)],
    "sundhedscenter": [("DSR", "Sygeplejerske", .40), ("andet", "Fysioterapeut", .30),
                       ("SL", "Socialpædagog", .20), ("HK", "Lægesekretær", .10)],
    "vej_og_park": [("3F", "Vej- og parkarbejder", .70), ("3F", "Gartner", .20),
                    ("andet", "Ingeniør", .10)],
    "teknik_forsyning": [("3F", "Driftsmedarbejder", .60), ("andet", "Ingeniør", .25),
                         ("HK", "Administrativ medarbejder", .15)],
    "kultur_fritid": [("HK", "Biblioteksassistent", .40), ("andet", "Bibliotekar", .30),
                      ("SL", "Klubmedarbejder", .20), ("3F", "Servicemedarbejder", .10)],
    "administration": [("HK", "Administrativ medarbejder", .50), ("andet", "Konsulent", .35),
                       ("andet", "Chef", .05), ("HK", "Jobkonsulent", .10)],
    "andet": [("3F", "Køkkenmedarbejder", .50), ("FOA", "Servicemedarbejder", .30),
              ("SL", "Socialpædagog", .20)],
}  # fmt: skip
ELEV_TITLES = {
    "plejecenter": ("FOA", "Social- og sundhedselev"),
    "hjemmepleje": ("FOA", "Social- og sundhedselev"),
    "daginstitution": ("BUPL", "PAU-elev"),
    "skole": ("BUPL", "PAU-elev"),
    "vej_og_park": ("3F", "Gartnerelev"),
}
INCLUSION_TITLES = [("3F", "Servicemedarbejder"), ("FOA", "Køkkenhjælper"),
                    ("HK", "Kontorhjælper"), ("3F", "Pedelmedhjælper"),
                    ("FOA", "Pædagogmedhjælper"), ("andet", "Medhjælper")]  # fmt: skip

FIXED_TERM = {"elev", "loentilskud", "saerlige_vilkaar"}
# Share of inclusion hires who leave within their first three months (a start that did not work
# out), so retention 13/26 is not near 100 % (Rambøll 2011 found 82 % retained).
EARLY_EXIT = {"loentilskud": 0.2, "saerlige_vilkaar": 0.15, "fleksjob": 0.12, "skaanejob": 0.1,
              "seniorjob": 0.1}  # fmt: skip


def weekly_hours_for(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    half_hours = lambda lo, hi: np.round(rng.uniform(lo, hi, n) * 2) / 2  # noqa: E731
    if kind == "ordinaer":
        return np.where(rng.random(n) < 0.55, 37.0, half_hours(20, 32))
    if kind == "fritidsjob":
        return half_hours(8, 15)
    if kind in ("fleksjob", "fleksjob_foer_2013", "skaanejob"):
        return half_hours(10, 25)
    if kind == "loentilskud":
        return np.where(rng.random(n) < 0.7, 37.0, half_hours(25, 32))
    if kind == "saerlige_vilkaar":
        return half_hours(15, 30)
    return np.full(n, 37.0)  # elev, seniorjob


def draw_kind(
    s: Settings, kind: Kind, rng: np.random.Generator, people: People, units: pl.DataFrame
) -> pl.DataFrame:
    """Stock at the start of the data period plus hires during it, for one kind."""
    ds, t_days = s.start_day, s.as_of_day - s.start_day + 1
    stock = max(2, round(s.employees * kind.share))
    if kind.mean_years is not None:
        mean_days = kind.mean_years * YEAR
        hires = 0 if kind.name == "fleksjob_foer_2013" else round(stock * t_days / mean_days)
        n = stock + hires
        is_stock = np.arange(n) < stock
        if kind.name == "fleksjob_foer_2013":  # the old scheme only started before 2013
            lo, hi = day(date(2004, 1, 1)), day(date(2012, 12, 31))
            stock_start = rng.integers(lo, hi + 1, n)
        else:
            stock_start = ds - rng.integers(1, int(12 * YEAR), n)
        start = np.where(is_stock, stock_start, ds + rng.integers(0, t_days, n))
        end = np.where(is_stock, ds, start) + rng.exponential(mean_days, n).astype(np.int64)
    else:
        mean_days = (kind.lo_days + kind.hi_days) / 2
        hires = round(stock * t_days / mean_days)
        n = stock + hires
        is_stock = np.arange(n) < stock
        length = rng.integers(kind.lo_days, kind.hi_days + 1, n)
        start = np.where(
            is_stock,
            ds - (rng.random(n) * length).astype(np.int64),
            ds + rng.integers(0, t_days, n),
        )
        end = start + length - 1
    birth = birth_for_age(start, *kind.age, rng)
    # Nobody works past 67: the job ends with a pension on the 67th birthday.
    retire = birth + int(67 * YEAR)
    reason = choice(rng, list(kind.reasons), list(kind.reasons.values()), n)
    reason = np.where(end > retire, "pension", reason)
    end = np.minimum(end, retire)
    unit_idx = rng.choice(len(units), size=n, p=units["p"].to_numpy())
    return pl.DataFrame(
        {
            "person_id": people.add(birth),
            "kind": kind.name,
            "engagement_type": kind.etype,
            "org_unit_id": units["org_unit_id"].to_numpy()[unit_idx],
            "workplace_type": units["workplace_type"].to_numpy()[unit_idx],
            "weekly_hours": weekly_hours_for(kind.name, n, rng),
            "start_day": start.astype(np.int64),
            "end_day": end.astype(np.int64),
            "end_reason": reason,
        },
        schema_overrides={"end_reason": pl.String},
    )


def staff_units(units: pl.DataFrame) -> pl.DataFrame:
    frame = units.filter(pl.col("staff_weight") > 0).select(
        "org_unit_id", "workplace_type", "workplace_id", "staff_weight"
    )
    return frame.with_columns(p=pl.col("staff_weight") / pl.col("staff_weight").sum())


def add_titles(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """union_area and job_title from the workplace type and the engagement kind."""
    n = frame.height
    union = np.full(n, "andet", dtype=object)
    title = np.full(n, "Medarbejder", dtype=object)
    wtype = frame["workplace_type"].to_numpy()
    kind = frame["kind"].to_numpy()
    for wt, options in TITLES.items():
        rows = np.flatnonzero((wtype == wt) & (kind == "ordinaer"))
        pick = rng.choice(len(options), size=len(rows), p=_norm([w for _, _, w in options]))
        union[rows] = np.asarray([u for u, _, _ in options], dtype=object)[pick]
        title[rows] = np.asarray([t for _, t, _ in options], dtype=object)[pick]
    elev = np.flatnonzero(np.isin(kind, ["elev", "ung_elev"]))
    wt_index = {w: i for i, w in enumerate(TITLES)}
    elev_u = np.asarray([ELEV_TITLES.get(w, ("HK", "Kontorelev"))[0] for w in TITLES], object)
    elev_t = np.asarray([ELEV_TITLES.get(w, ("HK", "Kontorelev"))[1] for w in TITLES], object)
    wt_codes = (
        text_series(wtype)
        .replace_strict(wt_index, default=len(TITLES) - 1, return_dtype=pl.Int64)
        .to_numpy()
    )
    union[elev] = elev_u[wt_codes[elev]]
    title[elev] = elev_t[wt_codes[elev]]
    inc = np.flatnonzero(np.isin(kind, INCLUSION_TYPES))
    pick = rng.integers(0, len(INCLUSION_TITLES), len(inc))
    union[inc] = np.asarray([u for u, _ in INCLUSION_TITLES], dtype=object)[pick]
    title[inc] = np.asarray([t for _, t in INCLUSION_TITLES], dtype=object)[pick]
    young = np.flatnonzero(kind == "fritidsjob")
    union[young], title[young] = "HK", "Fritidsjob"
    extra = np.flatnonzero(kind == "ekstra")
    title[extra] = "Weekendvagt"
    return frame.with_columns(union_area=pl.Series(union), job_title=pl.Series(title))


def _norm(weights: list[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def build_engagements(s: Settings, units: pl.DataFrame, people: People) -> pl.DataFrame:
    rng = s.rng("engagements")
    su = staff_units(units)
    # Inclusion staff are placed where the workplace is approved for them (placement weights).
    pu = units.filter(pl.col("placement_weight") > 0).with_columns(
        p=pl.col("placement_weight") / pl.col("placement_weight").sum()
    )
    base = pl.concat(
        [draw_kind(s, k, rng, people, pu if k.etype in INCLUSION_TYPES else su) for k in KINDS]
    )
    base = early_exits(s, base, EARLY_EXIT, "early_exits")
    frames = [base, _moves(s, base, su, rng), _second_jobs(s, base, rng)]
    frames += [_future_hires(s, su, rng, people), _leap_day_youth(s, su, rng, people)]
    eng = pl.concat(frames, how="vertical_relaxed")
    # Jobs that ended before the data period say nothing about it.
    eng = eng.filter(pl.col("end_day") >= s.start_day)
    ended = (eng["end_day"] <= s.as_of_day).to_numpy()
    reason = ensure_codes(
        eng["end_reason"].to_numpy(),
        END_REASONS,
        ended & (eng["kind"] == "ordinaer").to_numpy(),
    )
    eng = eng.with_columns(end_reason=text_series(reason))
    return add_titles(eng, rng)


def early_exits(s: Settings, eng: pl.DataFrame, share: dict[str, float], stream: str):
    """Hires (started in the data period) of the kinds in `share` who leave after 2–12 weeks,
    resigning or dismissed; drawn from their own stream, so no other draw moves."""
    rng = s.rng(stream)
    n = eng.height
    p = eng["kind"].replace_strict(share, default=0.0, return_dtype=pl.Float64).to_numpy()
    start, end = eng["start_day"].to_numpy(), eng["end_day"].to_numpy()
    leave = start + rng.integers(13, 84, n)
    reason = np.where(rng.random(n) < 0.65, "opsagt", "afskediget")
    early = (rng.random(n) < p) & (start >= s.start_day) & (leave < end)
    return eng.with_columns(
        end_day=pl.Series(np.where(early, leave, end)),
        end_reason=text_series(np.where(early, reason, eng["end_reason"].to_numpy())),
    )


def _moves(s: Settings, base: pl.DataFrame, su: pl.DataFrame, rng) -> pl.DataFrame:
    """Some who resign move to another municipal unit a few weeks later (same person)."""
    src = base.filter(
        (pl.col("kind") == "ordinaer")
        & (pl.col("end_reason") == "opsagt")
        & pl.col("end_day").is_between(s.start_day, s.as_of_day - 10)
    )
    src = src.filter(pl.Series(rng.random(src.height) < 0.15))
    n = src.height
    start = src["end_day"].to_numpy() + rng.integers(1, 45, n)
    unit_idx = rng.choice(su.height, size=n, p=su["p"].to_numpy())
    return src.with_columns(
        org_unit_id=pl.Series(su["org_unit_id"].to_numpy()[unit_idx]),
        workplace_type=pl.Series(su["workplace_type"].to_numpy()[unit_idx]),
        start_day=pl.Series(start),
        end_day=pl.Series(start + rng.exponential(9 * YEAR, n).astype(np.int64)),
        end_reason=pl.Series(
            choice(rng, list(KINDS[0].reasons), list(KINDS[0].reasons.values()), n)
        ),
    ).filter(pl.col("start_day") <= s.as_of_day)


def _second_jobs(s: Settings, base: pl.DataFrame, rng) -> pl.DataFrame:
    """A few people hold a second, small ordinary job at the same unit (E8: counted once)."""
    src = base.filter(
        (pl.col("kind") == "ordinaer")
        & (pl.col("end_day") > s.as_of_day)
        & (pl.col("weekly_hours") < 37)
    )
    src = src.filter(pl.Series(rng.random(src.height) < 0.02))
    n = src.height
    start = np.maximum(src["start_day"].to_numpy(), s.start_day) + rng.integers(0, 400, n)
    return src.with_columns(
        kind=pl.lit("ekstra"),
        weekly_hours=pl.Series(np.round(rng.uniform(4, 10, n))),
        start_day=pl.Series(start),
        end_day=pl.Series(start + rng.integers(60, 400, n)),
        end_reason=pl.lit("udloebet"),
    ).filter(pl.col("start_day") <= s.as_of_day)


def _future_hires(s: Settings, su: pl.DataFrame, rng, people: People) -> pl.DataFrame:
    """Contracts signed for a start after as_of (ignored downstream, E4)."""
    n = max(1, s.employees // 500)
    start = s.as_of_day + rng.integers(1, 60, n)
    unit_idx = rng.choice(su.height, size=n, p=su["p"].to_numpy())
    return pl.DataFrame(
        {
            "person_id": people.add(birth_for_age(start, 22, 50, rng)),
            "kind": "ordinaer",
            "engagement_type": "ordinaer",
            "org_unit_id": su["org_unit_id"].to_numpy()[unit_idx],
            "workplace_type": su["workplace_type"].to_numpy()[unit_idx],
            "weekly_hours": 37.0,
            "start_day": start,
            "end_day": start + int(30 * YEAR),
            "end_reason": "opsagt",
        }
    )


def leap_birth_year(s: Settings) -> int:
    """A leap year whose 29 February births turn 18 (on 1 March) inside the data period."""
    for year in range(s.as_of.year - 18, s.as_of.year - 40, -1):
        if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            turns_18 = day(date(year + 18, 3, 1))
            if s.start_day + 30 <= turns_18 <= s.as_of_day - 30:
                return year
    return 2004


def _leap_day_youth(s: Settings, su: pl.DataFrame, rng, people: People) -> pl.DataFrame:
    """A young helper born 29 February who turns 18 during the job, and an adult born on a
    29 February; both check the birthday arithmetic of E8."""
    year = leap_birth_year(s)
    turns_18 = day(date(year + 18, 3, 1))
    young = people.add(np.array([day(date(year, 2, 29))]))
    adult = people.add(np.array([day(date(1968, 2, 29))]))
    unit = su.sort("staff_weight", descending=True).row(0, named=True)
    start = max(s.start_day, turns_18 - 200)
    return pl.DataFrame(
        {
            "person_id": np.concatenate([young, adult]),
            "kind": ["fritidsjob", "ordinaer"],
            "engagement_type": ["ordinaer", "ordinaer"],
            "org_unit_id": [unit["org_unit_id"]] * 2,
            "workplace_type": [unit["workplace_type"]] * 2,
            "weekly_hours": [12.0, 37.0],
            "start_day": [start, s.start_day - 3000],
            "end_day": [turns_18 + 250, s.as_of_day + 4000],
            "end_reason": ["opsagt", "pension"],
        }
    )
