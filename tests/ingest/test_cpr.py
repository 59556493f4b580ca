"""CPR validation, birth date, person_key and the key file (docs/domain.md §7)."""

from __future__ import annotations

import hashlib
import hmac
import stat
from datetime import date

import duckdb
import polars as pl
import pytest

from ingest.errors import IngestError
from ingest.pseudonym import cpr_birth_date, cpr_digits, pseudonym_key
from tests.ingest.landing_helpers import ORG_UNITS, TEST_SECRET, load, problems, write


def birth_date(cpr: str) -> date | None:
    frame = pl.DataFrame({"cpr": [cpr]})
    return frame.select(cpr_birth_date(cpr_digits(pl.col("cpr"))))[0, 0]


# Hand-worked: the 7th digit (first after the dash) picks the century (docs/domain.md §7).
CENTURY_CASES = [
    ("010136-0000", date(1936, 1, 1)),  # 0–3 → 1900s
    ("010136-3999", date(1936, 1, 1)),
    ("010136-4000", date(2036, 1, 1)),  # 4: YY 36 ≤ 36 → 2000s
    ("010137-4000", date(1937, 1, 1)),  # 4: YY 37 > 36 → 1900s
    ("010136-9000", date(2036, 1, 1)),  # 9 like 4
    ("010137-9000", date(1937, 1, 1)),
    ("010157-5000", date(2057, 1, 1)),  # 5–8: YY 57 ≤ 57 → 2000s
    ("010158-5000", date(1858, 1, 1)),  # 5–8: YY 58 > 57 → 1800s
    ("010157-8000", date(2057, 1, 1)),
    ("010158-8000", date(1858, 1, 1)),
    ("010100-6000", date(2000, 1, 1)),
    ("0101901234", date(1990, 1, 1)),  # no dash
    ("290200-4000", date(2000, 2, 29)),  # 2000 is a leap year
    ("290296-1234", date(1996, 2, 29)),  # leap year
    ("290256-5000", date(2056, 2, 29)),  # leap year in the 2000s via digit 5
]
INVALID_CASES = [
    "290200-2000",  # 1900-02-29: 1900 is not a leap year
    "290297-1234",  # 1997 not a leap year
    "290258-5000",  # 1858 not a leap year
    "311390-1234",  # month 13
    "000190-1234",  # day 0
    "310490-1234",  # 31 April
    "010190 1234",  # space instead of dash
    "010190-123",  # 9 digits
    "01019012345",  # 11 digits
    "0101-901234",  # dash in the wrong place
    "01019O1234",  # letter O
]


@pytest.mark.parametrize(("cpr", "expected"), CENTURY_CASES)
def test_valid_cpr_gives_birth_date_by_century_rule(cpr, expected):
    assert birth_date(cpr) == expected


@pytest.mark.parametrize("cpr", INVALID_CASES)
def test_invalid_cpr_has_no_birth_date(cpr):
    assert birth_date(cpr) is None


def test_modulus_11_is_not_checked():
    # 0101901234 · weights (4,3,2,7,6,5,4,3,2,1) = 0+3+0+7+54+0+4+6+6+4 = 84; 84 mod 11 = 7 ≠ 0
    assert birth_date("0101901234") == date(1990, 1, 1)


def engagements_with(cprs: list[str]) -> str:
    lines = ["engagement_id;cpr;org_unit_id;engagement_type;weekly_hours;start_date"]
    lines += [f"E{i};{cpr};A;ordinaer;37;2024-01-01" for i, cpr in enumerate(cprs, start=1)]
    return "\n".join(lines) + "\n"


def test_person_key_is_hmac_of_the_ten_digits_and_birth_date_is_kept(tmp_path):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    write(
        tmp_path, "engagements.csv", engagements_with(["290200-4000", "0101901234", "290200-2000"])
    )
    with duckdb.connect() as conn:
        load(conn, tmp_path)
        got = conn.execute(
            "SELECT engagement_id, person_key, birth_date FROM raw.engagements ORDER BY 1"
        ).fetchall()
        assert problems(conn, "engagements") == {(3, "cpr", "error", "invalid_cpr")}
        columns = [c[0] for c in conn.execute("DESCRIBE raw.engagements").fetchall()]
    expected_key = hmac.new(TEST_SECRET.encode("utf-8"), b"2902004000", hashlib.sha256).hexdigest()
    assert got[0] == ("E1", expected_key, date(2000, 2, 29))
    assert got[1][2] == date(1990, 1, 1)
    assert "cpr" not in columns


def test_same_cpr_with_and_without_dash_gives_same_person_key(tmp_path):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    write(tmp_path, "engagements.csv", engagements_with(["010190-1234", "0101901234"]))
    with duckdb.connect() as conn:
        load(conn, tmp_path)
        keys = conn.execute("SELECT DISTINCT person_key FROM raw.engagements").fetchall()
    assert len(keys) == 1


def test_key_file_is_created_with_owner_only_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv("RUMMELIG_PSEUDONYM_KEY", raising=False)
    key_file = tmp_path / "keys" / "pseudonym.key"
    monkeypatch.setenv("RUMMELIG_PSEUDONYM_KEY_FILE", str(key_file))
    first = pseudonym_key()
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first == key_file.read_text(encoding="utf-8").strip().encode("utf-8")
    assert len(first) >= 32
    assert pseudonym_key() == first  # reused, not regenerated

    landing = tmp_path / "registers"
    write(landing, "org_units.csv", ORG_UNITS)
    write(landing, "engagements.csv", engagements_with(["010190-1234"]))
    with duckdb.connect() as conn:
        load(conn, landing)
        (key,) = conn.execute("SELECT person_key FROM raw.engagements").fetchone()
    assert key == hmac.new(first, b"0101901234", hashlib.sha256).hexdigest()


def test_environment_secret_wins_over_key_file(tmp_path, monkeypatch):
    monkeypatch.setenv("RUMMELIG_PSEUDONYM_KEY_FILE", str(tmp_path / "unused.key"))
    assert pseudonym_key() == TEST_SECRET.encode("utf-8")
    assert not (tmp_path / "unused.key").exists()


def test_key_file_that_cannot_be_created_is_a_clean_ingest_error(tmp_path, monkeypatch):
    monkeypatch.delenv("RUMMELIG_PSEUDONYM_KEY", raising=False)
    (tmp_path / "not-a-folder").write_text("x")
    monkeypatch.setenv("RUMMELIG_PSEUDONYM_KEY_FILE", str(tmp_path / "not-a-folder" / "k.key"))
    write(tmp_path / "registers", "org_units.csv", ORG_UNITS)
    with duckdb.connect() as conn, pytest.raises(IngestError, match="not-a-folder"):
        load(conn, tmp_path / "registers")
