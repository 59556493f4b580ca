"""The org hierarchy: root → areas (forvaltninger) → workplaces with P-numbers → sub-units.

Returns the register columns plus generator-only helpers (`workplace_id`, `staff_weight`,
`placement_weight`) that later steps use to put people on units.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from synthetic.core import NO_DATE, Settings, to_date_series

# area name, share of workplaces, [(workplace_type, share within area, size factor)]
AREAS: list[tuple[str, float, list[tuple[str, float, float]]]] = [
    ("Børn og Unge", 0.45, [("daginstitution", 0.55, 0.7), ("skole", 0.45, 1.9)]),
    (
        "Social og Sundhed",
        0.30,
        [("plejecenter", 0.45, 1.5), ("hjemmepleje", 0.35, 1.6), ("sundhedscenter", 0.20, 0.8)],
    ),
    ("Teknik og Miljø", 0.08, [("vej_og_park", 0.6, 0.9), ("teknik_forsyning", 0.4, 0.6)]),
    ("Kultur og Borgerservice", 0.07, [("kultur_fritid", 0.8, 0.7), ("andet", 0.2, 0.5)]),
    ("Administration", 0.10, [("administration", 0.85, 1.2), ("andet", 0.15, 0.5)]),
]

PLACES = [
    "Brædstrup", "Gedved", "Hovedgård", "Østbirk", "Søvind", "Egebjerg", "Lund", "Stensballe",
    "Torsted", "Dagnæs", "Vestbyen", "Nørrebro", "Sønderbro", "Østerhåb", "Bygholm", "Endelave",
    "Gammelby", "Tvingstrup", "Nim", "Hatting", "Ørnstrup", "Bankager", "Langmark", "Højvang",
    "Lindvig", "Vinten", "Serridslev", "Ølsted", "Bjerre", "Haldrup", "Daugård", "Træden",
    "Sundparken", "Møllevang", "Kildebakken", "Fussingsø", "Stjernen", "Solsikken", "Bakkehuset",
    "Engparken",
]  # fmt: skip
DEPARTMENTS = [
    "Økonomi", "Løn og Personale", "Jobcenter", "Borgerservice", "IT og Digitalisering",
    "Byggesag", "Sekretariatet", "Indkøb", "Ydelsescenter", "Kommunikation",
]  # fmt: skip
NAME_PATTERN = {
    "daginstitution": "Børnehuset {}",
    "skole": "{} Skole",
    "plejecenter": "Plejecenter {}",
    "hjemmepleje": "Hjemmeplejen {}",
    "sundhedscenter": "Sundhedscenter {}",
    "vej_og_park": "Vej og Park, {}",
    "teknik_forsyning": "Genbrugspladsen {}",
    "kultur_fritid": "Bibliotek og Kulturhus {}",
    "administration": "Rådhuset, {}",
    "andet": "Servicecenter {}",
}
SUB_UNITS = {
    "skole": ["Indskoling", "Mellemtrin", "Udskoling"],
    "plejecenter": ["Afsnit A", "Afsnit B"],
    "hjemmepleje": ["Team Nord", "Team Syd", "Aftenvagt"],
    "daginstitution": ["Vuggestuen", "Børnehaven"],
}
# Nested P-number units: a production kitchen at a care home, an SFO at a school.
NESTED = {"plejecenter": ("Centralkøkken", "andet"), "skole": ("SFO", "daginstitution")}


def _workplace_types(n_workplaces: int) -> tuple[list[str], list[str], list[float]]:
    types, areas, factors = [], [], []
    for area, area_share, kinds in AREAS:
        for kind, share, factor in kinds:
            count = max(1, round(n_workplaces * area_share * share))
            types += [kind] * count
            areas += [area] * count
            factors += [factor] * count
    return types, areas, factors


def _numbered_names(base: list[str]) -> list[str]:
    """Repeat a base name with ' 2', ' 3' … so that names stay unique (vectorised)."""
    frame = pl.DataFrame({"b": base}).with_columns(k=pl.int_range(pl.len()).over("b"))
    return (
        frame.select(
            pl.when(pl.col("k") == 0)
            .then(pl.col("b"))
            .otherwise(pl.col("b") + " " + (pl.col("k") + 1).cast(pl.String))
        )
        .to_series()
        .to_list()
    )


def build_org_units(s: Settings) -> pl.DataFrame:
    rng = s.rng("org")
    n_target = max(12, round(s.employees / 40))
    types, areas, factors = _workplace_types(n_target)
    n = len(types)
    places = np.asarray(PLACES, dtype=object)[rng.integers(0, len(PLACES), n)]
    depts = np.asarray(DEPARTMENTS, dtype=object)[rng.integers(0, len(DEPARTMENTS), n)]
    base = [
        NAME_PATTERN[t].format(d if t == "administration" else p)
        for t, p, d in zip(types, places, depts, strict=True)
    ]
    size = np.asarray(factors) * rng.lognormal(0.0, 0.6, n)

    area_names = [a for a, _, _ in AREAS]
    area_ids = {a: f"U{i + 1:06d}" for i, a in enumerate(area_names)}
    wp_ids = [f"U{i:06d}" for i in range(len(area_names) + 1, len(area_names) + 1 + n)]
    workplaces = pl.DataFrame(
        {
            "org_unit_id": wp_ids,
            "name": _numbered_names(base),
            "parent_id": [area_ids[a] for a in areas],
            "workplace_type": types,
            "area": areas,
            "size": size,
        }
    )

    # Sub-units without a P-number under about half of the larger workplace kinds.
    subs = []
    next_id = len(area_names) + 1 + n
    with_subs = rng.random(n) < 0.5
    for kind, labels in SUB_UNITS.items():
        rows = workplaces.filter((pl.col("workplace_type") == kind) & pl.Series(with_subs))
        for label in labels:
            subs.append(
                rows.select(
                    pl.col("org_unit_id").alias("parent_id"),
                    (pl.col("name") + ", " + label).alias("name"),
                    pl.col("workplace_type"),
                    pl.col("area"),
                    (pl.col("size") / (len(labels) + 1)).alias("size"),
                )
            )
    # Nested P-number units: at least one, about one per hundred workplaces.
    nested = []
    for kind, (label, nested_type) in NESTED.items():
        rows = workplaces.filter(pl.col("workplace_type") == kind)
        take = max(1, n // 200) if kind == "plejecenter" else n // 200
        nested.append(
            rows.head(take).select(
                pl.col("org_unit_id").alias("parent_id"),
                (pl.col("name") + ", " + label).alias("name"),
                pl.lit(nested_type).alias("workplace_type"),
                pl.col("area"),
                (pl.col("size") * 0.3).alias("size"),
            )
        )
    subs_frame = pl.concat(subs).with_columns(is_workplace=pl.lit(False))
    nested_frame = pl.concat(nested).with_columns(is_workplace=pl.lit(True))
    extra = pl.concat([subs_frame, nested_frame])
    extra = extra.with_columns(
        org_unit_id=pl.lit("U")
        + pl.int_range(next_id, next_id + extra.height).cast(pl.String).str.zfill(6)
    )
    # A workplace with sub-units keeps only a part of its staff on its own unit.
    has_sub = workplaces["org_unit_id"].is_in(subs_frame["parent_id"].implode())
    workplaces = workplaces.with_columns(
        is_workplace=pl.lit(True),
        size=pl.when(has_sub).then(pl.col("size") * 0.25).otherwise(pl.col("size")),
    )

    root_id = "U000000"
    top = pl.DataFrame(
        {
            "org_unit_id": [root_id, *area_ids.values()],
            # The registers cannot carry a title line (§3.2), so the root says it: every
            # report of the synthetic municipality then names the data synthetic too.
            "name": [f"{s.municipality_name} Kommune (syntetiske data)", *area_names],
            "parent_id": [None, *([root_id] * len(area_names))],
            "workplace_type": [None] * (1 + len(area_names)),
            "area": [None, *area_names],
            "size": [0.0] * (1 + len(area_names)),
            "is_workplace": [False] * (1 + len(area_names)),
        },
        schema_overrides={"parent_id": pl.String, "workplace_type": pl.String, "area": pl.String},
    )
    units = pl.concat([top, workplaces, extra.select(top.columns)], how="vertical_relaxed")
    return _add_p_numbers_and_approval(s, units, rng)


def _add_p_numbers_and_approval(
    s: Settings, units: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    is_wp = units["is_workplace"].to_numpy()
    n = len(units)
    # Unique 10-digit P-numbers: a stride per unit plus a random offset inside the stride.
    stride = 8_000_000_000 // max(n, 1) // 10
    p_num = 1_000_000_000 + np.arange(n) * stride + rng.integers(0, stride, n)
    approved = rng.random(n) < 0.9
    ends = approved & (rng.random(n) < 0.08)
    # Most approvals predate the data period; one in twelve comes during it.
    late = rng.random(n) < 0.08
    approved_from = np.where(
        late,
        s.start_day + rng.integers(0, int(s.years * 365 * 0.7) + 1, n),
        s.start_day - rng.integers(1, 1500, n),
    )
    t_days = s.as_of_day - s.start_day
    approved_to = np.maximum(approved_from + 300, s.start_day + rng.integers(100, t_days, n))
    # Guarantee each approval state among top-level workplaces (small test municipalities):
    # one never approved, one whose approval ended 200 days before as_of.
    area_ids = units.filter(pl.col("parent_id").is_not_null() & pl.col("workplace_type").is_null())
    top_wp = np.flatnonzero(
        is_wp
        & units["parent_id"].is_in(area_ids["org_unit_id"].implode()).fill_null(False).to_numpy()
    )
    never, ended = top_wp[-1], top_wp[-2]
    approved[never] = False
    approved[ended], ends[ended] = True, True
    approved_to[ended] = s.as_of_day - 200
    approved_from[ended] = min(approved_from[ended], approved_to[ended] - 400)
    app_from = np.where(is_wp & approved, approved_from, NO_DATE)
    app_to = np.where(is_wp & approved & ends, approved_to, NO_DATE)
    units = units.with_columns(
        p_number=pl.when(pl.Series(is_wp)).then(pl.Series(p_num).cast(pl.String)),
        inclusion_approved_from=to_date_series("f", app_from),
        inclusion_approved_to=to_date_series("t", app_to),
        staff_weight=pl.col("size"),
        workplace_id=pl.when(pl.col("is_workplace"))
        .then(pl.col("org_unit_id"))
        .when(pl.col("workplace_type").is_not_null())
        .then(pl.col("parent_id")),  # sub-units hang directly under their workplace
    )
    # Placements favour small approved workplaces (size^0.8), so some go over the quota; an
    # unapproved workplace still gets an occasional placement.
    wp_approved = units.select(
        pl.col("org_unit_id").alias("workplace_id"),
        pl.col("inclusion_approved_from").is_not_null().alias("wp_approved"),
    )
    return (
        units.join(wp_approved, on="workplace_id", how="left", maintain_order="left")
        .with_columns(
            placement_weight=pl.when(pl.col("wp_approved"))
            .then(pl.col("size") ** 0.8)
            .otherwise(pl.col("size") ** 0.8 * 0.04)
            .fill_null(0.0)
        )
        .drop("wp_approved")
    )


REGISTER_COLUMNS = [
    "org_unit_id", "name", "parent_id", "p_number", "workplace_type", "area",
    "inclusion_approved_from", "inclusion_approved_to",
]  # fmt: skip
