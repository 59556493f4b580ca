"""`rummelig build` that stops at a chosen stage and waits to be killed (kill -9 tests).

Run as `python -m tests.support.paused_build STAGE rummelig-build-args…`. At STAGE it prints
`PAUSED STAGE` on stdout and sleeps, so the test can kill the process group at a known moment
of a real build. Stages (each a wrapper around the real function, which has already run or is
about to run; nothing else of the build changes):
- `copy`: half of the published file has been copied into the build file;
- `ingest`: the first register file is done: its load-log row (and its rows, when the file is
  new) committed in the build file, the other files not read yet;
- `dbt`: dbt has rebuilt its first mart in the build file and goes on (its process keeps
  running: the kill takes it mid-way);
- `gx`: dbt has finished; the marts' GX suites are about to be validated;
- `swap`: the build file is checkpointed and flushed; the rename is next.
"""

from __future__ import annotations

import sys
import time


def pause(stage: str) -> None:
    print(f"PAUSED {stage}", file=sys.__stdout__, flush=True)  # the build mutes sys.stdout
    while True:
        time.sleep(60)


def install(stage: str) -> None:
    if stage == "copy":
        import orchestration.publish as publish

        def half_copy(src, dst, *args, **kwargs):
            with open(src, "rb") as source, open(dst, "wb") as target:
                data = source.read()
                target.write(data[: len(data) // 2])
                target.flush()
            pause(stage)

        publish.shutil = type(sys)("shutil_paused")
        publish.shutil.copyfile = half_copy
    elif stage == "ingest":
        import ingest.registers.load as load

        real_load = load._load_file

        def load_then_pause(*args, **kwargs):
            result = real_load(*args, **kwargs)  # committed: its rows (if new), its log row
            pause(stage)
            return result

        load._load_file = load_then_pause
    elif stage == "dbt":  # the dbt step turns dbt's raw events into Dagster's (assets/dbt.py)
        from dagster_dbt.core.dbt_cli_event import DbtCliEventMessage

        real_events = DbtCliEventMessage.to_default_asset_events

        def to_default_asset_events(self, *args, **kwargs):
            for event in real_events(self, *args, **kwargs):
                yield event
                # a model's Output is named after its asset key: ["marts", "x"] → "marts__x"
                if getattr(event, "output_name", "").startswith("marts__"):
                    pause(stage)

        DbtCliEventMessage.to_default_asset_events = to_default_asset_events
    elif stage == "gx":  # the marts' check step asks the GX process (orchestration/checks.py)
        import orchestration.checks as checks
        from expectations.suites import all_suites

        real_validate = checks.validate_suites
        marts = {suite.name for suite in all_suites() if suite.table.startswith("marts.")}

        def validate_suites(database, config, names):
            if marts & set(names):
                pause(stage)
            return real_validate(database, config, names)

        checks.validate_suites = validate_suites
    elif stage == "swap":
        import orchestration.publish as publish

        publish._rename = lambda build_file, database: pause(stage)
    else:
        raise SystemExit(f"unknown stage {stage}")


def main() -> None:
    stage, *args = sys.argv[1:]
    install(stage)
    from orchestration.cli import main as cli_main

    cli_main(["build", *args])


if __name__ == "__main__":
    main()
