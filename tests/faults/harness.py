"""A small valid landing folder and the one way a fault case loads it.

Every fault case starts from BASE (six registers, four persons, hand-checkable), changes what it
is about, and loads through `Case.load`: the real `ingest.landing.load_landing` into a real DuckDB
file. `load` always ends with the CPR scan (tests/support/cpr_scan.py) over every table and
view of that file, raw._files_* and audit.* included, looking for the CPRs of BASE, the CPR
registers and any CPR the case planted elsewhere; a hit fails the case. The catalogue
(docs/fault-catalogue.md) lists each case by its `fault` marker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from ingest.errors import IngestError
from ingest.landing import LoadSummary, load_landing
from tests.support.cpr_scan import cpr_hits, cprs_in, landing_cprs

ORG_UNITS = """org_unit_id;name;parent_id;p_number;workplace_type;area
K;Kommunen;;;administration;
A;Skolen;K;1000000001;skole;Børn og unge
B;Plejecentret;K;1000000002;plejecenter;Ældre
"""
ENGAGEMENTS_HEADER = (
    "engagement_id;cpr;org_unit_id;engagement_type;weekly_hours;start_date;end_date;end_reason;"
    "union_area;job_title\n"
)
ENGAGEMENTS = ENGAGEMENTS_HEADER + (
    "E1;0101901234;A;ordinaer;37;2020-01-01;;;BUPL;Pædagog\n"
    "E2;1502851234;A;ordinaer;30;2021-03-01;2024-06-30;opsagt;FOA;Medhjælper\n"
    "E3;2812794321;B;fleksjob;20;2022-01-01;;;FOA;Assistent\n"
    "E4;0505001234;B;ordinaer;37;2023-08-01;;;SL;Social- og sundhedsassistent\n"
)
ABSENCES = """absence_id;engagement_id;cause;from_date;to_date;hours;s56
S1;E1;egen_sygdom;2024-02-01;2024-02-05;;0
S2;E2;barn_syg;2024-03-01;2024-03-01;;0
S3;E3;egen_sygdom;2024-04-01;;;1
"""
PLACEMENTS = (
    "placement_id;cpr;org_unit_id;scheme;benefit_group;weekly_hours;start_date;planned_end_date;"
    "end_date;end_reason;previous_placement_id\n"
    "P1;0707951234;A;virksomhedspraktik;kontanthjaelp_jobparat;20;2024-01-15;2024-04-15;;;\n"
)
SDP_CASES = (
    "case_id;cpr;first_absence_date;employment_status;case_end_date;end_reason;"
    "fast_track_requested_date\n"
    "C1;2812794321;2024-04-01;ansat;;;\n"
)
SDP_EVENTS = """event_id;case_id;event_date;event_type;category;status
V1;C1;2024-04-20;visitation;1;afholdt
"""
BASE = {
    "registers/org_units.csv": ORG_UNITS,
    "registers/engagements.csv": ENGAGEMENTS,
    "registers/absences.csv": ABSENCES,
    "registers/placements.csv": PLACEMENTS,
    "registers/sdp_cases.csv": SDP_CASES,
    "registers/sdp_events.csv": SDP_EVENTS,
}
BASE_ROWS = {
    "org_units": 3,
    "engagements": 4,
    "placements": 1,
    "absences": 3,
    "sdp_cases": 1,
    "sdp_events": 1,
    "jobindsats": 0,
}
AS_OF = date(2025, 1, 31)
SCANS = {"count": 0}  # how many CPR scans ran in this process (the conftest checks each case)


@dataclass
class Loaded:
    """What one load did: the summary, or the user error it ended in."""

    summary: LoadSummary | None
    error: str | None
    database: Path
    progress: list[str] = field(default_factory=list)

    def sql(self, query: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as conn:
            return conn.execute(query, params or []).fetchall()

    def rows(self, table: str) -> int:
        return self.sql(f"SELECT count(*) FROM raw.{table}")[0][0]

    def problems(self, register: str | None = None) -> set[tuple]:
        """(file_name, row_number, column_name, severity, reason) of the quarantine."""
        where, params = ("WHERE register = ?", [register]) if register else ("", [])
        return set(
            self.sql(
                "SELECT file_name, row_number, column_name, severity, reason "
                f"FROM audit.quarantine {where}",
                params,
            )
        )

    def log(self, file_name: str) -> tuple:
        """(status, rows_read, rows_loaded, rows_quarantined, message) of the file's last row."""
        rows = self.sql(
            "SELECT status, rows_read, rows_loaded, rows_quarantined, message "
            "FROM audit.load_log WHERE file_name = ? ORDER BY loaded_at DESC, rowid DESC LIMIT 1",
            [file_name],
        )
        return rows[0] if rows else ()

    def all_text(self) -> str:
        """Every quarantine detail, row_masked and load-log message, for CPR spot checks."""
        parts = self.sql(
            "SELECT coalesce(detail, '') || ' ' || coalesce(row_masked, '') FROM audit.quarantine "
            "UNION ALL SELECT coalesce(message, '') FROM audit.load_log"
        )
        return "\n".join(p[0] for p in parts) + "\n" + "\n".join(self.progress)


class Case:
    """One fault case: a landing folder (BASE unless told otherwise) and its warehouse file."""

    def __init__(self, root: Path, *, base: bool = True) -> None:
        self.root = root
        self.landing = root / "landing"
        self.database = root / "warehouse.duckdb"
        self.planted: set[str] = set()
        (self.landing / "registers").mkdir(parents=True, exist_ok=True)
        if base:
            for name, text in BASE.items():
                self.write(name, text)

    def path(self, name: str) -> Path:
        return self.landing / name

    def write(self, name: str, text: str, encoding: str = "utf-8") -> Path:
        return self.write_bytes(name, text.encode(encoding))

    def write_bytes(self, name: str, data: bytes) -> Path:
        path = self.landing / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def append(self, name: str, text: str) -> Path:
        path = self.landing / name
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)
        return path

    def plant(self, *cprs: str) -> None:
        """CPRs the case put outside the CPR columns: the scan looks for them too."""
        for cpr in cprs:
            self.planted |= cprs_in(cpr) or {cpr}

    def load(self, *, as_of: date | None = AS_OF, config_path: Path | None = None) -> Loaded:
        progress: list[str] = []
        summary, error = None, None
        with duckdb.connect(str(self.database)) as conn:
            try:
                summary = load_landing(
                    conn, self.landing, config_path=config_path, progress=progress.append,
                    as_of=as_of,
                )  # fmt: skip
            except IngestError as exc:
                error = str(exc)
        self.scan()
        return Loaded(summary, error, self.database, progress)

    def scan(self) -> None:
        """The CPR scan over the whole warehouse file; fails the case on any hit."""
        cprs = landing_cprs(self.landing) | cprs_in(ENGAGEMENTS + PLACEMENTS) | self.planted
        with duckdb.connect(str(self.database), read_only=True) as conn:
            hits = cpr_hits(conn, cprs)
        SCANS["count"] += 1
        assert hits == [], f"CPR found in the warehouse: {hits}"


def scan_warehouse(database: Path, landing: Path) -> None:
    """The CPR scan over any warehouse file (a published one after a fault of the publish path),
    for the CPRs of `landing`; counts as a fault case's scan."""
    with duckdb.connect(str(database), read_only=True) as conn:
        hits = cpr_hits(conn, landing_cprs(landing))
    SCANS["count"] += 1
    assert hits == [], f"CPR found in the warehouse: {hits}"
