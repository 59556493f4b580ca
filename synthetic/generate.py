"""Entry point: write a whole synthetic landing folder (docs/domain.md §3.1) for one municipality.

Same arguments → byte-identical files: every random draw comes from a stream seeded by
(seed, purpose), and every file is written in a fixed row order.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from synthetic import dialect as dl
from synthetic.absences import build_absences
from synthetic.bad_rows import BadRow, append_rows, bad_rows
from synthetic.core import NO_DATE, Settings, to_date_series
from synthetic.deliveries import last_two_cuts, split, year_cuts
from synthetic.jobindsats import write_jobindsats
from synthetic.municipalities import municipality_name
from synthetic.org import REGISTER_COLUMNS as ORG_COLUMNS
from synthetic.org import build_org_units
from synthetic.people import People
from synthetic.placements import build_placements
from synthetic.readme import README_MARKER, readme_text, rules_yaml
from synthetic.sdp import build_cases, build_events
from synthetic.staff import FIXED_TERM, add_titles, build_engagements
from synthetic.targets import write_targets

ENG_COLUMNS = [
    "engagement_id", "cpr", "org_unit_id", "engagement_type", "weekly_hours", "start_date",
    "end_date", "end_reason", "union_area", "job_title",
]  # fmt: skip
ABS_COLUMNS = ["absence_id", "engagement_id", "cause", "from_date", "to_date", "hours", "s56"]
PLC_COLUMNS = [
    "placement_id", "cpr", "org_unit_id", "scheme", "benefit_group", "weekly_hours", "start_date",
    "planned_end_date", "end_date", "end_reason", "previous_placement_id",
]  # fmt: skip
CASE_COLUMNS = [
    "case_id", "cpr", "first_absence_date", "employment_status", "case_end_date", "end_reason",
    "fast_track_requested_date",
]  # fmt: skip
EVENT_COLUMNS = ["event_id", "case_id", "event_date", "event_type", "category", "status"]

# Dialect per register, cycled over its files (§3.2: every variant occurs somewhere).
DIALECTS = {
    "org_units": [
        dl.Dialect(";", "%d-%m-%Y", True, ("ja", "nej"), bom=True, header="title_spaced"),
        dl.ISO_COMMA,
    ],
    "engagements": [
        dl.ISO_COMMA,
        dl.Dialect(";", "%d.%m.%Y", True, ("true", "false"), extra_column="loennummer_note"),
        dl.Dialect(";", "%d-%m-%Y", True, ("ja", "nej"), header="upper"),
    ],
    "absences": [
        dl.DOT_SEMI,
        dl.ISO_COMMA,
        dl.Dialect(";", "%d-%m-%Y", True, ("ja", "nej"), header="title_spaced"),
    ],
    "placements": [dl.ISO_COMMA, dl.Dialect(";", "%d-%m-%Y", True, ("ja", "nej"), bom=True)],
    "sdp_cases": [dl.DOT_SEMI, dl.ISO_COMMA],
    "sdp_events": [
        dl.ISO_COMMA,
        dl.Dialect(";", "%d.%m.%Y", True, ("1", "0"), extra_column="sagsbehandler"),
    ],  # fmt: skip
}


def generate_landing(
    out_dir: Path,
    *,
    seed: int = 1,
    employees: int = 3000,
    start: date | None = None,
    as_of: date,
    municipality_code: str = "615",
) -> dict[str, int]:
    """Write the landing folder; returns data rows written per file (relative path → rows)."""
    out_dir = Path(out_dir)
    start = start or date(as_of.year - 4, 1, 1)
    if start >= as_of:
        raise ValueError(f"start {start} skal ligge før as_of {as_of}")
    if employees < 100:
        raise ValueError(
            f"employees skal være mindst 100 (alle koder skal forekomme), ikke {employees}"
        )
    s = Settings(seed, employees, start, as_of, municipality_code,
                 municipality_name(municipality_code))  # fmt: skip
    _prepare(out_dir)

    people = People()
    units = build_org_units(s)
    base = build_engagements(s, units, people)
    placements, conversions = build_placements(s, units, base, people)
    conversions = add_titles(conversions, s.rng("conversions"))
    eng = _final_engagements(s, pl.concat([base, conversions], how="diagonal_relaxed"))
    absences = build_absences(s, eng.with_columns(pl.col("end_day").fill_null(NO_DATE)))
    cases = build_cases(s, absences, eng, people)
    events = build_events(s, cases)
    cpr = pl.Series("cpr", people.cprs(s))

    frames = {
        "org_units": units,
        "engagements": _with_cpr(eng, cpr),
        "absences": absences,
        "placements": _with_cpr(placements, cpr),
        "sdp_cases": _with_cpr(cases, cpr),
        "sdp_events": events,
    }
    written, bad = _write_registers(s, out_dir / "registers", frames, units)
    written.update(write_jobindsats(s, out_dir / "jobindsats"))
    written["config/targets.csv"] = write_targets(s, out_dir / "config" / "targets.csv", units)
    (out_dir / "config" / "rules.yml").write_text(rules_yaml(s), encoding="utf-8")
    (out_dir / "README.txt").write_text(readme_text(s, written, bad), encoding="utf-8")
    return written


def _prepare(out_dir: Path) -> None:
    """Only overwrite a folder this generator wrote (its README carries the marker)."""
    registers = out_dir / "registers"
    readme = out_dir / "README.txt"
    existing = sorted(registers.glob("*.csv")) if registers.exists() else []
    if existing:
        if not (readme.exists() and readme.read_text(encoding="utf-8").startswith(README_MARKER)):
            raise FileExistsError(
                f"{out_dir} rummer registerfiler, som generatoren ikke har skrevet; "
                "overskrives ikke"
            )
        for path in existing:
            path.unlink()
        for path in (out_dir / "jobindsats").glob("*"):
            path.unlink()
    for sub in ("registers", "jobindsats", "config"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)


def _final_engagements(s: Settings, eng: pl.DataFrame) -> pl.DataFrame:
    """Ids, staff group and what the register knows at as_of: an open-ended job's future end
    is unknown; a fixed-term contract keeps its planned end date."""
    fixed = pl.col("engagement_type").is_in(list(FIXED_TERM)) | pl.col("kind").is_in(
        ["fritidsjob", "ekstra"]
    )
    future = pl.col("end_day") > s.as_of_day
    return eng.sort("start_day", "person_id", "org_unit_id", "kind", "weekly_hours").with_columns(
        engagement_id=pl.lit("E") + pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(8),
        staff_group=pl.when(pl.col("engagement_type").is_in(["ordinaer", "elev"]))
        .then(pl.lit("ordinaere"))
        .otherwise(pl.lit("inklusion")),
        end_day=pl.when(future & ~fixed).then(None).otherwise(pl.col("end_day")),
        end_reason=pl.when(future).then(None).otherwise(pl.col("end_reason")),
    )


def _with_cpr(frame: pl.DataFrame, cpr: pl.Series) -> pl.DataFrame:
    return frame.with_columns(cpr=cpr.gather(frame["person_id"]))


def _dates(frame: pl.DataFrame, mapping: dict[str, str]) -> pl.DataFrame:
    """Day-number columns → polars dates under their register names."""
    return frame.with_columns(
        [
            to_date_series(name, frame[src].fill_null(NO_DATE).to_numpy())
            for name, src in mapping.items()
        ]  # fmt: skip
    )


def _register_parts(s: Settings, frames: dict[str, pl.DataFrame]):
    """(register, file label, frame with register columns as typed values) per file."""
    cuts = year_cuts(s)
    two = last_two_cuts(s)
    eng = _dates(frames["engagements"], {"start_date": "start_day", "end_date": "end_day"})
    abs_ = _dates(frames["absences"], {"from_date": "from_day", "to_date": "to_day"})
    plc = _dates(frames["placements"], {"start_date": "start_day",
                                        "planned_end_date": "planned_end_day",
                                        "end_date": "end_day"})  # fmt: skip
    cases = _dates(frames["sdp_cases"], {"first_absence_date": "first_day",
                                         "case_end_date": "end_day",
                                         "fast_track_requested_date": "fast_day"})  # fmt: skip
    cases = cases.with_columns(end_day=pl.col("end_day").replace(NO_DATE, None))
    events = _dates(frames["sdp_events"], {"event_date": "event_day"})

    units = frames["org_units"]
    first_units = units.with_columns(inclusion_approved_to=pl.lit(None, pl.Date))
    changed = units.filter(pl.col("inclusion_approved_to").is_not_null())
    parts = [
        ("org_units", s.start.isoformat(), first_units.select(ORG_COLUMNS)),
        ("org_units", s.as_of.isoformat(), changed.select(ORG_COLUMNS)),
    ]
    for label, part in split(eng, cuts, "start_day", "end_day", ["end_date", "end_reason"]):
        parts.append(("engagements", label, part.select(ENG_COLUMNS)))
    for label, part in split(abs_, cuts, "from_day", "final_to_day", ["to_date"]):
        parts.append(("absences", label, part.select(ABS_COLUMNS)))
    for label, part in split(plc, two, "start_day", "end_day", ["end_date", "end_reason"]):
        parts.append(("placements", label, part.select(PLC_COLUMNS)))
    for label, part in split(cases, two, "first_day", "end_day", ["case_end_date", "end_reason"]):
        parts.append(("sdp_cases", label, part.select(CASE_COLUMNS)))
    prev = None
    for label, cut in two:
        keep = pl.col("event_day") <= cut if prev is None else pl.col("event_day") > prev
        parts.append(("sdp_events", label, events.filter(keep).select(EVENT_COLUMNS)))
        prev = cut
    return parts


def _write_registers(s: Settings, folder: Path, frames, units: pl.DataFrame):
    parts = _register_parts(s, frames)
    rng = s.rng("dialect")
    counts: dict[str, int] = {}
    position: dict[str, int] = {}
    last_index = {reg: i for i, (reg, _, _) in enumerate(parts)}
    texts = []
    for i, (register, label, frame) in enumerate(parts):
        k = position.get(register, 0)
        position[register] = k + 1
        dialect = DIALECTS[register][k % len(DIALECTS[register])]
        texts.append((register, label, dl.format_frame(frame, dialect, rng), dialect, i))
    dialect_of = {reg: d for reg, _, _, d, i in texts if i == last_index[reg]}
    rows = _bad_rows(s, frames, units, dialect_of)
    listed: list[tuple[str, BadRow, int]] = []
    for register, label, text, dialect, i in texts:
        name = f"{register}_{label}.csv"
        if i == last_index[register]:
            mine = [r for r in rows if r.register == register]
            text, numbers = append_rows(text, mine)
            listed += [(f"registers/{name}", r, n) for r, n in zip(mine, numbers, strict=True)]
        counts[f"registers/{name}"] = dl.write_csv(text, folder / name, dialect, rng)
    return counts, listed


def _bad_rows(s: Settings, frames, units: pl.DataFrame, dialect_of) -> list[BadRow]:
    eng, absences = frames["engagements"], frames["absences"]
    first_cut = year_cuts(s)[0][1]
    # An engagement from the first file that no later file repeats (open, started early).
    early = eng.filter((pl.col("start_day") <= first_cut) & pl.col("end_day").is_null()).row(
        0, named=True
    )
    one = _dates(pl.DataFrame([early]), {"start_date": "start_day", "end_date": "end_day"})
    e_text = dl.format_frame(one.select(ENG_COLUMNS), dialect_of["engagements"], s.rng("bad"))
    existing = e_text.row(0, named=True)
    before = date.fromordinal(date(1970, 1, 1).toordinal() + early["start_day"] - 10)
    existing["_before_start"] = before.strftime(dialect_of["engagements"].date_format)
    spell = absences.filter(
        pl.col("to_day").is_not_null()
        & (pl.col("to_day") != NO_DATE)
        & ((pl.col("to_day") - pl.col("from_day")) >= 3)
        & (pl.col("cause") == "egen_sygdom")
    ).row(-1, named=True)
    fmt = dialect_of["absences"].date_format
    as_date = lambda d: date.fromordinal(date(1970, 1, 1).toordinal() + d)  # noqa: E731
    overlapped = {
        "engagement_id": spell["engagement_id"],
        "cause": "egen_sygdom",
        "from_date": as_date(spell["from_day"] + 1).strftime(fmt),
        "to_date": as_date(spell["to_day"]).strftime(fmt),
        "_overlaps": spell["absence_id"],
    }
    open_eng = eng.filter(pl.col("end_day").is_null())["engagement_id"]
    nxt = lambda prefix, n, width: f"{prefix}{n:0{width}d}"  # noqa: E731
    next_ids = {f"engagement_{i}": nxt("E", eng.height + i, 8) for i in range(1, 6)}
    next_ids |= {f"absence_{i}": nxt("F", absences.height + i, 9) for i in range(1, 5)}
    next_ids |= {f"placement_{i}": nxt("P", frames["placements"].height + i, 7) for i in (1, 2)}
    next_ids |= {
        "case": nxt("S", frames["sdp_cases"].height + 1, 7),
        "event": nxt("H", frames["sdp_events"].height + 1, 8),
        "event_2": nxt("H", frames["sdp_events"].height + 2, 8),
        "org_unit": nxt("U", units.height + 900_000, 6),
    }
    unit = units.filter(pl.col("is_workplace")).sort("staff_weight", descending=True)
    return bad_rows(
        as_of=s.as_of,
        date_formats={reg: d.date_format for reg, d in dialect_of.items()},
        next_ids=next_ids,
        unit_id=unit["org_unit_id"][0],
        existing_engagement=existing,
        overlapped_spell=overlapped,
        good_engagement_id=open_eng[len(open_eng) // 2],
        good_case_id=frames["sdp_cases"]["case_id"][0],
    )
