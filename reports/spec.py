"""What a report is: `ReportSpec`, and the shared rule for options a report does not know."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reports.errors import ReportError


@dataclass(frozen=True)
class ReportSpec:
    """A report: `render(conn, *, period: str, out_dir: Path, **options) -> list[Path]`.

    reads: the dbt relations the report reads, as "schema.model" (marts.* and reporting.*); the
    orchestration makes the report's asset downstream of exactly these. registers: the registers
    whose data quality the report's header lists. options: option name → Danish help text.
    aliases: other names the CLI accepts (e.g. "sygefravær"). period_kinds: the kinds of period
    the report is made for (year, quarter, month). A report whose `options` include `year` or
    `quarter` takes its period from `--year 2025` / `--quarter 2025Q3` as well as `--period`
    (reports.registry.run_report turns them into the one period code).
    """

    name: str
    title: str
    render: Callable[..., list[Path]]
    reads: tuple[str, ...]
    description: str = ""
    options: dict[str, str] = field(default_factory=dict)
    registers: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    period_kinds: tuple[str, ...] = ("year", "quarter", "month")

    def __post_init__(self) -> None:
        bad = [r for r in self.reads if r.split(".")[0] not in ("marts", "reporting")]
        if bad:
            raise ValueError(f"report {self.name} may read marts.* and reporting.* only: {bad}")


def reject_options(report: str, options: dict) -> None:
    """A report refuses options it does not know (those given a value), naming them."""
    unknown = sorted(k for k, v in options.items() if v is not None)
    if unknown:
        names = ", ".join("--" + k.replace("_", "-") for k in unknown)
        raise ReportError(f"Rapporten {report} kender ikke tilvalget {names}.")
