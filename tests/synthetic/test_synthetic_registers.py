"""The generated registers, read back independently of the generator (tests/synthetic/
landing_reader.py): valid CPRs, every code, realistic proportions, the deliberate bad rows."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from tests.synthetic.conftest import AS_OF, EMPLOYEES
from tests.synthetic.landing_reader import (
    bad_rows,
    birth_date,
    cpr_is_valid,
    final_rows,
    read_register,
    to_bool,
    to_date,
    to_number,
)

ENGAGEMENT_TYPES = {
    "ordinaer",
    "elev",
    "fleksjob",
    "fleksjob_foer_2013",
    "loentilskud",
    "skaanejob",
    "saerlige_vilkaar",
    "seniorjob",
}
SCHEMES = {
    "virksomhedspraktik",
    "nyttejob",
    "loentilskud",
    "fleksjob",
    "skaanejob",
    "saerlige_vilkaar",
    "seniorjob",
    "beskyttet_beskaeftigelse",
}
CAUSES = {"egen_sygdom", "delvis_sygdom", "arbejdsskade", "barn_syg", "barsel", "andet"}
BENEFIT_GROUPS = {
    "a_dagpenge",
    "kontanthjaelp_jobparat",
    "kontanthjaelp_aktivitetsparat",
    "uddannelseshjaelp",
    "sygedagpenge",
    "jobafklaring",
    "ressourceforloeb",
    "ledighedsydelse",
    "foertidspension",
    "revalidering",
    "integration",
    "andet",
}
EVENT_TYPES = {"visitation", "opfoelgningssamtale", "revurdering", "aktivering_start"}
SICK = ["egen_sygdom", "delvis_sygdom", "arbejdsskade"]
ORDINAERE = ["ordinaer", "elev"]


def _codes(frame: pl.DataFrame, column: str) -> set[str]:
    return set(frame[column].drop_nulls().to_list())


def test_every_cpr_is_valid_except_the_listed_invalid_ones(landing):
    bad = bad_rows(landing).filter(pl.col("reason") == "invalid_cpr")
    invalid_cells = set(zip(bad["file"], bad["row_number"].cast(pl.Int64), strict=True))
    seen_dash = False
    for register in ("engagements", "placements", "sdp_cases"):
        frame = read_register(landing, register)
        for file_name, row, cpr in frame.select("_file", "_row", "cpr").iter_rows():
            seen_dash |= "-" in cpr
            assert cpr_is_valid(cpr) != ((file_name, row) in invalid_cells), (file_name, row, cpr)
    assert seen_dash, "some CPRs are written with a dash"
    assert len(invalid_cells) == 2  # one engagement, one sickness-benefit case


def test_every_code_occurs(landing):
    eng = final_rows(landing, "engagements")
    placements = final_rows(landing, "placements")
    events = final_rows(landing, "sdp_events")
    assert _codes(eng, "engagement_type") == ENGAGEMENT_TYPES
    assert _codes(eng, "end_reason") == {
        "afskediget",
        "opsagt",
        "udloebet",
        "pension",
        "doedsfald",
        "andet",
    }
    assert _codes(eng, "union_area") == {"FOA", "3F", "HK", "BUPL", "DLF", "SL", "DSR", "andet"}
    assert _codes(final_rows(landing, "absences"), "cause") == CAUSES
    assert _codes(placements, "scheme") == SCHEMES
    assert _codes(placements, "benefit_group") == BENEFIT_GROUPS
    assert placements["benefit_group"].null_count() > 0
    assert _codes(placements, "end_reason") == {
        "gennemfoert",
        "afbrudt_borger",
        "afbrudt_arbejdsplads",
        "overgang_loentilskud",
        "overgang_ordinaer",
        "sygdom",
        "andet",
    }
    assert _codes(events, "event_type") == EVENT_TYPES
    assert _codes(events, "status") == {"afholdt", "aflyst_borger", "aflyst_kommune", "udeblevet"}
    assert _codes(events.filter(pl.col("event_type") == "visitation"), "category") == {
        "1",
        "2",
        "3",
    }
    cases = final_rows(landing, "sdp_cases")
    assert _codes(cases, "employment_status") == {"ansat", "ledig", "selvstaendig"}
    assert _codes(cases, "end_reason") == {
        "raskmeldt",
        "jobafklaring",
        "fleksjob",
        "foertidspension",
        "ophoer_andet",
    }


def test_org_hierarchy_has_areas_workplaces_sub_units_and_a_nested_workplace(landing):
    units = final_rows(landing, "org_units").with_columns(
        to_date("inclusion_approved_from"), to_date("inclusion_approved_to")
    )
    roots = units.filter(pl.col("parent_id").is_null())
    assert roots["name"].to_list() == ["Horsens Kommune (syntetiske data)"]
    areas = units.filter(pl.col("parent_id") == roots["org_unit_id"][0])
    assert set(areas["name"]) == {
        "Børn og Unge",
        "Social og Sundhed",
        "Teknik og Miljø",
        "Kultur og Borgerservice",
        "Administration",
    }
    workplaces = units.filter(pl.col("p_number").is_not_null())
    assert workplaces["p_number"].str.contains(r"^\d{10}$").all()
    assert workplaces["p_number"].n_unique() == workplaces.height
    # about one workplace per 40 employees
    assert 0.6 * EMPLOYEES / 40 <= workplaces.height <= 1.6 * EMPLOYEES / 40
    with_p = set(workplaces["org_unit_id"])
    nested = workplaces.filter(pl.col("parent_id").is_in(list(with_p)))
    assert nested.height >= 1
    sub_units = units.filter(pl.col("p_number").is_null() & pl.col("parent_id").is_in(list(with_p)))
    assert sub_units.height >= 5
    approved = workplaces.filter(pl.col("inclusion_approved_from").is_not_null())
    assert 0.6 * workplaces.height < approved.height < workplaces.height
    assert approved.filter(pl.col("inclusion_approved_to") < AS_OF).height >= 1


def _engagements(landing) -> pl.DataFrame:
    return final_rows(landing, "engagements").with_columns(
        to_date("start_date"), to_date("end_date"), to_number("weekly_hours")
    )


def test_engagement_mix_hours_and_headcount(landing):
    eng = _engagements(landing)
    active = eng.filter(
        (pl.col("start_date") <= AS_OF)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= AS_OF))
    )
    assert 0.85 * EMPLOYEES <= active.height <= 1.15 * EMPLOYEES
    share = active["engagement_type"].is_in(ORDINAERE).mean()
    assert 0.92 <= share <= 0.96  # ~94 % ordinary staff
    hours = dict(eng.group_by("engagement_type").agg(pl.col("weekly_hours").median()).iter_rows())
    assert hours["elev"] == 37
    assert 10 <= hours["fleksjob"] <= 25
    assert eng["weekly_hours"].is_between(0, 48, closed="right").all()
    part_time = eng.filter(
        (pl.col("engagement_type") == "ordinaer") & (pl.col("weekly_hours") < 37)
    )
    assert part_time.height > 0.3 * eng.filter(pl.col("engagement_type") == "ordinaer").height
    assert eng.filter(pl.col("start_date") > AS_OF).height >= 1  # signed, not started (E4)


def test_later_files_repeat_keys_with_the_end_date_filled_in(landing):
    raw = read_register(landing, "engagements").with_columns(to_date("end_date"))
    files = raw.group_by("engagement_id").agg(
        pl.col("_file").n_unique().alias("files"),
        pl.col("end_date").first().alias("first_end"),
        pl.col("end_date").last().alias("last_end"),
    )
    updated = files.filter(
        (pl.col("files") > 1) & pl.col("first_end").is_null() & pl.col("last_end").is_not_null()
    )
    assert updated.height > 50
    assert len(set(raw["_file"])) >= 2


def test_young_staff_and_a_29_february_birthday(landing):
    eng = _engagements(landing)
    births = [birth_date(c) for c in eng["cpr"]]
    window_start = date(AS_OF.year - 3, AS_OF.month, 1)
    young = [
        b
        for b, s, e in zip(births, eng["start_date"], eng["end_date"], strict=True)
        if s <= AS_OF
        and (e is None or e >= window_start)
        and date(b.year + 18, 3, 1) > max(s, window_start)  # under 18 while employed
    ]
    assert len(young) >= 2
    leap = [b for b in births if (b.month, b.day) == (2, 29)]
    assert len(leap) >= 2
    assert any(window_start <= date(b.year + 18, 3, 1) <= AS_OF for b in leap)


def _busdays(first, last) -> np.ndarray:
    a = np.asarray(first, dtype="datetime64[D]")
    b = np.asarray(last, dtype="datetime64[D]") + 1
    return np.maximum(np.busday_count(a, b), 0)


def test_sickness_is_5_to_6_pct_for_ordinary_staff_and_clearly_higher_for_inclusion(landing):
    """Weekdays only (holidays ignored), over the last three years up to as_of:
    contracted = Σ weekdays × weekly_hours/5; sick = Σ weekdays of the spell inside the
    engagement and the window × daily hours, or the spell's `hours` scaled to those days."""
    lo, hi = date(AS_OF.year - 3, AS_OF.month, 1), AS_OF
    eng = _engagements(landing).filter(pl.col("start_date") <= hi)
    eng = eng.with_columns(
        first=pl.max_horizontal(pl.col("start_date"), pl.lit(lo)),
        last=pl.min_horizontal(pl.col("end_date").fill_null(hi), pl.lit(hi)),
        group=pl.when(pl.col("engagement_type").is_in(ORDINAERE))
        .then(pl.lit("ordinaere"))
        .otherwise(pl.lit("inklusion")),
    )
    eng = eng.with_columns(
        contracted=pl.Series(_busdays(eng["first"], eng["last"])) * pl.col("weekly_hours") / 5
    )
    spells = (
        final_rows(landing, "absences")
        .filter(pl.col("cause").is_in(SICK))
        .with_columns(to_date("from_date"), to_date("to_date"), to_number("hours"))
        .join(
            eng.select("engagement_id", "first", "last", "weekly_hours", "group"),
            on="engagement_id",
        )
        .with_columns(
            a=pl.max_horizontal("from_date", "first"),
            b=pl.min_horizontal(pl.col("to_date").fill_null(hi), "last"),
            whole=_busdays_expr("from_date", pl.col("to_date").fill_null(hi)),
        )
    )
    inside = pl.Series(_busdays(spells["a"], spells["b"]))
    spells = spells.with_columns(days=inside).with_columns(
        sick=pl.when(pl.col("hours").is_not_null())
        .then(pl.col("hours") * pl.col("days") / pl.max_horizontal(pl.col("whole"), 1))
        .otherwise(pl.col("days") * pl.col("weekly_hours") / 5)
    )
    sick = dict(spells.group_by("group").agg(pl.col("sick").sum()).iter_rows())
    contracted = dict(eng.group_by("group").agg(pl.col("contracted").sum()).iter_rows())
    pct = {g: 100 * sick[g] / contracted[g] for g in sick}
    assert 4.8 <= pct["ordinaere"] <= 6.5, pct
    assert 8.0 <= pct["inklusion"] <= 12.5, pct
    assert pct["inklusion"] > pct["ordinaere"] + 2


def _busdays_expr(first: str, last: pl.Expr) -> pl.Expr:
    return pl.struct(pl.col(first).alias("f"), last.alias("l")).map_batches(
        lambda s: pl.Series(_busdays(s.struct.field("f"), s.struct.field("l"))),
        return_dtype=pl.Int64,
    )


def test_absence_spells_cover_open_partial_s56_weekend_and_holiday_cases(landing):
    spells = final_rows(landing, "absences").with_columns(
        to_date("from_date"), to_date("to_date"), to_number("hours"), to_bool("s56")
    )
    assert spells.filter(pl.col("to_date").is_null()).height >= 5  # open at as_of
    partial = spells.filter(pl.col("cause") == "delvis_sygdom")
    assert partial["hours"].null_count() == 0
    assert spells.filter(pl.col("s56")).height > 0
    weekend = spells.filter((pl.col("to_date") - pl.col("from_date")).dt.total_days() >= 3).filter(
        pl.col("from_date").dt.weekday() == 5
    )  # starts a Friday, runs over the weekend
    assert weekend.height > 0
    christmas = spells.filter(
        (pl.col("from_date") <= date(2024, 12, 24)) & (pl.col("to_date") >= date(2024, 12, 26))
    )
    assert christmas.height > 0
    # Spells of one engagement never overlap (bad rows excluded).
    ordered = spells.sort("engagement_id", "from_date", "absence_id").with_columns(
        prev_to=pl.col("to_date").shift(1).over("engagement_id")
    )
    assert ordered.filter(pl.col("from_date") <= pl.col("prev_to")).height == 0
    # about 1.5 spells per employee-year
    eng = _engagements(landing)
    years = (
        eng.with_columns(
            a=pl.max_horizontal("start_date", pl.lit(date(AS_OF.year - 4, 1, 1))),
            b=pl.min_horizontal(pl.col("end_date").fill_null(AS_OF), pl.lit(AS_OF)),
        )
        .select(((pl.col("b") - pl.col("a")).dt.total_days().clip(0) / 365.25).sum())
        .item()
    )
    assert 1.3 <= spells.height / years <= 2.0


@pytest.fixture(scope="module")
def workplaces(landing) -> pl.DataFrame:
    """org_unit_id → workplace_id (itself with a P-number, else the nearest such ancestor)."""
    units = final_rows(landing, "org_units").select("org_unit_id", "parent_id", "p_number")
    frame = units.with_columns(cursor=pl.col("org_unit_id"), workplace_id=pl.lit(None, pl.String))
    lookup = units.rename({"org_unit_id": "cursor", "parent_id": "up", "p_number": "p"})
    for _ in range(6):  # the hierarchy is at most a few levels deep
        frame = (
            frame.join(lookup, on="cursor", how="left")
            .with_columns(
                workplace_id=pl.coalesce(
                    "workplace_id", pl.when(pl.col("p").is_not_null()).then(pl.col("cursor"))
                ),
                cursor=pl.col("up"),
            )
            .drop("up", "p")
        )
    return frame.select("org_unit_id", "workplace_id")


def test_placement_chains_conversions_and_matching_engagements(landing):
    placements = final_rows(landing, "placements").with_columns(
        to_date("start_date"), to_date("end_date"), to_number("weekly_hours")
    )
    eng = _engagements(landing)
    chained = placements.filter(pl.col("previous_placement_id").is_not_null()).join(
        placements.select(
            pl.col("placement_id").alias("previous_placement_id"),
            pl.col("scheme").alias("prev_scheme"),
            pl.col("cpr").alias("prev_cpr"),
        ),
        on="previous_placement_id",
    )
    assert chained.height > 0
    assert (chained["prev_scheme"] == "virksomhedspraktik").all()
    assert (chained["scheme"] == "loentilskud").all()
    digits = lambda c: pl.col(c).str.replace("-", "")  # noqa: E731
    assert chained.filter(digits("cpr") != digits("prev_cpr")).height == 0
    # Conversions: a placement ending in overgang_ordinaer → a later ordinary job, same CPR.
    converted = placements.filter(pl.col("end_reason") == "overgang_ordinaer").with_columns(
        key=digits("cpr")
    )
    later = converted.join(eng.with_columns(key=digits("cpr")), on="key").filter(
        (pl.col("engagement_type") == "ordinaer")
        & (pl.col("start_date_right") > pl.col("end_date"))
    )
    assert later["placement_id"].n_unique() >= 0.8 * converted.height > 0
    # Employed schemes have a matching HR engagement of that type (most of them).
    employed = placements.filter(pl.col("scheme").is_in(["loentilskud", "fleksjob"])).with_columns(
        key=digits("cpr")
    )
    matched = employed.join(
        eng.with_columns(
            key=digits("cpr"),
            scheme=pl.col("engagement_type").replace("fleksjob_foer_2013", "fleksjob"),
        ).select("key", "scheme", "start_date"),
        on=["key", "scheme", "start_date"],
    )
    assert matched.height >= 0.95 * employed.height
    assert placements["weekly_hours"].null_count() > 0
    # extraordinary persons: a few per cent of the workforce at as_of
    active = placements.filter(
        (pl.col("start_date") <= AS_OF)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= AS_OF))
    )
    assert 0.03 * EMPLOYEES <= active.height <= 0.10 * EMPLOYEES


def test_some_placements_break_approval_karens_and_the_quota(landing, workplaces):
    units = final_rows(landing, "org_units").with_columns(
        to_date("inclusion_approved_from"), to_date("inclusion_approved_to")
    )
    placements = (
        final_rows(landing, "placements")
        .with_columns(to_date("start_date"), to_date("end_date"))
        .join(workplaces, on="org_unit_id")
    )
    approval = units.select(
        pl.col("org_unit_id").alias("workplace_id"),
        "inclusion_approved_from",
        "inclusion_approved_to",
    )
    judged = placements.join(approval, on="workplace_id")
    not_approved = judged.filter(
        pl.col("inclusion_approved_from").is_null()
        | (pl.col("start_date") < pl.col("inclusion_approved_from"))
        | (pl.col("start_date") > pl.col("inclusion_approved_to"))
    )
    assert not_approved.height >= 1
    # Karens: an ordinaer dismissal at the workplace in the three months before the start.
    fired = (
        _engagements(landing)
        .filter((pl.col("engagement_type") == "ordinaer") & (pl.col("end_reason") == "afskediget"))
        .join(workplaces, on="org_unit_id")
        .select("workplace_id", pl.col("end_date").alias("fired"))
    )
    karens = placements.join(fired, on="workplace_id").filter(
        (pl.col("fired") < pl.col("start_date"))
        & (pl.col("fired") >= pl.col("start_date") - timedelta(days=92))
    )
    assert karens["placement_id"].n_unique() >= 1
    # Over the 1:5 quota on some placement's start date (headcount of ordinaer staff).
    eng = _engagements(landing).join(workplaces, on="org_unit_id")
    starts = placements.select("placement_id", "workplace_id", pl.col("start_date").alias("d"))
    extra = (
        starts.join(
            placements.select("workplace_id", "cpr", "start_date", "end_date"), on="workplace_id"
        )
        .filter(
            (pl.col("start_date") <= pl.col("d"))
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= pl.col("d")))
        )
        .group_by("placement_id")
        .agg(pl.col("cpr").n_unique().alias("extra"))
    )
    ordinary = (
        starts.join(
            eng.filter(pl.col("engagement_type") == "ordinaer").select(
                "workplace_id", "cpr", "start_date", "end_date"
            ),
            on="workplace_id",
        )
        .filter(
            (pl.col("start_date") <= pl.col("d"))
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= pl.col("d")))
        )
        .group_by("placement_id")
        .agg(pl.col("cpr").n_unique().alias("ordinary"))
    )
    over = extra.join(ordinary, on="placement_id", how="left").filter(
        pl.col("extra") > pl.col("ordinary").fill_null(0) // 5
    )
    assert over.height >= 3


def test_sickness_benefit_cases_cover_both_rule_versions_and_follow_up_outcomes(landing):
    cases = final_rows(landing, "sdp_cases").with_columns(
        to_date("first_absence_date"),
        to_date("case_end_date"),
        to_date("fast_track_requested_date"),
    )
    switch = date(2023, 3, 22)
    assert cases.filter(pl.col("first_absence_date") < switch).height > 10
    assert cases.filter(pl.col("first_absence_date") >= switch).height > 10
    assert cases["case_end_date"].null_count() > 0  # open cases
    assert cases.filter(pl.col("case_end_date").is_not_null()).height > 0
    assert cases["fast_track_requested_date"].drop_nulls().len() > 0
    events = final_rows(landing, "sdp_events").with_columns(to_date("event_date"))
    talks = events.filter(
        (pl.col("event_type") == "opfoelgningssamtale")
        & (pl.col("status").is_null() | (pl.col("status") == "afholdt"))
    )
    first_talk = talks.group_by("case_id").agg(pl.col("event_date").min().alias("held"))
    judged = cases.join(first_talk, on="case_id", how="left").with_columns(
        due=pl.col("first_absence_date") + timedelta(days=55)
    )
    # due 1 is first_absence_date + 55 days (fast track aside): some on time, some late,
    # and some cases still open past due without any held conversation (missing).
    plain = judged.filter(pl.col("fast_track_requested_date").is_null())
    assert plain.filter(pl.col("held") <= pl.col("due")).height > 20
    assert plain.filter(pl.col("held") > pl.col("due")).height > 3
    missing = plain.filter(
        pl.col("held").is_null()
        & (pl.col("due") < AS_OF)
        & (pl.col("case_end_date").is_null() | (pl.col("case_end_date") > pl.col("due")))
    )
    assert missing.height > 3
