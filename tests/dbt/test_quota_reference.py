"""fct_quota_status and fct_quota_breaches against an independent Python reference.

A seeded random register set (units with nested sub-units and a unit without workplace, ordinary
and inclusion engagements with dismissals and under-18s, placements of every scheme, rows after
as_of) goes straight into raw.*; dbt builds the quota marts; the reference below recomputes every
figure of docs/domain.md §5.3 day by day in plain Python, written from the spec, not from the SQL.
"""

from __future__ import annotations

import hashlib
import math
import os
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest
from dateutil.relativedelta import relativedelta

from tests.support.warehouse import empty_warehouse, run_dbt

pytestmark = pytest.mark.xdist_group("quota")

AS_OF = date(2025, 6, 15)
WINDOW_START = date(2022, 6, 1)  # history_months 36
LOCAL = {"virksomhedspraktik", "nyttejob", "loentilskud", "fleksjob", "skaanejob",
         "saerlige_vilkaar", "seniorjob", "beskyttet_beskaeftigelse"}  # fmt: skip
STATUTORY = {"virksomhedspraktik", "nyttejob", "loentilskud"}
ENGAGEMENT_TYPES = ["ordinaer"] * 14 + ["elev", "loentilskud", "fleksjob", "seniorjob"]
SCHEMES = sorted(LOCAL)

# org_unit_id, parent_id, p_number, approved_from, approved_to
UNITS = [
    ("R", None, None, None, None),
    ("W1", "R", "1000000001", date(2020, 1, 1), None),
    ("S1", "W1", None, None, None),
    ("W2", "R", "1000000002", date(2023, 3, 1), date(2024, 8, 31)),
    ("S2", "W2", None, None, None),
    ("W3", "S1", "1000000003", None, None),  # nested workplace inside W1's sub-unit
    ("X", "R", None, None, None),  # no workplace
]


def _rand_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def make_registers(seed: int = 2) -> tuple[list[tuple], list[tuple]]:
    rng = random.Random(seed)
    people = [
        (hashlib.sha256(f"p{i}".encode()).hexdigest(),
         _rand_date(rng, date(2006, 1, 1), date(2009, 12, 31)) if i % 7 == 0
         else date(1980, 2, 29) if i == 3 else _rand_date(rng, date(1960, 1, 1), date(1995, 1, 1)))
        for i in range(45)
    ]  # fmt: skip
    units = ["W1", "W1", "S1", "W2", "S2", "W3", "X"]
    engagements = []
    for i in range(180):
        person, birth = rng.choice(people)
        start = _rand_date(rng, date(2020, 6, 1), date(2025, 7, 31))
        end = None if rng.random() < 0.4 else start + timedelta(days=rng.randint(0, 700))
        reason = None if end is None else rng.choice(["afskediget", "opsagt", "udloebet"])
        engagements.append(
            (f"E{i:03d}", person, birth, rng.choice(units), rng.choice(ENGAGEMENT_TYPES),
             float(rng.choice([15, 18.5, 30, 37, 37])), start, end, reason, None, None,
             "hand.csv", i + 1)
        )  # fmt: skip
    placements = []
    for i in range(40):
        person, birth = rng.choice(people)
        start = _rand_date(rng, date(2021, 1, 1), date(2025, 7, 15))
        end = None if rng.random() < 0.3 else start + timedelta(days=rng.randint(0, 300))
        hours = None if rng.random() < 0.15 else float(rng.choice([10, 20, 25, 37]))
        placements.append(
            (f"P{i:03d}", person, birth, rng.choice(units), rng.choice(SCHEMES), None, hours,
             start, None, end, None, None, "hand.csv", i + 1)
        )  # fmt: skip
    return engagements, placements


# --- the reference, from docs/domain.md §5.3 ------------------------------------------------


def workplace_of(unit: str) -> str | None:
    by_id = {u[0]: u for u in UNITS}
    while unit is not None:
        if by_id[unit][2] is not None:
            return unit
        unit = by_id[unit][1]
    return None


def date_18(birth: date) -> date:
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:  # 29 February → 1 March
        return date(birth.year + 18, 3, 1)


def active(start: date, end: date | None, d: date) -> bool:
    return start <= d and (end is None or d <= end)


class Reference:
    def __init__(self, engagements: list[tuple], placements: list[tuple]):
        self.eng = [e for e in engagements if e[6] <= AS_OF]  # E4
        self.pl = [p for p in placements if p[7] <= AS_OF]
        self.earliest_start = min(e[6] for e in self.eng)

    def ordinary(self, wp: str, d: date) -> tuple[int, float]:
        rows = [e for e in self.eng if e[4] == "ordinaer" and workplace_of(e[3]) == wp
                and active(e[6], e[7], d) and date_18(e[2]) <= d]  # fmt: skip
        return len({e[1] for e in rows}), round(sum(e[5] / 37 for e in rows), 6)

    def placements_on(self, wp: str, d: date) -> list[tuple]:
        return [p for p in self.pl if workplace_of(p[3]) == wp and active(p[7], p[9], d)]

    @staticmethod
    def fte(p: tuple) -> float:
        return 1.0 if p[6] is None else p[6] / 37

    @staticmethod
    def month_end_before(d: date, k: int) -> date:
        return d.replace(day=1) - relativedelta(months=k - 1) - timedelta(days=1)

    def status(self, wp: str, d: date) -> dict:
        hc, fte = self.ordinary(wp, d)
        active_pl = self.placements_on(wp, d)
        extra = len({p[1] for p in active_pl if p[4] in LOCAL})
        allowed = max(0, math.floor(hc / 5))
        # E8 in exact decimals: the mean of four 6-decimal values, an exact half rounded up.
        months = (self.ordinary(wp, self.month_end_before(d, k))[1] for k in (1, 2, 3, 4))
        mean = sum(Decimal(str(v)) for v in months) / 4
        fte4 = float(mean.quantize(Decimal("0.000001"), ROUND_HALF_UP))
        if d >= date(2022, 1, 1):
            version, basis = "bek_2636_2021", "fte_4m_avg"
            count = round(sum(self.fte(p) for p in active_pl if p[4] in STATUTORY), 6)
            n = fte4
        else:
            version, basis = "bek_1297_2017", "headcount"
            count = float(len({p[1] for p in active_pl if p[4] in STATUTORY}))
            n = hc
        allowed_stat = max(1, math.floor(min(n, 50) / 5)) + math.floor(max(n - 50, 0) / 10)
        dismissals = [e[7] for e in self.eng if e[4] == "ordinaer" and e[8] == "afskediget"
                      and workplace_of(e[3]) == wp and e[7] is not None
                      and d - relativedelta(months=3) <= e[7] < d]  # fmt: skip
        unit = next(u for u in UNITS if u[0] == wp)
        approved = unit[3] is not None and unit[3] <= d and (unit[4] is None or d <= unit[4])
        return {
            "ordinary_headcount": hc, "ordinary_fte": fte, "extraordinary_persons": extra,
            "allowed_local": allowed, "headroom_local": allowed - extra,
            "status_local": "under" if extra < allowed else "at" if extra == allowed else "over",
            "statutory_version": version, "statutory_count": count, "statutory_basis": basis,
            "ordinary_fte_4m_avg": fte4, "allowed_statutory": allowed_stat,
            "status_statutory": "over" if count > allowed_stat else "ok",
            "in_karens": bool(dismissals),
            "karens_until": max(dismissals) + relativedelta(months=3) if dismissals else None,
            "approved": approved,
        }  # fmt: skip

    def breaches(self) -> set[tuple[str, str]]:
        out = set()
        for p in self.pl:
            wp, s = workplace_of(p[3]), p[7]
            if wp is None or p[4] not in LOCAL or not WINDOW_START <= s <= AS_OF:
                continue
            st = self.status(wp, s)
            if not st["approved"]:
                out.add((p[0], "not_approved"))
            if st["in_karens"]:
                out.add((p[0], "karens"))
            if st["extraordinary_persons"] > st["allowed_local"]:
                out.add((p[0], "over_local_quota"))
            if p[4] in STATUTORY and st["statutory_count"] > st["allowed_statutory"]:
                out.add((p[0], "over_statutory"))
            if p[4] == "loentilskud":
                ends = [self.month_end_before(s, k) for k in range(1, 13)]
                counts = [self.ordinary(wp, m)[0] for m in ends if m >= self.earliest_start]
                if counts and st["ordinary_headcount"] < sum(counts) / len(counts):
                    out.add((p[0], "merbeskaeftigelse"))
        return out


def window_month_ends() -> list[date]:
    out, d = [], WINDOW_START
    while d <= AS_OF:
        out.append(min(d + relativedelta(months=1) - timedelta(days=1), AS_OF))
        d += relativedelta(months=1)
    return out


# --- the warehouse --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Reference]:
    db = empty_warehouse(tmp_path_factory.mktemp("quota_reference") / "ref.duckdb")
    engagements, placements = make_registers()
    with duckdb.connect(str(db)) as conn:
        conn.executemany(
            "INSERT INTO raw.org_units VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, 'hand.csv', ?)",
            [(u[0], f"Enhed {u[0]}", u[1], u[2], u[3], u[4], i + 1) for i, u in enumerate(UNITS)],
        )
        conn.executemany(f"INSERT INTO raw.engagements VALUES ({', '.join('?' * 13)})", engagements)
        conn.executemany(f"INSERT INTO raw.placements VALUES ({', '.join('?' * 14)})", placements)
    saved = os.environ.get("DBT_INDIRECT_SELECTION")
    os.environ["DBT_INDIRECT_SELECTION"] = "cautious"  # only the quota lineage is built
    try:
        run_dbt(
            "build",
            database=db,
            as_of=AS_OF,
            select=["+fct_quota_status", "+fct_quota_breaches"],
        )
    finally:
        if saved is None:
            os.environ.pop("DBT_INDIRECT_SELECTION", None)
        else:
            os.environ["DBT_INDIRECT_SELECTION"] = saved
    return db, Reference(engagements, placements)


def test_random_registers_exercise_every_branch(built):
    db, ref = built
    with duckdb.connect(str(db)) as conn:
        flags = conn.execute(
            """SELECT bool_or(status_local = 'over'), bool_or(status_local = 'under'),
                      bool_or(in_karens), bool_or(NOT approved), bool_or(approved),
                      count(DISTINCT statutory_version)
               FROM marts.fct_quota_status"""
        ).fetchone()
        types = {
            r[0]
            for r in conn.execute("SELECT breach_type FROM marts.fct_quota_breaches").fetchall()
        }
    assert flags == (True, True, True, True, True, 1)
    assert types == {"not_approved", "karens", "over_local_quota", "over_statutory",
                     "merbeskaeftigelse"}  # fmt: skip


def test_quota_status_equals_the_reference(built):
    db, ref = built
    with duckdb.connect(str(db)) as conn:
        cur = conn.execute("SELECT * FROM marts.fct_quota_status ORDER BY workplace_id, month_end")
        names = [c[0] for c in cur.description]
        got = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    months = window_month_ends()
    assert [(g["workplace_id"], g["month_end"]) for g in got] == [
        (wp, m) for wp in ("W1", "W2", "W3") for m in months
    ]
    for g in got:
        want = ref.status(g["workplace_id"], g["month_end"])
        for key, value in want.items():
            if isinstance(value, float):
                # Both sides round to the same 6 decimals; only the binary representation differs.
                assert g[key] == pytest.approx(value, abs=1e-9), (g["workplace_id"], key)
            else:
                assert g[key] == value, (g["workplace_id"], g["month_end"], key)


def test_breaches_equal_the_reference(built):
    db, ref = built
    with duckdb.connect(str(db)) as conn:
        got = set(
            conn.execute(
                "SELECT placement_id, breach_type FROM marts.fct_quota_breaches"
            ).fetchall()
        )
    assert got == ref.breaches()
