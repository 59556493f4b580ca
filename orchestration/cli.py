"""`rummelig`: the user's front door (synth, build, report, demo, dev).

Problems a user can fix (a missing folder, a bad date, an unknown report) print one Danish line
on stderr and exit 2; a build whose blocking check or dbt fails exits 1. No tracebacks.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

import click

from orchestration.cli_danish import DanishGroup
from orchestration.cli_report import ReportCommand
from orchestration.text import number, seconds

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_DIR / "out"
DEMO_AS_OF_HELP = "Referencedato (ÅÅÅÅ-MM-DD); standard: i dag."


class UserError(click.ClickException):
    """One clear line, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Fejl: {self.format_message()}", err=True)


class IsoDate(click.ParamType):
    name = "ÅÅÅÅ-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} er ikke en dato på formen ÅÅÅÅ-MM-DD", param, ctx)


ISO_DATE = IsoDate()


def _synth(out: Path, *, seed: int, employees: int, start: date | None, as_of: date) -> None:
    try:
        from synthetic.generate import generate_landing
    except ImportError as exc:
        raise UserError(f"Generatoren (synthetic.generate) kan ikke indlæses: {exc}") from exc
    started = time.monotonic()
    try:
        written = generate_landing(out, seed=seed, employees=employees, start=start, as_of=as_of)
    except (ValueError, FileExistsError) as exc:  # bad flags or a folder that is not ours
        raise UserError(str(exc)) from exc
    total = sum(written.values()) if isinstance(written, dict) else 0
    click.echo(
        f"Syntetisk landing-mappe skrevet til {out} ({number(len(written or {}))} filer, "
        f"{number(total)} rækker, {seconds(time.monotonic() - started)})"
    )


def _limits(memory_limit: str | None, threads: int | None, rules_file: Path):
    """The build's memory and thread budget (orchestration/limits.py); polars reads its thread
    count when it is first imported, which the build does after this."""
    from ingest.rules import RulesError
    from orchestration.limits import LimitError, for_build, resolve

    try:
        try:
            limits = for_build(rules_file, memory_limit, threads)
        except RulesError:  # the build says what is wrong with the file, as its first check
            limits = resolve(memory_limit, threads)
    except LimitError as exc:
        raise UserError(str(exc)) from exc
    os.environ.setdefault("POLARS_MAX_THREADS", str(limits.threads))
    return limits


def _build(
    input_dir: Path,
    database: Path,
    *,
    as_of: date,
    config: Path | None,
    reports_dir: Path | None = None,
    demo: bool = False,
    memory_limit: str | None = None,
    threads: int | None = None,
):
    """Run one build with progress lines and the summary; exit 1 when it failed."""
    limits = _limits(memory_limit, threads, config or input_dir / "config" / "rules.yml")
    from ingest.errors import IngestError
    from orchestration.errors import (
        BuildError,
        BuildResourceError,
        DbtPrepareError,
        WarehouseIOError,
    )

    database = database.expanduser().resolve()
    stdout = sys.stdout  # the progress lines' stream (the build mutes dbt's own stdout echo)

    def echo(line: str) -> None:
        click.echo(line, file=stdout)

    click.echo(f"Bygger datavarehuset {database} fra {input_dir} (as_of {as_of.isoformat()})")
    click.echo(f"Grænser: {limits.describe()}")
    from orchestration.build import run_build, summary_lines  # loads Dagster: after the line

    try:
        outcome = run_build(
            input_dir,
            database,
            as_of=as_of,
            config_path=config,
            reports_dir=reports_dir,
            echo=echo,
            limits=limits,
        )
    except (BuildError, IngestError) as exc:
        raise UserError(str(exc).strip().splitlines()[0]) from exc
    except (DbtPrepareError, WarehouseIOError, BuildResourceError) as exc:  # not the input: 1
        click.echo(f"Fejl: {str(exc).strip().splitlines()[0]}", err=True)
        sys.exit(1)
    for line in summary_lines(outcome, demo=demo):
        click.echo(line)
    if not outcome.success:
        click.echo(f"Fejl: {outcome.failure_message()}", err=True)
        sys.exit(1)
    return outcome


def _report_options(args: list[str]) -> dict[str, str | bool]:
    """Extra `--name value` / `--flag` options passed through to the report's render()."""
    options: dict[str, str | bool] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--"):
            raise UserError(f"Uventet argument {arg!r} (rapportvalg skrives --navn værdi)")
        name, _, value = arg[2:].partition("=")
        key = name.replace("-", "_")
        if value:
            options[key] = value
        elif i + 1 < len(args) and not args[i + 1].startswith("--"):
            options[key] = args[i + 1]
            i += 1
        else:
            options[key] = True
        i += 1
    return options


def _report(
    name: str, database: Path, *, period: str | None, out: Path, options: dict
) -> list[Path]:
    import duckdb

    from orchestration.publish import duckdb_problem, os_problem
    from reports.errors import ReportError
    from reports.registry import run_report

    try:
        return run_report(name, database, period=period, out_dir=out, **options)
    except ReportError as exc:
        raise UserError(str(exc)) from exc
    except (duckdb.IOException, duckdb.CatalogException) as exc:  # locked, not DuckDB, old
        raise UserError(str(duckdb_problem(database, exc))) from exc
    except OSError as exc:  # the report folder cannot be written
        raise UserError(str(os_problem(Path(exc.filename or out), exc))) from exc


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rummelig")
    except PackageNotFoundError:
        return "ukendt"


@click.group(
    cls=DanishGroup,
    help="Rummelig: datavarehus og rapporter om inklusion, sygefravær og jobcenter.",
)
@click.version_option(_version(), "--version", prog_name="rummelig", message="%(prog)s %(version)s")
def cli() -> None:
    pass


def main(args: list[str] | None = None) -> None:
    """Entry point: click's own usage errors also become one line (exit 2)."""
    try:
        cli.main(args=args, prog_name="rummelig", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Afbrudt.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        click.echo(f"Fejl: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)


def console_main() -> None:
    """The `rummelig` command (pyproject.toml): main() in a process that skips Python's slow
    clean-up at exit (orchestration/process_exit.py)."""
    from orchestration.process_exit import exit_code, exit_now, tune_collector

    tune_collector()
    try:
        main()
    except SystemExit as exc:
        exit_now(exit_code(exc))
    exit_now(0)


@cli.command(help="Skriv en syntetisk kommune (landing-mappe) til --out.")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--employees", type=int, default=3000, show_default=True)
@click.option("--start", type=ISO_DATE, default=None, help="Første dato; standard: 4 år før.")
@click.option("--as-of", "as_of", type=ISO_DATE, default=None, help=DEMO_AS_OF_HELP)
def synth(out: Path, seed: int, employees: int, start: date | None, as_of: date | None) -> None:
    _synth(out, seed=seed, employees=employees, start=start, as_of=as_of or date.today())


MEMORY_HELP = (
    "Hukommelse til hele bygget, fx 4GB (standard: RUMMELIG_MEMORY_LIMIT, ellers den mindste af "
    "4 GB og halvdelen af maskinens); DuckDB lægger resten i en mappe ved siden af databasen."
)
THREADS_HELP = (
    "Tråde til DuckDB, dbt og polars (standard: RUMMELIG_THREADS, ellers maskinens kerner)."
)


def limit_options(command):
    command = click.option("--threads", type=int, default=None, help=THREADS_HELP)(command)
    return click.option("--memory-limit", "memory_limit", default=None, help=MEMORY_HELP)(command)


@cli.command(help="Indlæs en landing-mappe og byg datavarehuset (ingest → dbt → kontroller).")
@click.option("--input", "input_dir", type=click.Path(path_type=Path), required=True)
@click.option("--database", type=click.Path(path_type=Path), required=True)
@click.option("--as-of", "as_of", type=ISO_DATE, default=None, help=DEMO_AS_OF_HELP)
@click.option("--config", type=click.Path(path_type=Path), default=None, help="rules.yml")
@limit_options
def build(
    input_dir: Path,
    database: Path,
    as_of: date | None,
    config: Path | None,
    memory_limit: str | None,
    threads: int | None,
) -> None:
    _build(
        input_dir,
        database,
        as_of=as_of or date.today(),
        config=config,
        memory_limit=memory_limit,
        threads=threads,
    )


@cli.command(
    cls=ReportCommand,
    help="Lav RAPPORT (HTML og Excel) for en periode. Rapportens egne tilvalg står nederst.",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
@click.argument("name", metavar="RAPPORT")
@click.option("--database", type=click.Path(path_type=Path), required=True, help="Varehuset.")
@click.option(
    "--period",
    default=None,
    metavar="PERIODE",
    help="År (2025), kvartal (2025Q3) eller måned (2025-11); hmu tager også --year/--quarter.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT / "reports",
    help="Mappen, rapporterne skrives i (standard: out/reports).",
)
@click.pass_context
def report(ctx: click.Context, name: str, database: Path, period: str | None, out: Path) -> None:
    for path in _report(name, database, period=period, out=out, options=_report_options(ctx.args)):
        click.echo(f"Skrev {path}")


@cli.command(help="Syntetisk kommune → datavarehus → alle rapporter for as_of-året, i --out.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True)
@click.option("--employees", type=int, default=3000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--as-of", "as_of", type=ISO_DATE, default=None, help=DEMO_AS_OF_HELP)
@limit_options
def demo(
    out: Path,
    employees: int,
    seed: int,
    as_of: date | None,
    memory_limit: str | None,
    threads: int | None,
) -> None:
    started = time.monotonic()
    as_of = as_of or date.today()
    out = out.resolve()  # print absolute paths: the user asked where everything is
    landing, database, reports_dir = out / "landing", out / "rummelig.duckdb", out / "reports"
    _synth(landing, seed=seed, employees=employees, start=None, as_of=as_of)
    outcome = _build(
        landing,
        database,
        as_of=as_of,
        config=None,
        reports_dir=reports_dir,
        demo=True,
        memory_limit=memory_limit,
        threads=threads,
    )
    from orchestration.warehouse import dagster_home

    written = sum(len(files) for files in outcome.reports.values())
    click.echo(
        f"Færdig på {seconds(time.monotonic() - started)} i alt"
        f" (heraf bygget {seconds(outcome.seconds)})."
    )
    click.echo(f"  Landing-mappe:    {landing}")
    click.echo(f"  Datavarehus:      {database}")
    click.echo(f"  Rapporter:        {reports_dir} ({number(written)} filer)")
    click.echo(f"  Dagster-historik: {dagster_home(database)} (se den med: make dev)")
    docs = out / "docs" / "index.html"
    if docs.exists():
        click.echo(f"  dbt-dokumentation: {docs}")
    else:
        click.echo("  dbt-dokumentation: make docs skriver den til out/docs/index.html")


@cli.command(help="Åbn Dagster-UI'et (dagster dev) over demo-datavarehuset og dets historik.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True)
@click.option("--port", type=int, default=3000, show_default=True)
def dev(out: Path, port: int) -> None:
    out = out.resolve()
    landing, database = out / "landing", out / "rummelig.duckdb"
    if not landing.is_dir():
        click.echo(f"{landing} findes ikke: skriver en syntetisk kommune først.")
        _synth(landing, seed=1, employees=3000, start=None, as_of=date.today())
    from orchestration.project import prepare_manifest
    from orchestration.warehouse import dbt_target_path, ensure_dagster_home

    prepare_manifest(as_of=date.today(), database=database, target_path=dbt_target_path(database))
    home = ensure_dagster_home(database)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "RUMMELIG_INPUT": str(landing),
        "RUMMELIG_DATABASE": str(database),
        "RUMMELIG_REPORTS": str(out / "reports"),
        # `dagster dev` warns that `dg dev` supersedes it; dg (dagster-dg-cli) is not part of
        # this environment, and `dagster dev` is what starts the webserver with the daemon.
        "PYTHONWARNINGS": "ignore:Function `dev_command` is superseded",
    }
    dagster = Path(sys.executable).parent / "dagster"
    args = [str(dagster), "dev", "-m", "orchestration.definitions", "-p", str(port)]
    click.echo(f"Dagster på http://127.0.0.1:{port} (datavarehusets historik: {home})")
    os.chdir(REPO_DIR)
    os.execvpe(args[0], args, env)


@cli.command(help="Skriv dbt's dokumentation (alle modeller og kolonner) som én HTML-fil.")
@click.option(
    "--out", type=click.Path(path_type=Path), default=DEFAULT_OUT / "docs", show_default=True
)
@click.option(
    "--database",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT / "rummelig.duckdb",
    show_default=True,
    help="Et bygget datavarehus giver kolonnetyper og rækketal med (valgfrit).",
)
def docs(out: Path, database: Path) -> None:
    from orchestration.docs import write_docs

    started = time.monotonic()
    try:
        index = write_docs(out.resolve(), database.resolve())
    except RuntimeError as exc:
        raise UserError(str(exc).strip().splitlines()[0]) from exc
    click.echo(f"dbt-dokumentationen er skrevet: {index} ({seconds(time.monotonic() - started)})")


if __name__ == "__main__":
    console_main()
