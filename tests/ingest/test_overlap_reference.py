"""E3 against an independent Python reference: random spells, the same kept set."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ingest.landing_helpers import ORG_UNITS, load, write

BASE = date(2025, 1, 1)
spell = st.tuples(
    st.sampled_from(["E1", "E2"]),  # engagement
    st.integers(0, 40),  # from_date offset
    st.one_of(st.none(), st.integers(0, 10)),  # length - 1, None = open
)


def reference_kept(spells: list[tuple[str, str, date, date | None]]) -> set[str]:
    """E3 as written: per engagement, in (from_date, absence_id) order, a spell is dropped when it
    overlaps a spell already kept."""
    kept: set[str] = set()
    for engagement in {s[1] for s in spells}:
        kept_spells: list[tuple[date, date]] = []
        for absence_id, _, start, end in sorted(
            (s for s in spells if s[1] == engagement), key=lambda s: (s[2], s[0])
        ):
            stop = end or date.max
            if all(stop < k_start or start > k_end for k_start, k_end in kept_spells):
                kept_spells.append((start, stop))
                kept.add(absence_id)
    return kept


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(spell, min_size=1, max_size=12))
def test_overlapping_spells_match_the_reference(tmp_path_factory, raw_spells):
    folder = tmp_path_factory.mktemp("overlap")
    write(folder, "org_units.csv", ORG_UNITS)
    write(
        folder,
        "engagements.csv",
        "engagement_id;cpr;org_unit_id;engagement_type;weekly_hours;start_date\n"
        "E1;0101901234;A;ordinaer;37;2024-01-01\nE2;0202901234;A;ordinaer;37;2024-01-01\n",
    )
    spells = []
    lines = ["absence_id;engagement_id;cause;from_date;to_date"]
    for i, (engagement, offset, length) in enumerate(raw_spells):
        start = BASE + timedelta(days=offset)
        end = None if length is None else start + timedelta(days=length)
        absence_id = f"S{i:02d}"
        spells.append((absence_id, engagement, start, end))
        lines.append(f"{absence_id};{engagement};egen_sygdom;{start};{end or ''}")
    write(folder, "absences.csv", "\n".join(lines) + "\n")
    with duckdb.connect() as conn:
        load(conn, folder)
        kept = {r[0] for r in conn.execute("SELECT absence_id FROM raw.absences").fetchall()}
        dropped = conn.execute(
            "SELECT count(*) FROM audit.quarantine WHERE reason = 'overlapping_spell'"
        ).fetchone()[0]
    assert kept == reference_kept(spells)
    assert dropped == len(spells) - len(kept)
