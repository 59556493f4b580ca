"""The `rummelig report` command's help: every report with its options, read from the registry
only when the help is shown (importing the reports costs a second)."""

from __future__ import annotations

import click

from orchestration.cli_danish import DanishCommand


class ReportCommand(DanishCommand):
    """`report --help` lists the reports (name, aliases, title) and each report's own options."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from reports.registry import REPORTS

        with formatter.section("Rapporter"):
            formatter.write_dl(
                [
                    (
                        spec.name + "".join(f" / {a}" for a in spec.aliases),
                        f"{spec.title}. {spec.description}",
                    )
                    for spec in REPORTS
                ]
            )
        for spec in REPORTS:
            if spec.options:
                with formatter.section(f"Tilvalg til {spec.name}"):
                    formatter.write_dl(
                        [(f"--{k.replace('_', '-')} VÆRDI", v) for k, v in spec.options.items()]
                    )
        super().format_epilog(ctx, formatter)
