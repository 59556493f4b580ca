"""The CLI in one language: Click's own texts in Danish, --version, the report command's help."""

from __future__ import annotations

import codecs
import re

import click
import pytest
from click.testing import CliRunner

from orchestration.cli import cli, main
from orchestration.cli_danish import DANISH


def _help(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="rummelig")
    assert result.exit_code == 0, result.output
    return result.output


def test_help_is_danish_throughout():
    for args in ((), ("report",), ("build",), ("demo",), ("synth",)):
        text = _help(*args)
        assert text.startswith("Brug: rummelig"), text
        assert "Tilvalg:" in text and "Vis denne hjælp og afslut." in text
        for english in ("Usage", "Options", "Show this message", "[OPTIONS]", "COMMAND", "TEXT",
                        "PATH", "INTEGER", "required", "default:"):  # fmt: skip
            assert english not in text, (args, english)


def test_report_help_lists_every_report_and_its_options():
    from reports.registry import REPORTS

    text = _help("report")
    for spec in REPORTS:
        assert re.search(rf"^\s+{spec.name}\b", text, flags=re.M), spec.name
        for option in spec.options:
            assert f"--{option.replace('_', '-')}" in text, (spec.name, option)
    assert "sygefravaer / sygefravær" in text


def test_version():
    result = CliRunner().invoke(cli, ["--version"], prog_name="rummelig")
    assert result.exit_code == 0 and re.fullmatch(r"rummelig \d+\.\d+\.\d+\n", result.output)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["bygg"], "Fejl: Kommandoen 'bygg' findes ikke."),
        (["report"], "Fejl: Mangler argument 'RAPPORT'."),
        (["report", "kvote", "--period", "2025"], "Fejl: Mangler tilvalg '--database'."),
        (["synth", "--out", "x", "--employees", "mange"], "Fejl: Ugyldig værdi for '--employees'"),
        (["report", "nope", "--database", "x.duckdb", "--period", "2025"],
         "Fejl: Ukendt rapport 'nope'. Kendte rapporter: sygefravaer, inklusion, kvote, "
         "benchmark, hmu, jobcenter."),
    ],
)  # fmt: skip
def test_errors_are_one_danish_line(capsys, args, line):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(line), err


def test_the_catalogue_covers_clicks_texts():
    """Every text Click marks for translation in the modules our CLI uses is in the catalogue
    (a new Click release with new texts fails here instead of speaking English to users)."""
    from pathlib import Path

    root = Path(click.__file__).parent
    marked = set()
    for name in ("core", "exceptions", "parser", "types", "decorators", "formatting"):
        source = (root / f"{name}.py").read_text(encoding="utf-8")
        found = re.findall(r'\b_\(\s*"((?:[^"\\]|\\.)*)"\s*\)', source)
        marked |= {codecs.decode(t, "unicode_escape") for t in found}  # "\\n" → newline
    developer_only = {  # errors in how a command is declared: for us, not for users
        "Could not determine name for option with declarations {decls!r}",
        "Name '{name}' defined twice",
        "Invalid start character for option ({option})",
    }
    missing = sorted(marked - set(DANISH) - developer_only)
    assert not missing, missing
